"""A colour legend: a swatch beside each meaning. Shown the first time a colour carries a
meaning in a scene (the visual language of DESIGN.md)."""

from __future__ import annotations

from collections.abc import Sequence

from manim import RIGHT, Line, Square, VGroup

from nnviz.draw.patches.numbers import Text
from nnviz.spec.palette import PALETTE


class Legend(VGroup):
    """Rows of (swatch, words), one per (colour, meaning); `kind` picks the swatch: a short
    thick line for edges and curves, a square for cells and regions."""

    def __init__(self, entries: Sequence[tuple[str, str]], *, kind: str = "line",
                 font_size: int = 22, text_color: str | None = None, direction=RIGHT,
                 buff: float = 0.45) -> None:
        super().__init__()
        for colour, words in entries:
            if kind == "square":
                swatch = Square(side_length=0.24, fill_color=colour, fill_opacity=1.0,
                                stroke_width=1, stroke_color=PALETTE["muted"])
            else:
                swatch = Line(0.22 * RIGHT * -1, 0.22 * RIGHT, color=colour, stroke_width=7)
            text = Text(words, font_size=font_size, color=text_color or PALETTE["text"])
            self.add(VGroup(swatch, text).arrange(RIGHT, buff=0.14))
        if direction is RIGHT:
            self.arrange(RIGHT, buff=buff)
        else:  # a column, swatches aligned on the left
            self.arrange(direction, buff=buff * 0.4, aligned_edge=-RIGHT)


def weight_legend(palette: dict[str, str], kind: str = "line", font_size: int = 22,
                  direction=RIGHT) -> Legend:
    """What the weight colours mean: positive and negative weight."""
    return Legend([(palette["positive"], "positive weight"),
                   (palette["negative"], "negative weight")], kind=kind, font_size=font_size,
                  direction=direction)


__all__ = ["Legend", "weight_legend"]
