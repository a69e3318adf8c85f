"""A single neuron with its weighted-sum readout, built from plain numbers.

Inputs (with their values) on the left, links coloured by the sign of the weight and
thickened by |w|, the neuron on the right, and a readout column: each product w_i a_i,
their sum, the bias added, the bias read as a threshold, and the squashed output.
Every number comes from `nnviz.weighted_sum.WeightedSum`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circle, Line, VGroup

from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.network import MONO_NEGATIVE, MONO_POSITIVE
from nnviz.draw.patches.numbers import MathTex, Text
from nnviz.explain.weighted_sum import WeightedSum
from nnviz.spec.palette import PALETTE, blend

ACT_RANGE = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "relu": (0.0, 1.0),
             "identity": (-1.0, 1.0)}
STYLES = ("color", "white/black")




def brightness_rgb(value: float, lo: float, hi: float) -> str:
    """Fill colour (hex) of a neuron whose activation is `value` on the scale lo..hi."""
    rgb = blend(PALETTE["neuron_off"], PALETTE["neuron_on"], (value - lo) / max(hi - lo, 1e-12))
    return "#" + "".join(f"{int(round(c * 255)):02x}" for c in rgb)


def edge_colours(style: str, positive: str, negative: str) -> tuple[str, str]:
    """(positive, negative) link colours: the palette's, or white/black as in the 4-pixel
    video (the same "black" as NetworkDiagram's, a dark slate that shows on the background)."""
    if style == "white/black":
        return MONO_POSITIVE, MONO_NEGATIVE
    return positive, negative


class Neuron(VGroup):
    """One neuron, its inputs and the readout of a' = f(sum w_i a_i + b).

    Parameters are plain numbers: `values` (inputs a_i), `weights` (w_i), `bias` (b),
    `activation` ('sigmoid', 'tanh', 'relu', 'identity'). `style` 'white/black' draws
    positive links white and negative ones black (a dark slate, as in NetworkDiagram).
    `value_range` maps input values to node brightness.

    Parts (for animating them one by one): inputs, value_labels, edges, weight_labels,
    body (the neuron), product_rows (each row's part [1] is the product itself), sum_row,
    bias_row, threshold_row, output_row.
    """

    def __init__(
        self,
        values: Sequence[float] | np.ndarray,
        weights: Sequence[float] | np.ndarray,
        bias: float,
        activation: str = "tanh",
        positive: str = PALETTE["positive"],
        negative: str = PALETTE["negative"],
        style: str = "color",
        value_range: tuple[float, float] = (-1.0, 1.0),
        font_size: float = 30,
        spacing: float = 1.25,
        span: float = 4.0,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.numbers = WeightedSum(values, weights, bias, activation)
        ws = self.numbers
        n = ws.values.size
        pos_c, neg_c = edge_colours(style, positive, negative)
        self.positive, self.negative = pos_c, neg_c
        wmax = max(float(np.abs(ws.weights).max()), 1e-9)
        lo, hi = value_range
        ys = (np.arange(n)[::-1] - (n - 1) / 2) * spacing

        self.inputs = VGroup(*[
            Circle(radius=0.32, stroke_color=PALETTE["neuron_stroke"], stroke_width=2)
            .set_fill(brightness_rgb(v, lo, hi), opacity=1).move_to([0, y, 0])
            for v, y in zip(ws.values, ys, strict=True)
        ])
        self.value_labels = VGroup(*[
            MathTex(fmt(v), font_size=font_size, color=PALETTE["text"]).next_to(c, LEFT, 0.2)
            for v, c in zip(ws.values, self.inputs, strict=True)
        ])
        self.body = Circle(radius=0.5, stroke_color=PALETTE["neuron_stroke"], stroke_width=3)
        self.body.set_fill(PALETTE["neuron_off"], opacity=1).move_to([span, 0, 0])

        self.edges = VGroup()
        self.weight_labels = VGroup()
        for w, c in zip(ws.weights, self.inputs, strict=True):
            colour = pos_c if w >= 0 else neg_c
            width = 1.0 + 9.0 * abs(w) / wmax
            start, end = c.get_right(), self.body.get_center() + 0.5 * _unit(
                c.get_center() - self.body.get_center())
            line = Line(start, end, stroke_color=colour, stroke_width=width)
            self.edges.add(line)
            label_colour = colour if style == "color" else (
                PALETTE["text"] if w >= 0 else PALETTE["muted"])
            label = MathTex(r"\times" + fmt(w), font_size=font_size * 0.85, color=label_colour)
            point = start + 0.38 * (end - start)
            label.move_to(point + 0.4 * UP)
            self.weight_labels.add(label)

        # readout column to the right of the neuron
        terms = [rf"({fmt(w)})({fmt(a)})" for w, a in zip(ws.weights, ws.values, strict=True)]
        self.product_rows = VGroup(*[
            MathTex(rf"w_{{{i + 1}}} a_{{{i + 1}}} = {t} =", fmt(p), font_size=font_size,
                    color=PALETTE["text"])
            for i, (t, p) in enumerate(zip(terms, ws.products, strict=True))
        ])
        self.sum_row = MathTex(r"\textstyle\sum_i w_i a_i = " + fmt(ws.total),
                               font_size=font_size, color=PALETTE["text"])
        self.bias_row = MathTex(rf"z = {fmt(ws.total)} + ({fmt(ws.bias)}) = {fmt(ws.z)}",
                                font_size=font_size, color=PALETTE["text"])
        verdict = ">" if ws.active else r"\le"
        word = "active" if ws.active else "not active"
        self.threshold_row = VGroup(
            Text(f"active only when the sum is bigger than {ws.threshold:.2f}".replace("-", "−"),
                 font_size=font_size * 0.8, color=PALETTE["highlight"]),
            MathTex(rf"{fmt(ws.total)} {verdict} {fmt(ws.threshold)}", r"\;\Rightarrow\;",
                    rf"\text{{{word}}}", font_size=font_size, color=PALETTE["highlight"]),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        f_name = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}",
                  "identity": ""}[activation]
        self.output_row = MathTex(rf"a' = {f_name}({fmt(ws.z)}) = {fmt(ws.output)}",
                                  font_size=font_size, color=PALETTE["text"])
        readout = VGroup(*self.product_rows, self.sum_row, self.bias_row, self.threshold_row,
                         self.output_row).arrange(DOWN, aligned_edge=LEFT, buff=0.18)
        readout.next_to(self.body, RIGHT, buff=0.8)
        self.readout = readout
        self.output_range = ACT_RANGE[activation]
        self.add(self.edges, self.inputs, self.value_labels, self.weight_labels, self.body,
                 readout)

    def lit_body(self) -> Circle:
        """A copy of the neuron filled by its output's brightness (for a Transform)."""
        lo, hi = self.output_range
        return self.body.copy().set_fill(brightness_rgb(self.numbers.output, lo, hi), opacity=1)


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)
