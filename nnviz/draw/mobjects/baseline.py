"""Text and numbers set on one baseline, and rows of them laid out with numpy.

manim's `arrange` and `next_to` line mobjects up by their centres or edges. Beside a
Text label a DecimalNumber then sits too low or too high: "step" reaches below the line
with its p, and the digits come from LaTeX, in another font and size. These helpers move
each mobject so that its glyphs sit on the line the reference's glyphs sit on.

manim finds a mobject's edges by walking its family and asking each member for its
anchors (`get_critical_point`), a few hundred microseconds per glyph; a readout laid out
every frame spent more there than in drawing. `anchor_box` and `glyph_lines` read the
same anchors straight from the points arrays (cubic Beziers: every fourth point), so
`baseline`, `sit_on` and `NumberRow`'s layout give manim's positions at a fraction of
the cost; anything that is not made of cubic VMobjects goes through manim's own calls.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import ORIGIN, RIGHT, UP, DecimalNumber, Mobject, VGroup, VMobject


def _cubic(mobject: Mobject) -> bool:
    """True when every member is a VMobject of cubic curves (whose anchors we read)."""
    return all(isinstance(m, VMobject) and m.n_points_per_cubic_curve == 4
               for m in mobject.get_family())


def _anchors(points: np.ndarray) -> np.ndarray:
    """VMobject.get_anchors of one member: start and end anchors of each cubic curve
    (zip truncates to whole curves), or the single point."""
    if len(points) == 1:
        return points
    k = len(points[3::4])
    return np.concatenate([points[0::4][:k], points[3::4]])


def anchor_box(mobject: Mobject) -> np.ndarray | None:
    """(2, 3): min and max of the anchors of `mobject`'s family, the box manim's
    critical points (edges, centre) come from; None when nothing has points."""
    if not _cubic(mobject):
        if not mobject.get_family() or not any(len(m.points) for m in mobject.get_family()):
            return None
        lo = mobject.get_critical_point(-np.ones(3))
        hi = mobject.get_critical_point(np.ones(3))
        return np.array([lo, hi])
    parts = [_anchors(m.points) for m in mobject.get_family() if len(m.points)]
    if not parts:
        return None
    pts = np.concatenate(parts) if len(parts) > 1 else parts[0]
    return np.array([pts.min(axis=0), pts.max(axis=0)])


def glyph_lines(mobject: Mobject) -> tuple[np.ndarray, np.ndarray]:
    """For each member with points (manim's `family_members_with_points`): the bottom of
    its anchors (`get_bottom()[1]`) and its height (`height`: all its points)."""
    glyphs = mobject.family_members_with_points()
    if not _cubic(mobject):
        return (np.array([g.get_bottom()[1] for g in glyphs]),
                np.array([g.height for g in glyphs]))
    bottoms, heights = np.empty(len(glyphs)), np.empty(len(glyphs))
    for i, g in enumerate(glyphs):
        fam = [m.points for m in g.get_family() if len(m.points)] if g.submobjects else \
            [g.points]
        bottoms[i] = min(float(_anchors(p)[:, 1].min()) for p in fam)
        heights[i] = max(float(p[:, 1].max()) for p in fam) - min(float(p[:, 1].min())
                                                                  for p in fam)
    return bottoms, heights


def _baseline_of(bottoms: np.ndarray, heights: np.ndarray) -> float:
    near = np.abs(bottoms[:, None] - bottoms[None, :]) <= 0.04 * heights.max()
    votes = near.sum(axis=1)
    return float(bottoms[votes == votes.max()].min())


def baseline(mobject: Mobject) -> float:
    """The height the glyphs of a Text, MathTex or number sit on: the lowest glyph
    bottom that the most glyphs share (within 4 % of the tallest). Descenders (p, y) and
    raised signs (-, =) are outvoted; where votes tie (as in "E ="), the lower wins."""
    if not mobject.family_members_with_points():
        return float(mobject.get_bottom()[1])
    return _baseline_of(*glyph_lines(mobject))


def sit_on(mobject: Mobject, reference: Mobject) -> Mobject:
    """Move `mobject` up or down so that its glyphs sit on `reference`'s baseline."""
    return mobject.shift(UP * (baseline(reference) - baseline(mobject)))


def on_one_baseline(row: Mobject) -> Mobject:
    """Sit every part of `row` (a label and its numbers, already arranged left to
    right) on the first part's baseline."""
    if not row.submobjects:
        return row
    line = baseline(row.submobjects[0])
    for part in row.submobjects[1:]:
        part.shift(UP * (line - baseline(part)))
    return row


class NumberRow(VGroup):
    """Labels and numbers in one row (e.g. "step 120  accuracy 93%"), `gaps` apart
    (manim's `arrange(RIGHT)`), every part on the first part's baseline, the row's
    `edge` (ORIGIN: its centre; UP + LEFT: its top-left corner) at the point given to
    `place`. `set_values` gives the numbers new values and lays the row out again only
    when a number's text changed, from numpy boxes: the positions of arrange,
    on_one_baseline and move_to, at a fraction of their cost (a readout updated every
    frame spent more time being laid out than drawn)."""

    def __init__(self, *parts: Mobject, gaps: float | Sequence[float] = 0.18) -> None:
        super().__init__(*parts)
        n = max(len(parts) - 1, 0)
        self.gaps = [float(gaps)] * n if np.isscalar(gaps) else [float(g) for g in gaps]
        if len(self.gaps) != n:
            raise ValueError(f"NumberRow: {len(parts)} parts need {n} gaps, "
                             f"got {len(self.gaps)}")
        self.numbers = [p for p in parts if isinstance(p, DecimalNumber)]
        self.anchor: np.ndarray | None = None
        self.edge = np.array(ORIGIN, dtype=float)
        self.shown: tuple[str, ...] | None = None
        self.layout()

    def _texts(self) -> tuple[str, ...]:
        return tuple(n._get_num_string(n.number) for n in self.numbers)

    def place(self, point: Sequence[float], edge: Sequence[float] = ORIGIN) -> NumberRow:
        """Keep the row's `edge` (a direction, as move_to's aligned_edge) at `point`."""
        self.anchor = np.asarray(point, dtype=float)
        self.edge = np.asarray(edge, dtype=float)
        return self.layout()

    def set_values(self, *values: float) -> NumberRow:
        """One value per number, in order; the row moves only when a text changed."""
        for number, value in zip(self.numbers, values, strict=True):
            number.set_value(value)
        if self._texts() != self.shown:
            self.layout()
        return self

    def layout(self) -> NumberRow:
        """arrange(RIGHT, gaps), on_one_baseline, move_to(anchor, edge): one shift a part."""
        parts = self.submobjects
        boxes = [anchor_box(p) for p in parts]
        if not parts or any(b is None for b in boxes):
            return self._layout_by_manim()
        shifts = np.zeros((len(parts), 3))
        for k in range(1, len(parts)):  # m2.next_to(m1, RIGHT, buff): centres in y and z
            prev, box = boxes[k - 1] + shifts[k - 1], boxes[k]
            shifts[k] = [prev[1, 0] + self.gaps[k - 1] - box[0, 0],
                         (prev[0, 1] + prev[1, 1]) / 2 - (box[0, 1] + box[1, 1]) / 2,
                         (prev[0, 2] + prev[1, 2]) / 2 - (box[0, 2] + box[1, 2]) / 2]
        lines = [_baseline_of(*glyph_lines(p)) for p in parts]
        for k in range(1, len(parts)):  # sit on the first part's line
            shifts[k, 1] += (lines[0] + shifts[0, 1]) - (lines[k] + shifts[k, 1])
        if self.anchor is not None:
            lo = np.min([b[0] + s for b, s in zip(boxes, shifts, strict=True)], axis=0)
            hi = np.max([b[1] + s for b, s in zip(boxes, shifts, strict=True)], axis=0)
            # the box's critical point in direction `edge` (0: its middle), as manim's
            corner = np.where(self.edge > 0, hi, np.where(self.edge < 0, lo, (lo + hi) / 2))
            shifts += self.anchor - corner
        for part, s in zip(parts, shifts, strict=True):
            if s.any():
                part.shift(s)
        self.shown = self._texts()
        return self

    def _layout_by_manim(self) -> NumberRow:
        for m1, m2, gap in zip(self.submobjects, self.submobjects[1:], self.gaps,
                               strict=False):
            m2.next_to(m1, RIGHT, buff=gap)
        on_one_baseline(self)
        if self.anchor is not None:
            self.move_to(self.anchor, aligned_edge=self.edge)
        self.shown = self._texts()
        return self


__all__ = ["NumberRow", "anchor_box", "baseline", "glyph_lines", "on_one_baseline",
           "sit_on"]
