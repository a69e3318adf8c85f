"""Networks warp space: a tanh network bends the plane, layer by layer, until a straight
line separates the classes; carried back, that line is the curved decision boundary.

Every grid, point and curve comes from a trained trace through nnviz.explain.warp.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    DR,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    ValueTracker,
    VGroup,
    Write,
    smooth,
)

from nnviz.core import datasets
from nnviz.core.errors import NNVizError
from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects.warp_grid import WarpPanel
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.warp import (
    STAGES,
    boundary_pulled_back,
    check_network,
    clip_polyline,
    decision_boundary,
    distance_to_curves,
    grid_lines,
    orient,
    view_for,
    warp_at,
)
from nnviz.spec.config import PlanarDataConfig, knob, spec

# -- warp-layers and spirals-untangled --------------------------------------------------

@dataclass
class WarpLayersConfig(PlanarDataConfig):
    seed: int = knob(25, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    hidden: tuple[int, ...] = knob((2, 2), "hidden widths (all 2: each layer warps the plane)",
                                   min=1, max=64, max_len=8)
    activation: str = knob("tanh", "hidden activation (strictly monotone)",
                           choices=("tanh", "sigmoid"))
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.05, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(150, "training steps", min=1, max=20000)
    grid_lines: int = knob(21, "grid lines per direction", min=3, max=60)
    window: float = knob(1.5, "half-width of the input window", min=0.5, max=5.0)
    stage_time: float = knob(1.6, "seconds per warp stage (W, +b, tanh)", min=0.1, max=10.0)
    carry_time: float = knob(4.0, "seconds to carry the line back", min=0.1, max=20.0)
    path: str = knob("polar", "how W grows from the identity: polar (rotate, then stretch;"
                     " never flat) or linear (a straight blend, may pass a flat map)",
                     choices=("linear", "polar"))
    line_color: str = knob("highlight", "colour of the separating line")

    def __post_init__(self) -> None:
        super().__post_init__()
        if any(w != 2 for w in self.hidden):
            raise NNVizError(
                f"Setting 'hidden' must list widths of 2 (each layer warps the plane into "
                f"itself), got {','.join(map(str, self.hidden))}."
            )

    def traces(self):
        return {"main": spec(self.dataset, (2, *self.hidden, 1), activation=self.activation,
                             output_activation="sigmoid", trainer=self.trainer,
                             steps=self.steps, seed=self.seed, record="log:40",
                             trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                             dataset_params=self.data_params())}


class WarpLayersBase(NNVizScene):
    """Grid and data through every hidden layer in three stages, the line at the end,
    and the line carried back to the input plane as the decision boundary."""

    heading = "A {widths} tanh network warps the plane"

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = orient(trace.net_at(1.0))  # same function, every layer det W > 0: never flat
        data, _ = self.trace_data("main")
        X, y = data.X, data.y
        n_hidden = net.n_layers - 1
        self.snapshots: list[tuple[str, np.ndarray, np.ndarray]] = []
        lines = grid_lines((-cfg.window, cfg.window), (-cfg.window, cfg.window),
                           cfg.grid_lines, 120)
        flat = lines.reshape(-1, 2)
        panel = WarpPanel(lines, X, y, [pal["class_a"], pal["class_b"]],
                          center=(-3.2, -0.35, 0), size=6.6, view=cfg.window,
                          grid_color=pal["grid"],
                          border_color=pal["muted"])
        head = title(self, self.heading.format(n=n_hidden, widths="-".join(map(str, net.sizes))))
        self.add(head, panel)
        u = ValueTracker(0.0)

        def draw(_m=None) -> None:
            pts = warp_at(X, net, u.get_value(), cfg.path)
            panel.show(warp_at(flat, net, u.get_value(), cfg.path).reshape(lines.shape), pts,
                       view=view_for(pts, minimum=1.1 if u.get_value() > 0 else cfg.window))

        panel.add_updater(draw)
        checks = check_network(net)
        side = RIGHT * 3.6 + UP * 0.2
        acc = label(self, f"trained: {trace.final_accuracy:.0%} right", 24, pal["muted"])
        acc.to_corner(DR, buff=0.3)
        self.play(FadeIn(panel), FadeIn(acc), run_time=self.t(1.0))
        self.wait(self.t(0.5))
        info = VGroup()
        for k in range(n_hidden):
            check = checks[k]
            h_in = "x" if k == 0 else f"h_{k}"
            formula = MathTex(rf"h_{k + 1} = \tanh(", rf"W_{k + 1}\,{h_in}", rf"+ b_{k + 1}",
                              ")", font_size=40, color=pal["text"])
            if cfg.activation == "sigmoid":
                formula[0].become(MathTex(rf"h_{k + 1} = \sigma(", font_size=40,
                                          color=pal["text"]).move_to(formula[0]))
            steps_txt = VGroup(
                MathTex(rf"1.\ W_{k + 1}\ \text{{grows from }} I", font_size=32),
                MathTex(rf"2.\ \text{{shift by }} b_{k + 1}", font_size=32),
                MathTex(r"3.\ \text{squash each point}", font_size=32),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.25).set_color(pal["muted"])
            det = MathTex(rf"\det W_{k + 1} = {check.det:.2f}", font_size=32,
                          color=pal["text"] if check.invertible else pal["negative"])
            layer_head = label(self, f"layer {k + 1} of {n_hidden}", 28)
            verdict = VGroup()
            if check.invertible:
                text = "invertible: it bends the grid,\nnever folds or tears it"
                if check.det < 0:  # a mirror image cannot be reached without flattening
                    text += "\n(det < 0: a mirror flip, so on\nthe way it is flat for an instant)"
                verdict = label(self, text, 24, pal["muted"])
            new_info = VGroup(layer_head, formula, steps_txt, det, verdict).arrange(
                DOWN, aligned_edge=LEFT, buff=0.35).move_to(side)
            new_info.set_z_index(5)
            self.play(FadeOut(info), FadeIn(new_info), run_time=self.t(0.6))
            info = new_info
            if not check.invertible:
                flag = label(self, "not invertible: it would fold the plane,\n"
                             "so it is not drawn as a warp", 24, pal["negative"])
                flag.next_to(det, DOWN, aligned_edge=LEFT).set_z_index(5)
                self.play(FadeIn(flag), panel.grid.animate.set_stroke(opacity=0.0),
                          run_time=self.t(0.6))
                u.set_value(3 * (k + 1))
                self.wait(self.t(1.0))
                info.add(flag)
                continue
            parts = [formula[1], formula[2], VGroup(formula[0], formula[3])]
            for j, stage in enumerate(STAGES):
                steps_txt[j].set_color(pal["highlight"])
                parts[j].set_color(pal["highlight"])
                self.play(u.animate.set_value(3 * k + j + 1), run_time=self.t(cfg.stage_time),
                          rate_func=smooth)
                draw()
                self.snapshots.append((f"layer {k + 1} {stage}", panel.cloud.positions.copy(),
                                       panel.grid.lines.copy()))
                steps_txt[j].set_color(pal["muted"])
                parts[j].set_color(pal["text"])
        panel.remove_updater(draw)
        self.play(FadeOut(info), run_time=self.t(0.4))
        if not all(c.invertible for c in checks):
            note = label(self, "A layer is not invertible:\nno line is carried back.", 26,
                         pal["negative"]).move_to(side)
            self.play(FadeIn(note), run_time=self.t(0.5))
            self.wait(self.t(1.5))
            return
        self.separate_and_carry_back(net, panel, lines, u, side)

    def separate_and_carry_back(self, net, panel: WarpPanel, lines: np.ndarray,
                                u: ValueTracker, side: np.ndarray) -> None:
        cfg, pal = self.cfg, self.palette
        n_hidden = net.n_layers - 1
        flat = lines.reshape(-1, 2)
        # the decision boundary as carried back; its image in the last hidden space is
        # the straight line w . h + b = 0 (the part of it the plane reaches)
        back = boundary_pulled_back(net, n=800)
        far = 6.0 * cfg.window
        runs = clip_polyline(back, (-far, far), (-far, far))
        line_col = pal.get(cfg.line_color, cfg.line_color)
        panel.add_curve("line", [warp_at(r, net, u.get_value(), cfg.path) for r in runs],
                        line_col, width=5)
        w, b = net.weights[-1][0], net.biases[-1][0]
        eq = MathTex(rf"{w[0]:.2f}\,h_1 {w[1]:+.2f}\,h_2 {b:+.2f} = 0", font_size=34,
                     color=line_col)
        txt = label(self, "a straight line now\nseparates the classes", 28)
        VGroup(txt, eq).arrange(DOWN, aligned_edge=LEFT, buff=0.35).move_to(side)
        self.play(Create(panel.curves["line"]), FadeIn(txt), Write(eq), run_time=self.t(1.5))
        self.wait(self.t(1.0))

        def draw_back(_m=None) -> None:
            v = u.get_value()
            pts = warp_at(panel_X, net, v, cfg.path)
            panel.show(warp_at(flat, net, v, cfg.path).reshape(lines.shape), pts,
                       view=view_for(pts, minimum=1.1 if v > 1e-9 else cfg.window),
                       line=[warp_at(r, net, v, cfg.path) for r in runs])

        panel_X = self.input_points
        panel.add_updater(draw_back)
        txt2 = label(self, "carried back through\nthe inverse warps", 28)
        txt2.move_to(side)
        self.play(FadeOut(txt), FadeOut(eq), FadeIn(txt2), run_time=self.t(0.6))
        self.play(u.animate.set_value(0.0), run_time=self.t(cfg.carry_time), rate_func=smooth)
        draw_back()
        panel.remove_updater(draw_back)
        # the computed boundary (marching squares on the output), under the carried line
        lim = (-cfg.window, cfg.window)
        computed = decision_boundary(net, lim, lim, n=200)
        inside = clip_polyline(back, lim, lim)
        gap = (float(distance_to_curves(np.concatenate(inside), computed).max())
               if inside and computed else float("inf"))  # inf: nothing came back to compare
        panel.add_curve("computed", computed, pal["text"], width=12, opacity=0.45)
        panel.curve_layer.submobjects.reverse()  # computed boundary underneath
        txt3 = label(self, "it is the network's\ndecision boundary", 28)
        key = VGroup(
            label(self, "carried-back line", 24, line_col),
            label(self, "boundary computed on a grid", 24, pal["text"]),
            MathTex(rf"\text{{largest gap}} = {gap:.4f}", font_size=30, color=pal["muted"]),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        VGroup(txt3, key).arrange(DOWN, aligned_edge=LEFT, buff=0.5).move_to(side)
        self.play(FadeOut(txt2), FadeIn(txt3), Create(panel.curves["computed"]),
                  FadeIn(key), run_time=self.t(1.5))
        self.snapshots.append(("input", panel.cloud.positions.copy(), panel.grid.lines.copy()))
        self.boundary_gap = gap
        self.wait(self.t(2.0))
        del n_hidden

    @property
    def input_points(self) -> np.ndarray:
        return self.trace_data("main")[0].X


@register("warp-layers", "A width-2 tanh net warps the plane layer by layer; the line it "
          "draws at the end is carried back to the curved decision boundary")
class WarpLayers(WarpLayersBase):
    Config = WarpLayersConfig


@dataclass
class SpiralsConfig(WarpLayersConfig):
    seed: int = knob(17, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    dataset: str = knob("spirals", "data set", choices=datasets.PLANAR)
    hidden: tuple[int, ...] = knob((2, 2, 2, 2), "hidden widths (all 2)", min=1, max=64, max_len=8)
    lr: float = knob(0.02, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(1500, "training steps", min=1, max=20000)
    stage_time: float = knob(0.8, "seconds per warp stage (W, +b, tanh)", min=0.1, max=10.0)
    carry_time: float = knob(5.0, "seconds to carry the line back", min=0.1, max=20.0)


@register("spirals-untangled", "Two spirals untangled by a deeper width-2 tanh network, "
          "layer after layer")
class SpiralsUntangled(WarpLayersBase):
    Config = SpiralsConfig
    heading = "{n} hidden layers of width 2 untangle the spirals"


__all__ = ["WarpLayers", "SpiralsUntangled"]
