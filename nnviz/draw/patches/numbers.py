"""Numbers and formulas that are cheap to update every frame (manim 0.22, sped up).

Two costs dominated scenes whose readouts change every frame (issue 18):

* manim's ``DecimalNumber.set_value`` rebuilds every digit, even when the text on screen
  would not change (a slider crawling from 0.51 to 0.52 over ten frames);
* every digit is a copy of a cached glyph, and manim copies with ``deepcopy``, which
  also deep-copies each glyph's parsed SVG path (``path_obj``, an svgelements Path with
  all its segments) although nothing reads it after the points are made, and every
  number, string and colour of every part.

So nnviz's `DecimalNumber` and `Integer` (subclasses, exported by nnviz.draw.mobjects)
keep the digits when the new value shows the same text and the digits still have the
shape a rebuild would give them (only moved or scaled as a whole): the rebuild would
put the same glyphs in the same place. They still set the value and recolour the digits
the way manim's rebuild ends (``init_colors``). Copies of them, and of nnviz's
`MathTex`, `Tex` and `Text`, share those parsed SVG paths and the values nothing
changes in place (numbers, strings, colours) instead of copying them; arrays and
everything else are copied as before. Digits are copied from a glyph already scaled to
the number's font size. Animations copy formulas at every start, so this speeds up
every FadeIn, Transform and Write of a formula too; the parts of these formulas and
numbers (glyphs, groups) are given the same cheap copies, since animations also copy
single glyphs.

Nothing is assigned to manim's classes; scenes get this by using these classes. With
NNVIZ_STOCK_MANIM=1, or on a manim release other than 0.22, they behave exactly as
manim's (`active()` is checked on every call).
"""

from __future__ import annotations

import copy
import types
from enum import Enum
from pathlib import PurePath
from typing import Any

import numpy as np
from manim import DecimalNumber as _DecimalNumber
from manim import Integer as _Integer
from manim import MathTex as _MathTex
from manim import Tex as _Tex
from manim import Text as _Text
from manim import config
from manim.constants import RendererType
from manim.mobject.mobject import Mobject
from manim.mobject.text.numbers import string_to_mob_map
from manim.mobject.text.tex_mobject import SingleStringMathTex
from manim.utils.color import ManimColor

from nnviz.draw.patches import stock

_SHARED = ("path_obj",)  # parsed once, read only while making points: safe to share
# values a copy may share with its original: nothing changes them in place
_IMMUTABLE = (int, float, complex, str, bytes, type(None), Enum, PurePath, np.generic,
              ManimColor)


def active() -> bool:
    """True when nnviz's speed-ups apply (manim 0.22, NNVIZ_STOCK_MANIM unset)."""
    return not stock()


def _value(v: Any, memo: dict[int, Any]) -> Any:
    """A copy of one attribute for `_clone`: mobjects (in lists, tuples and dicts too)
    cloned, arrays copied, immutable values shared, anything else deep-copied."""
    if isinstance(v, _IMMUTABLE):
        return v
    done = memo.get(id(v))
    if done is not None:
        return done
    if isinstance(v, Mobject):
        return _clone(v, memo)
    if isinstance(v, np.ndarray) and v.dtype != object:
        return v.copy()
    if type(v) is list:
        memo[id(v)] = out = []
        out.extend(_value(x, memo) for x in v)
        return out
    if type(v) is dict and all(isinstance(k, _IMMUTABLE) for k in v):
        memo[id(v)] = out = {}
        out.update((k, _value(x, memo)) for k, x in v.items())
        return out
    if type(v) is tuple:
        return tuple(_value(x, memo) for x in v)
    return copy.deepcopy(v, memo)


def _clone(mob: Mobject, memo: dict[int, Any]) -> Mobject:
    """What ``copy.deepcopy(mob, memo)`` makes, without copying what cannot change: the
    parsed SVG paths, numbers, strings and colours are shared, arrays copied, mobjects
    (submobjects, and those an SVG keeps by id) cloned the same way, anything else
    deep-copied as manim does."""
    cls = mob.__class__
    new = cls.__new__(cls)
    memo[id(mob)] = new
    attrs = {k: v if k in _SHARED else _value(v, memo) for k, v in mob.__dict__.items()}
    attrs["original_id"] = str(id(mob))  # as Mobject.__deepcopy__
    new.__dict__.update(attrs)
    return new


class SharedPaths:
    """Mixin: deep copies (``copy()``, and copies of groups holding this) share the
    parsed SVG paths and immutable values; everything else is copied as manim copies."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        if active():
            return _clone(self, memo)  # type: ignore[arg-type]
        return Mobject.__deepcopy__(self, memo)  # type: ignore[arg-type]


_FAST: dict[type, type] = {}  # manim class -> the same with SharedPaths


def _fast_class(cls: type) -> type:
    """`cls` with SharedPaths first: same name, same behaviour, cheaper copies."""
    fast = _FAST.get(cls)
    if fast is None:
        fast = types.new_class(cls.__name__, (SharedPaths, cls))
        fast.__module__, fast.__qualname__ = cls.__module__, cls.__qualname__
        _FAST[cls] = fast
    return fast


def _adopt(mob: Mobject) -> Mobject:
    """Give every part of `mob` cheap copies too: animations copy single glyphs (a
    Transform between formulas of different lengths copies the extra ones), which
    manim's deepcopy does with their parsed paths. Only these instances change class,
    to a subclass of their own; manim's classes stay as they are."""
    for m in mob.get_family():
        if not isinstance(m, SharedPaths):
            m.__class__ = _fast_class(type(m))
    return mob


class FastCopies(SharedPaths):
    """Mixin for formulas and texts: made as manim makes them, then every part adopted
    (`_adopt`) when the speed-ups are on."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if active():
            _adopt(self)  # type: ignore[arg-type]


class MathTex(FastCopies, _MathTex):
    """manim's MathTex; copies (of it and of its parts) share the parsed glyph paths."""


class Tex(FastCopies, _Tex):
    """manim's Tex; copies (of it and of its parts) share the parsed glyph paths."""


class Text(FastCopies, _Text):
    """manim's Text; copies (of it and of its parts) share the parsed glyph paths."""


# manim's glyph for a string (its string_to_mob_map), scaled to a font size, by (id of the
# glyph, font size); the glyph is kept to tell a reused id from the same glyph
_SIZED: dict[tuple[int, float], tuple[Mobject, Mobject]] = {}


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


# digits of a number's text, laid out once (see DecimalNumber._prototype)
_PROTOTYPES: dict[tuple, tuple[list[Mobject], float, int | None]] = {}
_SHOWN: set[tuple] = set()  # texts laid out once already


def _anchor_box(mob: Mobject) -> np.ndarray | None:
    """(2, 3) min and max of the anchors (every fourth point, both ends of each cubic)
    of `mob`'s family: the box manim's critical points come from. None when a member is
    not made of cubic curves or nothing has points."""
    parts = []
    for m in mob.get_family():
        if getattr(m, "n_points_per_cubic_curve", None) != 4:
            return None
        p = m.points
        if len(p) == 1:
            parts.append(p)
        elif len(p):
            k = len(p[3::4])
            parts.extend((p[0::4][:k], p[3::4]))
    if not parts:
        return None
    pts = np.concatenate(parts)
    return np.array([pts.min(axis=0), pts.max(axis=0)])


def _plain_style(family: list[Mobject]) -> bool:
    """Single-colour fill, stroke and background stroke and no background image on every
    member: what `init_colors` sets alone, so `match_style` before it changes nothing."""
    for m in family:
        if getattr(m, "background_image", None) is not None:
            return False
        for name in ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas"):
            rgbas = getattr(m, name, None)
            if rgbas is not None and len(rgbas) != 1:
                return False
    return True


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
        if self.show_ellipsis or self.include_background_rectangle:
            super().set_value(number)  # layouts that read more than the text
        else:
            self._rebuild(number)
        self._remember()
        return self

    def _rebuild(self, number: float) -> None:
        """manim's set_value (0.22), two costs lighter: digits of a text shown before are
        cloned from the layout made then (`_set_submobjects_from_number` copies glyph by
        glyph and arranges them), and `match_style` is skipped where `init_colors`, which
        ends the rebuild, sets every colour it would copy (single-colour fills and
        strokes, no background image on any digit)."""
        key = (type(self), self._text_key(number), self.include_sign, self.group_with_commas,
               self.num_decimal_places)
        old_family = self.get_family()
        old_font_size = self.font_size
        move_to_point = self.get_edge_center(self.edge_to_fix)
        old_submobjects = self.submobjects
        proto = _PROTOTYPES.get(key)
        if proto is not None:
            subs, height, unit = proto
            memo: dict[int, Any] = {}
            self.number = number
            self.submobjects = [_clone(m, memo) for m in subs]
            if unit is not None:
                self.unit_sign = self.submobjects[unit]
            self.initial_height = height
        else:
            self._set_submobjects_from_number(number)
            if key in _SHOWN:  # shown twice: keep its layout (a counter's texts are not)
                memo = {}
                unit = next((k for k, m in enumerate(self.submobjects)
                             if m is getattr(self, "unit_sign", None)), None)
                _PROTOTYPES[key] = ([_clone(m, memo) for m in self.submobjects],
                                    self.initial_height, unit)
            _SHOWN.add(key)
        self.font_size = old_font_size
        self.move_to(move_to_point, self.edge_to_fix)
        if not (_plain_style(old_family) and _plain_style(self.get_family())):
            for sm1, sm2 in zip(self.submobjects, old_submobjects, strict=False):
                sm1.match_style(sm2)
        if config.renderer == RendererType.CAIRO:
            for mob in old_family:
                mob.points[:] = 0  # as manim: old digits an animation still holds vanish
        self.init_colors()

    def _set_submobjects_from_number(self, number: float) -> None:
        """manim's layout of the digits (0.22): each next to the last, bottoms aligned,
        the unit after them, all centred on the origin; the same translations computed
        from numpy boxes of the glyphs' anchors (manim's critical points) and applied
        once per glyph, instead of manim's next_to, center and move_to, each of which
        walks the glyphs' families. Strings with a minus sign or commas (aligned one by
        one), ellipses, background rectangles and raised units go through manim."""
        num_string = self._get_num_string(number)
        if (not active() or self.show_ellipsis or self.include_background_rectangle
                or "-" in num_string or "," in num_string
                or (self.unit is not None and self.unit.startswith("^"))):
            return super()._set_submobjects_from_number(number)
        self.number = number
        self.submobjects = []
        parts = [self._string_to_mob(c) for c in num_string]
        if self.unit is not None:
            self.unit_sign = self._string_to_mob(self.unit, SingleStringMathTex)
            parts.append(self.unit_sign)
        boxes = [_anchor_box(p) for p in parts]
        if any(b is None for b in boxes):
            return super()._set_submobjects_from_number(number)
        n_digits = len(num_string)
        shifts = np.zeros((len(parts), 3))
        buff = self.digit_buff_per_font_unit * self._font_size
        for k in range(1, n_digits):  # m2.next_to(m1, RIGHT, buff, aligned_edge=DOWN)
            prev, box = boxes[k - 1] + shifts[k - 1], boxes[k]
            shifts[k] = [prev[1, 0] + buff - box[0, 0], prev[0, 1] - box[0, 1],
                         (prev[0, 2] + prev[1, 2]) / 2 - (box[0, 2] + box[1, 2]) / 2]
        lo = np.min([b[0] + t for b, t in zip(boxes[:n_digits], shifts, strict=False)], axis=0)
        hi = np.max([b[1] + t for b, t in zip(boxes[:n_digits], shifts, strict=False)], axis=0)
        shifts[:n_digits] -= (lo + hi) / 2  # arrange's center()
        lo, hi = lo - (lo + hi) / 2, hi - (lo + hi) / 2
        if self.unit is not None:  # unit.next_to(digits, RIGHT, buff, aligned_edge=DOWN)
            box = boxes[-1]
            unit_buff = (self.unit_buff_per_font_unit + self.digit_buff_per_font_unit) * \
                self._font_size
            shifts[-1] = [hi[0] + unit_buff - box[0, 0], lo[1] - box[0, 1],
                          (lo[2] + hi[2]) / 2 - (box[0, 2] + box[1, 2]) / 2]
        lo = np.min([b[0] + t for b, t in zip(boxes, shifts, strict=True)], axis=0)
        hi = np.max([b[1] + t for b, t in zip(boxes, shifts, strict=True)], axis=0)
        shifts -= (lo + hi) / 2  # move_to(ORIGIN)
        for part, t in zip(parts, shifts, strict=True):
            part.shift(t)
        self.add(*parts)
        self.initial_height = self.height
        return None

    def _string_to_mob(self, string: str, mob_class: type | None = None,
                       **kwargs: Any) -> Mobject:
        """manim's glyph for `string` (from its own cache), copied without its paths
        and without the SVG's groups by id."""
        if not active():
            return super()._string_to_mob(string, mob_class, **kwargs)
        if string not in string_to_mob_map:
            string_to_mob_map[string] = (mob_class or self.mob_class)(string, **kwargs)
        template = string_to_mob_map[string]
        key = (id(template), self._font_size)
        sized = _SIZED.get(key)
        if sized is None or sized[0] is not template:
            glyph = _adopt(_clone(template, {}))
            glyph.font_size = self._font_size  # what manim does to each copy, done once
            # the SVG's groups by id, read only by get_part_by_tex / set_color_by_tex (no
            # one asks a single digit for its parts): cloning its eight VGroups was
            # 60 % of copying a digit
            if isinstance(getattr(glyph, "id_to_vgroup_dict", None), dict):
                glyph.id_to_vgroup_dict = {}
            _SIZED[key] = sized = (template, glyph)
        return _clone(sized[1], {})


class Integer(DecimalNumber, _Integer):
    """manim's Integer (no decimals, an int value), with nnviz's cheap updates."""

    def __init__(self, number: float = 0, num_decimal_places: int = 0, **kwargs: Any) -> None:
        super().__init__(number=number, num_decimal_places=num_decimal_places, **kwargs)


__all__ = ["DecimalNumber", "Integer", "MathTex", "Tex", "Text", "active"]
