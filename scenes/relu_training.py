"""Training is fitting: a ReLU network's curve moving onto the data, two trainers side by side.

training-a-fit: the same network (same data, same initial weights) trained by the nudge
search and by gradient descent (Adam). Each panel shows the output curve interpolated
between recorded steps and the exact number of straight pieces right now; one loss plot
with one shared (log) axis holds both runs, their final losses printed from the traces.
The scene says what nudging is (a slow gradient descent that measures each slope by
trial) and ends on a verdict: which run got lower, and where the other one is stuck.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    ValueTracker,
    VGroup,
    linear,
)

from nnviz.draw.mobjects import DecimalNumber, MathTex, Text
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.function_graph import FunctionGraph
from nnviz.draw.mobjects.loss_curve import LossCurve
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.pieces import count_linear_pieces
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import PALETTE

LO, HI = -1.0, 1.0  # the data's x range: where pieces are counted


@dataclass
class TrainingAFitConfig(SceneConfig):
    hidden: int = knob(8, "hidden ReLU neurons", min=1, max=64)
    n_points: int = knob(40, "curve_1d: number of data points", min=5, max=400)
    noise: float = knob(0.05, "curve_1d: noise", min=0.0, max=1.0)
    left_trainer: str = knob("nudge", "trainer of the left panel",
                             choices=("nudge", "sgd", "momentum", "adam", "lbfgs"))
    left_lr: float = knob(0.05, "its learning rate (nudge: step)", min=1e-5, max=10.0)
    right_trainer: str = knob("adam", "trainer of the right panel",
                              choices=("nudge", "sgd", "momentum", "adam", "lbfgs"))
    right_lr: float = knob(0.05, "its learning rate (nudge: step)", min=1e-5, max=10.0)
    steps: int = knob(600, "training steps of each trainer", min=1, max=20000)
    log_loss: bool = knob(True, "the loss plot on a log scale")
    curve_color: str = knob(PALETTE["model"], "colour of the network's output curve")
    left_color: str = knob("#e15fa1", "colour of the left run in the loss plot")
    right_color: str = knob("#33c7e0", "colour of the right run in the loss plot")
    train_time: float = knob(10.0, "time the training takes on screen", min=1.0, max=60.0)
    hold_time: float = knob(2.0, "pause at the end", min=0.0, max=60.0)

    def _spec(self, trainer: str, rate: float):
        params = {} if trainer == "lbfgs" else {("step" if trainer == "nudge" else "lr"): rate}
        return spec("curve_1d", (1, self.hidden, 1), activation="relu",
                    output_activation="identity", trainer=trainer, steps=self.steps,
                    seed=self.seed, record="log:60", trainer_params=params,
                    dataset_params={"n": self.n_points, "noise": self.noise})

    def traces(self):
        return {"left": self._spec(self.left_trainer, self.left_lr),
                "right": self._spec(self.right_trainer, self.right_lr)}


TRAINER_NAMES = {"nudge": "nudge (no gradients)", "sgd": "gradient descent",
                 "momentum": "gradient descent + momentum", "adam": "gradient descent (Adam)",
                 "lbfgs": "L-BFGS"}
SHORT_NAMES = {"nudge": "nudge", "sgd": "gradient descent", "momentum": "momentum",
               "adam": "Adam", "lbfgs": "L-BFGS"}


def stuck_since(steps: np.ndarray, loss: np.ndarray, rtol: float = 1e-6) -> int | None:
    """The first recorded step from which the loss no longer changes (None: it still
    moves at the last record)."""
    same = np.abs(loss - loss[-1]) <= rtol * abs(loss[-1])
    if len(same) < 2 or not same[-2]:
        return None
    k = len(same) - 1
    while k > 0 and same[k - 1]:
        k -= 1
    return int(steps[k])


@register("training-a-fit", "a ReLU fit moving through training: nudge vs gradient descent")
class TrainingAFit(NNVizScene):
    Config = TrainingAFitConfig

    def panel(self, name: str, trainer: str, colour: str, t: ValueTracker, data) -> VGroup:
        """Title, data with the live curve, piece counter."""
        cfg, pal = self.cfg, self.palette
        trace = self.trace(name)
        y = data.y[:, 0]
        pad = 0.25 * (y.max() - y.min())
        axes = Axes(x_range=[LO, HI, 0.5], y_range=[y.min() - pad, y.max() + pad, 0.5],
                    x_length=5.8, y_length=2.9, tips=False,
                    axis_config={"color": pal["muted"], "stroke_width": 2,
                                 "include_ticks": False})
        title = Text(TRAINER_NAMES[trainer], font_size=28, color=colour)
        title.next_to(axes, UP, buff=0.2)
        dots = VGroup(*[Dot(axes.c2p(a, b), radius=0.045, color=pal["muted"])
                        for a, b in zip(data.X[:, 0], y, strict=True)])

        def params():
            return trace.params_at(t.get_value(), by="record")

        graph = FunctionGraph(axes, *params(), color=cfg.curve_color, stroke_width=5)
        graph.follow(params)
        counter = PieceCounter(count_linear_pieces(trace.net_at(0.0, by="record"), LO, HI),
                               font_size=24)
        counter.follow(lambda: count_linear_pieces(
            trace.network().set_weights(*params()), LO, HI))
        counter.next_to(axes, DOWN, buff=0.15)
        return VGroup(title, axes, dots, graph, counter)

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        data, _ = self.trace_data("left")
        t = ValueTracker(0.0)
        names = {"left": cfg.left_trainer, "right": cfg.right_trainer}
        colours = {"left": cfg.left_color, "right": cfg.right_color}
        left = self.panel("left", cfg.left_trainer, cfg.left_color, t, data)
        right = self.panel("right", cfg.right_trainer, cfg.right_color, t, data)
        panels = VGroup(left, right).arrange(RIGHT, buff=0.8, aligned_edge=UP)
        panels.scale_to_fit_width(min(panels.width, 13.4)).move_to(np.zeros(3))
        panels.to_edge(UP, buff=0.25)

        tl, tr = self.trace("left"), self.trace("right")
        if not np.array_equal(tl.steps, tr.steps):
            raise ValueError("the two runs must be recorded at the same steps")
        # one plot, one axis: both runs on the same (log) scale
        loss = LossCurve(tl.steps, tl.loss, second=tr.loss, log=cfg.log_loss,
                         labels=(SHORT_NAMES[cfg.left_trainer],
                                 SHORT_NAMES[cfg.right_trainer]),
                         width=5.8, height=2.1, label="loss",
                         color=cfg.left_color, second_color=cfg.right_color, progress=0.0,
                         font_size=22)
        loss.next_to(panels, DOWN, buff=0.4).align_to(panels, LEFT).shift(0.5 * RIGHT)
        last = float(tl.steps[-1]) or 1.0
        loss.add_updater(lambda m: m.set_progress(
            tl.step_at(t.get_value(), by="record") / last))
        step = DecimalNumber(0, num_decimal_places=0, font_size=30, color=pal["text"])
        step_row = VGroup(Text("step", font_size=24, color=pal["muted"]), step)
        step_row.arrange(RIGHT, buff=0.15)
        # what one step costs: the nudge search runs the network once or twice for every
        # parameter (Nudge.run); a gradient step runs it forward and back once
        n_params = tl.network().n_params
        self.nudge_runs = (n_params, 2 * n_params)
        idea = VGroup(Text("nudging = a slow gradient descent:", font_size=24,
                           color=pal["text"]),
                      Text("it tries each weight and bias in turn,", font_size=22,
                           color=pal["muted"]),
                      Text(f"so one step = {n_params} to {2 * n_params} network runs",
                           font_size=22, color=pal["muted"]),
                      Text("(Adam: 1 run + 1 backward pass)", font_size=22,
                           color=pal["muted"])).arrange(DOWN, aligned_edge=LEFT, buff=0.1)
        # the step readout takes the place of the x axis title; the idea sits below the
        # legend row, clear of the final values printed at the end of the curves
        loss.remove(loss.x_label)
        step_row.next_to(loss.axes.x_axis, DOWN, buff=0.15).align_to(loss.axes, RIGHT)
        right_col = idea
        right_col.next_to(loss.axes, RIGHT, buff=1.5).align_to(loss.label, UP)
        right_col.shift(0.45 * DOWN + min(0.0, 6.8 - right_col.get_right()[0]) * RIGHT)
        step.add_updater(lambda m: sit_on(m.set_value(tl.step_at(t.get_value(), by="record"))
                                          .next_to(step_row[0], RIGHT, buff=0.15), step_row[0]))
        step.update()

        with self.beat("setup", "The same network, the same data and the same starting "
                       "weights, trained two ways."):
            for p in (left, right):
                title, axes, dots, graph, counter = p
                self.play(FadeIn(title), Create(axes), FadeIn(dots), Create(graph),
                          FadeIn(counter), run_time=self.t(1.0))
            self.read_along(left[0], right[0], left[4], right[4])
        nudge_side = next((k for k, v in names.items() if v == "nudge"), None)
        if nudge_side is not None:
            with self.beat("nudging", "Nudging is a slow gradient descent: it finds the "
                           "slope of the loss one weight at a time, by trying a step each way "
                           "and running the network again, so one of its steps costs "
                           f"{n_params} to {2 * n_params} network runs. Gradient descent "
                           "computes every slope at once."):
                self.play(FadeIn(idea), run_time=self.t(1.0))
                self.read_along(*idea)
        loss.label.set_color(pal["muted"])  # the axis title belongs to neither run
        with self.beat("train", "Both run for the same number of steps. Per step the nudge "
                       "loss drops faster at first, but each of its steps is far dearer, "
                       "and it soon stops improving."):
            self.play(FadeIn(loss), FadeIn(step_row), run_time=self.t(0.8))
            self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time),
                      rate_func=linear)
        loss.clear_updaters()

        finals = {k: float(self.trace(k).loss[-1]) for k in ("left", "right")}
        self.finals = finals
        ends = VGroup()
        for k, series in (("left", 0), ("right", 1)):
            num = MathTex(f"{finals[k]:.4f}", font_size=26, color=colours[k])
            num.next_to(loss.point_at(1.0, series), RIGHT, buff=0.15)
            ends.add(num)
        if abs(ends[0].get_center()[1] - ends[1].get_center()[1]) < 0.3:
            ends[0].shift(0.18 * (UP if finals["left"] > finals["right"] else DOWN))
            ends[1].shift(0.18 * (DOWN if finals["left"] > finals["right"] else UP))
        with self.beat("values", "Where each run ended: its final loss."):
            gone = [FadeOut(idea)] if nudge_side is not None else []
            self.play(*gone, FadeIn(ends), run_time=self.t(0.8))
            self.read_along(*ends)

        best, worst = sorted(("left", "right"), key=lambda k: finals[k])
        ratio = finals[worst] / max(finals[best], 1e-300)
        stuck = stuck_since(self.trace(worst).steps, self.trace(worst).loss)
        verdict = Text(f"{SHORT_NAMES[names[best]]}: {ratio:.0f}× lower loss",
                       font_size=26, color=colours[best])
        parts = [verdict]
        if stuck is not None:
            parts.append(Text(f"{SHORT_NAMES[names[worst]]}: stuck since step {stuck}",
                              font_size=24, color=colours[worst]))
        close = VGroup(*parts).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        close.move_to(idea, aligned_edge=UP + LEFT)
        close.set_max_width(6.8 - close.get_left()[0])
        # where the worse fit misses most: the data points it is furthest from
        panel = left if worst == "left" else right
        _, axes, _, _, _ = panel
        net = self.trace(worst).net_at(1.0)
        miss = np.abs(net.forward(data.X)[:, 0] - data.y[:, 0])
        far = np.argsort(-miss)[:3]
        ring = Circle(color=pal["highlight"], stroke_width=3).surround(
            VGroup(*[Dot(axes.c2p(data.X[i, 0], data.y[i, 0]), radius=0.05) for i in far]),
            buffer_factor=1.6)
        if ring.width < 0.6:
            ring.stretch_to_fit_width(0.6)
        if ring.height < 0.6:
            ring.stretch_to_fit_height(0.6)
        self.ring_points = data.X[far, 0]
        text = (f"{SHORT_NAMES[names[best]]} ends {ratio:.0f} times lower. The "
                f"{SHORT_NAMES[names[worst]]} run "
                + (f"stopped improving at step {stuck}: no single nudge helps any more, "
                   "and its fit still misses the circled points." if stuck is not None else
                   "is still far from the circled points."))
        with self.beat("verdict", text, hold=cfg.hold_time, last=True):
            self.play(FadeIn(close), Create(ring), run_time=self.t(1.0))
            self.read_along(*close, ring)


__all__ = ["TrainingAFit"]
