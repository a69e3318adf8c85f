"""An activation function's graph with the up-and-across reading of one value.

The input x is drawn as a vertical line from the x-axis up to the curve, then a
horizontal line across to the output axis, where the output f(x) is read off. Drive the
reading with a ValueTracker to slide x along the axis.
"""

from __future__ import annotations

import numpy as np
from manim import LEFT, UP, Axes, DashedLine, Dot, ValueTracker, VGroup, always_redraw

from nnviz.core.activations import get_activation
from nnviz.draw.patches.numbers import DecimalNumber, MathTex
from nnviz.spec.palette import PALETTE

FORMULAS = {
    "sigmoid": r"\sigma(a) = \frac{1}{1 + e^{-a}}",
    "tanh": r"\tanh(a)",
    "relu": r"\mathrm{ReLU}(a) = \max(0, a)",
    "identity": r"f(a) = a",
}
Y_RANGES = {"sigmoid": (0.0, 1.0, 0.5), "tanh": (-1.0, 1.0, 0.5), "relu": (0.0, 4.0, 1.0),
            "identity": (-4.0, 4.0, 2.0)}


class ActivationPlot(VGroup):
    """Axes, the curve f(a) for a named activation, and its formula above.

    `name` is 'sigmoid', 'tanh', 'relu' or 'identity'; `x_range` the inputs shown;
    `formula` (LaTeX) replaces the default formula above the axes.
    Parts: axes, curve, formula. `reading(tracker)` returns the live up-and-across lines.
    """

    def __init__(
        self,
        name: str,
        x_range: tuple[float, float] = (-4.0, 4.0),
        y_range: tuple[float, float, float] | None = None,
        x_length: float = 4.0,
        y_length: float = 2.6,
        color: str = PALETTE["highlight"],
        font_size: float = 30,
        formula: str | None = None,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.f = get_activation(name)
        lo, hi = x_range
        ylo, yhi, ystep = y_range or Y_RANGES[name]
        self.y_bounds = (ylo, yhi)
        self.axes = Axes(
            x_range=[lo, hi, max(1.0, (hi - lo) / 4)], y_range=[ylo, yhi, ystep],
            x_length=x_length, y_length=y_length, tips=False,
            axis_config={"color": PALETTE["grid"], "stroke_width": 2, "font_size": 22},
        )
        # few, integer-ish labels, so the read-off number never lands on a tick label
        step = max(1.0, float(np.ceil((hi - lo) / 4)))
        xs = [x for x in np.arange(np.ceil(lo / step) * step, hi + 1e-9, step) if abs(x) > 1e-9]
        self.axes.x_axis.add_numbers(xs, font_size=20, num_decimal_places=0)
        self.axes.y_axis.add_numbers([v for v in (ylo, yhi) if abs(v) > 1e-9], font_size=20,
                                     num_decimal_places=0 if float(yhi).is_integer() else 1)
        self.curve = self.axes.plot(lambda a: self.value(a), x_range=[lo, hi, (hi - lo) / 200],
                                    color=color, stroke_width=4)
        self.formula = MathTex(formula or FORMULAS[name], font_size=font_size,
                               color=PALETTE["text"])
        self.formula.next_to(self.axes, UP, buff=0.25)
        self.add(self.axes, self.curve, self.formula)

    def value(self, a: float) -> float:
        """f(a) as a float: the number the reading shows."""
        return float(self.f(np.array([float(a)]))[0])

    def reading(self, tracker: ValueTracker, color: str = PALETTE["text"],
                font_size: float = 24, digits: int = 2) -> VGroup:
        """Lines from x up to the curve and across to the output axis, following tracker.

        Returns VGroup(up_line, across_line, input_dot, output_dot, output_number); the
        number shows f(x) beside the output axis.
        """
        axes = self.axes
        ylo, yhi = self.y_bounds

        def clipped(y: float) -> float:
            return float(np.clip(y, ylo, yhi))

        def up() -> DashedLine:
            x = tracker.get_value()
            return DashedLine(axes.c2p(x, 0), axes.c2p(x, clipped(self.value(x))), color=color,
                              stroke_width=3, dash_length=0.08)

        def across() -> DashedLine:
            x = tracker.get_value()
            y = clipped(self.value(x))
            return DashedLine(axes.c2p(x, y), axes.c2p(0, y), color=color, stroke_width=3,
                              dash_length=0.08)

        in_dot = always_redraw(lambda: Dot(axes.c2p(tracker.get_value(), 0), radius=0.07,
                                           color=color))
        out_dot = always_redraw(lambda: Dot(
            axes.c2p(0, clipped(self.value(tracker.get_value()))), radius=0.07,
            color=PALETTE["highlight"]))
        number = DecimalNumber(self.value(tracker.get_value()), num_decimal_places=digits,
                               font_size=font_size, color=PALETTE["highlight"])

        def place(m: DecimalNumber) -> None:
            x = tracker.get_value()
            m.set_value(self.value(x))
            side = LEFT if x >= 0 else -LEFT
            m.next_to(axes.c2p(0, clipped(self.value(x))), side, buff=0.15)

        number.add_updater(place)
        place(number)
        return VGroup(always_redraw(up), always_redraw(across), in_dot, out_dot, number)

    def interval_point(self, a: float) -> np.ndarray:
        """Where f(a) sits on the output axis (scene coordinates)."""
        return self.axes.c2p(0, float(np.clip(self.value(a), *self.y_bounds)))


__all__ = ["ActivationPlot"]
