"""Glyphs (Text, MathTex, numbers) forget the SVG path they were built from before a play
copies them: copies are several times cheaper, and nothing drawn changes."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    UP,
    DecimalNumber,
    FadeIn,
    Indicate,
    MathTex,
    Text,
    Transform,
    ValueTracker,
    Write,
)
from manim.mobject.svg import svg_mobject
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text import numbers

from nnviz.draw import patches
from nnviz.draw.patches.svg_sources import drop_svg_sources, play_mobjects
from nnviz.draw.scene import NNVizScene
from nnviz.pipeline.testing import render_scene


def glyphs(*mobs: object) -> list[VMobjectFromSVGPath]:
    return [m for mob in mobs for m in mob.get_family() if isinstance(m, VMobjectFromSVGPath)]


class Glyphs(NNVizScene):
    """Text, a formula and a number animated the ways scenes animate them."""

    def construct(self) -> None:
        title = Text("weights and biases", font_size=30).to_edge(UP)
        formula = MathTex(r"a' = \sigma(Wa + b)").shift(UP)
        number = DecimalNumber(0.0, num_decimal_places=2).shift(DOWN)
        t = ValueTracker(0.0)
        number.add_updater(lambda m: m.set_value(t.get_value()))
        self.play(FadeIn(title), Write(formula))
        self.add(number)
        self.play(t.animate.set_value(3.14), Indicate(title))
        self.play(Transform(formula, MathTex(r"E = (y - t)^2").shift(UP)))
        self.shown = (title, formula, number)


def test_a_copy_keeps_the_points_not_the_svg_path() -> None:
    text = Text("weights", font_size=30)
    assert all(g.path_obj is not None for g in glyphs(text))
    before = [m.points.copy() for m in text.get_family()]
    drop_svg_sources([text])
    copy = text.copy()
    assert glyphs(copy) and all(g.path_obj is None for g in glyphs(text, copy))
    for old, new in zip(before, (m.points for m in copy.get_family()), strict=True):
        np.testing.assert_array_equal(old, new)
    assert all(g.path_obj is None for g in glyphs(*svg_mobject.SVG_HASH_TO_MOB_MAP.values()))


def test_play_mobjects_finds_animated_and_target_mobjects() -> None:
    a, b = Text("a"), Text("b")
    found = play_mobjects([FadeIn(a), Transform(a, b), a.animate.shift(UP), b])
    assert all(any(m is x for x in found) for m in (a, b))


def test_scene_draws_the_same_and_its_glyphs_forget_their_paths(monkeypatch) -> None:
    monkeypatch.delenv(patches.STOCK_ENV, raising=False)
    scene, fast = render_scene(Glyphs)
    title, formula, number = scene.shown
    shown = glyphs(title, formula, number, *numbers.string_to_mob_map.values())
    assert len(shown) > 20 and all(g.path_obj is None for g in shown)
    monkeypatch.setenv(patches.STOCK_ENV, "1")
    _, stock = render_scene(Glyphs)
    assert fast.std() > 5
    np.testing.assert_array_equal(fast, stock)
