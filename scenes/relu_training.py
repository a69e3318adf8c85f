"""Training is fitting: a ReLU network's curve moving onto the data, two trainers side by side.

training-a-fit: the same network (same data, same initial weights) trained by the nudge
search and by gradient descent; each panel shows the output curve interpolated between
recorded steps, its loss curve, and the exact number of straight pieces right now.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    RIGHT,
    UP,
    Axes,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    Text,
    ValueTracker,
    VGroup,
    linear,
)

from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.function_graph import FunctionGraph
from nnviz.draw.mobjects.loss_curve import LossCurve
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.pieces import count_linear_pieces
from nnviz.spec.config import SceneConfig, knob, spec

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
    log_loss: bool = knob(True, "loss curves on a log scale")
    curve_color: str = knob("#ffd34d", "colour of the network's output curve")
    train_time: float = knob(12.0, "time the training takes on screen", min=1.0, max=60.0)
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


@register("training-a-fit", "a ReLU fit moving through training: nudge vs gradient descent")
class TrainingAFit(NNVizScene):
    Config = TrainingAFitConfig

    def panel(self, name: str, trainer: str, t: ValueTracker, data) -> VGroup:
        """Title, data with the live curve, piece counter and step, loss curve."""
        cfg, pal = self.cfg, self.palette
        trace = self.trace(name)
        y = data.y[:, 0]
        pad = 0.25 * (y.max() - y.min())
        axes = Axes(x_range=[LO, HI, 0.5], y_range=[y.min() - pad, y.max() + pad, 0.5],
                    x_length=6.0, y_length=3.3, tips=False,
                    axis_config={"color": pal["muted"], "stroke_width": 2,
                                 "include_ticks": False})
        title = Text(TRAINER_NAMES[trainer], font_size=30, color=pal["text"])
        title.next_to(axes, UP, buff=0.25)
        dots = VGroup(*[Dot(axes.c2p(a, b), radius=0.045, color=pal["muted"])
                        for a, b in zip(data.X[:, 0], y, strict=True)])

        def params():
            return trace.params_at(t.get_value(), by="record")

        graph = FunctionGraph(axes, *params(), color=cfg.curve_color, stroke_width=5)
        graph.follow(params)
        counter = PieceCounter(count_linear_pieces(trace.net_at(0.0, by="record"), LO, HI),
                               font_size=26)
        counter.follow(lambda: count_linear_pieces(
            trace.network().set_weights(*params()), LO, HI))
        step = DecimalNumber(0, num_decimal_places=0, font_size=30, color=pal["text"])
        step_row = VGroup(Text("step", font_size=26, color=pal["muted"]), step)
        step_row.arrange(RIGHT, buff=0.15)
        info = VGroup(counter, step_row).arrange(RIGHT, buff=0.6)
        info.next_to(axes, DOWN, buff=0.2)
        step.add_updater(lambda m: sit_on(m.set_value(trace.step_at(t.get_value(), by="record"))
                                          .next_to(step_row[0], RIGHT, buff=0.15), step_row[0]))
        step.update()
        curve = LossCurve(trace.steps, trace.loss, log=cfg.log_loss, width=4.6, height=1.3,
                          label="loss", progress=0.0, font_size=24)
        curve.next_to(info, DOWN, buff=0.35)
        last = float(trace.steps[-1]) or 1.0
        curve.add_updater(lambda m: m.set_progress(
            trace.step_at(t.get_value(), by="record") / last))
        return VGroup(title, axes, dots, graph, info, curve)

    def construct(self) -> None:
        cfg = self.cfg
        data, _ = self.trace_data("left")
        t = ValueTracker(0.0)
        left = self.panel("left", cfg.left_trainer, t, data)
        right = self.panel("right", cfg.right_trainer, t, data)
        panels = VGroup(left, right).arrange(RIGHT, buff=0.8, aligned_edge=UP)
        panels.scale_to_fit_width(min(panels.width, 13.4)).move_to(np.zeros(3))
        panels.to_edge(UP, buff=0.3)
        for p in (left, right):
            title, axes, dots, graph, info, curve = p
            self.play(FadeIn(title), Create(axes), FadeIn(dots), run_time=self.t(1.0))
            self.play(Create(graph), FadeIn(info), FadeIn(curve), run_time=self.t(0.8))
        self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time), rate_func=linear)
        self.wait(self.t(cfg.hold_time))


__all__ = ["TrainingAFit"]
