"""Test-only scenes for the render pipeline: short, cheap, deterministic.

NNVIZ_SCENES points the registry here in tests/test_render_*.py, so pipeline tests do not
depend on (or wait for) the real scenes.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from manim import DOWN, UP, Axes, Create, Dot, FadeIn, Text, VGroup

from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec


@dataclass
class TinyFitConfig(SceneConfig):
    hidden: int = knob(3, "hidden neurons", min=1, max=16)
    steps: int = knob(40, "training steps", min=1, max=2000)
    activation: str = knob("tanh", "hidden activation", choices=("tanh", "relu", "sigmoid"))
    fail: bool = knob(False, "raise inside construct (tests the error path)")
    hang: bool = knob(False, "stop in construct until killed, after leaving the file "
                      "$TMPDIR/tiny-fit-hang-<pid> (tests kills of the render process)")

    def traces(self):
        return {"main": spec("xor", (2, self.hidden, 1), activation=self.activation,
                             output_activation="sigmoid", trainer="adam", steps=self.steps,
                             seed=self.seed, record="log:10", trainer_params={"lr": 0.05},
                             dataset_params={"n": 40})}


@register("tiny-fit", "test fixture: the loss curve of a tiny trained network")
class TinyFit(NNVizScene):
    Config = TinyFitConfig

    def construct(self) -> None:
        trace = self.trace("main")
        loss = np.asarray(trace.loss, dtype=float)
        axes = Axes(x_range=[0, 1, 0.5], y_range=[0, float(loss.max()) * 1.1, 0.5],
                    x_length=6, y_length=3.5, tips=False)
        xs = np.linspace(0, 1, loss.size)
        curve = axes.plot_line_graph(xs, loss, add_vertex_dots=False,
                                     line_color=self.palette["positive"])
        label = Text(f"final loss {trace.final_loss:.3f}", font_size=28,
                     color=self.palette["text"]).next_to(axes, DOWN)
        self.play(FadeIn(axes), run_time=self.t(0.5))
        if self.cfg.fail:
            raise RuntimeError("tiny-fit was asked to fail")
        if self.cfg.hang:
            Path(tempfile.gettempdir(), f"tiny-fit-hang-{os.getpid()}").touch()
            time.sleep(300)
        self.play(Create(curve), run_time=self.t(1.0))
        self.play(FadeIn(label, shift=UP * 0.2), run_time=self.t(0.5))
        self.wait(self.t(0.5))


@dataclass
class TinyDotsConfig(SceneConfig):
    dots: int = knob(3, "how many dots", min=1, max=12)


@register("tiny-dots", "test fixture: a few dots fade in (no trace)")
class TinyDots(NNVizScene):
    Config = TinyDotsConfig

    def construct(self) -> None:
        dots = VGroup(*[Dot(color=self.palette["class_a"]) for _ in range(self.cfg.dots)])
        dots.arrange(buff=0.5)
        self.play(FadeIn(dots), run_time=self.t(1.0))
        self.wait(self.t(0.5))
