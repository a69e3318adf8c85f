"""Numbers and formulas that are cheap to update every frame (manim 0.22, sped up).

Two costs dominated scenes whose readouts change every frame (issue 18):

* manim's ``DecimalNumber.set_value`` rebuilds every digit, even when the text on screen
  would not change (a slider crawling from 0.51 to 0.52 over ten frames);
* every digit is a copy of a cached glyph, and manim copies with ``deepcopy``, which
  also deep-copies each glyph's parsed SVG path (``path_obj``, an svgelements Path with
  all its segments) although nothing reads it after the points are made.

So nnviz's `DecimalNumber` and `Integer` (subclasses, exported by nnviz.draw.mobjects)
keep the digits when the new value shows the same text and the digits still have the
shape a rebuild would give them (only moved or scaled as a whole): the rebuild would
put the same glyphs in the same place. They still set the value and recolour the digits
the way manim's rebuild ends (``init_colors``). Copies of them, and of nnviz's
`MathTex`, `Tex` and `Text`, share those parsed SVG paths instead of copying them (the
points, colours and everything else are copied as before); animations copy formulas at
every start, so this speeds up every FadeIn, Transform and Write of a formula.

Nothing is assigned to manim's classes; scenes get this by using these classes. With
NNVIZ_STOCK_MANIM=1, or on a manim release other than 0.22, they behave exactly as
manim's (`active()` is checked on every call).
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from manim import DecimalNumber as _DecimalNumber
from manim import MathTex as _MathTex
from manim import Tex as _Tex
from manim import Text as _Text
from manim.mobject.mobject import Mobject
from manim.mobject.text.numbers import string_to_mob_map

from nnviz.draw.patches import stock

_SHARED = ("path_obj",)  # parsed once, read only while making points: safe to share


def active() -> bool:
    """True when nnviz's speed-ups apply (manim 0.22, NNVIZ_STOCK_MANIM unset)."""
    return not stock()


def _shared(mob: Mobject, memo: dict[int, Any]) -> dict[int, Any]:
    """`memo` with the parsed SVG paths of `mob`'s family marked as already copied
    (deepcopy then keeps them shared)."""
    for m in mob.get_family():
        for attr in _SHARED:
            value = m.__dict__.get(attr)
            if value is not None:
                memo.setdefault(id(value), value)
    return memo


def fast_copy(mob: Mobject) -> Mobject:
    """`mob.copy()`, sharing the parsed SVG paths it holds instead of copying them."""
    if not active():
        return mob.copy()
    return copy.deepcopy(mob, _shared(mob, {}))


class SharedPaths:
    """Mixin: deep copies (``copy()``, and copies of groups holding this) share the
    parsed SVG paths; everything else is copied as manim copies it."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if active():
            _shared(self, memo)  # type: ignore[arg-type]
        return Mobject.__deepcopy__(self, memo)  # type: ignore[arg-type]


class MathTex(SharedPaths, _MathTex):
    """manim's MathTex; copies share the parsed glyph paths."""


class Tex(SharedPaths, _Tex):
    """manim's Tex; copies share the parsed glyph paths."""


class Text(SharedPaths, _Text):
    """manim's Text; copies share the parsed glyph paths."""


def _shape(mob: Mobject) -> np.ndarray | None:
    """The points of `mob`'s family, centred and scaled to a unit size (None: no size),
    so that a number that was only moved or scaled has the same shape."""
    pts = [m.points for m in mob.get_family() if len(m.points)]
    if not pts:
        return None
    p = np.concatenate(pts)
    lo, hi = p.min(axis=0), p.max(axis=0)
    size = float((hi - lo).max())
    if size <= 0 or not np.isfinite(size):
        return None
    return (p - (lo + hi) / 2) / size


class DecimalNumber(SharedPaths, _DecimalNumber):
    """manim's DecimalNumber, cheap to update every frame: `set_value` keeps the digits
    when the text shown would not change, and digits are copied without their parsed
    paths. Frames are those of manim's DecimalNumber."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._remember()

    def _text_key(self, number: float) -> tuple:
        """Everything a rebuild's glyphs depend on, for `number`."""
        return (self._get_num_string(number), self.unit, self.show_ellipsis, self.mob_class,
                self.include_background_rectangle, self.digit_buff_per_font_unit,
                self.unit_buff_per_font_unit, self._font_size)

    def _family_key(self) -> tuple:
        return tuple((id(m), len(m.points)) for m in self.get_family())

    def _remember(self) -> None:
        """Note what the digits are right after a rebuild."""
        self._nnviz_shown = (self._text_key(self.number), self._family_key(), _shape(self))

    def _shows_same(self, number: float) -> bool:
        """A rebuild for `number` would draw exactly what is drawn now."""
        shown = getattr(self, "_nnviz_shown", None)
        if shown is None or shown[2] is None:
            return False
        text, family, shape = shown
        if text != self._text_key(number) or family != self._family_key():
            return False
        now = _shape(self)
        return now is not None and now.shape == shape.shape and \
            bool(np.allclose(now, shape, rtol=0.0, atol=1e-9))

    def set_value(self, number: float) -> DecimalNumber:
        """manim's set_value; when the text would not change, the digits stay."""
        if not active():
            return super().set_value(number)
        if self._shows_same(number):
            self.number = number
            self.init_colors()  # as manim's rebuild ends: digits take the number's style
            return self
        super().set_value(number)
        self._remember()
        return self

    def _string_to_mob(self, string: str, mob_class: type | None = None,
                       **kwargs: Any) -> Mobject:
        """manim's glyph for `string` (from its own cache), copied without its paths."""
        if not active():
            return super()._string_to_mob(string, mob_class, **kwargs)
        if string not in string_to_mob_map:
            string_to_mob_map[string] = (mob_class or self.mob_class)(string, **kwargs)
        mob = fast_copy(string_to_mob_map[string])
        mob.font_size = self._font_size
        return mob


class Integer(DecimalNumber):
    """manim's Integer (no decimals), with nnviz's cheap updates."""

    def __init__(self, number: float = 0, num_decimal_places: int = 0, **kwargs: Any) -> None:
        super().__init__(number=number, num_decimal_places=num_decimal_places, **kwargs)

    def get_value(self) -> int:
        return int(np.round(super().get_value()))


__all__ = ["DecimalNumber", "Integer", "MathTex", "Tex", "Text", "active", "fast_copy"]
