"""Letters and formulas copy without the SVG path they were made from.

Every glyph of a manim Text, MathTex or number is a ``VMobjectFromSVGPath`` that keeps
the parsed SVG path (an svgelements ``Path``, ``path_obj``) it turned into Bezier points
when it was built. manim 0.22 never reads it again, yet every copy deep-copies it: 85 %
of the time a Text takes to copy (23 ms for a 33-glyph line, 3.5 ms without), and
manim copies a lot: each FadeIn, Transform and Indicate copies its mobject (and the
target), and every Text, MathTex or DecimalNumber digit is itself built as a copy of a
cached one (``SVG_HASH_TO_MOB_MAP``, numbers' ``string_to_mob_map``).

`drop_svg_sources` sets ``path_obj`` to None on the glyphs of the mobjects a play is
about to copy and of those caches; the points, and so every frame, stay the same.
The renderer calls it before each play (see frame_handoff.Renderer).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from manim.mobject.mobject import Mobject
from manim.mobject.svg import svg_mobject
from manim.mobject.svg.svg_mobject import VMobjectFromSVGPath
from manim.mobject.text import numbers

_SEEN: dict[str, int] = {}  # entries of each glyph cache already done (they only grow)


def _drop(mobjects: Iterable[Any]) -> None:
    for mob in mobjects:
        if not isinstance(mob, Mobject):
            continue
        for member in mob.get_family():
            if isinstance(member, VMobjectFromSVGPath) and member.path_obj is not None:
                member.path_obj = None


def play_mobjects(args: Iterable[Any]) -> list[Any]:
    """The mobjects the arguments of ``Scene.play`` animate (and transform into)."""
    found = []
    for arg in args:
        if isinstance(arg, Mobject):
            found.append(arg)
            continue
        for name in ("mobject", "target_mobject"):
            mob = getattr(arg, name, None)
            if isinstance(mob, Mobject):
                found.append(mob)
    return found


def drop_svg_sources(mobjects: Iterable[Any]) -> None:
    """Forget the SVG paths of the glyphs in `mobjects` (and their families) and in
    manim's glyph caches (SVG_HASH_TO_MOB_MAP, numbers' string_to_mob_map, only the
    entries added since the last call); their points stay."""
    _drop(mobjects)
    for name, cache in (("svg", svg_mobject.SVG_HASH_TO_MOB_MAP),
                        ("digits", numbers.string_to_mob_map)):
        seen = _SEEN.get(name, 0)
        seen = seen if len(cache) >= seen else 0  # emptied: from the start again
        if len(cache) > seen:
            _drop(list(cache.values())[seen:])
        _SEEN[name] = len(cache)
