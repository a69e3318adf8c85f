"""Straight lines and where they fail: the best line through the two curves, and two
classes on a line that a hidden layer lifts into the plane, where a line splits them.

Every line, count and curve comes from a trained trace.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    Polygon,
    ValueTracker,
    VGroup,
    Write,
    smooth,
)

from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects.warp_grid import PointCloud, WarpGrid, WarpPanel
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.warp import grid_lines, half_plane_polygon, separating_line
from nnviz.spec.config import PlanarDataConfig, SceneConfig, knob, spec


def tex(text: str, size: int, color: str) -> MathTex:
    return MathTex(text, font_size=size, color=color).set_z_index(5)


# -- line-not-enough --------------------------------------------------------------------

@dataclass
class LineNotEnoughConfig(PlanarDataConfig):
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.05, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(300, "training steps", min=1, max=20000)
    window: float = knob(1.5, "half-width of the plane shown", min=0.5, max=5.0)
    reveal_time: float = knob(1.5, "seconds to draw the line", min=0.1, max=10.0)

    def traces(self):
        return {"main": spec(self.dataset, (2, 1), activation="tanh",
                             output_activation="sigmoid", trainer=self.trainer,
                             steps=self.steps, seed=self.seed, record="log:20",
                             trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                             dataset_params=self.data_params())}


@register("line-not-enough", "The best straight line through the two curves, and the points "
          "it gets wrong, counted")
class LineNotEnough(NNVizScene):
    Config = LineNotEnoughConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = trace.net_at(1.0)
        data, _ = self.trace_data("main")
        X, y = data.X, data.y
        lim = cfg.window
        lines = grid_lines((-lim, lim), (-lim, lim), 13, 2)
        panel = WarpPanel(lines, X, y, [pal["class_a"], pal["class_b"]],
                          center=(-3.2, -0.35, 0), size=6.6, view=lim,
                          grid_color=pal["grid"],
                          border_color=pal["muted"])
        panel.grid.set_stroke(opacity=0.35)
        head = title(self, "Is one straight line enough?")
        self.add(head)
        self.play(FadeIn(panel), run_time=self.t(1.0))
        side = RIGHT * 3.6 + UP * 0.3
        w, b = net.weights[0][0], float(net.biases[0][0])
        # the line sigma(w . x + b) = 1/2, i.e. w . x + b = 0, and the halves it makes
        line_pts = separating_line(w, b, box=lim, n=50)
        line = panel.add_curve("line", [line_pts] if len(line_pts) else [], pal["highlight"],
                               width=5)
        halves = VGroup()
        for sign, col in ((1, pal["class_b"]), (-1, pal["class_a"])):
            poly = half_plane_polygon(sign * w, sign * b, lim)
            if len(poly) >= 3:
                halves.add(Polygon(*panel.to_scene(poly), stroke_width=0, fill_color=col,
                                   fill_opacity=0.12))
        model = tex(r"\sigma(w_1 x_1 + w_2 x_2 + b)", 36, pal["text"])
        vals = tex(rf"w = ({w[0]:.2f},\ {w[1]:.2f}),\ b = {b:.2f}", 30, pal["muted"])
        intro = label(self, "a trained linear model:\nthe best straight line", 28)
        VGroup(intro, model, vals).arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to(
            side + UP * 1.2)
        self.play(FadeIn(intro), Write(model), FadeIn(vals), run_time=self.t(1.2))
        self.add(halves)
        self.bring_to_front(panel)
        halves.set_z_index(-1)
        self.play(Create(line), FadeIn(halves), run_time=self.t(cfg.reveal_time))
        wrong = np.nonzero(net.predict(X) != y)[0]
        self.wrong = wrong
        rings = VGroup(*[
            Circle(radius=0.13, stroke_color=pal["highlight"], stroke_width=3).move_to(
                p).set_z_index(4)
            for p in panel.cloud.scene_positions()[wrong]
        ])
        count = label(self, f"{len(wrong)} of {len(y)} points\non the wrong side", 30,
                      pal["highlight"])
        acc = label(self, f"accuracy {1 - len(wrong) / len(y):.1%}", 26, pal["muted"])
        VGroup(count, acc).arrange(DOWN, aligned_edge=LEFT, buff=0.25).move_to(
            side + DOWN * 1.6).align_to(intro, LEFT)
        self.play(Create(rings), FadeIn(count), run_time=self.t(1.5))
        self.play(FadeIn(acc), run_time=self.t(0.5))
        self.wait(self.t(2.0))


# -- line-1d-lift -----------------------------------------------------------------------

@dataclass
class Line1DLiftConfig(SceneConfig):
    n_points: int = knob(60, "number of data points", min=10, max=1000)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.05, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(100, "training steps", min=1, max=20000)
    lift_time: float = knob(3.0, "seconds for the lift into 2D", min=0.1, max=20.0)

    def traces(self):
        return {"main": spec("line_1d", (1, 2, 1), activation="tanh",
                             output_activation="sigmoid", trainer=self.trainer,
                             steps=self.steps, seed=self.seed, record="log:20",
                             trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                             dataset_params={"n": self.n_points})}


@register("line-1d-lift", "Two classes on a line, one inside the other, lifted into 2D by a "
          "hidden layer, where a line separates them")
class Line1DLift(NNVizScene):
    Config = Line1DLiftConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = trace.net_at(1.0)
        data, _ = self.trace_data("main")
        x, y = data.X[:, 0], data.y
        W, b = net.weights[0][:, 0], net.biases[0]
        centre = np.array([-2.7, -0.4, 0.0])
        unit = 2.65  # scene units per data unit
        side = np.array([3.7, -0.2, 0.0])
        head = title(self, "One dimension is not enough: lift the line")
        self.add(head)
        # the number line, drawn as a polyline in the plane at h2 = 0
        xs = np.linspace(-1.15, 1.15, 200)

        def lifted(s: float, pts: np.ndarray) -> np.ndarray:
            """Points of the line a fraction s of the way to their hidden activations."""
            flat = np.column_stack([pts, np.zeros_like(pts)])
            h = np.tanh(np.outer(pts, W) + b)
            return (1 - s) * flat + s * h

        curve = WarpGrid(lifted(0, xs)[None], centre, unit, color=pal["grid"], stroke_width=4)
        cloud = PointCloud(lifted(0, x), y, [pal["class_a"], pal["class_b"]], centre, unit,
                           radius=0.07)
        self.play(Create(curve), FadeIn(cloud), run_time=self.t(1.0))
        say = label(self, "red outside, blue inside:\nno single cut on the line\n"
                    "splits them", 28).move_to(side)
        self.play(FadeIn(say), run_time=self.t(0.8))
        self.wait(self.t(1.2))
        lift_txt = label(self, "a hidden layer of two\nneurons lifts the line\ninto the plane", 28)
        formula = tex(r"h = \tanh(W x + b) \in \mathbb{R}^2", 38, pal["text"])
        wtxt = tex(rf"W = ({W[0]:.2f},\ {W[1]:.2f})", 30, pal["muted"])
        btxt = tex(rf"b = ({b[0]:.2f},\ {b[1]:.2f})", 30, pal["muted"])
        box = VGroup(lift_txt, formula, wtxt, btxt).arrange(DOWN, aligned_edge=LEFT,
                                                            buff=0.3).move_to(side)
        square = WarpGrid(np.array([[[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]]), centre,
                          unit, color=pal["muted"], stroke_width=1.5, stroke_opacity=0.6)
        axes_lbl = VGroup(MathTex("h_1", font_size=32, color=pal["muted"]).move_to(
                              centre + unit * np.array([1.08, -1.0, 0]) + RIGHT * 0.25),
                          MathTex("h_2", font_size=32, color=pal["muted"]).move_to(
                              centre + unit * np.array([-1.0, 1.0, 0]) + UP * 0.25 + LEFT * 0.3))
        self.play(FadeOut(say), run_time=self.t(0.4))
        self.play(FadeIn(box), FadeIn(square), FadeIn(axes_lbl), run_time=self.t(0.8))
        s = ValueTracker(0.0)

        def lift(_m=None) -> None:
            curve.set_lines(lifted(s.get_value(), xs)[None])
            cloud.set_positions(lifted(s.get_value(), x))

        curve.add_updater(lift)
        self.play(s.animate.set_value(1.0), run_time=self.t(cfg.lift_time), rate_func=smooth)
        curve.remove_updater(lift)
        lift()
        self.lifted = cloud.positions.copy()
        # the output neuron's line in the hidden plane
        w2, b2 = net.weights[1][0], float(net.biases[1][0])
        seg = separating_line(w2, b2, box=1.15, n=40)
        sep = WarpGrid([seg] if len(seg) else [], centre, unit, color=pal["highlight"],
                       stroke_width=5)
        eq = tex(rf"{w2[0]:.2f}\,h_1 {w2[1]:+.2f}\,h_2 {b2:+.2f} = 0", 34, pal["highlight"])
        wrong = int(np.sum(net.predict(data.X) != y))
        verdict = label(self, f"in 2D a straight line\nseparates them:\n{len(y) - wrong} of "
                        f"{len(y)} right", 28, pal["text"])
        new_box = VGroup(verdict, eq).arrange(DOWN, aligned_edge=LEFT, buff=0.35).move_to(side)
        self.play(FadeOut(box), run_time=self.t(0.4))
        self.play(Create(sep), FadeIn(new_box), run_time=self.t(1.5))
        self.wait(self.t(2.5))
