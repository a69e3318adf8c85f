"""The neuron: a weighted sum, a bias that acts as a threshold, and a squashing function.

Scenes: weighted-sum (one real neuron's arithmetic), squashing (sigmoid, tanh and ReLU,
read up-and-across, and the number line squished into an interval).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    MathTex,
    NumberLine,
    Text,
    Transform,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
)

from nnviz.core.datasets import Dataset
from nnviz.core.datasets.four_pixel import CLASSES as FOUR_PIXEL_CLASSES
from nnviz.core.errors import NNVizError
from nnviz.draw.mobjects.activation_plot import ActivationPlot, describe_reading
from nnviz.draw.mobjects.neuron import STYLES, Neuron
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.weighted_sum import WeightedSum, neuron_from_network
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import PALETTE

ACTIVATIONS = ("sigmoid", "tanh", "relu")


# -- weighted-sum ----------------------------------------------------------------------------

@dataclass
class WeightedSumConfig(SceneConfig):
    """Defaults take a real neuron of the trained four-pixel network on a real image."""

    image: int = knob(3, "which four-pixel image (0-7: solid, -solid, vertical, ...) feeds it",
                      min=0, max=7)
    layer: int = knob(0, "weight layer of the neuron shown (0 = first hidden layer)", min=0,
                      max=2)
    neuron: int = knob(3, "which neuron of that layer", min=0, max=4095)
    inputs: tuple[float, ...] | None = knob(None, "own input values a_i (overrides the network)",
                                            min=-100.0, max=100.0, max_len=12)
    weights: tuple[float, ...] | None = knob(None, "own weights w_i (with inputs)",
                                             min=-100.0, max=100.0, max_len=12)
    bias: float | None = knob(None, "own bias b (with inputs)", min=-100.0, max=100.0)
    activation: str = knob("tanh", "activation for own inputs/weights", choices=ACTIVATIONS)
    style: str = knob("color", "link colours: palette colours or white/black", choices=STYLES)
    hidden: int = knob(4, "width of each hidden layer of the four-pixel network", min=1, max=8)
    steps: int = knob(400, "training steps of the four-pixel network", min=1, max=20000)
    lr: float = knob(0.03, "Adam learning rate", min=1e-5, max=1.0)

    def traces(self):
        return {"main": four_pixel_spec(self.hidden, self.steps, self.lr, self.seed)}

    def check(self) -> None:
        """Own numbers come as inputs and weights of one length; a network neuron must
        exist in its layer (the four-pixel network is 4-hidden-hidden-4)."""
        super().check()
        if self.inputs is not None or self.weights is not None or self.bias is not None:
            if self.inputs is None or self.weights is None:
                raise NNVizError("Give both inputs and weights (and optionally bias).")
            if len(self.inputs) != len(self.weights):
                raise NNVizError(f"inputs has {len(self.inputs)} values but weights has "
                                 f"{len(self.weights)}: give one weight per input.")
            return
        width = (self.hidden, self.hidden, 4)[self.layer]
        if self.neuron >= width:
            raise NNVizError(f"Layer {self.layer} has neurons 0..{width - 1}; got "
                             f"neuron={self.neuron}.")


def four_pixel_spec(hidden: int, steps: int, lr: float, seed: int):
    """The four-pixel network of the weighted-sum and four-pixel scenes (same cache entry)."""
    return spec("four_pixel", (4, hidden, hidden, 4), activation="tanh",
                output_activation="identity", trainer="adam", steps=steps, seed=seed,
                record="log:40", trainer_params={"lr": lr}, dataset_params={"n": 80})


def weighted_sum_numbers(cfg: WeightedSumConfig, trace,
                         data: Dataset | None) -> tuple[WeightedSum, str]:
    """The neuron the scene shows, and a caption saying where its numbers come from; `data`
    is the trace's training data (the 8 four-pixel patterns, cycled)."""
    if cfg.inputs is not None or cfg.weights is not None or cfg.bias is not None:
        if cfg.inputs is None or cfg.weights is None:
            from nnviz.core.errors import NNVizError

            raise NNVizError("Give both inputs and weights (and optionally bias) for weighted-sum.")
        ws = WeightedSum(np.array(cfg.inputs), np.array(cfg.weights), cfg.bias or 0.0,
                         cfg.activation)
        return ws, "inputs, weights and bias from the scene's settings"
    net = trace.net_at(1.0)
    acts = [net.activation] * (net.n_layers - 1) + [net.output_activation]
    if cfg.neuron >= net.weights[cfg.layer].shape[0]:
        from nnviz.core.errors import NNVizError

        raise NNVizError(f"Layer {cfg.layer} has neurons 0..{net.weights[cfg.layer].shape[0] - 1};"
                         f" got neuron={cfg.neuron}.")
    ws = neuron_from_network(net.weights, net.biases, acts, data.X[cfg.image], cfg.layer,
                             cfg.neuron)
    kind = FOUR_PIXEL_CLASSES[int(data.y[cfg.image])]
    sign = "" if cfg.image % 2 == 0 else "inverted "
    caption = (f"trained four-pixel network: layer {cfg.layer + 1}, neuron {cfg.neuron + 1}, "
               f"image: {sign}{kind}")
    return ws, caption


def threshold_gauge(ws: WeightedSum, pal: dict, width: float = 6.0) -> tuple[VGroup, Dot]:
    """A number line with the bias's threshold marked and the 'active' side lit; the dot
    for the weighted sum is returned separately so it can slide."""
    reach = float(np.ceil(max(abs(ws.total), abs(ws.threshold), 1.0) + 0.5))
    line = NumberLine(x_range=[-reach, reach, max(1.0, reach // 3)], length=width,
                      color=pal["grid"], include_numbers=True, font_size=22,
                      decimal_number_config={"num_decimal_places": 0})
    active = Line(line.n2p(ws.threshold), line.n2p(reach), color=pal["highlight"],
                  stroke_width=10, stroke_opacity=0.45)
    tick = Line(line.n2p(ws.threshold) + 0.3 * DOWN, line.n2p(ws.threshold) + 0.3 * UP,
                color=pal["highlight"], stroke_width=4)
    label = MathTex(rf"-b = {ws.threshold:.2f}".replace("-", "{-}").replace("{-}b", "-b"),
                    font_size=24, color=pal["highlight"]).next_to(tick, UP, buff=0.08)
    dot = Dot(radius=0.1, color=pal["positive"] if ws.active else pal["muted"])
    return VGroup(line, active, tick, label), dot


@register("weighted-sum", "one neuron: inputs times weights, summed, plus the bias as a threshold")
class WeightedSumScene(NNVizScene):
    Config = WeightedSumConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main") if cfg.inputs is None else None
        data = self.trace_data("main")[0] if trace is not None else None
        ws, caption = weighted_sum_numbers(cfg, trace, data)
        n = ws.values.size
        neuron = Neuron(ws.values, ws.weights, ws.bias, ws.activation, pal["positive"],
                        pal["negative"], style=cfg.style, spacing=min(1.25, 5.2 / max(n, 1)),
                        value_range=(0.0, 1.0) if ws.values.min() >= 0 else (-1.0, 1.0),
                        span=3.6, font_size=28 if n <= 4 else 24)
        neuron.shift((-6.6 - neuron.get_left()[0]) * RIGHT + (0.55 - neuron.get_center()[1]) * UP)
        self.neuron = neuron  # for tests
        title = Text("A neuron: weighted sum, then bias", font_size=32, color=pal["text"])
        title.to_edge(UP, buff=0.3)
        note = Text(caption, font_size=22, color=pal["muted"]).to_edge(DOWN, buff=0.2)
        self.play(FadeIn(title), FadeIn(note), run_time=self.t(0.8))
        self.play(FadeIn(neuron.inputs), FadeIn(neuron.value_labels), FadeIn(neuron.body),
                  run_time=self.t(1.0))
        self.play(Create(neuron.edges), FadeIn(neuron.weight_labels), run_time=self.t(1.5))
        for i in range(n):
            self.play(TransformFromCopy(VGroup(neuron.value_labels[i], neuron.weight_labels[i]),
                                        neuron.product_rows[i]), run_time=self.t(0.8))
        # the products (each row's last number) light up, then their sum appears
        self.play(*[Indicate(row[1], color=pal["highlight"]) for row in neuron.product_rows],
                  run_time=self.t(0.9))
        self.play(FadeIn(neuron.sum_row, shift=0.15 * DOWN), run_time=self.t(0.8))
        self.play(FadeIn(neuron.bias_row, shift=0.2 * DOWN), run_time=self.t(1.0))
        gauge, sum_dot = threshold_gauge(ws, pal, width=6.0)
        gauge.next_to(neuron.readout, DOWN, buff=0.3).align_to(neuron.readout, LEFT)
        sum_dot.move_to(gauge[0].n2p(0.0))
        self.play(Write(neuron.threshold_row), FadeIn(gauge), FadeIn(sum_dot),
                  run_time=self.t(1.5))
        self.play(sum_dot.animate.move_to(gauge[0].n2p(ws.total)), run_time=self.t(1.2))
        self.play(Indicate(neuron.threshold_row[1], color=pal["highlight"]), run_time=self.t(1.0))
        self.play(Transform(neuron.body, neuron.lit_body()), Write(neuron.output_row),
                  run_time=self.t(1.5))
        self.wait(self.t(1.5))


# -- squashing ---------------------------------------------------------------------------------

@dataclass
class SquashingConfig(SceneConfig):
    x: float = knob(0.5, "the input read up-and-across on every curve", min=-4.0, max=4.0)
    start_x: float = knob(-2.5, "where the reading starts sliding from", min=-4.0, max=4.0)
    x_range: float = knob(4.0, "the curves show inputs from -x_range to x_range", min=1.0,
                          max=10.0)
    line_range: int = knob(8, "the number line squished runs from -line_range to line_range",
                           min=2, max=20)
    squash: str = knob("tanh", "which curve squishes the number line", choices=("sigmoid", "tanh"))
    curve_color: str = knob(PALETTE["highlight"], "colour of the curves")


def squashing_numbers(cfg: SquashingConfig) -> dict[str, tuple[float, str]]:
    """The output read off each curve for cfg.x, and the words for it."""
    out = {}
    for name in ACTIVATIONS:
        from nnviz.core.activations import get_activation

        y = float(get_activation(name)(np.array([cfg.x]))[0])
        out[name] = (y, describe_reading(cfg.x, y))
    return out


@register("squashing", "sigmoid, tanh and ReLU read up-and-across; the number line squished")
class SquashingScene(NNVizScene):
    Config = SquashingConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        r = cfg.x_range
        plots = VGroup(*[
            ActivationPlot(name, x_range=(-r, r), x_length=3.6, y_length=2.2, color=cfg.curve_color,
                           font_size=28)
            for name in ACTIVATIONS
        ]).arrange(RIGHT, buff=0.9, aligned_edge=DOWN).to_edge(UP, buff=0.35)
        self.plots = plots
        self.play(*[Create(p.axes) for p in plots], *[FadeIn(p.formula) for p in plots],
                  run_time=self.t(1.2))
        self.play(*[Create(p.curve) for p in plots], run_time=self.t(1.5))

        # the up-and-across reading of one input on every curve
        tracker = ValueTracker(cfg.start_x)
        readings = VGroup(*[p.reading(tracker, color=pal["text"]) for p in plots])
        self.play(FadeIn(readings), run_time=self.t(0.6))
        self.play(tracker.animate.set_value(cfg.x), run_time=self.t(2.5))
        numbers = squashing_numbers(cfg)
        self.numbers = numbers
        tex = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
        results = VGroup()
        for p, name in zip(plots, ACTIVATIONS, strict=True):
            y, words = numbers[name]
            row = VGroup(
                MathTex(rf"{tex[name]}({cfg.x:.2f}) = {y:.2f}".replace("-", "{-}"),
                        font_size=28, color=pal["text"]),
                Text(words, font_size=22, color=pal["muted"]),
            ).arrange(DOWN, buff=0.12).next_to(p.axes, DOWN, buff=0.55)
            results.add(row)
        self.play(FadeIn(results, shift=0.1 * UP), run_time=self.t(1.0))
        self.play(Indicate(results[1], color=pal["highlight"]), run_time=self.t(1.0))
        self.wait(self.t(0.8))

        # the whole number line squished into the interval
        which = ACTIVATIONS.index(cfg.squash)
        plot = plots[which]
        lo_out, hi_out = plot.y_bounds
        L = cfg.line_range
        line = NumberLine(x_range=[-L, L, max(1, L // 4)], length=12.5, color=pal["grid"],
                          include_numbers=True, font_size=22).to_edge(DOWN, buff=0.55)
        interval = NumberLine(x_range=[lo_out, hi_out, 0.5], length=6.0, color=pal["highlight"],
                              include_numbers=True, font_size=22, stroke_width=4)
        interval.next_to(line, UP, buff=1.1)
        label = MathTex(
            rf"\text{{all of }}(-\infty, \infty) \;\to\; ({lo_out:g}, {hi_out:g})"
            rf"\text{{ by }}{tex[cfg.squash]}", font_size=28, color=pal["text"]
        ).next_to(interval, UP, buff=0.3)
        xs = np.linspace(-L, L, 4 * L + 1)
        colours = [pal["negative"] if x < 0 else pal["positive"] for x in xs]
        dots = VGroup(*[Dot(line.n2p(x), radius=0.06, color=c) for x, c in
                        zip(xs, colours, strict=True)])
        self.play(FadeOut(results), FadeOut(readings), run_time=self.t(0.6))
        self.play(Create(line), FadeIn(dots), run_time=self.t(1.2))
        self.play(Create(interval), FadeIn(label), run_time=self.t(0.8))
        targets = VGroup(*[
            Dot(interval.n2p(plot.value(x)), radius=0.06, color=c)
            for x, c in zip(xs, colours, strict=True)
        ])
        guides = VGroup(*[Line(d.get_center(), t.get_center(), stroke_width=1,
                               color=pal["muted"], stroke_opacity=0.5)
                          for d, t in zip(dots, targets, strict=True)])
        self.play(Create(guides), run_time=self.t(0.8))
        self.play(TransformFromCopy(dots, targets), run_time=self.t(2.5))
        self.play(Indicate(plot.curve, color=pal["highlight"], scale_factor=1.05),
                  run_time=self.t(1.0))
        self.wait(self.t(1.0))
        self.squash_targets = [plot.value(x) for x in xs]


__all__ = ["WeightedSumScene", "SquashingScene"]
