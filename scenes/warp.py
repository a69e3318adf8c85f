"""Networks warp space: a tanh network bends the plane, layer by layer, until a straight
line separates the classes; carried back, that line is the curved decision boundary.

Every grid, point and curve comes from a trained trace through nnviz.explain.warp. The
network is drawn re-signed (`orient`: the same function, every layer det W > 0), so each
linear stage rotates and stretches without ever flattening the plane. The zoom is held
while a stage plays (a squash is seen shrinking the plane) and changes only between
stages, with a readout.

spirals-untangled's layers saturate, and the scene says so rather than hiding it: for
spirals wound 1.5 turns, every width-2 tanh network we trained to >= 97 % pressed most
points of some layer against tanh's edges (cross-entropy or squared error; L1 1e-4..3e-2
or weight decay 1e-3..1e-2, which stay below 90 %; 1500-6000 steps; 6-8 layers; 11 seeds),
and the seed-3 network already saturates at 1500 of its 6000 steps (76 % right).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Transform,
    ValueTracker,
    VGroup,
    Write,
    smooth,
)

from nnviz.core import datasets
from nnviz.core.errors import NNVizError
from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects import DecimalNumber, Legend, MathTex
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.warp_grid import PointCloud, RegionFill, WarpPanel
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.warp import (
    ACTIVATION_RANGE,
    STAGES,
    check_network,
    clip_polyline,
    decision_boundary,
    grid_lines,
    hidden_outputs,
    orient,
    output_grid,
    output_threshold,
    refine_boundary,
    saturation,
    separating_line,
    stage_view,
    view_for,
    warp_at,
)
from nnviz.spec.config import PlanarDataConfig, knob, spec

SATURATES = 0.5  # a layer "saturates" when more than this fraction of points is pressed
# against the edge of tanh's range (|h| > 0.95 in some coordinate)


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
    lr: float = knob(0.03, "learning rate (small: the warps stay readable, unsaturated)",
                     min=1e-5, max=10.0)
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


def range_square(activation: str, n: int = 60) -> list[np.ndarray]:
    """The outline of the activation's range (the square tanh squashes everything into)."""
    lo, hi = ACTIVATION_RANGE[activation]
    c = [(lo, lo), (hi, lo), (hi, hi), (lo, hi), (lo, lo)]
    return [np.concatenate([np.linspace(c[i], c[i + 1], n) for i in range(4)])]


class ZoomReadout(VGroup):
    """'zoom x 2.4' at a fixed left anchor: how much the panel is magnified against the
    input plane (data half-width `base` / current half-width)."""

    def __init__(self, scene: NNVizScene, base: float, anchor: np.ndarray) -> None:
        super().__init__()
        col = scene.palette["muted"]
        self.base, self.anchor = float(base), np.asarray(anchor, dtype=float)
        self.text = label(scene, "zoom \u00d7", 24, col)
        self.number = DecimalNumber(1.0, num_decimal_places=1, font_size=34, color=col)
        self.add(self.text, self.number)
        self.shown = None
        self.set_view(base)

    def set_view(self, view: float) -> ZoomReadout:
        ratio = self.base / view
        # one decimal, or as many as the first significant digit needs: a stage stretched
        # 25-fold is held at x0.04, which one decimal would show as "x0.0"
        places = 1 if ratio >= 0.095 else min(4, int(np.ceil(-np.log10(max(ratio, 1e-4)))))
        value = round(ratio, places)
        if (value, places) != self.shown:
            self.shown = (value, places)
            self.number.num_decimal_places = places
            self.number.set_value(value)
            self.arrange(RIGHT, buff=0.1)
            on_one_baseline(self)
            self.move_to(self.anchor, aligned_edge=LEFT)
        return self


class WarpLayersBase(NNVizScene):
    """Grid and data through every hidden layer in three stages, the line at the end,
    and the line carried back to the input plane as the decision boundary."""

    heading = "A {widths} tanh network warps the plane"
    detail = 99  # layers explained stage by stage, one beat each; the rest one beat a layer
    detail_time = 0.0  # seconds a stage of those layers lasts at least (their first showing)
    opening = ("Two classes of points in the plane. A network with two neurons per layer "
               "moves the whole plane, one layer at a time.")

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = orient(trace.net_at(1.0))  # same function, every layer det W > 0: never flat
        self.net = net
        data, _ = self.trace_data("main")
        X, y = data.X, data.y
        n_hidden = net.n_layers - 1
        self.snapshots: list[tuple[str, np.ndarray, np.ndarray]] = []
        self.saturations: list[float] = []
        self.zooms: list[tuple[str, float]] = []
        lines = grid_lines((-cfg.window, cfg.window), (-cfg.window, cfg.window),
                           cfg.grid_lines, 120)
        flat = lines.reshape(-1, 2)
        panel = WarpPanel(lines, X, y, [pal["class_a"], pal["class_b"]],
                          center=(-3.3, -0.15, 0), size=6.3, view=cfg.window,
                          grid_color=pal["grid"], border_color=pal["muted"])
        box = panel.add_curve("range", range_square(cfg.activation), pal["highlight"],
                              width=2.5, opacity=0.0)
        self.panel = panel
        head = title(self, self.heading.format(n=n_hidden, widths="-".join(map(str, net.sizes))))
        u = ValueTracker(0.0)
        v = ValueTracker(cfg.window)
        zoom = ZoomReadout(self, cfg.window, panel.border.get_corner(DOWN + LEFT) + DOWN * 0.3)
        self.zoom = zoom

        def draw(_m=None) -> None:
            pts = warp_at(X, net, u.get_value(), cfg.path)
            panel.show(warp_at(flat, net, u.get_value(), cfg.path).reshape(lines.shape), pts,
                       view=v.get_value())
            zoom.set_view(panel.view)

        panel.add_updater(draw)
        self._draw = draw
        checks = check_network(net)
        side = RIGHT * 3.6 + UP * 0.1
        legend = Legend([(pal["class_a"], "class A"), (pal["class_b"], "class B")],
                        kind="square", font_size=22)
        legend.next_to(panel.border, DOWN, buff=0.2).align_to(panel.border, RIGHT)
        opening = self.opening.format(n=n_hidden, turns=cfg.turns)
        with self.beat("plane", opening):
            self.play(FadeIn(head), FadeIn(panel), FadeIn(legend), FadeIn(zoom),
                      run_time=self.t(1.0))
            self.read_along(head)

        info = VGroup()
        k = 0
        while k < n_hidden:
            check = checks[k]
            if not check.invertible:
                prev, info = info, self.layer_info(k, n_hidden, check, side, info)
                with self.beat(f"layer{k + 1}-folds",
                               f"Layer {k + 1} nearly collapses the plane onto a line, so it "
                               "is not drawn as a warp."):
                    flag = label(self, "not invertible: it would fold the plane,\n"
                                 "so it is not drawn as a warp", 24, pal["negative"])
                    flag.next_to(info, DOWN, aligned_edge=LEFT, buff=0.3).set_z_index(5)
                    self.play(FadeOut(prev), FadeIn(info.fresh), FadeIn(flag),
                              panel.grid.animate.set_stroke(opacity=0.0), run_time=self.t(0.6))
                    u.set_value(3 * (k + 1))
                    self.hold(1.0)
                info.add(flag)
                k += 1
                continue
            if k < self.detail:
                prev, info = info, self.layer_info(k, n_hidden, check, side, info)
                texts = self.stage_sentences(k)
                for j in range(3):
                    with self.beat(f"layer{k + 1}-{STAGES[j]}", texts[j]):
                        if j == 0:
                            self.play(FadeOut(prev), FadeIn(info.fresh), run_time=self.t(0.6))
                        self.play_stage(k, j, u, v, X, flat, lines, info, box)
                        self.read_along(info.sat if j == 2 else info.formula)
                k += 1
                continue
            # the invertible layers after the detailed ones: one beat, one panel whose
            # numbers move on from layer to layer (the three moves are already known)
            run = [k]
            while run[-1] + 1 < n_hidden and checks[run[-1] + 1].invertible:
                run.append(run[-1] + 1)
            name = f"layer{k + 1}" if len(run) == 1 else f"layers{k + 1}-{run[-1] + 1}"
            with self.beat(name, self.deeper_sentence(run, X)):
                for i, k in enumerate(run):
                    if i == 0:
                        prev, info = info, self.layer_info(k, n_hidden, checks[k], side, info)
                        self.play(FadeOut(prev), FadeIn(info.fresh), run_time=self.t(0.5))
                    else:
                        new = self.layer_info(k, n_hidden, checks[k], side, VGroup())
                        # the last layer's saturation readout leaves until this one's squash
                        self.play(*[Transform(info[p], new[p]) for p in (0, 1, 3)],
                                  *[m.animate.set_opacity(0.0) for m in info.sat],
                                  run_time=self.t(0.4))
                    for j in range(3):
                        self.play_stage(k, j, u, v, X, flat, lines, info, box)
                self.read_along(info.sat)
            k = run[-1] + 1
        if not all(c.invertible for c in checks):
            panel.remove_updater(draw)
            with self.beat("no-line", "Through a fold nothing can be carried back.", last=True):
                note = label(self, "A layer is not invertible:\nno line is carried back.", 26,
                             pal["negative"]).move_to(side)
                self.play(FadeOut(info), FadeIn(note), run_time=self.t(0.5))
                self.remove(*info.submobjects)
            return
        self.separate_and_carry_back(net, panel, lines, u, v, side, info)

    # -- one layer ---------------------------------------------------------------------

    def stage_sentences(self, k: int) -> tuple[str, str, str]:
        n = k + 1
        f = "tanh" if self.cfg.activation == "tanh" else "the sigmoid"
        return (f"First the weights W{n} rotate the plane, then stretch it: straight lines "
                "stay straight and parallel.",
                f"Then the bias b{n} slides the whole plane.",
                f"Then {f} squashes every coordinate into a bounded range: the grid bends, "
                "but it never tears or folds.")

    def deeper_sentence(self, run: list[int], X: np.ndarray) -> str:
        """The narration of the layers drawn together: which of them saturate, and why
        (from the layers' own outputs)."""
        first, last = run[0] + 1, run[-1] + 1
        who = f"Layer {first} makes" if first == last else f"Layers {first} to {last} make"
        outs = hidden_outputs(self.net, X)[1:]
        sat = [k + 1 for k in run if saturation(outs[k], self.cfg.activation) > SATURATES]
        if not sat:
            return f"{who} the same three moves: rotate and stretch, shift, squash."
        which = (f"layer {sat[0]} saturates" if len(sat) == 1
                 else f"layers {', '.join(map(str, sat[:-1]))} and {sat[-1]} saturate")
        return (f"{who} the same three moves. To untangle the data with two neurons each, "
                f"they must squeeze hard: {which}, pressing most points against the edges "
                "of the square.")

    def layer_info(self, k: int, n_hidden: int, check, side: np.ndarray,
                   old: VGroup) -> VGroup:
        cfg, pal = self.cfg, self.palette
        h_in = "x" if k == 0 else f"h_{k}"
        f = r"\tanh" if cfg.activation == "tanh" else r"\sigma"
        formula = MathTex(rf"h_{k + 1} = {f}(", rf"W_{k + 1}\,{h_in}", rf"+ b_{k + 1}",
                          ")", font_size=40, color=pal["text"])
        squash = "tanh" if cfg.activation == "tanh" else "sigmoid"
        steps_txt = getattr(old, "steps", None)
        if steps_txt is not None:  # the same three moves for every layer: keep them
            old.remove(steps_txt)
            old.fresh.remove(steps_txt)
            self.add(steps_txt)  # drawn on its own now that the old panel goes
        else:
            steps_txt = VGroup(
                label(self, "1. rotate, then stretch (W)", 24, pal["muted"]),
                label(self, "2. shift (b)", 24, pal["muted"]),
                label(self, f"3. squash ({squash})", 24, pal["muted"]),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        det = MathTex(rf"\det W_{k + 1} = {check.det:.2f}", font_size=32,
                      color=pal["text"] if check.invertible else pal["negative"])
        layer_head = label(self, f"layer {k + 1} of {n_hidden}", 28)
        sat = VGroup()  # filled in after the squash
        info = VGroup(layer_head, formula, steps_txt, det, sat).arrange(
            DOWN, aligned_edge=LEFT, buff=0.32)
        info.move_to(side).align_to(side + LEFT * 3.2, LEFT)
        info.set_z_index(5)
        info.formula, info.steps, info.sat = formula, steps_txt, sat
        info.fresh = VGroup(*[m for m in info.submobjects
                              if m is not steps_txt or getattr(old, "steps", None) is None])
        return info

    def play_stage(self, k: int, j: int, u: ValueTracker, v: ValueTracker, X: np.ndarray,
                   flat: np.ndarray, lines: np.ndarray, info: VGroup, box) -> None:
        cfg, pal = self.cfg, self.palette
        net, panel = self.net, self.panel
        u0, u1 = 3 * k + j, 3 * k + j + 1
        # one zoom for the whole stage, set before it plays and held while it plays
        target = stage_view(X, net, u0, u1, cfg.path)
        anims = []
        if abs(target / v.get_value() - 1.0) > 0.03:
            anims.append(v.animate.set_value(target))
        parts = [info.formula[1], info.formula[2], VGroup(info.formula[0], info.formula[3])]
        for m in (info.steps[j], parts[j]):
            m.set_color(pal["highlight"])
        if j == 2 and k == 0:
            anims.append(box.animate.set_stroke(opacity=0.7))
        if anims:
            self.play(*anims, run_time=self.t(0.6))
        held = panel.view
        run = max(cfg.stage_time, self.detail_time) if k < self.detail else cfg.stage_time
        self.play(u.animate.set_value(u1), run_time=self.t(run), rate_func=smooth)
        # (stage, half-width shown at its start, at its end): the zoom is held
        self.zooms.append((f"layer {k + 1} {STAGES[j]}", held, panel.view))
        self.snapshots.append((f"layer {k + 1} {STAGES[j]}", panel.cloud.positions.copy(),
                               panel.grid.lines.copy()))
        info.steps[j].set_color(pal["muted"])
        parts[j].set_color(pal["text"])
        if j == 2:
            frac = saturation(panel.cloud.positions, cfg.activation)
            self.saturations.append(frac)
            bad = frac > SATURATES
            words = (f"saturated: {frac:.0%} pressed to the edge" if bad
                     else f"{frac:.0%} of points pressed to the edge")
            sat = label(self, words, 24, pal["negative"] if bad else pal["muted"])
            sat.move_to(info.steps, aligned_edge=LEFT).next_to(info[3], DOWN, buff=0.32,
                                                               aligned_edge=LEFT)
            # the squash was seen at the held zoom; now zoom in on what is left
            fit = view_for(panel.cloud.positions, minimum=0.05)
            if len(info.sat):  # a later layer in the same panel: the readout moves on
                self.play(Transform(info.sat[0], sat), v.animate.set_value(fit),
                          run_time=self.t(0.6))
            else:
                info.sat.add(sat)
                self.play(FadeIn(sat), v.animate.set_value(fit), run_time=self.t(0.6))


    # -- the line, carried back --------------------------------------------------------

    def separate_and_carry_back(self, net, panel: WarpPanel, lines: np.ndarray,
                                u: ValueTracker, v: ValueTracker, side: np.ndarray,
                                info: VGroup) -> None:
        cfg, pal = self.cfg, self.palette
        flat = lines.reshape(-1, 2)
        X = self.input_points
        # the decision boundary, found exactly (bisection onto output = threshold) over a
        # region larger than the window: mapped through the hidden layers, every point of
        # it lands on the straight line w . h + b = 0; carrying it back is the inverse move
        far, n = 4.0 * cfg.window, 400
        runs = refine_boundary(net, decision_boundary(net, (-far, far), (-far, far), n=n),
                               step=3.0 * far / (n - 1))
        w, b = net.weights[-1][0], float(net.biases[-1][0])
        lim = (-cfg.window, cfg.window)
        inside = [p for r in runs for p in clip_polyline(r, lim, lim)]
        self.boundary_gap = (float(max(np.abs(hidden_outputs(net, r)[-1] @ w + b).max()
                                       for r in inside) / np.hypot(*w))
                             if inside else float("inf"))  # inf: no boundary in the window
        line_col = pal.get(cfg.line_color, cfg.line_color)
        panel.add_curve("line", [warp_at(r, net, u.get_value(), cfg.path) for r in runs],
                        line_col, width=5, opacity=0.0)
        panel.show()
        eq = MathTex(rf"{w[0]:.2f}\,h_1 {w[1]:+.2f}\,h_2 {b:+.2f} = 0", font_size=34,
                     color=line_col)
        exact = self.trace("main").final_accuracy == 1.0
        almost = "" if exact else "almost "
        txt = label(self, f"Now a straight line\n{almost}separates the classes", 28)
        column = side + LEFT * 3.2  # the left edge of the layer info these texts replace
        VGroup(txt, eq).arrange(DOWN, aligned_edge=LEFT, buff=0.35).move_to(side).align_to(
            column, LEFT)
        with self.beat("line", f"After the last layer, a straight line {almost}separates "
                               "the two classes."):
            fit = view_for(warp_at(X, net, u.get_value(), cfg.path), minimum=0.05)
            # fade the panel's own curves by opacity: FadeOut of a part removes it from the
            # scene, and manim then splits the panel into loose parts, so the panel (and its
            # updater: the carry back) would no longer be drawn
            self.play(FadeOut(info), panel.curves["range"].animate.set_stroke(opacity=0.0),
                      v.animate.set_value(fit),
                      run_time=self.t(0.8))
            self.remove(info.steps)
            panel.remove_updater(self._draw)
            panel.curves["line"].set_lines([warp_at(r, net, u.get_value(), cfg.path)
                                            for r in runs])
            lo, hi = ACTIVATION_RANGE[cfg.activation]
            # the whole line w . h + b = 0 across the activation's range
            whole = clip_polyline(separating_line(w, b, box=max(abs(lo), abs(hi)), n=200),
                                  (lo, hi), (lo, hi))
            panel.add_curve("whole", whole, line_col, width=5)
            panel.show()
            self.play(Create(panel.curves["whole"]), FadeIn(txt), Write(eq),
                      run_time=self.t(1.5))
            self.read_along(eq)

        # beads on the boundary (inside the window), drawn over the data: where the layers
        # saturate, the part of the line the data reach is a fraction of a pixel long at
        # the squeezed edges, and without them the line would vanish for the first half
        # of the carry
        src = beads_on(inside, spacing=0.2 * cfg.window)
        beads = PointCloud(src, np.zeros(len(src), dtype=int), [line_col],
                           panel.center_point, panel.unit, radius=0.07, clip=panel.size / 2)
        beads.set_fill(opacity=0.0)
        panel.add(beads)
        self.bead_sources = src  # what tests read back
        u_top = u.get_value()

        def draw_back(_m=None) -> None:
            s = u.get_value()
            pts = warp_at(X, net, s, cfg.path)
            panel.show(warp_at(flat, net, s, cfg.path).reshape(lines.shape), pts,
                       view=view_for(pts, minimum=0.05 if s > 1e-9 else cfg.window),
                       line=[warp_at(r, net, s, cfg.path) for r in runs])
            beads.unit = panel.unit
            beads.set_positions(warp_at(src, net, s, cfg.path))
            done = 1.0 - s / u_top  # in at the start, out once the curve itself shows
            beads.set_fill(opacity=float(np.clip(min(done / 0.05, (1.0 - done) / 0.3), 0, 1)))
            self.zoom.set_view(panel.view)

        txt2 = label(self, "Undo every warp:\nthe line's points come along", 28).move_to(
            side).align_to(column, LEFT)
        with self.beat("back", "Now undo the warps, last layer first, and carry the points "
                               "on the line back to the input plane."):
            self.play(FadeOut(txt), FadeOut(eq), FadeIn(txt2),
                      panel.curves["whole"].animate.set_stroke(opacity=0.0),
                      panel.curves["line"].animate.set_stroke(opacity=1.0), run_time=self.t(0.6))
            panel.add_updater(draw_back)
            self.play(u.animate.set_value(0.0), run_time=self.t(cfg.carry_time),
                      rate_func=smooth)
            panel.remove_updater(draw_back)
            draw_back()
        # what the network answers over the plane, under the grid
        xs, ys, values = output_grid(net, lim, lim, 120)
        regions = RegionFill([pal["class_a"], pal["class_b"]], panel.border.get_center(),
                             panel.size, opacity=0.22)
        regions.set_classes((values > output_threshold(net)).astype(int)).set_z_index(-1)
        txt3 = label(self, "The straight line, carried back,\nis the network's curved\n"
                     "decision boundary", 28).move_to(side).align_to(column, LEFT)
        acc = label(self, f"{self.trace('main').final_accuracy:.0%} of points on the right side",
                    24, pal["muted"]).next_to(txt3, DOWN, buff=0.4, aligned_edge=LEFT)
        with self.beat("boundary", "That curve is the network's decision boundary: a straight "
                                   "line in a warped space.", last=True):
            self.play(FadeOut(txt2), FadeIn(regions), FadeIn(txt3), FadeIn(acc),
                      run_time=self.t(1.2))
            self.read_along(txt3)
        self.snapshots.append(("input", panel.cloud.positions.copy(), panel.grid.lines.copy()))

    @property
    def input_points(self) -> np.ndarray:
        return self.trace_data("main")[0].X


def beads_on(runs: list[np.ndarray], spacing: float) -> np.ndarray:
    """Vertices of each polyline of `runs` about `spacing` apart (arc length), ends
    included: its own points, not points in between (a chord of the boundary is not on it)."""
    out = [np.zeros((0, 2))]
    for r in runs:
        r = np.asarray(r, dtype=float).reshape(-1, 2)
        if len(r) < 2:
            out.append(r)
            continue
        arc = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(r, axis=0).T))])
        at = np.linspace(0.0, arc[-1], max(2, int(np.ceil(arc[-1] / spacing)) + 1))
        out.append(r[np.unique(np.searchsorted(arc, at).clip(0, len(r) - 1))])
    return np.concatenate(out)


@register("warp-layers", "A width-2 tanh net warps the plane layer by layer; the line it "
          "draws at the end is carried back to the curved decision boundary")
class WarpLayers(WarpLayersBase):
    Config = WarpLayersConfig


@dataclass
class SpiralsConfig(WarpLayersConfig):
    seed: int = knob(3, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    dataset: str = knob("spirals", "data set", choices=datasets.PLANAR)
    turns: float = knob(1.5, "spiral turns (spirals only)", min=0.25, max=3.0)
    hidden: tuple[int, ...] = knob((2, 2, 2, 2, 2, 2), "hidden widths (all 2)", min=1, max=64,
                                   max_len=8)
    lr: float = knob(0.03, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(6000, "training steps", min=1, max=20000)
    window: float = knob(1.1, "half-width of the input window (the grid covers the data, "
                         "not the empty plane around it, which tanh crushes into corners)",
                         min=0.5, max=5.0)
    grid_lines: int = knob(13, "grid lines per direction (few: a saturated layer draws "
                           "each one as a thin lens into a corner)", min=3, max=60)
    stage_time: float = knob(0.7, "seconds per warp stage (W, +b, tanh)", min=0.1, max=10.0)
    carry_time: float = knob(4.0, "seconds to carry the line back", min=0.1, max=20.0)


@register("spirals-untangled", "Two spirals untangled by a deeper width-2 tanh network, "
          "layer after layer")
class SpiralsUntangled(WarpLayersBase):
    Config = SpiralsConfig
    heading = "{n} hidden layers of width 2 untangle the spirals"
    detail = 1
    detail_time = 1.6  # layer 1 teaches the three moves: as slow as warp-layers shows them
    opening = ("Two spirals wound {turns:g} turns: no line separates them, and one layer of "
               "two neurons cannot either. {n} layers of two can.")


__all__ = ["WarpLayers", "SpiralsUntangled", "ZoomReadout", "beads_on", "range_square"]
