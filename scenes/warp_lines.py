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
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    Polygon,
    ValueTracker,
    VGroup,
    Write,
    smooth,
)

from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects import Legend, MathTex
from nnviz.draw.mobjects.warp_grid import PointCloud, WarpGrid, WarpPanel
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.separable import best_cut_accuracy, best_line_accuracy
from nnviz.explain.warp import grid_lines, half_plane_polygon, separating_line
from nnviz.spec.config import PlanarDataConfig, SceneConfig, knob, spec


def tex(text: str, size: int, color: str) -> MathTex:
    return MathTex(text, font_size=size, color=color).set_z_index(5)


# -- line-not-enough --------------------------------------------------------------------

@dataclass
class LineNotEnoughConfig(PlanarDataConfig):
    seed: int = knob(1, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    waves: float = knob(4.5, "how fast the two curves wave (two_curves only): from about 4.5 "
                        "they weave into each other and no line gets 80 %", min=0.5, max=12.0)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.05, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(300, "training steps", min=1, max=20000)
    window: float = knob(1.15, "half-width of the plane shown", min=0.5, max=5.0)
    reveal_time: float = knob(1.5, "seconds to draw the line", min=0.1, max=10.0)

    def data_params(self):
        params = super().data_params()
        if self.dataset == "two_curves":
            params["waves"] = self.waves
        return params

    def traces(self):
        return {"main": spec(self.dataset, (2, 1), activation="tanh",
                             output_activation="sigmoid", trainer=self.trainer,
                             steps=self.steps, seed=self.seed, record="log:20",
                             trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                             dataset_params=self.data_params())}


@register("line-not-enough", "Two curves that weave into each other: the trained straight "
          "line and the best of all lines both get many points wrong")
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
                          center=(-3.3, -0.35, 0), size=6.8, view=lim,
                          grid_color=pal["grid"], border_color=pal["muted"])
        panel.grid.set_stroke(opacity=0.35)
        w, b = net.weights[0][0], float(net.biases[0][0])
        # the line sigma(w . x + b) = 1/2, i.e. w . x + b = 0, drawn on its own (not in the
        # panel, which is already on screen) so that Create draws it once
        line_pts = separating_line(w, b, box=lim, n=50)
        line = WarpGrid([line_pts] if len(line_pts) else [], panel.center_point, panel.unit,
                        color=pal["highlight"], stroke_width=5).set_z_index(3)
        halves = VGroup()
        for sign, col in ((1, pal["class_b"]), (-1, pal["class_a"])):
            poly = half_plane_polygon(sign * w, sign * b, lim)
            if len(poly) >= 3:
                halves.add(Polygon(*panel.to_scene(poly), stroke_width=0, fill_color=col,
                                   fill_opacity=0.14))
        halves.set_z_index(-1)
        wrong = np.nonzero(net.predict(X) != y)[0]
        self.wrong = wrong
        self.accuracy = 1 - len(wrong) / len(y)
        self.best_line = best_line_accuracy(X, y)
        x0 = 0.9  # left edge of the text column

        with self.beat("data", "Two classes of points lie along two wavy curves that weave "
                       "into each other."):
            head = title(self, "Is one straight line enough?")
            legend = Legend([(pal["class_a"], "class A"), (pal["class_b"], "class B")],
                            kind="square", font_size=26)
            legend.move_to([x0, 2.55, 0], aligned_edge=LEFT)
            self.play(FadeIn(head), FadeIn(legend), run_time=self.t(0.8))
            self.play(FadeIn(panel), run_time=self.t(1.5))

        with self.beat("model", "The simplest classifier is a straight line: a linear model "
                       "calls a point blue where w dot x plus b is positive."):
            model = tex(r"\sigma(w_1 x_1 + w_2 x_2 + b)", 40, pal["text"])
            rule = tex(r"\text{blue where } w \cdot x + b > 0", 32, pal["muted"])
            VGroup(model, rule).arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to(
                [x0, 1.25, 0], aligned_edge=LEFT)
            self.play(Write(model), run_time=self.t(1.0))
            self.play(FadeIn(rule), run_time=self.t(0.8))
            self.play(Indicate(model, color=pal["highlight"]), run_time=self.t(0.8))

        with self.beat("line", "Trained on these points, it settles on this line, blue on "
                       "one side and red on the other."):
            vals = tex(rf"w = ({w[0]:.2f},\ {w[1]:.2f}),\ b = {b:.2f}", 32, pal["highlight"])
            vals.move_to([x0, 0.05, 0], aligned_edge=LEFT)
            self.add(halves)
            self.play(Create(line), FadeIn(halves), FadeIn(vals), run_time=self.t(cfg.reveal_time))

        with self.beat("wrong", f"It puts {len(wrong)} of the {len(y)} points on the wrong "
                       "side, wherever a curve crosses the line."):
            rings = VGroup(*[
                Circle(radius=0.13, stroke_color=pal["highlight"], stroke_width=3).move_to(
                    p).set_z_index(4)
                for p in panel.cloud.scene_positions()[wrong]
            ])
            count = label(self, f"{len(wrong)} of {len(y)} on the wrong side", 28,
                          pal["highlight"])
            acc = label(self, f"accuracy {self.accuracy:.1%}", 28, pal["text"])
            VGroup(count, acc).arrange(DOWN, aligned_edge=LEFT, buff=0.25).move_to(
                [x0, -1.15, 0], aligned_edge=LEFT)
            self.play(FadeIn(count), run_time=self.t(0.6))
            self.play(Create(rings), run_time=self.t(1.5))
            self.play(FadeIn(acc), run_time=self.t(0.5))

        with self.beat("best", "And no straight line at all does much better: trying every "
                       "direction, the best one still misses a fifth of the points."
                       if self.best_line < 0.85 else
                       "The best of all straight lines does a little better."):
            best = label(self, f"best of all lines: {self.best_line:.1%}", 28, pal["text"])
            best.move_to([x0, -2.35, 0], aligned_edge=LEFT)
            self.play(FadeIn(best), Indicate(acc, color=pal["highlight"]),
                      run_time=self.t(1.0))

        with self.beat("end", "A line is not enough here: the network will have to bend "
                       "the plane first.", last=True):
            verdict = label(self, "a line is not enough", 32, pal["highlight"])
            verdict.move_to([x0, -3.3, 0], aligned_edge=LEFT)
            self.play(FadeIn(verdict), run_time=self.t(0.8))


# -- line-1d-lift -----------------------------------------------------------------------

@dataclass
class Line1DLiftConfig(SceneConfig):
    seed: int = knob(2, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    n_points: int = knob(60, "number of data points", min=10, max=1000)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.02, "learning rate (small: the hidden layer stays out of tanh's "
                     "flat ends, so the bent line reads as a curve)", min=1e-5, max=10.0)
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
        centre = np.array([-2.9, -0.45, 0.0])
        unit = 2.7  # scene units per data unit
        x0 = 1.0  # left edge of the text column
        xs = np.linspace(-1.15, 1.15, 200)

        def lifted(s: float, pts: np.ndarray) -> np.ndarray:
            """Points of the line a fraction s of the way to their hidden activations."""
            flat = np.column_stack([pts, np.zeros_like(pts)])
            h = np.tanh(np.outer(pts, W) + b)
            return (1 - s) * flat + s * h

        def at(px: float, py: float = 0.0) -> np.ndarray:
            return centre + unit * np.array([px, py, 0.0])

        curve = WarpGrid(lifted(0, xs)[None], centre, unit, color=pal["grid"], stroke_width=4)
        cloud = PointCloud(lifted(0, x), y, [pal["class_a"], pal["class_b"]], centre, unit,
                           radius=0.07)
        cut_acc, cut_at = best_cut_accuracy(x, y)
        self.best_cut = cut_acc

        with self.beat("line", "On a number line, the blue points sit between the red "
                       "ones."):
            head = title(self, "One dimension is not enough: lift the line")
            legend = Legend([(pal["class_a"], "class A"), (pal["class_b"], "class B")],
                            kind="square", font_size=26).move_to([x0, 2.5, 0],
                                                                 aligned_edge=LEFT)
            xlab = MathTex("x", font_size=34, color=pal["muted"]).next_to(
                at(1.15), RIGHT, buff=0.15)
            self.play(FadeIn(head), FadeIn(legend), run_time=self.t(0.8))
            self.play(Create(curve), FadeIn(cloud), run_time=self.t(1.5))
            self.play(FadeIn(xlab), Indicate(cloud), run_time=self.t(1.0))

        with self.beat("cut", "One cut on the line, a threshold, cannot split them: blue "
                       "would need red on both of its sides."):
            tick = Line(at(-1.1, -0.12), at(-1.1, 0.12), color=pal["highlight"],
                        stroke_width=5).set_z_index(4)
            say = label(self, f"one cut: at best\n{round(cut_acc * len(y))} of {len(y)} right",
                        28).move_to([x0, 1.2, 0], aligned_edge=LEFT)
            self.play(FadeIn(tick), FadeIn(say), run_time=self.t(0.6))
            self.play(tick.animate.move_to(at(1.1)), run_time=self.t(2.0), rate_func=smooth)
            self.play(tick.animate.move_to(at(cut_at)), run_time=self.t(1.0))

        with self.beat("layer", "A hidden layer of two tanh neurons sends each x to a point "
                       "h in the plane."):
            formula = tex(r"h = \tanh(W x + b) \in \mathbb{R}^2", 38, pal["text"])
            wtxt = tex(rf"W = ({W[0]:.2f},\ {W[1]:.2f})", 32, pal["muted"])
            btxt = tex(rf"b = ({b[0]:.2f},\ {b[1]:.2f})", 32, pal["muted"])
            box = VGroup(formula, wtxt, btxt).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
            box.move_to([x0, -0.5, 0], aligned_edge=LEFT)
            square = WarpGrid(np.array([[[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]]),
                              centre, unit, color=pal["muted"], stroke_width=1.5,
                              stroke_opacity=0.6)
            axes_lbl = VGroup(
                MathTex("h_1", font_size=32, color=pal["muted"]).move_to(
                    at(1.0, -1.0) + DOWN * 0.3),
                MathTex("h_2", font_size=32, color=pal["muted"]).move_to(
                    at(-1.0, 1.0) + LEFT * 0.35))
            self.play(FadeOut(tick), FadeIn(box), FadeOut(xlab), run_time=self.t(1.0))
            self.play(Create(square), FadeIn(axes_lbl), run_time=self.t(1.2))
            self.play(Indicate(formula, color=pal["highlight"]), run_time=self.t(0.8))

        with self.beat("lift", "As each point moves to its h, the line bends: the blue "
                       "middle bulges away from the two red ends."):
            s = ValueTracker(0.0)

            def lift(_m=None) -> None:
                curve.set_lines(lifted(s.get_value(), xs)[None])
                cloud.set_positions(lifted(s.get_value(), x))

            curve.add_updater(lift)
            self.play(s.animate.set_value(1.0), run_time=self.t(cfg.lift_time),
                      rate_func=smooth)
            curve.remove_updater(lift)
            lift()
            self.lifted = cloud.positions.copy()

        w2, b2 = net.weights[1][0], float(net.biases[1][0])
        wrong = int(np.sum(net.predict(data.X) != y))
        with self.beat("separate", f"Now one straight line in the plane separates them: "
                       f"{len(y) - wrong} of {len(y)} right."):
            seg = separating_line(w2, b2, box=1.0, n=40)
            sep = WarpGrid([seg] if len(seg) else [], centre, unit, color=pal["highlight"],
                           stroke_width=5)
            eq = tex(rf"{w2[0]:.2f}\,h_1 {w2[1]:+.2f}\,h_2 {b2:+.2f} = 0", 34,
                     pal["highlight"])
            verdict = label(self, f"a line in 2D: {len(y) - wrong} of {len(y)} right", 28,
                            pal["text"])
            VGroup(eq, verdict).arrange(DOWN, aligned_edge=LEFT, buff=0.3).move_to(
                [x0, -2.5, 0], aligned_edge=LEFT)
            self.play(FadeIn(eq), run_time=self.t(0.6))
            self.play(Create(sep), run_time=self.t(1.5))
            self.play(FadeIn(verdict), run_time=self.t(0.6))

        with self.beat("end", "One more dimension turned an impossible cut into an easy "
                       "one.", last=True):
            self.play(Indicate(verdict, color=pal["highlight"]), run_time=self.t(1.0))
