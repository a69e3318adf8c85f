"""Read the numbers a rendered scene shows, from its mobjects, for tests.

Control frames are blind to numbers (a wrong digit changes too few pixels), so the number
tests read them from the mobjects on screen at the last frame: every DecimalNumber and
Integer (with the label set just before it in its group, e.g. "step" or "E ="), and every
Text and MathTex that has a digit. Axis tick labels are left out (NumberLine, a LossCurve's
y ticks). A MathTex that was the start of a Transform keeps its old string while showing
the new glyphs; each MathTex is therefore typeset again from its string and compared with
the glyphs on screen, and one that differs is marked stale.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from manim import (
    DecimalNumber,
    MarkupText,
    MathTex,
    Mobject,
    NumberLine,
    SingleStringMathTex,
    Text,
    VMobject,
)
from scipy.spatial import cKDTree

from nnviz.draw.mobjects.loss_curve import LossCurve

NUMBER = r"([-+]?\d+(?:\.\d+)?)"
TEXTS = (Text, MarkupText, SingleStringMathTex)


@dataclass
class ShownNumber:
    label: str | None  # the text just before it in its group, normalised
    shown: str  # the digits on screen
    mob: DecimalNumber


@dataclass
class ShownText:
    text: str  # normalised: no spaces, '{-}' as '-', '{,}' dropped
    mob: Mobject
    fresh: bool = True  # False: the glyphs on screen are not this string's


@dataclass
class Screen:
    numbers: list[ShownNumber] = field(default_factory=list)
    texts: list[ShownText] = field(default_factory=list)


def normalise(s: str) -> str:
    return re.sub(r"\s+", "", s).replace("{-}", "-").replace("−", "-").replace("{,}", "")


def string_of(mob: Mobject) -> str:
    if isinstance(mob, (Text, MarkupText)):
        return mob.original_text
    return mob.tex_string


def visible(mob: Mobject) -> bool:
    for m in mob.family_members_with_points():
        if not isinstance(m, VMobject):
            return True
        if m.get_fill_opacity() > 0.01:
            return True
        if m.get_stroke_width() > 0 and m.get_stroke_opacity() > 0.01:
            return True
    return False


def _samples(mob: Mobject, k: int = 16) -> np.ndarray:
    """Points along every visible curve of `mob` (x, y)."""
    t = np.linspace(0.0, 1.0, k)[:, None, None]
    out = []
    for m in mob.family_members_with_points():
        if not visible(m) or len(m.points) < 4:
            continue
        c = m.points[: len(m.points) // 4 * 4].reshape(-1, 4, 3)
        pts = ((1 - t) ** 3 * c[:, 0] + 3 * (1 - t) ** 2 * t * c[:, 1]
               + 3 * (1 - t) * t**2 * c[:, 2] + t**3 * c[:, 3])
        out.append(pts.reshape(-1, 3)[:, :2])
    return np.concatenate(out) if out else np.zeros((0, 2))


def looks_like(mob: Mobject, ref: Mobject, tol: float = 0.012) -> bool:
    """Whether `mob` shows the glyphs of `ref` (a Text or MathTex made at the same size)."""
    ref = ref.copy().move_to(mob)
    a, b = _samples(mob), _samples(ref)
    if not len(a) or not len(b):
        return len(a) == len(b)
    return max(cKDTree(b).query(a)[0].max(), cKDTree(a).query(b)[0].max()) < tol


def read_screen(scene) -> Screen:
    """Every visible number and numeric text of the scene, in family order."""
    screen, seen = Screen(), set()

    def walk(mob: Mobject, parent: Mobject | None) -> None:
        if id(mob) in seen or isinstance(mob, NumberLine):
            return
        seen.add(id(mob))
        if isinstance(mob, DecimalNumber):
            if visible(mob):
                screen.numbers.append(ShownNumber(_label(mob, parent),
                                                  mob._get_num_string(mob.number), mob))
            return
        if isinstance(mob, TEXTS):
            text = string_of(mob)
            if re.search(r"\d", text) and visible(mob):
                fresh = (not isinstance(mob, SingleStringMathTex)
                         or looks_like(mob, MathTex(text, font_size=mob.font_size)))
                screen.texts.append(ShownText(normalise(text), mob, fresh))
            return
        skip = {id(mob.y_ticks)} if isinstance(mob, LossCurve) else set()
        for sub in mob.submobjects:
            if id(sub) not in skip:
                walk(sub, mob)

    for top in scene.mobjects:
        walk(top, None)
    return screen


def _label(mob: Mobject, parent: Mobject | None) -> str | None:
    if parent is None:
        return None
    before = parent.submobjects[: parent.submobjects.index(mob)]
    for sib in reversed(before):
        if isinstance(sib, TEXTS):
            return normalise(string_of(sib))
        if isinstance(sib, DecimalNumber):
            return None
    return None


def agrees(shown: str, expected: float) -> bool:
    """`shown` is `expected` rounded to the digits shown."""
    shown = shown.replace(",", "")
    digits = len(shown.split(".")[1]) if "." in shown else 0
    return abs(float(shown) - float(expected)) <= 0.5 * 10.0**-digits + 1e-9 * max(
        1.0, abs(expected))


def template(t: str) -> re.Pattern:
    """A literal text with '#' where a number stands (spaces ignored)."""
    parts = [re.escape(p) for p in normalise(t).split("#")]
    return re.compile(NUMBER.join(parts))


def check_screen(screen: Screen, numbers: dict[str | None, Sequence[float]],
                 texts: dict[str, Sequence[Sequence[float]]],
                 stale: Sequence[Mobject] = ()) -> None:
    """Every number on screen is one expected here, and agrees with it.

    numbers: label -> the values of the numbers with that label, in screen order.
    texts: template ('#' for each number) -> for each text it matches, in screen order,
    the values of its numbers. Every numeric text on screen must match a template.
    stale: what each stale MathTex, in screen order, must show (e.g. MathTex(s, font_size=24)).
    """
    problems: list[str] = []
    got: dict[str | None, list[str]] = defaultdict(list)
    for n in screen.numbers:
        got[n.label].append(n.shown)
    numbers = {None if k is None else normalise(k): v for k, v in numbers.items()}
    for label in sorted(set(got) | set(numbers), key=str):
        want = list(numbers.get(label, []))
        have = got.get(label, [])
        if len(want) != len(have) or not all(map(agrees, have, want)):
            problems.append(f"number '{label}': shown {have}, expected {want}")
    fresh = [t for t in screen.texts if t.fresh]
    used: set[int] = set()
    for pattern, want in texts.items():
        rx = template(pattern)
        hits = [(i, rx.fullmatch(t.text)) for i, t in enumerate(fresh)]
        hits = [(i, m) for i, m in hits if m]
        used |= {i for i, _ in hits}
        have = [m.groups() for _, m in hits]
        ok = len(have) == len(want) and all(
            len(h) == len(w) and all(map(agrees, h, w)) for h, w in zip(have, want, strict=True))
        if not ok:
            problems.append(f"text '{pattern}': shown {have}, expected {[tuple(w) for w in want]}")
    for i, t in enumerate(fresh):
        if i not in used:
            problems.append(f"unchecked text on screen: '{t.text}'")
    old = [t for t in screen.texts if not t.fresh]
    if len(old) != len(stale):
        problems.append(f"{len(old)} MathTex show other glyphs than their string "
                        f"({[t.text for t in old]}), expected {len(stale)}")
    else:
        for t, ref in zip(old, stale, strict=True):
            if not looks_like(t.mob, ref):
                problems.append(f"a MathTex reading '{t.text}' does not show "
                                f"'{string_of(ref)}'")
    assert not problems, "\n".join(problems)
