"""Issue 8, the gradient valley: error as a function of one weight, steps downhill with a
learning rate (too small, right, too large), then the valley of a real neuron's two
parameters as a 3D surface with its recorded training path rolling down it.

Every slope comes from the core's backpropagation (MLP.loss_and_grads) and is checked
against a finite difference (nnviz.gradcheck); the surface is the real loss.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import takewhile

import numpy as np
from manim import *

from nnviz.core.gradcheck import numeric_weight_grad
from nnviz.core.network import MLP
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.latex import tex_group as fmt
from nnviz.draw.scene import NNVizThreeDScene, register
from nnviz.spec.config import SceneConfig, knob, spec

FS = 30  # font size of labels




def one_weight_net(w: float) -> tuple[MLP, np.ndarray, np.ndarray]:
    """The 1-1 identity network with weight w, input 1 and target 0: its error is w^2."""
    net = MLP((1, 1), activation="identity", output_activation="identity")
    net.set_weights([np.array([[w]])], [np.array([0.0])])
    return net, np.array([[1.0]]), np.array([[0.0]])


def valley_error(w: float) -> float:
    net, X, Y = one_weight_net(w)
    return net.loss(X, Y)


def valley_slope(w: float) -> tuple[float, float]:
    """dE/dw by backpropagation and by central differences."""
    net, X, Y = one_weight_net(w)
    _, g = net.loss_and_grads(X, Y)
    return float(g.weights[0][0, 0]), numeric_weight_grad(net, X, Y, 0, 0, 0)


def descend(w0: float, lr: float, n: int) -> list[float]:
    """Gradient descent w <- w - lr dE/dw on the one-weight valley, slopes from the core."""
    ws = [w0]
    for _ in range(n):
        ws.append(ws[-1] - lr * valley_slope(ws[-1])[0])
    return ws


@dataclass
class GradientValleyConfig(SceneConfig):
    start_weight: float = knob(-1.0, "where the weight starts on E = w^2", min=-2.0, max=2.0)
    lr_small: float = knob(0.05, "a learning rate that is too small", min=0.0, max=2.0)
    lr_good: float = knob(0.3, "a learning rate that works", min=0.0, max=2.0)
    lr_large: float = knob(1.05, "a learning rate that is too large", min=0.0, max=2.0)
    hops: int = knob(6, "steps shown for each learning rate", min=1, max=20)
    show_surface: bool = knob(True, "end with the 3D loss surface of a real neuron")
    surface_dataset: str = knob("curve_1d", "data the neuron fits", choices=("curve_1d",))
    surface_activation: str = knob("tanh", "the neuron's activation",
                                   choices=("tanh", "sigmoid", "identity"))
    surface_lr: float = knob(0.3, "learning rate of the recorded run", min=0.001, max=5.0)
    surface_steps: int = knob(60, "training steps of the recorded run", min=1, max=2000)
    hop_time: float = knob(0.35, "seconds per hop", min=0.05, max=5.0)
    roll_time: float = knob(4.0, "seconds for the ball to roll down the surface", min=0.5,
                            max=20.0)

    def traces(self):
        return {"surface": spec(self.surface_dataset, (1, 1), activation="identity",
                                output_activation=self.surface_activation, trainer="sgd",
                                steps=self.surface_steps, seed=self.seed, record=1,
                                trainer_params={"lr": self.surface_lr})}


@register("gradient-valley", "error as a function of a weight; stepping downhill; a 3D valley")
class GradientValley(NNVizThreeDScene):
    Config = GradientValleyConfig

    def construct(self) -> None:
        self.one_weight_valley()
        if self.cfg.show_surface:
            self.surface_valley()

    # -- part 1: E = w^2 ---------------------------------------------------------------
    def one_weight_valley(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        axes = Axes(x_range=[-2.2, 2.2, 1], y_range=[0, 5, 1], x_length=6.6, y_length=5.2,
                    axis_config={"color": muted, "include_tip": False, "font_size": 24},
                    ).add_coordinates().to_edge(LEFT, buff=0.6).shift(DOWN * 0.3)
        labels = VGroup(MathTex("w", font_size=FS, color=text).next_to(axes.x_axis, RIGHT, 0.15),
                        MathTex("E", font_size=FS, color=text).next_to(axes.y_axis, UP, 0.15))
        ws = np.linspace(-2.2, 2.2, 221)
        es = np.array([valley_error(w) for w in ws])
        keep = es <= 5.0
        curve = axes.plot_line_graph(ws[keep], es[keep], add_vertex_dots=False,
                                     line_color=pal["positive"], stroke_width=5)
        setup = MathTex(r"x = 1 \xrightarrow{\;w\;} a = w x,\quad \text{truth } 0",
                        font_size=FS, color=text)
        formula = MathTex(r"E = (a - 0)^2 = w^2", font_size=FS + 4, color=text)
        column_x = 3.75
        right = VGroup(setup, formula).arrange(DOWN, buff=0.3).to_edge(UP, buff=0.6)
        right.set_x(column_x)
        self.play(Create(axes), FadeIn(labels), run_time=self.t(1.0))
        self.play(Create(curve), Write(setup), Write(formula), run_time=self.t(1.2))

        w0 = cfg.start_weight
        dot = Dot(axes.c2p(w0, valley_error(w0)), radius=0.1, color=hi)
        slope, fd = valley_slope(w0)
        tangent = self._tangent(axes, w0, slope, hi)
        readout = MathTex(r"w = " + fmt(w0), r",\quad \frac{dE}{dw} = " + fmt(slope),
                          font_size=FS + 4, color=text)
        readout[1].set_color(hi)
        check = MathTex(r"\text{finite difference: } " + fmt(fd, 4), font_size=FS - 4,
                        color=muted)
        VGroup(readout, check).arrange(DOWN, buff=0.2).next_to(right, DOWN, buff=0.5)
        VGroup(readout, check).set_x(column_x)
        self.play(FadeIn(dot, scale=0.5), run_time=self.t(0.5))
        self.play(Create(tangent), Write(readout), run_time=self.t(1.0))
        self.play(FadeIn(check), run_time=self.t(0.5))
        self.wait(self.t(0.8))

        rule = MathTex(r"w \leftarrow w - \eta\,\frac{dE}{dw}", font_size=FS + 4, color=text)
        rule.next_to(check, DOWN, buff=0.5)
        self.play(Write(rule), FadeOut(tangent), run_time=self.t(0.8))

        runs = [(cfg.lr_small, "too small"), (cfg.lr_good, "about right"),
                (cfg.lr_large, "too large")]
        verdict = None
        for lr, words in runs:
            path = descend(w0, lr, cfg.hops)
            shown = list(takewhile(lambda w: abs(w) <= 2.2 and valley_error(w) <= 5.0, path))
            new_verdict = MathTex(r"\eta = " + fmt(lr) + r"\quad\text{(" + words + ")}",
                                  font_size=FS, color=hi).next_to(rule, DOWN, buff=0.4)
            self.play(FadeOut(verdict) if verdict else Wait(0),
                      FadeIn(new_verdict), dot.animate.move_to(axes.c2p(w0, valley_error(w0))),
                      run_time=self.t(0.5))
            verdict = new_verdict
            trail = VGroup()
            for a, b in zip(shown[:-1], shown[1:], strict=False):
                ghost = Dot(dot.get_center(), radius=0.06, color=hi, fill_opacity=0.45)
                trail.add(ghost)
                self.add(ghost)
                self.play(dot.animate(path_arc=-0.8 if b > a else 0.8).move_to(
                    axes.c2p(b, valley_error(b))), run_time=self.t(cfg.hop_time))
            self.wait(self.t(0.4))
            self.play(FadeOut(trail), run_time=self.t(0.3))
        self.wait(self.t(0.5))
        self.part1 = VGroup(axes, labels, curve, right, readout, check, rule, verdict, dot)

    def _tangent(self, axes: Axes, w: float, slope: float, colour: str) -> Line:
        e = valley_error(w)
        half = 0.8
        return Line(axes.c2p(w - half, e - slope * half), axes.c2p(w + half, e + slope * half),
                    color=colour, stroke_width=4)

    # -- part 2: a real neuron's two-parameter valley ------------------------------------
    def surface_valley(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("surface")
        data, _ = self.trace_data("surface")
        net = trace.net_at(1.0)
        X, Y = data.X, data.targets(net)
        path_w = trace.weights[0][:, 0, 0]
        path_b = trace.biases[0][:, 0]
        lo_w, hi_w = _span(path_w, 0.6)
        lo_b, hi_b = _span(path_b, 0.6)

        def loss_at(w: float, b: float) -> float:
            net.weights[0][0, 0], net.biases[0][0] = w, b
            return net.loss(X, Y)

        grid_w, grid_b = np.linspace(lo_w, hi_w, 25), np.linspace(lo_b, hi_b, 25)
        top = max(loss_at(w, b) for w in grid_w for b in grid_b)
        z_len = 3.0
        axes = ThreeDAxes(x_range=[lo_w, hi_w, 10], y_range=[lo_b, hi_b, 10],
                          z_range=[0, top, 10], x_length=6.0, y_length=6.0, z_length=z_len,
                          axis_config={"color": pal["muted"], "include_tip": False,
                                       "include_ticks": False})
        surface = Surface(lambda u, v: axes.c2p(u, v, loss_at(u, v)),
                          u_range=[lo_w, hi_w], v_range=[lo_b, hi_b], resolution=(24, 24),
                          fill_opacity=0.85, stroke_width=0.4, stroke_color=pal["background"])
        surface.set_fill_by_value(axes=axes, colorscale=[(pal["positive"], 0.0),
                                                          (pal["grid"], top)], axis=2)
        ball_pts = [axes.c2p(w, b, loss) for w, b, loss in
                    zip(path_w, path_b, trace.loss, strict=True)]
        track = VMobject(stroke_color=pal["highlight"], stroke_width=5)
        track.set_points_as_corners(ball_pts[:1] * 2)
        ball = Sphere(radius=0.1, resolution=(8, 8)).set_color(pal["highlight"])
        ball.move_to(ball_pts[0])
        big = FS + 8
        wl = MathTex("w", font_size=big, color=pal["text"]).move_to(axes.x_axis.get_end())
        bl = MathTex("b", font_size=big, color=pal["text"]).move_to(axes.y_axis.get_end())
        el = MathTex("E", font_size=big, color=pal["text"]).move_to(axes.z_axis.get_end())
        wl.shift(RIGHT * 0.3)
        bl.shift(UP * 0.3)
        el.shift(OUT * 0.3)
        for m in (wl, bl, el):
            m.rotate(PI / 2, RIGHT).rotate(40 * DEGREES, OUT)
        VGroup(axes, surface, track, wl, bl, el).shift(IN * 0.8)
        ball.shift(IN * 0.8)

        self.play(FadeOut(self.part1), run_time=self.t(0.6))
        title = MathTex(r"a = " + _latex_act(cfg.surface_activation) + r"(w x + b)",
                        font_size=FS + 2, color=pal["text"])
        note = Text(f"a real neuron fitting {data.n_samples} points: w and b are its only "
                    "parameters,\nso this surface is its whole valley",
                    font_size=22, color=pal["muted"], line_spacing=0.8)
        header = VGroup(title, note).arrange(DOWN, buff=0.15).to_edge(UP, buff=0.25)
        self.add_fixed_in_frame_mobjects(header)
        self.remove(header)
        self.set_camera_orientation(phi=62 * DEGREES, theta=-50 * DEGREES, zoom=0.75)
        self.play(FadeIn(header), Create(axes), run_time=self.t(0.8))
        self.play(Create(surface), FadeIn(wl, bl, el), run_time=self.t(1.5))
        self.add(track)
        self.play(FadeIn(ball), run_time=self.t(0.4))

        t = ValueTracker(0.0)
        n = len(ball_pts)
        # DecimalNumbers, not a fresh MathTex per frame (no LaTeX run per frame)
        step_num = Integer(int(trace.steps[-1]), font_size=FS, color=pal["text"])
        loss_num = DecimalNumber(0.0, num_decimal_places=4, font_size=FS, color=pal["text"])
        readout = VGroup(Text("step", font_size=FS - 4, color=pal["muted"]), step_num,
                         MathTex("E =", font_size=FS, color=pal["text"]), loss_num)
        on_one_baseline(readout.arrange(RIGHT, buff=0.15))
        readout[2:].shift(RIGHT * 0.25)
        readout.to_corner(DR, buff=0.5)
        self.add_fixed_in_frame_mobjects(readout)

        def follow(_m: Mobject) -> None:
            x = t.get_value() * (n - 1)
            i = min(int(x), n - 2)
            s = x - i
            p = (1 - s) * ball_pts[i] + s * ball_pts[i + 1] + IN * 0.8
            ball.move_to(p + OUT * 0.08)
            track.set_points_as_corners([q + IN * 0.8 for q in ball_pts[: i + 1]] + [p])
            step = trace.step_at(t.get_value(), by="record")
            loss = trace.value_at(trace.loss, t.get_value(), by="record")
            step_num.set_value(round(step))
            loss_num.set_value(loss)
            # fixed-in-frame status belongs to each mobject: register the new digits
            self.renderer.camera.add_fixed_in_frame_mobjects(readout)

        track.add_updater(follow)
        follow(track)
        self.begin_ambient_camera_rotation(rate=0.08)
        self.play(t.animate.set_value(1.0), run_time=self.t(cfg.roll_time), rate_func=linear)
        self.stop_ambient_camera_rotation()
        track.clear_updaters()
        self.wait(self.t(1.0))


def _span(values: np.ndarray, margin: float) -> tuple[float, float]:
    lo, hi = float(values.min()), float(values.max())
    pad = max(margin * (hi - lo), 0.3)
    return lo - pad, hi + pad


def _latex_act(name: str) -> str:
    return {"tanh": r"\tanh", "sigmoid": r"\sigma", "identity": ""}[name]
