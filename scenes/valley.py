"""How networks learn, 2: the error valley. First the seed's worked example (002): a toy
error E = w^2 at w = -1, where +1 in weight gives -2 in error, the slope dE/dw = 2w = -2.
Then the real valley of the camera network (scenes/camera_net.py): its error E (averaged
over its eight images) as one of its weights changes while every other weight and bias
stays trained, walked down with real gradient steps; then two weights as a 3-D surface.
"valley-dimensions" goes from one weight to two to all of them.

Every error and slope of the camera network comes from the core (MLP.loss and
MLP.loss_and_grads); tests/test_scenes_learning.py checks them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.network import MLP
from nnviz.draw.mobjects import DecimalNumber, MathTex, Text
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.legend import Legend
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.scene import NNVizScene, NNVizThreeDScene, register
from nnviz.spec.config import knob

from .camera_net import CameraNetConfig

FS = 30  # font size of labels

Pick = tuple[int, int, int]  # a weight: (layer, target neuron, source neuron)


# -- the toy valley of the seed --------------------------------------------------------------
def toy_error(w: float) -> float:
    """The seed's example error function: E = w^2."""
    return w * w


def toy_slope(w: float) -> float:
    """dE/dw of E = w^2: 2w."""
    return 2.0 * w


# -- the camera network's valley -----------------------------------------------------------
class Valley:
    """The camera network's error E (squared error summed over the answers, averaged over
    the images) as a function of the weights `picks`, every other weight and bias held
    where `net` has them. Errors from MLP.loss, slopes from MLP.loss_and_grads."""

    def __init__(self, net: MLP, X: np.ndarray, Y: np.ndarray, picks: list[Pick]) -> None:
        self.net = net.copy()
        self.X, self.Y = X, Y
        self.picks = list(picks)
        self.home = np.array([net.weights[li][j, i] for li, j, i in self.picks])

    def _set(self, values) -> None:
        for (li, j, i), v in zip(self.picks, np.atleast_1d(values), strict=True):
            self.net.weights[li][j, i] = v

    def error(self, values) -> float:
        self._set(values)
        return self.net.loss(self.X, self.Y)

    def slope(self, values) -> np.ndarray:
        """dE/dw for each picked weight, by backpropagation."""
        self._set(values)
        _, g = self.net.loss_and_grads(self.X, self.Y)
        return np.array([g.weights[li][j, i] for li, j, i in self.picks])

    def descend(self, start, lr: float, n: int) -> np.ndarray:
        """n gradient steps w <- w - lr dE/dw from `start`: (n + 1, len(picks))."""
        pts = [np.atleast_1d(np.asarray(start, float))]
        for _ in range(n):
            pts.append(pts[-1] - lr * self.slope(pts[-1]))
        return np.array(pts)


def deepest_weights(net: MLP, X: np.ndarray, Y: np.ndarray, reach: float,
                    k: int = 2) -> list[tuple[Pick, float]]:
    """The k weights whose one-weight valleys (others held) are deepest within `reach` of
    their value: depth = the lower of the two walls' heights above the value's error.
    Returned with the side (+1 / -1) of the higher wall."""
    found = []
    for li, W in enumerate(net.weights):
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                v = Valley(net, X, Y, [(li, j, i)])
                ws = v.home[0] + np.linspace(-reach, reach, 41)
                es = np.array([v.error(w) for w in ws])
                left, right = es[:20].max() - es[20], es[21:].max() - es[20]
                found.append((min(left, right), (li, j, i), 1.0 if right >= left else -1.0))
    found.sort(key=lambda f: -f[0])
    return [(pick, side) for _, pick, side in found[:k]]


def weight_name(pick: Pick, sizes) -> str:
    """'pixel 3 -> hidden 6' for a first-layer weight, 'hidden 2 -> vertical' after."""
    from nnviz.core.datasets.four_pixel import CLASSES

    li, j, i = pick
    src = f"pixel {i + 1}" if li == 0 else f"hidden {i + 1}"
    last = li == len(sizes) - 2
    dst = CLASSES[j] if last and sizes[-1] == len(CLASSES) else f"hidden {j + 1}"
    return f"{src} \u2192 {dst}"


@dataclass
class GradientValleyConfig(CameraNetConfig):
    start_weight: float = knob(-1.0, "where the weight sits on the toy valley E = w^2",
                               min=-2.0, max=2.0)
    reach: float = knob(3.0, "how far either side of its trained value the weight is drawn",
                        min=0.5, max=6.0)
    push: float = knob(2.0, "how far from its trained value the descent starts (up the "
                            "higher wall)", min=0.1, max=6.0)
    descent_lr: float = knob(2.0, "learning rate of the gradient steps down the valley",
                             min=0.01, max=20.0)
    hops: int = knob(8, "gradient steps shown on the one-weight valley", min=1, max=30)
    roll_steps: int = knob(40, "gradient steps of the ball on the two-weight surface",
                           min=1, max=400)
    show_surface: bool = knob(True, "end with the valley of two weights as a 3D surface")
    hop_time: float = knob(0.6, "seconds per step on the one-weight valley", min=0.05,
                           max=5.0)
    roll_time: float = knob(6.0, "seconds for the ball to roll down the surface", min=0.5,
                            max=30.0)

    def check(self) -> None:
        super().check()
        if self.push > self.reach:
            from nnviz.core.errors import NNVizError

            raise NNVizError(f"push ({self.push}) must be at most reach ({self.reach}): the "
                             "descent starts inside the drawn valley.")


def camera_valley(cfg: GradientValleyConfig, trace, data, k: int):
    """The valley of the camera network's k deepest weights around the trained network,
    and where the descent starts: (Valley, start)."""
    net = trace.net_at(1.0)
    Y = data.targets(net)
    chosen = deepest_weights(net, data.X, Y, cfg.reach, k)
    valley = Valley(net, data.X, Y, [p for p, _ in chosen])
    start = valley.home + cfg.push * np.array([s for _, s in chosen])
    return valley, start


@register("gradient-valley", "the slope of E = w^2 at w = -1 (rise over run); the camera "
                             "network's error as one weight, then two, walked downhill")
class GradientValley(NNVizThreeDScene):
    Config = GradientValleyConfig

    def construct(self) -> None:
        self.toy_valley()
        self.one_weight_valley()
        if self.cfg.show_surface:
            self.surface_valley()

    # -- part 1: the seed's E = w^2 ---------------------------------------------------------
    def toy_valley(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        axes = Axes(x_range=[-2.2, 2.2, 1], y_range=[-1.5, 4.5, 1], x_length=6.4,
                    y_length=6.2, axis_config={"color": muted, "include_tip": False,
                                               "font_size": 24},
                    ).add_coordinates().to_edge(LEFT, buff=0.7).shift(DOWN * 0.15)
        labels = VGroup(MathTex("w", font_size=FS, color=text).next_to(axes.x_axis, RIGHT, 0.15),
                        MathTex("E", font_size=FS, color=text).next_to(axes.y_axis, UP, 0.1))
        ws = np.linspace(-2.1, 2.1, 211)
        curve = axes.plot_line_graph(ws, [toy_error(w) for w in ws], add_vertex_dots=False,
                                     line_color=pal["grid"], stroke_width=5)
        col_x = 3.7
        formula = MathTex(r"E = w^2", font_size=FS + 10, color=text)
        note = Text("a toy error with one weight", font_size=24, color=muted)
        top = VGroup(formula, note).arrange(DOWN, buff=0.2).to_edge(UP, buff=0.6).set_x(col_x)
        with self.beat("axes", "Put a weight on the horizontal axis and the error it gives "
                               "on the vertical one."):
            self.play(Create(axes), FadeIn(labels), run_time=self.t(1.0))
            self.play(Create(curve), run_time=self.t(2.5))
        with self.beat("toy", "Start with a toy error that depends on a single weight: "
                              "E equals w squared."):
            self.play(Write(formula), FadeIn(note), run_time=self.t(1.2))
            self.play(Indicate(curve, color=hi), run_time=self.t(1.0))

        w0 = cfg.start_weight
        s0 = toy_slope(w0)
        dot = Dot(axes.c2p(w0, toy_error(w0)), radius=0.1, color=hi).set_z_index(3)
        here = MathTex(r"w = " + fmt(w0) + r",\quad E = " + fmt(toy_error(w0)),
                       font_size=FS + 2, color=text).next_to(top, DOWN, buff=0.55)
        with self.beat("point", f"The weight sits at {w0:g}, where the error is "
                                f"{toy_error(w0):g}."):
            self.play(FadeIn(dot, scale=0.5), Write(here), run_time=self.t(0.8))

        # rise over run along the tangent: +1 in weight, s0 in error
        p0 = axes.c2p(w0, toy_error(w0))
        p1 = axes.c2p(w0 + 1.0, toy_error(w0))
        p2 = axes.c2p(w0 + 1.0, toy_error(w0) + s0)
        tangent = Line(axes.c2p(w0 - 0.6, toy_error(w0) - 0.6 * s0),
                       axes.c2p(w0 + 1.25, toy_error(w0) + 1.25 * s0), color=hi,
                       stroke_width=4)
        run = Line(p0, p1, color=text, stroke_width=4)
        rise = Arrow(p1, p2, buff=0, color=hi, stroke_width=5, tip_length=0.2)
        run_label = MathTex(r"+1", font_size=FS, color=text).next_to(run, UP, buff=0.12)
        rise_label = MathTex(fmt(s0, 0) if float(s0).is_integer() else fmt(s0),
                             font_size=FS, color=hi).next_to(rise, LEFT, buff=0.1)
        rise_label.shift(DOWN * 0.25)
        words = MathTex(r"+1 \text{ in weight} \;\to\; " + fmt(s0, 0 if float(s0).is_integer()
                                                               else 2) + r"\text{ in error}",
                        font_size=FS, color=text).next_to(here, DOWN, buff=0.5)
        with self.beat("rise-run", f"Along the slope there, one step of +1 in the weight "
                                   f"changes the error by {s0:g}: the slope is {s0:g}."):
            self.play(Create(tangent), run_time=self.t(0.8))
            self.play(Create(run), FadeIn(run_label), run_time=self.t(0.7))
            self.play(GrowArrow(rise), FadeIn(rise_label), Write(words), run_time=self.t(1.0))
            self.play(Indicate(words, color=hi, scale_factor=1.05), run_time=self.t(0.8))

        deriv = MathTex(r"\frac{dE}{dw} = 2w = " + fmt(s0), font_size=FS + 6, color=hi)
        deriv.next_to(words, DOWN, buff=0.5)
        with self.beat("slope", "Calculus gives that slope directly: the slope of w squared "
                                f"is 2w, which here is {s0:g}."):
            self.play(Write(deriv), run_time=self.t(1.0))
            self.play(Indicate(rise_label, color=hi), run_time=self.t(0.6))

        rule = MathTex(r"w \;\leftarrow\; w - \eta\,\frac{dE}{dw}", font_size=FS + 4,
                       color=text).next_to(deriv, DOWN, buff=0.5)
        step = 0.25 * -np.sign(s0)
        arrow = Arrow(axes.c2p(w0, -0.9), axes.c2p(w0 + step * 2, -0.9), buff=0,
                      color=pal["positive"], stroke_width=6, tip_length=0.2)
        with self.beat("against", "The slope is negative, so downhill is the other way: "
                                  "each step moves the weight against the slope."):
            self.play(Write(rule), run_time=self.t(1.0))
            self.play(GrowArrow(arrow), Indicate(dot, color=hi), run_time=self.t(0.8))
        self.part1 = VGroup(axes, labels, curve, top, dot, here, tangent, run, rise,
                            run_label, rise_label, words, deriv, rule, arrow)

    # -- part 2: one weight of the camera network -------------------------------------------
    def one_weight_valley(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        trace = self.trace("camera")
        data, _ = self.trace_data("camera")
        valley, start = camera_valley(cfg, trace, data, 1)
        self.valley_data = (trace, data)
        net = valley.net
        home = float(valley.home[0])
        lo, hi_w = home - cfg.reach, home + cfg.reach
        ws = np.linspace(lo, hi_w, 121)
        es = np.array([valley.error(w) for w in ws])
        top = float(np.ceil(es.max() * 10 + 0.5) / 10)
        tick_y = 0.1 if top <= 0.8 else 0.2
        axes = Axes(x_range=[lo, hi_w, 1], y_range=[0, top, tick_y], x_length=7.0,
                    y_length=5.4, axis_config={"color": muted, "include_tip": False,
                                               "font_size": 22},
                    x_axis_config={"numbers_to_include": np.arange(np.ceil(lo), hi_w + 1e-9),
                                   "decimal_number_config": {"num_decimal_places": 0}},
                    y_axis_config={"numbers_to_include": np.arange(0, top + 1e-9, tick_y),
                                   "decimal_number_config": {"num_decimal_places": 1}},
                    ).to_edge(LEFT, buff=0.8).shift(DOWN * 0.35)
        # the x axis crosses at E = 0, the y axis at the left end
        labels = VGroup(MathTex("w", font_size=FS, color=text).next_to(axes.x_axis, RIGHT, 0.15),
                        MathTex("E", font_size=FS, color=text).next_to(axes.y_axis, UP, 0.1))
        curve = axes.plot_line_graph(ws, es, add_vertex_dots=False, line_color=pal["grid"],
                                     stroke_width=5)
        title = Text("one weight of the camera network", font_size=30,
                     color=text).to_edge(UP, buff=0.3)
        diagram = NetworkDiagram(net.sizes, trace.net_at(1.0).weights, None, None, width=2.6,
                                 height=2.4, neuron_radius=0.12, palette=pal)
        diagram.to_corner(UR, buff=0.5).shift(DOWN * 0.55)
        li, j, i = valley.picks[0]
        edge = diagram.edge(li, j, i).copy().set_stroke(hi, width=6, opacity=1.0)
        name = Text("w: " + weight_name(valley.picks[0], net.sizes), font_size=22, color=hi)
        n_other = net.n_params - 1
        others = Text(f"the other {n_other} weights and biases:\nheld at their trained "
                      "values", font_size=22, color=muted, line_spacing=0.8)
        side = VGroup(name, others).arrange(DOWN, buff=0.2, aligned_edge=LEFT)
        side.next_to(diagram, DOWN, buff=0.3).to_edge(RIGHT, buff=0.35)
        with self.beat("real", "Now the real thing: the camera network's error as one of "
                               "its weights changes, with every other number held where "
                               "training left it."):
            self.play(FadeOut(self.part1), run_time=self.t(0.6))
            self.play(FadeIn(title), FadeIn(diagram), run_time=self.t(1.0))
            self.play(Create(edge), FadeIn(name), run_time=self.t(1.3))
            self.play(Indicate(edge, color=hi), run_time=self.t(1.8))
        with self.beat("others", f"The other {n_other} numbers stay exactly as training left "
                                 "them."):
            self.play(FadeIn(others), run_time=self.t(1.0))
            self.play(Circumscribe(diagram, color=muted), run_time=self.t(2.0))
        with self.beat("curve", "Sweeping that weight traces the valley: flat near its "
                                "trained value, climbing steeply away from it."):
            self.play(Create(axes), FadeIn(labels), run_time=self.t(1.0))
            self.play(Create(curve), run_time=self.t(2.0))
            mark = DashedLine(axes.c2p(home, 0), axes.c2p(home, valley.error(home)),
                              color=muted, stroke_width=2)
            trained = Text("trained", font_size=20, color=muted).next_to(
                axes.c2p(home, 0), UP, buff=0.1).shift(RIGHT * 0.45)
            self.play(Create(mark), FadeIn(trained), run_time=self.t(0.8))

        # the ball and a readout that moves with it: one tracker, every number from it
        w = ValueTracker(float(start[0]))
        dot = always_redraw(lambda: Dot(axes.c2p(w.get_value(), valley.error(w.get_value())),
                                        radius=0.1, color=hi).set_z_index(3))

        def tangent_line() -> Line:
            x = w.get_value()
            e, s = valley.error(x), float(valley.slope(x)[0])
            # a tangent of one length on screen, whatever its slope
            half = 0.7 / np.hypot(axes.x_length / (2 * cfg.reach), s * axes.y_length / top)
            return Line(axes.c2p(x - half, e - s * half), axes.c2p(x + half, e + s * half),
                        color=hi, stroke_width=3)

        tangent = always_redraw(tangent_line)
        readout = self._readout(w, valley, side)
        with self.beat("start", "Push the weight up the valley wall: the error grows, and "
                                "the slope says which way is down."):
            self.play(FadeIn(dot, scale=0.5), Create(tangent), FadeIn(readout),
                      run_time=self.t(0.8))
            self.play(Indicate(readout[2], color=hi), run_time=self.t(1.0))

        path = valley.descend(start, cfg.descent_lr, cfg.hops)[:, 0]
        trail = VGroup()
        with self.beat("steps", "Each step moves the weight against the slope, by the "
                                "learning rate times the slope; the readout follows."):
            for a, b in zip(path[:-1], path[1:], strict=True):
                ghost = Dot(axes.c2p(a, valley.error(a)), radius=0.05, color=hi,
                            fill_opacity=0.5)
                trail.add(ghost)
                self.add(ghost)
                self.play(w.animate.set_value(float(b)), run_time=self.t(cfg.hop_time))
        with self.beat("floor", "On the valley floor the slope is nearly zero, so the steps "
                                "shrink and the weight settles."):
            self.play(Indicate(readout[2], color=hi), run_time=self.t(1.0))
        dot.clear_updaters()
        tangent.clear_updaters()
        for m in readout:
            m.clear_updaters()
        self.part2 = VGroup(axes, labels, curve, title, diagram, edge, side, dot, tangent,
                            readout, trail, mark, trained)

    def _readout(self, w: ValueTracker, valley: Valley, below: Mobject) -> VGroup:
        """w, E and dE/dw as rows 'label number', numbers left-aligned on one column and
        each on its label's baseline; the numbers follow the tracker."""
        text = self.palette["text"]
        rows = VGroup()
        specs = [("w =", lambda: w.get_value(), 2),
                 ("E =", lambda: valley.error(w.get_value()), 3),
                 (r"\frac{dE}{dw} =", lambda: float(valley.slope(w.get_value())[0]), 3)]
        for tex, f, digits in specs:
            lab = MathTex(tex, font_size=FS, color=text)
            num = DecimalNumber(f(), num_decimal_places=digits, font_size=FS, color=text)
            rows.add(VGroup(lab, num))
        rows.arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        rows.next_to(below, DOWN, buff=0.45).align_to(below, LEFT)
        num_x = max(r[0].get_right()[0] for r in rows) + 0.2
        for row, (_, f, _) in zip(rows, specs, strict=True):
            lab, num = row
            num.next_to([num_x, 0, 0], RIGHT, buff=0).set_y(lab.get_y())
            if lab.height < 0.5:
                sit_on(num, lab)
            num.add_updater(lambda m, f=f: m.set_value(f()))
        rows[2][1].set_color(self.palette["highlight"])
        return rows

    # -- part 3: two weights, a surface ----------------------------------------------------
    def surface_valley(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace, data = self.valley_data
        valley, start = camera_valley(cfg, trace, data, 2)
        (h1, h2) = valley.home
        lo1, hi1, lo2, hi2 = h1 - cfg.reach, h1 + cfg.reach, h2 - cfg.reach, h2 + cfg.reach
        grid1, grid2 = np.linspace(lo1, hi1, 25), np.linspace(lo2, hi2, 25)
        top = max(valley.error([a, b]) for a in grid1 for b in grid2)
        top = float(np.ceil(top * 10) / 10)
        axes = ThreeDAxes(x_range=[lo1, hi1, 1], y_range=[lo2, hi2, 1], z_range=[0, top, 0.2],
                          x_length=6.0, y_length=6.0, z_length=3.2,
                          axis_config={"color": pal["muted"], "include_tip": False,
                                       "tick_size": 0.05})
        colours = [(pal["neuron_off"], 0.0), (pal["grid"], 0.35 * top),
                   (pal["highlight"], top)]
        surface = Surface(lambda u, v: axes.c2p(u, v, valley.error([u, v])),
                          u_range=[lo1, hi1], v_range=[lo2, hi2], resolution=(24, 24),
                          fill_opacity=0.9, stroke_width=0.3, stroke_color=pal["background"])
        surface.set_fill_by_value(axes=axes, colorscale=colours, axis=2)
        path = valley.descend(start, cfg.descent_lr, cfg.roll_steps)
        heights = np.array([valley.error(p) for p in path])
        pts = [axes.c2p(a, b, e) for (a, b), e in zip(path, heights, strict=True)]
        track = VMobject(stroke_color=pal["text"], stroke_width=5)
        track.set_points_as_corners(pts[:1] * 2)
        ball = Sphere(radius=0.11, resolution=(8, 8)).set_color(pal["text"]).move_to(pts[0])

        # axis names and tick numbers face the camera wherever it turns
        big = FS + 6
        n1, n2 = (weight_name(p, valley.net.sizes) for p in valley.picks)
        w1l = MathTex("w_1", font_size=big, color=pal["text"])
        w1l.move_to(axes.c2p((lo1 + hi1) / 2, lo2 - 1.1, 0))
        w2l = MathTex("w_2", font_size=big, color=pal["text"])
        w2l.move_to(axes.c2p(lo1 - 1.1, (lo2 + hi2) / 2, 0))
        el = MathTex("E", font_size=big, color=pal["text"]).move_to(axes.c2p(lo1, lo2, top)
                                                                     + OUT * 0.35)
        ticks = VGroup()
        self.tick_values = []
        for v in np.arange(np.ceil(lo1), hi1 + 1e-9, 2):
            t = MathTex(fmt(v, 0), font_size=28, color=pal["muted"])
            ticks.add(t.move_to(axes.c2p(v, lo2 - 0.5, 0)))
            self.tick_values.append(v)
        for v in np.arange(np.ceil(lo2), hi2 + 1e-9, 2):
            t = MathTex(fmt(v, 0), font_size=28, color=pal["muted"])
            ticks.add(t.move_to(axes.c2p(lo1 - 0.5, v, 0)))
            self.tick_values.append(v)
        for v in np.arange(0.2, top + 1e-9, 0.2):
            t = MathTex(fmt(v, 1), font_size=28, color=pal["muted"])
            ticks.add(t.move_to(axes.c2p(lo1 - 0.45, lo2 - 0.45, v)))
            self.tick_values.append(v)
        muted = pal["muted"]
        corner = axes.c2p(lo1, lo2, 0)
        edges = VGroup(Line(corner, axes.c2p(hi1, lo2, 0)), Line(corner, axes.c2p(lo1, hi2, 0)),
                       Line(corner, axes.c2p(lo1, lo2, top)))
        for v in np.arange(np.ceil(lo1), hi1 + 1e-9, 2):
            edges.add(Line(axes.c2p(v, lo2, 0), axes.c2p(v, lo2 - 0.15, 0)))
        for v in np.arange(np.ceil(lo2), hi2 + 1e-9, 2):
            edges.add(Line(axes.c2p(lo1, v, 0), axes.c2p(lo1 - 0.15, v, 0)))
        for v in np.arange(0.2, top + 1e-9, 0.2):
            edges.add(Line(axes.c2p(lo1, lo2, v), axes.c2p(lo1 - 0.15, lo2, v)))
        edges.set_stroke(muted, width=2)
        world = VGroup(edges, surface, track, ball)
        for m in (world, w1l, w2l, el, ticks):
            m.shift(IN * 1.2)

        header = VGroup(
            Text("two weights: the error is a surface", font_size=28, color=pal["text"]),
            Text(f"w\u2081: {n1}    w\u2082: {n2}\neverything else as trained",
                 font_size=22, color=pal["muted"], line_spacing=0.8),
        ).arrange(DOWN, buff=0.15).to_edge(UP, buff=0.25)
        legend = Legend([(pal["neuron_off"], "low error"), (pal["highlight"], "high error")],
                        kind="square", font_size=22, direction=DOWN)
        legend.to_corner(DL, buff=0.45)
        self.add_fixed_in_frame_mobjects(header, legend)
        self.remove(header, legend)

        with self.beat("surface", "With two weights the error is a surface over a plane: "
                                  "a valley you can walk around in."):
            self.play(FadeOut(self.part2), run_time=self.t(0.6))
            self.set_camera_orientation(phi=62 * DEGREES, theta=-75 * DEGREES, zoom=0.72)
            self.begin_ambient_camera_rotation(rate=0.04)
            self.add_fixed_orientation_mobjects(w1l, w2l, el, *ticks)
            self.remove(w1l, w2l, el, *ticks)
            self.play(FadeIn(header), Create(edges), run_time=self.t(1.0))
            self.play(Create(surface), run_time=self.t(4.0))
            self.play(Indicate(header[1], color=pal["highlight"], scale_factor=1.05),
                      run_time=self.t(1.6))
        with self.beat("heights", "Its height is the error, shown by colour too: dark is low, "
                                  "yellow is high."):
            self.play(FadeIn(w1l, w2l, el, ticks), run_time=self.t(1.0))
            self.play(FadeIn(legend), run_time=self.t(1.0))
            self.play(Indicate(legend, color=pal["highlight"], scale_factor=1.05),
                      run_time=self.t(1.5))
            self.play(Indicate(el, color=pal["highlight"]), run_time=self.t(1.0))

        t = ValueTracker(0.0)
        n = len(pts)
        nums = [DecimalNumber(v, num_decimal_places=d, font_size=FS, color=pal["text"])
                for v, d in ((path[0, 0], 2), (path[0, 1], 2), (heights[0], 3))]
        readout = VGroup(*[VGroup(MathTex(lab, font_size=FS, color=pal["text"]), num)
                           for lab, num in zip(("w_1 =", "w_2 =", "E ="), nums, strict=True)])
        for row in readout:
            row.arrange(RIGHT, buff=0.15)
            sit_on(row[1], row[0])
        readout.arrange(DOWN, buff=0.3, aligned_edge=LEFT).to_corner(DR, buff=0.5)
        for row in readout:  # numbers on one column, left-aligned, fixed from here on
            row[1].align_to(readout[0][1], LEFT)
        self.add_fixed_in_frame_mobjects(readout)
        self.remove(readout)

        def follow(_m: Mobject) -> None:
            x = t.get_value() * (n - 1)
            k = min(int(x), n - 2)
            s = x - k
            p = (1 - s) * pts[k] + s * pts[k + 1]
            ball.move_to(p + OUT * 0.08)
            track.set_points_as_corners(pts[: k + 1] + [p])
            q = (1 - s) * path[k] + s * path[k + 1]
            nums[0].set_value(q[0])
            nums[1].set_value(q[1])
            nums[2].set_value(valley.error(q))
            # fixed-in-frame status belongs to each mobject: register the new digits
            self.renderer.camera.add_fixed_in_frame_mobjects(readout)

        with self.beat("roll", "Gradient descent walks both weights downhill at once, "
                               "each against its own slope."):
            self.add(track)
            follow(track)
            self.play(FadeIn(ball), FadeIn(readout), run_time=self.t(0.6))
            track.add_updater(follow)
            self.play(t.animate.set_value(1.0), run_time=self.t(cfg.roll_time),
                      rate_func=linear)
            track.clear_updaters()
        with self.beat("more", "Each extra weight adds one more direction to this valley.",
                       last=True):
            self.play(Indicate(readout[2], color=pal["highlight"]), run_time=self.t(1.0))
        self.stop_ambient_camera_rotation()
        self.surface_path = (valley, path)


# -- the valley has one dimension per weight --------------------------------------------------
@dataclass
class ValleyDimensionsConfig(GradientValleyConfig):
    step_lr: float = knob(2.0, "learning rate of the one step shown against all the slopes",
                          min=0.001, max=20.0)
    reveal_time: float = knob(1.0, "seconds per reveal", min=0.1, max=10.0)


def full_slope(net: MLP, X: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """E and the slope of E along every weight and bias (get_params order), by
    backpropagation: the list of numbers that says which way is downhill."""
    E, g = net.loss_and_grads(X, Y)
    return E, net.flat_grads(g)


def step_against(net: MLP, X: np.ndarray, Y: np.ndarray, lr: float) -> float:
    """E after one step of every weight and bias against its own slope."""
    _, g = full_slope(net, X, Y)
    after = net.copy()
    after.set_params(net.get_params() - lr * g)
    return after.loss(X, Y)


def param_groups(net: MLP) -> list[tuple[str, int]]:
    """('layer 1 weights', 24), ('layer 1 biases', 6), ...: the slope list's sections."""
    out = []
    for li, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        out += [(f"layer {li + 1} weights", W.size), ("biases", b.size)]
    return out


def height_colour(pal: dict[str, str], e: float, top: float) -> ManimColor:
    """The height colours of the valley surface: dark (low error) to highlight (high)."""
    s = float(np.clip(e / top, 0.0, 1.0))
    if s < 0.35:
        return interpolate_color(ManimColor(pal["neuron_off"]), ManimColor(pal["grid"]),
                                 s / 0.35)
    return interpolate_color(ManimColor(pal["grid"]), ManimColor(pal["highlight"]),
                             (s - 0.35) / 0.65)


@register("valley-dimensions", "the valley has one dimension per weight: a curve, a "
                               "surface, then too many to draw; the slope is a list of "
                               "numbers, one per weight")
class ValleyDimensions(NNVizScene):
    Config = ValleyDimensionsConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        st = self.t(cfg.reveal_time)
        trace = self.trace("camera")
        data, _ = self.trace_data("camera")
        one, start1 = camera_valley(cfg, trace, data, 1)
        two, start2 = camera_valley(cfg, trace, data, 2)
        n_params = one.net.n_params
        xs = [-4.6, 0.0, 4.6]
        panel_y = 1.55

        def heading(words: str, x: float) -> Text:
            return Text(words, font_size=28, color=text).move_to([x, 3.45, 0])

        # 1 weight: a curve
        h = float(one.home[0])
        ws = np.linspace(h - cfg.reach, h + cfg.reach, 81)
        es = np.array([one.error(w) for w in ws])
        top1 = float(es.max())
        ax1 = Axes(x_range=[h - cfg.reach, h + cfg.reach, 1], y_range=[0, top1 * 1.1, 1],
                   x_length=3.6, y_length=2.6, tips=False,
                   axis_config={"color": muted, "include_ticks": False})
        ax1.move_to([xs[0], panel_y, 0])
        # both axes along the panel's bottom and left edges
        curve = ax1.plot_line_graph(ws, es, add_vertex_dots=False, line_color=pal["grid"],
                                    stroke_width=4)
        w1 = float(start1[0])
        s1 = float(one.slope(w1)[0])
        dot1 = Dot(ax1.c2p(w1, one.error(w1)), radius=0.08, color=hi)
        lab1 = VGroup(MathTex("w", font_size=26, color=text).next_to(ax1.x_axis, DOWN, 0.1),
                      MathTex("E", font_size=26, color=text).next_to(ax1.y_axis, LEFT, 0.1))
        what1 = Text("a curve", font_size=24, color=muted).next_to(ax1, DOWN, buff=0.45)
        slope1 = MathTex(r"\frac{dE}{dw} = " + fmt(s1, 3), font_size=28, color=hi)
        slope1.next_to(what1, DOWN, buff=0.35)
        with self.beat("one", "With one weight free, the camera network's valley is a curve, "
                              "and its slope is one number."):
            self.play(FadeIn(heading("1 weight", xs[0])), Create(ax1), FadeIn(lab1),
                      run_time=st)
            self.play(Create(curve), FadeIn(dot1), FadeIn(what1), run_time=st)
            self.play(Write(slope1), run_time=st * 0.8)

        # 2 weights: a surface, seen from above (height colours)
        h1, h2 = two.home
        n = 22
        g1 = np.linspace(h1 - cfg.reach, h1 + cfg.reach, n)
        g2 = np.linspace(h2 - cfg.reach, h2 + cfg.reach, n)
        E2 = np.array([[two.error([a, b]) for a in g1] for b in g2])
        side = 2.7
        cell = side / n
        squares = VGroup()
        for r in range(n):
            for c in range(n):
                sq = Square(cell, stroke_width=0, fill_opacity=1.0,
                            fill_color=height_colour(pal, E2[r, c], E2.max()))
                squares.add(sq.move_to([xs[1] - side / 2 + (c + 0.5) * cell,
                                        panel_y - side / 2 + (r + 0.5) * cell, 0]))
        frame2 = Square(side, stroke_color=muted, stroke_width=1.5).move_to(squares)

        def at(p) -> np.ndarray:
            return np.array([xs[1] - side / 2 + (p[0] - g1[0]) / (g1[-1] - g1[0]) * side,
                             panel_y - side / 2 + (p[1] - g2[0]) / (g2[-1] - g2[0]) * side, 0])

        s2 = two.slope(start2)
        p2 = at(start2)
        down = -s2 / np.linalg.norm(s2)
        arrow2 = Arrow(p2, p2 + 0.8 * np.array([down[0], down[1], 0]), buff=0, color=text,
                       stroke_width=5, tip_length=0.18)
        dot2 = Dot(p2, radius=0.08, color=hi)
        lab2 = VGroup(MathTex("w_1", font_size=26, color=text).next_to(frame2, DOWN, 0.1),
                      MathTex("w_2", font_size=26, color=text).next_to(frame2, LEFT, 0.1))
        what2 = Text("a surface, from above", font_size=24, color=muted)
        what2.next_to(frame2, DOWN, buff=0.45).set_x(xs[1])
        slope2 = MathTex(r"\Big(\frac{\partial E}{\partial w_1}, \frac{\partial E}{\partial "
                         r"w_2}\Big) = (" + fmt(s2[0], 3) + ",\\;" + fmt(s2[1], 3) + ")",
                         font_size=28, color=hi).next_to(what2, DOWN, buff=0.35)
        legend = Legend([(pal["neuron_off"], "low E"), (pal["highlight"], "high E")],
                        kind="square", font_size=20)
        legend = Legend([(pal["neuron_off"], "low E"), (pal["highlight"], "high E")],
                        kind="square", font_size=20, direction=DOWN)
        legend.next_to(frame2, RIGHT, buff=0.25).align_to(frame2, UP)
        with self.beat("two", "With two weights it is a surface; seen from above, its "
                              "height is a colour."):
            self.play(FadeIn(squares), Create(frame2), run_time=st)
            self.play(FadeIn(heading("2 weights", xs[1])), FadeIn(lab2), FadeIn(legend),
                      FadeIn(what2), run_time=st)
            self.play(FadeIn(dot2, scale=0.5), run_time=st * 1.5)
            self.play(Indicate(legend, color=hi, scale_factor=1.05), run_time=st * 1.2)
        with self.beat("two-slope", "Its slope is two numbers, one per weight; together they "
                                    "point uphill, so we step the other way."):
            self.play(Write(slope2), run_time=st)
            self.play(GrowArrow(arrow2), run_time=st * 1.5)
            self.play(Indicate(slope2, color=hi, scale_factor=1.05), run_time=st * 1.2)
            self.play(Indicate(arrow2, color=hi), run_time=st)

        many = Text(f"{n_params} weights\nand biases", font_size=28, color=text,
                    line_spacing=0.8).move_to([xs[2], 3.2, 0])
        mark = Text("?", font_size=120, color=pal["grid"]).move_to([xs[2], panel_y, 0])
        what3 = Text(f"{n_params} dimensions:\ntoo many to draw", font_size=24, color=muted,
                     line_spacing=0.8)
        what3.set_x(xs[2]).align_to(what2, UP)
        with self.beat("many", f"The whole camera network has {n_params} weights and biases: "
                               f"its valley has {n_params} dimensions, far too many to "
                               "draw."):
            self.play(FadeIn(many), FadeIn(mark, scale=0.6), run_time=st)
            self.play(FadeIn(what3), run_time=st * 0.8)
            self.play(Wiggle(mark), run_time=st * 1.5)

        # the slope of the random network: a list of n_params numbers, as bars
        random_net = trace.net_at(0.0)
        Y = data.targets(random_net)
        E0, g = full_slope(random_net, data.X, Y)
        base_y, span = -2.85, 0.5
        width = 12.4
        pitch = width / n_params
        scale = span / max(float(np.abs(g).max()), 1e-12)
        bars = VGroup()
        x0 = -width / 2 + pitch / 2
        for k, v in enumerate(g):
            hgt = max(abs(float(v)) * scale, 0.02)
            bar = Rectangle(width=pitch * 0.7, height=hgt, stroke_width=0, fill_color=hi,
                            fill_opacity=0.9)
            bar.move_to([x0 + k * pitch, base_y + np.sign(v) * hgt / 2, 0])
            bars.add(bar)
        axis = Line([-width / 2, base_y, 0], [width / 2, base_y, 0], color=muted,
                    stroke_width=1.5)
        groups = VGroup()
        k = 0
        for name, size in param_groups(random_net):
            brace = Line([x0 + k * pitch - pitch * 0.4, base_y - span - 0.12, 0],
                         [x0 + (k + size - 1) * pitch + pitch * 0.4, base_y - span - 0.12, 0],
                         color=muted, stroke_width=2)
            words = Text(f"{size} {name.split()[-1]}", font_size=18, color=muted)
            words.next_to(brace, DOWN, 0.06)
            groups.add(VGroup(brace, words))
            k += size
        title = Text(f"the slope at the random network: {n_params} numbers", font_size=22,
                     color=text).move_to([0, base_y + span + 0.3, 0])
        with self.beat("list", "Yet the slope is still just a list of numbers, one for each "
                               "weight and bias, and backpropagation computes all of them at "
                               "once."):
            self.play(FadeIn(title), Create(axis), run_time=st * 0.8)
            self.play(LaggedStart(*[GrowFromEdge(b, DOWN if b.get_y() > base_y else UP)
                                    for b in bars], lag_ratio=0.02), run_time=st * 2.0)
            self.play(Indicate(bars, color=pal["text"], scale_factor=1.05), run_time=st * 1.5)
        with self.beat("sections", "Some belong to the first layer, some to the second."):
            self.play(FadeIn(groups), run_time=st)
            self.play(LaggedStart(*[Indicate(g[1], color=hi) for g in groups], lag_ratio=0.3),
                      run_time=st * 1.5)

        E1 = step_against(random_net, data.X, Y, cfg.step_lr)
        result = VGroup(Text(f"one step against all {n_params} slopes:", font_size=22,
                             color=text),
                        MathTex(r"E:\;" + fmt(E0, 3) + r"\;\to\;" + fmt(E1, 3), font_size=30,
                                color=hi)).arrange(DOWN, buff=0.15)
        result.move_to(mark).set_x(xs[2])
        with self.beat("downhill", "Downhill is a step against that list: every weight moves a "
                                   "little against its own slope, and the error goes down.",
                       last=True):
            self.play(FadeOut(mark), Write(result), run_time=st)
            self.play(Indicate(result[1], color=hi, scale_factor=1.1), run_time=st * 1.5)
