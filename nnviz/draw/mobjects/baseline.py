"""Text and numbers set on one baseline.

manim's `arrange` and `next_to` line mobjects up by their centres or edges. Beside a
Text label a DecimalNumber then sits too low or too high: "step" reaches below the line
with its p, and the digits come from LaTeX, in another font and size. These helpers move
each mobject so that its glyphs sit on the line the reference's glyphs sit on.
"""

from __future__ import annotations

import numpy as np
from manim import UP, Mobject


def baseline(mobject: Mobject) -> float:
    """The height the glyphs of a Text, MathTex or number sit on: the lowest glyph
    bottom that the most glyphs share (within 4 % of the tallest). Descenders (p, y) and
    raised signs (-, =) are outvoted; where votes tie (as in "E ="), the lower wins."""
    glyphs = mobject.family_members_with_points()
    if not glyphs:
        return float(mobject.get_bottom()[1])
    bottoms = np.array([g.get_bottom()[1] for g in glyphs])
    near = np.abs(bottoms[:, None] - bottoms[None, :]) <= 0.04 * max(g.height for g in glyphs)
    votes = near.sum(axis=1)
    return float(bottoms[votes == votes.max()].min())


def sit_on(mobject: Mobject, reference: Mobject) -> Mobject:
    """Move `mobject` up or down so that its glyphs sit on `reference`'s baseline."""
    return mobject.shift(UP * (baseline(reference) - baseline(mobject)))


def on_one_baseline(row: Mobject) -> Mobject:
    """Sit every part of `row` (a label and its numbers, already arranged left to
    right) on the first part's baseline."""
    for part in row.submobjects[1:]:
        sit_on(part, row.submobjects[0])
    return row


__all__ = ["baseline", "on_one_baseline", "sit_on"]
