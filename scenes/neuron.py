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
    NumberLine,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    TransformFromCopy,
    ValueTracker,
    VGroup,
    Write,
)

from nnviz.core.datasets import Dataset
from nnviz.core.datasets.four_pixel import CLASSES as FOUR_PIXEL_CLASSES
from nnviz.core.errors import NNVizError
from nnviz.draw.mobjects import MathTex, Text
from nnviz.draw.mobjects.activation_plot import ActivationPlot
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.latex import tex_number
from nnviz.draw.mobjects.legend import Legend, weight_legend
from nnviz.draw.mobjects.neuron import STYLES, Neuron
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.squash import reading_words
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
    caption = f"trained four-pixel network: layer {cfg.layer + 1}, neuron {cfg.neuron + 1}"
    return ws, caption


PIXEL_COLOURS = ("#000000", PALETTE["neuron_on"])  # -1 black, +1 white, as the camera sees
MIDDLE = {"sigmoid": 0.5, "tanh": 0.0, "relu": 0.0, "identity": 0.0}  # f(0): off vs firing


def pattern_of(ws: WeightedSum) -> np.ndarray:
    """The inputs in [-1, 1] that make the weighted sum largest: +1 where the weight is
    positive, -1 where it is negative (the neuron's pattern; its opposite is the minus)."""
    return np.where(ws.weights >= 0, 1.0, -1.0)


def verdict_words(ws: WeightedSum, pixels: bool) -> tuple[str, str]:
    """What the squashed value says, in words that are true for these numbers: the
    verdict and its reason."""
    bar = f"{ws.threshold + 0.0:.2f}".replace("-", "−")  # + 0.0: never "−0.00"
    if not pixels:
        return (("the neuron fires", f"the sum passes {bar}") if ws.active else
                ("the neuron stays off", f"the sum does not pass {bar}"))
    agree = int(np.sum(np.sign(ws.values) == pattern_of(ws)))
    reason = f"image and pattern agree in {agree} of {ws.values.size} pixels"
    return ("the neuron fires", reason) if ws.active else ("the neuron stays off", reason)


def threshold_gauge(ws: WeightedSum, pal: dict, width: float = 6.0,
                    reach: float | None = None) -> tuple[NumberLine, VGroup, Dot]:
    """A number line for the weighted sum (to +-reach), the bias's threshold marked with the
    side where the neuron fires lit, and the dot for the sum (returned separately so it can
    slide)."""
    reach = reach or float(np.ceil(max(abs(ws.total), abs(ws.threshold), 1.0) + 0.5))
    step = 1.0 if reach <= 6 else float(np.ceil(reach / 6))
    line = NumberLine(x_range=[-reach, reach, step], length=width, color=pal["grid"],
                      include_numbers=False, font_size=22)
    ticks = [v for v in np.arange(-np.floor(reach), np.floor(reach) + 1e-9, step)]
    line.add_numbers(ticks, font_size=22, num_decimal_places=0)
    active = Line(line.n2p(ws.threshold), line.n2p(reach), color=pal["highlight"],
                  stroke_width=10, stroke_opacity=0.45)
    tick = Line(line.n2p(ws.threshold) + 0.3 * DOWN, line.n2p(ws.threshold) + 0.3 * UP,
                color=pal["highlight"], stroke_width=4)
    label = MathTex(rf"-b = {tex_number(ws.threshold)}", font_size=26,
                    color=pal["highlight"]).next_to(tick, UP, buff=0.08)
    dot = Dot(radius=0.1, color=pal["highlight"])
    return line, VGroup(active, tick, label), dot


def two_by_two(values, width: float) -> PixelGrid:
    """A 2x2 picture, -1 black and +1 white."""
    return PixelGrid(np.asarray(values, dtype=float), (2, 2), value_range=(-1.0, 1.0),
                     colors=PIXEL_COLOURS, width=width, stroke_width=1.0,
                     stroke_color=PALETTE["grid"])


@register("weighted-sum", "one neuron of the four-pixel network: the 2x2 image as inputs, times "
          "weights, summed, plus the bias as a threshold, squashed")
class WeightedSumScene(NNVizScene):
    Config = WeightedSumConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main") if cfg.inputs is None else None
        data = self.trace_data("main")[0] if trace is not None else None
        ws, caption = weighted_sum_numbers(cfg, trace, data)
        pixels = trace is not None and cfg.layer == 0  # the neuron's inputs are the pixels
        self.ws = ws
        n = ws.values.size
        neuron = Neuron(ws.values, ws.weights, ws.bias, ws.activation, pal["positive"],
                        pal["negative"], style=cfg.style, spacing=min(1.25, 5.0 / max(n, 1)),
                        value_range=(0.0, 1.0) if ws.values.min() >= 0 else (-1.0, 1.0),
                        span=3.0, font_size=28 if n <= 4 else 24)
        left = -3.7 if trace is not None else -5.4
        neuron.shift((left - neuron.inputs.get_left()[0]) * RIGHT
                     + (0.6 - neuron.inputs.get_center()[1]) * UP)
        self.neuron = neuron  # for tests
        title = Text("One neuron: a weighted sum, then a bias", font_size=32,
                     color=pal["text"]).to_edge(UP, buff=0.25)
        note = Text(caption, font_size=22, color=pal["muted"]).next_to(title, DOWN, buff=0.15)

        # the readout: products, sum, z, the squashed value and what it means
        readout = VGroup(*neuron.product_rows, neuron.sum_row, neuron.bias_row,
                         neuron.output_row)
        readout.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        readout.next_to(neuron.body, RIGHT, buff=0.6).set_y(0.75)
        f_tex = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}",
                 "identity": ""}[ws.activation]
        mid = MIDDLE[ws.activation]
        relation = ">" if ws.active else r"\le"
        verdict = VGroup(
            MathTex(rf"{f_tex}(z) {relation} {mid:g}:", font_size=28, color=pal["highlight"]),
            Text(verdict_words(ws, pixels)[0], font_size=22, color=pal["highlight"]),
            Text(verdict_words(ws, pixels)[1], font_size=20, color=pal["highlight"]),
        )
        verdict[1].next_to(verdict[0], RIGHT, buff=0.2)
        sit_on(verdict[1], verdict[0])
        verdict[2].next_to(verdict[0], DOWN, aligned_edge=LEFT, buff=0.18)
        verdict.align_to(readout, LEFT).set_y(-3.15)
        self.verdict = verdict

        image = image_key = None
        with self.beat("title", "Look inside one neuron: it computes a weighted sum, adds "
                       "a bias, and squashes the result."):
            self.play(FadeIn(title), run_time=self.t(0.8))
            self.read_along(title, color=pal["highlight"])
        with self.beat("image", "This one belongs to the trained four-pixel network, and "
                       "it looks at a 2 by 2 image." if trace is not None else
                       "It takes in a few numbers."):
            self.play(FadeIn(note), run_time=self.t(0.8))
            if trace is not None:
                image, image_key = self.input_image(data.X[cfg.image], caption_of(cfg, data),
                                                    pixels)
                self.play(FadeIn(image), FadeIn(image_key[0]), run_time=self.t(1.0))
            self.read_along(*([image[0]] if image is not None else [note]),
                            color=pal["highlight"])
        if image is not None:
            with self.beat("pixels", "Each pixel is a number: +1 for white, −1 for black."):
                self.play(FadeIn(image_key[1]), run_time=self.t(0.8))
                self.play(Indicate(image[0], color=pal["highlight"], scale_factor=1.05),
                          run_time=self.t(0.8))

        with self.beat("inputs", "Each pixel becomes one input of the neuron, a1 to a4, top "
                       "left to bottom right." if pixels else
                       "These numbers are the neuron's inputs."):
            if pixels:
                self.play(*[TransformFromCopy(image[0].submobjects[i], neuron.inputs[i])
                            for i in range(n)], FadeIn(neuron.value_labels),
                          run_time=self.t(1.5))
            else:
                self.play(FadeIn(neuron.inputs), FadeIn(neuron.value_labels),
                          run_time=self.t(1.2))
            self.play(FadeIn(neuron.body), run_time=self.t(0.6))

        key = weight_legend(pal, direction=DOWN, font_size=22)
        key.next_to(neuron.inputs, DOWN, buff=0.45).align_to(neuron.inputs, LEFT)
        key.set_x(neuron.body.get_x() - 1.2)
        with self.beat("weights", "Every link carries a weight: blue for positive, orange "
                       "for negative, thicker for larger."):
            self.play(Create(neuron.edges), FadeIn(neuron.weight_labels), FadeIn(key),
                      run_time=self.t(1.6))
            heaviest = int(np.argmax(np.abs(ws.weights)))
            self.read_along(neuron.edges[heaviest], *key, color=pal["highlight"])

        rows = neuron.product_rows
        half = (n + 1) // 2
        flips = [i for i in range(n) if ws.values[i] < 0 and ws.weights[i] < 0]
        first = ("Multiply each input by its weight." + (
            " A black pixel under a negative weight gives a positive product."
            if pixels and flips else ""))
        for part, (lo, hi) in enumerate(((0, half), (half, n))):
            if lo >= hi:
                continue
            with self.beat(f"products-{part + 1}", first if part == 0 else
                           "The other products, the same way."):
                for i in range(lo, hi):
                    self.play(TransformFromCopy(VGroup(neuron.value_labels[i],
                                                       neuron.weight_labels[i]), rows[i]),
                              run_time=self.t(1.0))
                self.play(*[Indicate(rows[i][1], color=pal["highlight"])
                            for i in range(lo, hi)], run_time=self.t(0.9))
                self.read_along(*[rows[i] for i in range(lo, hi)], color=pal["highlight"])

        with self.beat("sum", f"Add the products: the weighted sum is {ws.total:.2f}."):
            self.play(FadeIn(neuron.sum_row, shift=0.15 * DOWN), run_time=self.t(1.0))
            self.read_along(neuron.sum_row, color=pal["highlight"])

        # the sum's whole range: from the opposite of the neuron's pattern to the pattern
        reach = float(np.abs(ws.weights).sum()) if pixels else None
        line, bar, sum_dot = threshold_gauge(ws, pal, width=4.0 if pixels else 5.4,
                                             reach=reach)
        gauge = VGroup(line, bar)
        before = line.get_center()
        line.move_to(np.array([readout.get_left()[0] + (0.75 if pixels else 0.0)
                               + line.width / 2, -1.95, 0.0]))
        bar.shift(line.get_center() - before)
        sum_dot.move_to(line.n2p(0.0))
        ends = VGroup()
        if pixels:
            for sign, word in ((-1, "opposite"), (1, "its pattern")):
                pic = two_by_two(sign * pattern_of(ws), 0.5)
                pic.next_to(line.n2p(sign * reach), sign * RIGHT, buff=0.45)
                tag = Text(word, font_size=18, color=pal["muted"]).next_to(pic, DOWN, 0.1)
                value = MathTex(tex_number(sign * reach), font_size=22, color=pal["muted"])
                value.next_to(pic, UP, 0.1)
                ends.add(VGroup(pic, tag, value))
        self.gauge = (line, bar, sum_dot, ends)
        sentence = (f"The sum is largest, {reach:.2f}, for the image that agrees with the sign "
                    f"of every weight, the neuron's pattern, and smallest for its opposite."
                    if pixels else "Put the sum on a number line.")
        with self.beat("range", sentence):
            self.play(Create(line), FadeIn(ends), FadeIn(sum_dot), run_time=self.t(1.2))
            self.play(sum_dot.animate.move_to(line.n2p(ws.total)), run_time=self.t(1.4))
            self.read_along(*(reversed(ends) if len(ends) else [sum_dot, line]),
                            color=pal["highlight"])

        with self.beat("bias", f"The bias, {ws.bias:.2f}, sets the bar: z is positive only "
                       f"when the sum passes {ws.threshold:.2f}."):
            self.play(FadeIn(neuron.bias_row, shift=0.15 * DOWN), run_time=self.t(1.0))
            self.play(FadeIn(bar), run_time=self.t(1.0))
            self.play(Indicate(bar[2], color=pal["highlight"]), run_time=self.t(0.8))
            self.read_along(neuron.bias_row, bar[2], color=pal["highlight"])

        fires = ("the neuron fires" if ws.active else "the neuron stays off")
        with self.beat("fires", f"Squash z with {ws.activation}: {ws.activation} of "
                       f"{ws.z:.2f} is {ws.output:.2f}, above the middle, {mid:g}: {fires}."
                       if ws.active else
                       f"Squash z with {ws.activation}: {ws.output:.2f} is not above the "
                       f"middle, {mid:g}: {fires}.", last=True):
            self.play(Transform(neuron.body, neuron.lit_body()), Write(neuron.output_row),
                      run_time=self.t(1.5))
            self.play(FadeIn(verdict, shift=0.1 * UP), run_time=self.t(1.0))
            self.play(Indicate(neuron.body, color=pal["highlight"], scale_factor=1.1),
                      run_time=self.t(1.0))
            self.read_along(verdict[2], *([ends[1][0]] if len(ends) else []), neuron.output_row,
                            color=pal["highlight"])
        self.add(gauge)

    def input_image(self, x: np.ndarray, words: str, inputs: bool = True
                    ) -> tuple[VGroup, VGroup]:
        """The 2x2 image (with a1..a4 in its cells when its pixels are the neuron's
        inputs), its name above, and what black and white mean."""
        pal = self.palette
        grid = two_by_two(x, 1.5)
        labels = VGroup(*[
            MathTex(rf"a_{{{i + 1}}}", font_size=26,
                    color=PIXEL_COLOURS[0] if v > 0 else pal["text"]).move_to(cell)
            for i, (v, cell) in enumerate(zip(x, grid.submobjects, strict=True))
        ]) if inputs else VGroup()
        image = VGroup(grid, labels)
        image.move_to(np.array([-6.45 + 0.75, 0.6, 0.0]))
        name = Text(words, font_size=22, color=pal["text"]).next_to(grid, UP, buff=0.25)
        name.set_x(grid.get_x())
        key = Legend([(PIXEL_COLOURS[1], "+1 white"), (PIXEL_COLOURS[0], "−1 black")],
                     kind="square", font_size=22, direction=DOWN)
        key.next_to(grid, DOWN, buff=0.35).align_to(grid, LEFT)
        return image, VGroup(name, key)


def caption_of(cfg: WeightedSumConfig, data: Dataset) -> str:
    """The input image's name: its class, inverted or not."""
    kind = FOUR_PIXEL_CLASSES[int(data.y[cfg.image])]
    return f"{'' if cfg.image % 2 == 0 else 'inverted '}{kind}"


# -- squashing ---------------------------------------------------------------------------------

@dataclass
class SquashingConfig(SceneConfig):
    x: float = knob(0.5, "the input read up-and-across on every curve", min=-4.0, max=4.0)
    start_x: float = knob(-2.5, "where the reading starts sliding from", min=-4.0, max=4.0)
    x_range: float = knob(4.0, "the curves show inputs from -x_range to x_range", min=1.0,
                          max=10.0)
    line_range: int = knob(8, "the number line squished runs from -line_range to line_range",
                           min=2, max=20)
    squash: str = knob("both", "which curves squish the number line, in turn",
                       choices=("both", "sigmoid", "tanh"))
    curve_color: str = knob(PALETTE["highlight"], "colour of the curves")


LOWER = 1.1  # how far below their final place the plots stand while they are read
TEX = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}
# one line each, so the three sit on one baseline; tanh is the sigmoid stretched to (-1, 1)
SQUASH_FORMULAS = {
    "sigmoid": r"\sigma(a) = 1/(1 + e^{-a})",
    "tanh": r"\tanh(a) = 2\sigma(2a) - 1",
    "relu": r"\mathrm{ReLU}(a) = \max(0, a)",
}


def squashing_numbers(cfg: SquashingConfig) -> dict[str, tuple[float, str]]:
    """The output read off each curve for cfg.x, and the words for it."""
    from nnviz.core.activations import get_activation

    return {name: (float(get_activation(name)(np.array([cfg.x]))[0]),
                   reading_words(name, cfg.x)) for name in ACTIVATIONS}


def squashed(cfg: SquashingConfig) -> list[str]:
    """The curves that squish the number line, in the order shown (001's sigmoid first)."""
    return ["sigmoid", "tanh"] if cfg.squash == "both" else [cfg.squash]


@register("squashing", "sigmoid, tanh and ReLU read up-and-across; the number line squished "
          "by sigmoid into (0, 1), then by tanh into (-1, 1)")
class SquashingScene(NNVizScene):
    Config = SquashingConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        r = cfg.x_range
        # one box size and one zero line for all three, so they compare at a glance: the
        # sigmoid's outputs sit between 0 and 1, tanh's between -1 and 1, ReLU's above 0
        y_ranges = {"sigmoid": (-1.0, 1.0, 0.5), "tanh": (-1.0, 1.0, 0.5),
                    "relu": (-r, r, max(1.0, r / 2))}
        plots = VGroup(*[
            ActivationPlot(name, x_range=(-r, r), y_range=y_ranges[name], x_length=3.4,
                           y_length=2.3, color=cfg.curve_color, font_size=28,
                           formula=SQUASH_FORMULAS[name])
            for name in ACTIVATIONS
        ])
        for p in plots:
            p.remove(p.formula)
        width = plots[0].axes.width
        for i, p in enumerate(plots):  # the axes boxes side by side, their zero lines level
            p.shift(np.array([(i - 1) * (width + 0.95), 4.0 - 0.95 - 2.3 / 2, 0.0])
                    - p.axes.c2p(0, 0))
        formulas = VGroup(*[p.formula for p in plots])
        for p in plots:
            p.formula.next_to(p.axes, UP, buff=0.3)
        for f in formulas[1:]:
            sit_on(f, formulas[0])
        for p in plots:  # p.formula was taken out of p: it moves with the plots by hand
            p.add(p.formula)
        # the plots and their readings sit mid-frame until the number line needs the room
        plots.shift(LOWER * DOWN)
        self.plots = plots
        numbers = squashing_numbers(cfg)
        self.numbers = numbers

        intro = {
            "sigmoid": "A neuron squashes its weighted sum with a function. The sigmoid is "
                       "the classic one.",
            "tanh": "tanh is the same S shape, stretched to run from minus 1 to 1.",
            "relu": "ReLU is the one most modern networks use: a bent line.",
        }
        for p, name in zip(plots, ACTIVATIONS, strict=True):
            with self.beat(f"curve-{name}", intro[name]):
                self.play(Create(p.axes), FadeIn(p.formula), run_time=self.t(1.0))
                self.play(Create(p.curve), run_time=self.t(1.2))
                self.read_along(p.formula, color=pal["highlight"])

        # the up-and-across reading of one input, one curve at a time
        results = VGroup()
        readings = VGroup()
        sentences = {
            "sigmoid": "Read the sigmoid up and across: its middle is 0.5 at input 0, so a "
                       "small positive input lands a little above the middle.",
            "tanh": "tanh has the same S shape, centred on 0: a small input comes out a "
                    "little closer to 0.",
            "relu": "ReLU keeps a positive input unchanged and cuts a negative one to 0.",
        }
        for p, name in zip(plots, ACTIVATIONS, strict=True):
            y, words = numbers[name]
            row = VGroup(
                MathTex(rf"{TEX[name]}({cfg.x:.2f}) = {y:.2f}".replace("-", "{-}"),
                        font_size=30, color=pal["text"]),
                Text(words, font_size=20, color=pal["muted"]),
            ).arrange(DOWN, buff=0.16)
            row.next_to(p.axes, DOWN, buff=0.55)
            row[0].set_y(p.axes.get_bottom()[1] - 0.75)
            row[1].next_to(row[0], DOWN, buff=0.16)
            results.add(row)
            tracker = ValueTracker(cfg.start_x)
            reading = p.reading(tracker, color=pal["text"])
            readings.add(reading)
            with self.beat(f"read-{name}", sentences[name]):
                self.play(FadeIn(reading), run_time=self.t(0.6))
                self.play(tracker.animate.set_value(cfg.x), run_time=self.t(1.6))
                self.play(FadeIn(row, shift=0.1 * UP), run_time=self.t(0.8))
                self.play(Indicate(row[0], color=pal["highlight"]), run_time=self.t(1.0))
                self.read_along(row[1], row[0], color=pal["highlight"])
        for row in results[1:]:
            sit_on(row[0], results[0][0])
            sit_on(row[1], results[0][1])

        # the whole number line squished into the interval, by each curve in turn
        L = cfg.line_range
        line = NumberLine(x_range=[-L, L, max(1, L // 4)], length=12.4, color=pal["grid"],
                          include_numbers=True, font_size=22).to_edge(DOWN, buff=0.6)
        interval = NumberLine(x_range=[-1, 1, 0.5], length=6.0, color=pal["highlight"],
                              include_numbers=True, font_size=22, stroke_width=4,
                              decimal_number_config={"num_decimal_places": 1})
        interval.move_to(line.get_center() + 1.6 * UP)
        xs = np.linspace(-L, L, 4 * L + 1)
        dots = VGroup(*[Dot(line.n2p(x), radius=0.06, color=pal["text"]) for x in xs])
        self.play_squish(plots, line, interval, xs, dots, results, readings)

    def play_squish(self, plots, line, interval, xs, dots, results, readings) -> None:
        cfg, pal = self.cfg, self.palette
        with self.beat("line", "Now feed a squashing function the whole number line, "
                       "every input from far negative to far positive."):
            self.play(FadeOut(readings), FadeOut(VGroup(*[r[1] for r in results])),
                      VGroup(plots, *[r[0] for r in results]).animate.shift(LOWER * UP),
                      run_time=self.t(0.8))
            self.play(Create(line), FadeIn(dots, lag_ratio=0.02), run_time=self.t(1.5))
            self.read_along(dots[0], dots[-1], color=pal["highlight"])
        sentences = {
            "sigmoid": "The sigmoid squishes all of it into the interval from 0 to 1: very "
                       "negative inputs end near 0, very positive ones near 1.",
            "tanh": "tanh squishes the same line into the interval from minus 1 to 1, with 0 "
                    "staying at 0.",
        }
        targets = guides = label = frame = None
        self.squash_targets = {}
        for name in squashed(cfg):
            plot = plots[ACTIVATIONS.index(name)]
            lo, hi = plot.y_bounds if name == "tanh" else (0, 1)
            new_targets = VGroup(*[Dot(interval.n2p(plot.value(x)), radius=0.06,
                                       color=pal["highlight"]) for x in xs])
            new_guides = VGroup(*[Line(d.get_center(), t.get_center(), stroke_width=1,
                                       color=pal["muted"], stroke_opacity=0.45)
                                  for d, t in zip(dots, new_targets, strict=True)])
            new_label = MathTex(rf"{TEX[name]}:\; (-\infty, \infty) \to ({lo:g}, {hi:g})",
                                font_size=30, color=pal["text"])
            new_label.next_to(interval, UP, buff=0.3)
            new_frame = SurroundingRectangle(VGroup(plot.axes, plot.formula), buff=0.12,
                                             color=pal["highlight"], stroke_width=2)
            self.squash_targets[name] = [plot.value(x) for x in xs]
            with self.beat(f"squish-{name}", sentences[name]):
                if targets is None:
                    self.play(Create(interval), Create(new_frame), run_time=self.t(0.8))
                    self.play(Create(new_guides), FadeIn(new_label), run_time=self.t(0.8))
                    self.play(TransformFromCopy(dots, new_targets), run_time=self.t(2.5))
                else:
                    self.play(Transform(frame, new_frame), ReplacementTransform(label, new_label),
                              Transform(guides, new_guides), Transform(targets, new_targets),
                              run_time=self.t(2.5))
                    new_frame, new_guides, new_targets = frame, guides, targets
                self.play(Indicate(plot.curve, color=pal["highlight"], scale_factor=1.04),
                          run_time=self.t(1.0))
                self.read_along(new_label, color=pal["highlight"])
            targets, guides, label, frame = new_targets, new_guides, new_label, new_frame
        self.squash_label = label
        relu = plots[ACTIVATIONS.index("relu")]
        relu_frame = SurroundingRectangle(VGroup(relu.axes, relu.formula), buff=0.12,
                                          color=pal["highlight"], stroke_width=2)
        with self.beat("relu", "ReLU does not squish: positive inputs pass unchanged, so its "
                       "outputs are unbounded above.", last=True):
            self.play(Transform(frame, relu_frame), run_time=self.t(1.0))
            self.play(Indicate(relu.curve, color=pal["highlight"], scale_factor=1.04),
                      run_time=self.t(1.0))


__all__ = ["WeightedSumScene", "SquashingScene"]
