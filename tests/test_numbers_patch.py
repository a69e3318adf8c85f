"""nnviz's DecimalNumber, Integer, MathTex, Tex and Text (nnviz.draw.patches.numbers)
draw exactly what manim's do: the same points and colours after any run of set_value,
and the same frames in the scenes that update numbers every frame, with the speed-ups on
and off."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DOWN, RED, RIGHT, Square
from manim import DecimalNumber as ManimDecimal
from manim import Integer as ManimInteger
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter

from nnviz.draw import patches
from nnviz.draw.patches import numbers
from nnviz.draw.patches.numbers import DecimalNumber, Integer, MathTex, Text
from nnviz.pipeline.testing import render_scene


def _same_drawing(a, b) -> None:
    """Same family shape, colours exactly, points to float rounding."""
    fa, fb = a.get_family(), b.get_family()
    assert [len(m.points) for m in fa] == [len(m.points) for m in fb]
    for p, q in zip(fa, fb, strict=True):
        np.testing.assert_allclose(p.points, q.points, rtol=0, atol=1e-12)
        np.testing.assert_array_equal(p.fill_rgbas, q.fill_rgbas)
        np.testing.assert_array_equal(p.stroke_rgbas, q.stroke_rgbas)


@pytest.fixture
def on(monkeypatch):
    monkeypatch.delenv(patches.STOCK_ENV, raising=False)
    assert numbers.active()


def test_set_value_matches_manim_and_keeps_unchanged_digits(on) -> None:
    anchor = Square()
    ours = DecimalNumber(0.5, include_sign=True, font_size=34, color=RED)
    theirs = ManimDecimal(0.5, include_sign=True, font_size=34, color=RED)
    for x in (0.501, 0.502, 0.51, 0.512, -0.3, -0.3001, 0.0, -0.001, 12.0, 12.004):
        digits = list(ours.submobjects)
        same_text = ours._get_num_string(x) == ours._get_num_string(ours.number)
        for n in (ours, theirs):
            n.set_value(x)
            n.next_to(anchor, RIGHT)
        _same_drawing(ours, theirs)
        assert ours.get_value() == theirs.get_value() == x
        # the digits were kept exactly when the text did not change
        assert (ours.submobjects == digits) == same_text


def test_scaled_number_skips_and_matches(on) -> None:
    ours, theirs = DecimalNumber(3.14159), ManimDecimal(3.14159)
    for n in (ours, theirs):
        n.scale(1.7).shift(DOWN)
    digits = list(ours.submobjects)
    for n in (ours, theirs):
        n.set_value(3.141)
    assert ours.submobjects == digits
    _same_drawing(ours, theirs)


def test_reshaped_digits_are_rebuilt_like_manim(on) -> None:
    """A number rotated or half drawn is rebuilt, as manim's set_value does."""
    ours, theirs = DecimalNumber(2.5), ManimDecimal(2.5)
    for n in (ours, theirs):
        n.rotate(0.3)
    digits = list(ours.submobjects)
    for n in (ours, theirs):
        n.set_value(2.5)
    assert ours.submobjects != digits
    _same_drawing(ours, theirs)
    for n in (ours, theirs):
        n[0].pointwise_become_partial(n[0].copy(), 0, 0.4)
        n.set_value(2.5)
    _same_drawing(ours, theirs)


def test_integer_and_switched_off(monkeypatch) -> None:
    monkeypatch.setenv(patches.STOCK_ENV, "1")
    assert not numbers.active()
    ours, theirs = Integer(7), ManimInteger(7)
    digits = list(ours.submobjects)
    for n in (ours, theirs):
        n.set_value(7.2)
    assert ours.submobjects != digits  # stock: always rebuilt
    assert ours.get_value() == theirs.get_value() == 7
    assert isinstance(ours, ManimInteger)
    _same_drawing(ours, theirs)


def test_copies_share_parsed_paths_only(on) -> None:
    for mob in (MathTex(r"\frac{dE}{dw_1} = 0.53"), Text("step"), DecimalNumber(-1.25)):
        twin = mob.copy()
        _same_drawing(mob, twin)
        pairs = [(a, b) for a, b in zip(mob.get_family(), twin.get_family(), strict=True)
                 if hasattr(a, "path_obj")]
        assert pairs and all(a.path_obj is b.path_obj for a, b in pairs)
        assert all(a is not b and a.points is not b.points for a, b in pairs)
        twin.shift(RIGHT).set_color(RED)
        assert not np.array_equal(mob.get_center(), twin.get_center())
        assert mob.get_color() != twin.get_color()


def _frames(name: str, upto: int, monkeypatch, fast: bool) -> list[np.ndarray]:
    """Every frame of `name`'s first `upto` animations, small, with the speed-ups on or
    off (nnviz's cameras either way)."""
    monkeypatch.delenv(patches.STOCK_ENV, raising=False)
    monkeypatch.setattr(numbers, "active", (lambda: True) if fast else (lambda: False))
    frames: list[np.ndarray] = []

    def add_frame(self, frame, num_frames: int = 1) -> None:
        if not self.skip_animations:
            frames.append(np.asarray(frame)[..., :3].copy())

    monkeypatch.setattr(CairoRenderer, "add_frame", add_frame)
    monkeypatch.setattr(SceneFileWriter, "finish", lambda self: None)  # no movie to join
    render_scene(name, (240, 136), manim_config={
        "save_last_frame": False, "write_to_movie": False, "upto_animation_number": upto})
    return frames


@pytest.mark.render
@pytest.mark.parametrize(("name", "upto"), [
    ("bent-line", 12), ("fitting-a-line", 10), ("training-you-can-watch", 6),
    ("chain-rule", 12), ("weighted-sum", 8)])
def test_scene_frames_are_unchanged(name, upto, monkeypatch) -> None:
    """The scenes whose numbers change every frame: every frame of their first
    animations is pixel for pixel the same with the speed-ups and without."""
    fast = _frames(name, upto, monkeypatch, fast=True)
    slow = _frames(name, upto, monkeypatch, fast=False)
    assert len(fast) == len(slow) > 30
    moving = sum(not np.array_equal(a, b) for a, b in zip(fast, fast[1:], strict=False))
    assert moving > 10  # the slice animates
    for k, (a, b) in enumerate(zip(fast, slow, strict=True)):
        diff = np.abs(a.astype(int) - b.astype(int))
        assert diff.max() == 0, f"{name} frame {k}: {np.count_nonzero(diff.max(-1))} px differ"


def test_parts_copy_cheaply_and_stay_manims(on) -> None:
    """A glyph copied alone (as Transform does for extra glyphs) shares its parsed path;
    every part is still an instance of manim's own class, with manim's name."""
    from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath

    formula = MathTex(r"\\Delta E = w_2\\,\\Delta y = 0.125")
    number = DecimalNumber(-3.5)
    for mob in (formula, number):
        glyphs = [m for m in mob.get_family() if hasattr(m, "path_obj")]
        assert glyphs
        for g in glyphs:
            assert isinstance(g, VMobjectFromSVGPath)
            assert type(g).__name__ == "VMobjectFromSVGPath"
            twin = g.copy()
            assert twin.path_obj is g.path_obj and twin.points is not g.points
            np.testing.assert_array_equal(twin.points, g.points)


def test_layout_from_boxes_is_manims(on) -> None:
    """Digits laid out from numpy boxes (no sign or commas) land where manim's arrange,
    next_to and move_to put them: with a unit, decimals, a '+' sign, scaled and moved."""
    from manim import LEFT, UP

    cases = [dict(num_decimal_places=0, unit=r"\%", font_size=38),
             dict(num_decimal_places=3, font_size=30),
             dict(num_decimal_places=1, include_sign=True, unit=r"\,\mathrm{s}"),
             dict(num_decimal_places=0, group_with_commas=False, font_size=26 * 1.45)]
    for kw in cases:
        ours, theirs = DecimalNumber(7, **kw), ManimDecimal(7, **kw)
        _same_drawing(ours, theirs)
        for n in (ours, theirs):
            n.scale(1.3).move_to(2 * LEFT + UP)
        for x in (93, 100, 0.5, 1234.5678, 8, 12, 4999, 3.25):
            for n in (ours, theirs):
                n.set_value(x)
            _same_drawing(ours, theirs)
            assert ours.initial_height == pytest.approx(theirs.initial_height, abs=1e-12)
