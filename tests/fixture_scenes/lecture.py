"""Test-only scene in beats, for captions, narration, sound and slides (tests/test_lecture.py)."""

from __future__ import annotations

from dataclasses import dataclass

from manim import Circle, Create, FadeIn, Square, Text

from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob


@dataclass
class TinyLectureConfig(SceneConfig):
    sound: str = knob("", "a sound file added at the start (manim add_sound); '' for none")


@register("tiny-lecture", "test fixture: three beats with sentences")
class TinyLecture(NNVizScene):
    Config = TinyLectureConfig

    def construct(self) -> None:
        if self.cfg.sound:
            self.add_sound(self.cfg.sound)
        with self.beat("circle", "A circle appears."):
            self.play(Create(Circle(color=self.palette["positive"])), run_time=self.t(1.0))
        with self.beat("words", "Four words appear under it, and we read them."):
            self.play(FadeIn(Text("one two three four", font_size=36).shift([0, -2, 0])),
                      run_time=self.t(1.0))
        with self.beat("square", "A square closes the lesson, and that is all there is to "
                       "say about shapes today.", last=True):
            self.play(Create(Square(side_length=3)), run_time=self.t(0.5))
