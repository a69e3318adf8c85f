"""PieceCounter: a live readout of how many straight pieces a ReLU curve has.

It shows exactly the count it is given (compute it with nnviz.pieces.count_linear_pieces
or FunctionGraph.n_pieces); it never estimates one itself.
"""

from __future__ import annotations

from collections.abc import Callable

from manim import RIGHT, VGroup

from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.patches.numbers import Integer, Text
from nnviz.spec.palette import PALETTE


class PieceCounter(VGroup):
    """'<label> 7' with the number updated by set_count(n) or follow(fn)."""

    def __init__(self, count: int = 0, label: str = "straight pieces:", *,
                 color: str = PALETTE["text"], number_color: str = PALETTE["highlight"],
                 font_size: float = 30) -> None:
        super().__init__()
        self.text = Text(label, font_size=font_size, color=color)
        self.number = Integer(int(count), font_size=font_size * 1.15, color=number_color)
        sit_on(self.number.next_to(self.text, RIGHT, buff=0.2), self.text)
        self.add(self.text, self.number)
        self.count = int(count)

    def set_count(self, count: int) -> PieceCounter:
        """Show `count` (an exact count from the core)."""
        count = int(count)
        if count != self.count:
            self.count = count
            left = self.number.get_left()
            self.number.set_value(count)
            self.number.move_to(left, aligned_edge=[-1, 0, 0])
        return self

    def follow(self, count: Callable[[], int]) -> PieceCounter:
        """Update every frame from count(), e.g. lambda: graph.n_pieces."""
        self.add_updater(lambda m: m.set_count(count()))
        return self


__all__ = ["PieceCounter"]
