"""Slider: a value drawn as a knob on a track, with its name and live number."""

from __future__ import annotations

from manim import LEFT, RIGHT, Dot, Line, ValueTracker, VGroup

from nnviz.draw.patches.numbers import DecimalNumber, MathTex
from nnviz.spec.palette import PALETTE


class Slider(VGroup):
    """A horizontal slider for one number in [lo, hi]; `set_value(v)` moves the knob.

    `track(tracker)` keeps it on a ValueTracker every frame, so a scene animates the
    tracker and the slider, number and everything computed from it follow.
    """

    def __init__(self, name: str, lo: float, hi: float, value: float = 0.0, *,
                 length: float = 3.0, color: str = PALETTE["highlight"],
                 text_color: str = PALETTE["text"], font_size: float = 32,
                 decimals: int = 2) -> None:
        super().__init__()
        self.lo, self.hi = float(lo), float(hi)
        self.name = MathTex(name + "=", font_size=font_size, color=text_color)
        self.line = Line(LEFT * length / 2, RIGHT * length / 2, color=PALETTE["muted"],
                         stroke_width=4)
        self.name.next_to(self.line, LEFT, buff=0.25)
        self.knob = Dot(radius=0.11, color=color)
        self.number = DecimalNumber(value, num_decimal_places=decimals, font_size=font_size,
                                    color=color, include_sign=True)
        self.add(self.line, self.name, self.knob, self.number)
        self.set_value(value)

    def set_value(self, value: float) -> Slider:
        value = float(value)
        frac = (min(max(value, self.lo), self.hi) - self.lo) / (self.hi - self.lo)
        self.knob.move_to(self.line.point_from_proportion(frac))
        self.number.set_value(value)
        self.number.next_to(self.line, RIGHT, buff=0.3)
        self.value = value
        return self

    def track(self, tracker: ValueTracker) -> Slider:
        self.add_updater(lambda m: m.set_value(tracker.get_value()))
        return self


__all__ = ["Slider"]
