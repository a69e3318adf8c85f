"""Every scene is written in beats and keeps the pacing rules (nnviz.draw.beats): each play
and wait inside a beat, nothing still for more than MAX_STILL, every beat long enough to
read what it shows, the ending held END_HOLD after the last change."""

from __future__ import annotations

import pytest
from manim import Circle, Create, FadeIn, Text

from nnviz.draw.beats import END_HOLD, MAX_STILL, pacing_faults, reading_time
from nnviz.draw.scene import NNVizScene
from nnviz.pipeline.testing import render_scene
from nnviz.spec import registry

BEAT_SCENES = sorted(n for n, e in registry.discover().items() if e.source == "built-in")


class _Paced(NNVizScene):
    def construct(self) -> None:
        with self.beat("shape", "A circle appears."):
            self.play(Create(Circle()), run_time=self.t(1.0))
        with self.beat("words", "Words appear."):
            self.play(FadeIn(Text("one two three four")), run_time=self.t(1.0))
        with self.beat("end", "The end.", last=True):
            self.play(FadeIn(Circle(radius=2)), run_time=self.t(0.5))


class _TooWordy(NNVizScene):
    def construct(self) -> None:
        with self.beat("wall", "Too much to read."):
            self.play(FadeIn(Text("a b c d e f g h i j k l m n o p q r s t")), run_time=0.5)
        self.play(FadeIn(Circle()), run_time=0.5)


def test_a_beat_holds_for_reading_and_the_ending_holds():
    scene, _ = render_scene(_Paced)
    shape, words, end = scene.beats
    assert [b.name for b in scene.beats] == ["shape", "words", "end"]
    assert shape.start == 0.0 and shape.end == pytest.approx(1.4)  # 1 s play + minimum hold
    assert words.words == 4
    # the text is fully shown at the end of its 1 s fade; then 1.5 + 4 x 0.3 s to read it
    assert words.end - (words.start + 1.0) == pytest.approx(reading_time(4))
    assert end.end - (end.start + 0.5) == pytest.approx(END_HOLD)
    assert pacing_faults(scene.beats, scene.timeline) == []


def test_the_rules_catch_a_wall_of_text_and_a_play_outside_beats():
    scene, _ = render_scene(_TooWordy)
    faults = pacing_faults(scene.beats, scene.timeline)
    assert any("20 new words" in f for f in faults)
    assert any("outside every beat" in f for f in faults)
    assert any("ends 0.00s after" in f for f in faults)
    assert scene.beats[0].duration == pytest.approx(0.5 + MAX_STILL)


class _ReadAlong(NNVizScene):
    def construct(self) -> None:
        words = Text("a b c d e f g h i j k l m n o p q r s t", font_size=20)
        with self.beat("wall", "Many words, read while something moves.", last=True):
            self.play(FadeIn(words), run_time=0.5)
            assert self.unread() > 0
            self.read_along(words)
            assert self.unread() == 0


def test_read_along_moves_while_a_wall_of_text_is_read():
    scene, _ = render_scene(_ReadAlong)
    assert pacing_faults(scene.beats, scene.timeline) == []
    wall = scene.beats[0]
    assert wall.duration >= 0.5 + reading_time(20) - 1e-6


def test_speed_scales_the_holds():
    slow, _ = render_scene(_Paced)
    fast, _ = render_scene(_Paced.configured(_Paced.Config(speed=2.0)))
    assert fast.beats[-1].end == pytest.approx(slow.beats[-1].end / 2)


@pytest.mark.parametrize("name", BEAT_SCENES)
def test_scene_keeps_the_pacing_rules(name):
    scene, _ = render_scene(name, (160, 90))
    assert pacing_faults(scene.beats, scene.timeline, scene.cfg.speed) == []
    assert all(b.text.strip() and b.name for b in scene.beats)
    assert len({b.name for b in scene.beats}) == len(scene.beats)
