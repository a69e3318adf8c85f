"""Labels and their numbers share one baseline: the glyphs that sit on the line (not
descenders like p, not raised signs like =) end at the same height."""

from __future__ import annotations

import pytest
from manim import RIGHT, UP, DecimalNumber, Integer, MathTex, Text, VGroup

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


def manims_baseline(mobject) -> float:
    """baseline() as written with manim's own calls (get_bottom, height): the reference
    the numpy version must give."""
    import numpy as np

    glyphs = mobject.family_members_with_points()
    bottoms = np.array([g.get_bottom()[1] for g in glyphs])
    near = np.abs(bottoms[:, None] - bottoms[None, :]) <= 0.04 * max(g.height for g in glyphs)
    votes = near.sum(axis=1)
    return float(bottoms[votes == votes.max()].min())


def test_baseline_reads_manims_anchors() -> None:
    """The numpy baseline is manim's, for texts, formulas and numbers (signs, units,
    commas), moved and scaled."""
    from manim import Square

    mobs = [Text("step", font_size=26), MathTex(r"a' = \sigma(Wa + b)", font_size=34),
            DecimalNumber(-1234.5, num_decimal_places=1, font_size=38),
            DecimalNumber(93, num_decimal_places=0, unit=r"\%", font_size=38),
            Integer(1_234_567, font_size=30).scale(1.7).shift(RIGHT * 2 + 0.3 * UP),
            VGroup(Text("zoom ×", font_size=24), Square(0.2))]
    for mob in mobs:
        assert baseline(mob) == pytest.approx(manims_baseline(mob), abs=1e-12)


def test_number_row_lays_out_as_manim() -> None:
    """NumberRow's numpy layout puts every point where arrange(RIGHT, gaps),
    sitting each part on the first one's baseline and move_to(anchor, edge) put them
    with manim's own calls; it moves only when a number's text changes."""
    import numpy as np
    from manim import LEFT, ORIGIN

    from nnviz.draw.mobjects import DecimalNumber as Dec
    from nnviz.draw.mobjects import Integer as Int
    from nnviz.draw.mobjects.baseline import NumberRow

    def parts():
        return (Text("step", font_size=26), Int(0, font_size=38, group_with_commas=False),
                Text("accuracy", font_size=26),
                Dec(0, num_decimal_places=0, unit=r"\%", font_size=38))

    for edge, anchor in ((ORIGIN, np.array([0.5, -3.72, 0.0])),
                         (UP + LEFT, np.array([-2.0, 1.0, 0.0]))):
        row = NumberRow(*parts(), gaps=(0.18, 0.48, 0.18)).place(anchor, edge)
        ref = VGroup(*parts())
        for step, acc in ((0, 0), (7, 51), (120, 93), (4999, 100), (-3, 8)):
            row.set_values(step, acc)
            ref[1].set_value(step)
            ref[3].set_value(acc)
            for m1, m2, gap in zip(ref, ref[1:], (0.18, 0.48, 0.18), strict=False):
                m2.next_to(m1, RIGHT, buff=gap)
            for part in ref[1:]:
                part.shift(UP * (manims_baseline(ref[0]) - manims_baseline(part)))
            ref.move_to(anchor, aligned_edge=edge)
            for a, b in zip(row.family_members_with_points(),
                            ref.family_members_with_points(), strict=True):
                np.testing.assert_allclose(a.points, b.points, rtol=0, atol=1e-9)
        before = [m.points.copy() for m in row.family_members_with_points()]
        row.set_values(-3.2, 8.4)  # the same text: nothing moves
        after = [m.points for m in row.family_members_with_points()]
        assert all(np.array_equal(a, b) for a, b in zip(before, after, strict=True))
    with pytest.raises(ValueError, match="gaps"):
        NumberRow(*parts(), gaps=(0.1,))
