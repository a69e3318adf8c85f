"""Labels and their numbers share one baseline: the glyphs that sit on the line (not
descenders like p, not raised signs like =) end at the same height."""

from __future__ import annotations

import pytest
from manim import RIGHT, DecimalNumber, Integer, MathTex, Text, VGroup

from nnviz.draw.mobjects.baseline import baseline, on_one_baseline, sit_on


def bottom(glyph) -> float:
    return float(glyph.get_bottom()[1])


def test_baseline_ignores_descenders_and_raised_signs() -> None:
    step = Text("step", font_size=26)  # s, t, e sit on the line; p hangs below it
    assert bottom(step[3]) < bottom(step[0]) - 0.03
    assert baseline(step) == pytest.approx(min(bottom(g) for g in step[:3]), abs=1e-9)
    eq = MathTex("E =", font_size=34)  # a tie between E and the raised '=': the lower
    glyphs = eq.family_members_with_points()
    assert baseline(eq) == pytest.approx(min(bottom(g) for g in glyphs))
    number = DecimalNumber(-0.25, num_decimal_places=2, font_size=34)  # '-' is raised
    digits = [g for g in number.family_members_with_points() if g.height > 0.5 * number.height]
    assert baseline(number) == pytest.approx(min(bottom(g) for g in digits), abs=0.01)


def test_numbers_sit_on_their_labels_line() -> None:
    label, number = Text("step", font_size=26), Integer(600, font_size=38)
    VGroup(label, number).arrange(RIGHT)  # centres aligned: the digits end lower
    gap = baseline(label) - baseline(number)
    assert abs(gap) > 0.02
    sit_on(number, label)
    assert baseline(number) == pytest.approx(baseline(label), abs=1e-9)
    row = VGroup(Text("accuracy", font_size=26), DecimalNumber(93, num_decimal_places=0,
                                                               unit=r"\%", font_size=38))
    on_one_baseline(row.arrange(RIGHT))
    assert baseline(row[1]) == pytest.approx(baseline(row[0]), abs=1e-9)
