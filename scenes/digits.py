"""The digits network: 784-16-16-10 trained on handwritten digits resampled to 28x28.

Scenes: digits-network (an image lights the 784 inputs and flows to the answer; one it
gets wrong; a hidden neuron's 784 weights as a picture; a' = sigma(W a + b) with live
numbers; the parameter count) and hidden-layers (all 16 first-layer weight pictures, the
images that excite one neuron most, the hoped-for edges/loops/digits beside the truth).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Arc,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    Line,
    MathTex,
    SurroundingRectangle,
    Text,
    Transform,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from nnviz.core.datasets import Dataset
from nnviz.core.losses import softmax
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.pixel_image import PixelImage
from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import PALETTE

INK = (PALETTE["neuron_off"], PALETTE["neuron_on"])  # pixel 0 paper (dark), 1 ink (bright)


@dataclass
class DigitsConfig(SceneConfig):
    """The trained digits network both digits scenes read."""

    dataset: str = knob("digits28", "data set of 28x28 digits", choices=("digits28", "mnist"))
    dataset_path: str = knob("", "folder of the MNIST IDX files (dataset=mnist only)")
    n_points: int | None = knob(None, "use a seeded subset of this many images (None = all)",
                                min=20, max=100000)
    hidden: int = knob(16, "width of each of the two hidden layers", min=2, max=64)
    activation: str = knob("sigmoid", "hidden activation (the video's sigma)",
                           choices=("sigmoid", "tanh", "relu"))
    trainer: str = knob("adam", "trainer", choices=("adam", "sgd", "momentum"))
    steps: int = knob(15, "training steps (one pass over the data each)", min=1, max=500)
    lr: float = knob(0.01, "learning rate", min=1e-5, max=10.0)
    batch_size: int = knob(32, "mini-batch size", min=1, max=100000)
    test_fraction: float = knob(0.2, "share of images held out for testing", min=0.0, max=0.9)

    def data_params(self) -> dict:
        params: dict = {"n": self.n_points}
        if self.dataset == "mnist":
            params["path"] = self.dataset_path
        return params

    def traces(self):
        return {"main": spec(self.dataset, (784, self.hidden, self.hidden, 10),
                             activation=self.activation, output_activation="identity",
                             trainer=self.trainer, steps=self.steps, seed=self.seed,
                             record="log:20", dataset_params=self.data_params(),
                             trainer_params={"lr": self.lr, "batch_size": self.batch_size},
                             test_fraction=self.test_fraction)}


def held_out(train: Dataset, test: Dataset | None) -> tuple[Dataset, Dataset]:
    """(all images, the test images the network never trained on), from the trace's
    (training, held-out) data; with no held-out images, all of them both times."""
    if test is None:
        return train, train
    return replace(train, X=np.vstack([train.X, test.X]),
                   y=np.concatenate([train.y, test.y])), test


def find_wrong(net, data, start: int = 0) -> int | None:
    """Index of the first image from `start` on (wrapping) that the network gets wrong."""
    wrong = np.flatnonzero(net.predict(data.X) != data.y)
    if wrong.size == 0:
        return None
    after = wrong[wrong >= start]
    return int(after[0] if after.size else wrong[0])


def layer_values(net, x: np.ndarray) -> list[np.ndarray]:
    """Activations of every layer for one image (inputs first); outputs as softmax
    probabilities, the brightness of the output neurons."""
    outs = net.layer_outputs(x)
    values = [np.asarray(x, dtype=float)] + [o.a[0] for o in outs[:-1]]
    return values + [softmax(outs[-1].z)[0]]


def brightness(values: list[np.ndarray], activation: str) -> list[np.ndarray]:
    """Layer values as 0..1 fill brightness: pixels and sigmoid as they are, tanh from
    -1..1, ReLU by its layer's largest value; the last layer is already probabilities."""
    out = [values[0]]
    for v in values[1:-1]:
        if activation == "tanh":
            v = (v + 1.0) / 2.0
        elif activation == "relu":
            v = v / max(float(v.max()), 1e-9)
        out.append(v)
    return out + [values[-1]]




def matrix_tex(W: np.ndarray, a: np.ndarray, b: np.ndarray, out: np.ndarray, rows: list[int],
               cols: list[int], f: str = r"\sigma") -> str:
    """LaTeX of f(W a + b) = a' with the chosen rows/cols of real numbers and dots between."""
    def vec(v: np.ndarray, idx: list[int]) -> str:
        return r"\begin{bmatrix}" + r"\\".join(
            [fmt(v[idx[0]]), r"\vdots", *[fmt(v[i]) for i in idx[1:]]]) + r"\end{bmatrix}"

    body = []
    for k, r in enumerate(rows):
        entries = [fmt(W[r, c]) for c in cols]
        body.append(" & ".join([entries[0], r"\cdots", *entries[1:]]))
        if k == 0:
            body.append(r"\vdots & \ddots & " + " & ".join([r"\vdots"] * (len(cols) - 1)))
    mat = r"\begin{bmatrix}" + r"\\".join(body) + r"\end{bmatrix}"
    return (rf"{f}\!\left({mat}{vec(a, cols)} + {vec(b, rows)}\right) = {vec(out, rows)}")


def param_count(sizes) -> tuple[list[tuple[int, int]], int, int]:
    """(n_in, n_out) per weight layer, the number of biases, and the total."""
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    biases = sum(sizes[1:])
    return pairs, biases, sum(a * b for a, b in pairs) + biases


def param_count_tex(sizes, pal: dict) -> VGroup:
    """784·16 + 16·16 + 16·10 + 42 = 13,002 weights and biases, computed from the widths."""
    pairs, biases, total = param_count(sizes)
    weights = " + ".join(rf"{a}\cdot{b}" for a, b in pairs)
    return VGroup(
        MathTex(rf"{weights} + {biases} = {total:,}".replace(",", "{,}"), font_size=30,
                color=pal["highlight"]),
        Text("weights and biases", font_size=26, color=pal["highlight"]),
    ).arrange(RIGHT, buff=0.2)


@dataclass
class DigitsNetworkConfig(DigitsConfig):
    image: int = knob(0, "index of the held-out image the network reads first", min=0, max=100000)
    neuron: int = knob(3, "hidden neuron (first hidden layer) whose weights are shown", min=0,
                       max=4095)


@register("digits-network", "784-16-16-10 on digits: an image flows to the answer, one it "
          "gets wrong, a neuron's weights as a picture, a' = sigma(Wa + b)")
class DigitsNetworkScene(NNVizScene):
    Config = DigitsNetworkConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = trace.net_at(1.0)
        _, test = held_out(*self.trace_data("main"))
        right = cfg.image % test.n_samples
        wrong = find_wrong(net, test, right)
        self.picked = (right, wrong)
        neuron = cfg.neuron % net.sizes[1]

        title = Text("A 784-16-16-10 network reads a digit", font_size=30,
                     color=pal["text"]).to_edge(UP, buff=0.2)
        diagram = RasterNetworkDiagram(net.sizes, net.weights, net.biases, None, width=10.2,
                                       height=4.4, palette=pal, activation_range=(0.0, 1.0),
                                       min_width=(0.6, 1.0, 1.0), max_width=(1.2, 3.0, 3.0),
                                       min_opacity=(0.0, 0.05, 0.1),
                                       max_opacity=(0.18, 0.9, 1.0), input_grid=True,
                                       neuron_stroke_width=0.8)
        diagram.move_to(0.6 * LEFT + 0.95 * UP)
        self.diagram = diagram
        out_layer = len(net.sizes) - 1
        digits = VGroup(*[
            MathTex(str(d), font_size=28, color=pal["text"])
            .next_to(diagram.node_center(out_layer, d), RIGHT, buff=0.25)
            for d in range(net.sizes[-1])
        ])
        count = param_count_tex(net.sizes, pal).to_edge(DOWN, buff=0.25)
        self.n_params = net.n_params
        self.play(FadeIn(title), FadeIn(diagram), FadeIn(digits), run_time=self.t(1.2))
        self.play(Write(count), run_time=self.t(1.0))

        wave = ValueTracker(0.0)
        state = {"values": brightness(layer_values(net, test.X[right]), net.activation)}

        def light(m: RasterNetworkDiagram) -> None:
            w = wave.get_value()
            acts = [None if w <= li else v * min(1.0, w - li)
                    for li, v in enumerate(state["values"])]
            m.set_state(activations=acts)

        diagram.add_updater(light)

        def show(index: int, first: bool) -> VGroup:
            x, y = test.X[index], int(test.y[index])
            values = layer_values(net, x)
            state["values"] = brightness(values, net.activation)
            answer = int(np.argmax(values[-1]))
            self.play(wave.animate.set_value(0.0), run_time=self.t(0.3 if first else 0.5))
            self.play(wave.animate.set_value(1.0), run_time=self.t(0.8))
            self.play(wave.animate.set_value(len(values)), run_time=self.t(2.0), rate_func=linear)
            box = SurroundingRectangle(VGroup(diagram.node(out_layer, answer), digits[answer]),
                                       color=pal["highlight"], buff=0.06)
            ok = answer == y
            words = (f"brightest output: {answer} — right" if ok else
                     f"brightest output: {answer} — wrong, it is a {y}")
            note = Text(words, font_size=26, color=pal["highlight"] if ok else pal["negative"])
            note.next_to(diagram, DOWN, buff=0.3)
            self.play(Create(box), FadeIn(note), run_time=self.t(0.8))
            self.wait(self.t(1.0))
            return VGroup(box, note)

        marks = show(right, True)
        if wrong is not None:
            self.play(FadeOut(marks), run_time=self.t(0.4))
            marks = show(wrong, False)
        self.shown_answers = [int(np.argmax(layer_values(net, test.X[i])[-1]))
                              for i in (right, wrong) if i is not None]

        # one hidden neuron's 784 weights, as a picture
        self.play(FadeOut(marks), FadeOut(count), run_time=self.t(0.4))
        target = diagram.node(1, neuron).set_stroke(pal["highlight"], 4).set_fill(opacity=0)
        grid = weight_image(net.weights[0][neuron], 2.3)
        grid.to_corner(DOWN + LEFT, buff=0.3)
        grid_label = Text(f"hidden neuron {neuron + 1}: its 784 weights", font_size=24,
                          color=pal["text"]).next_to(grid, RIGHT, buff=0.3).align_to(grid, UP)
        legend = VGroup(Text("green +", font_size=24, color=pal["pixel_pos"]),
                        Text("red −", font_size=24, color=pal["pixel_neg"])
                        ).arrange(RIGHT, buff=0.3).next_to(grid_label, RIGHT, 0.4)
        self.play(Create(target), run_time=self.t(0.5))
        self.play(FadeIn(grid, shift=0.3 * DOWN), FadeIn(grid_label), FadeIn(legend),
                  run_time=self.t(1.2))

        # the matrix form with live numbers from the network
        x = test.X[wrong if wrong is not None else right]
        a0 = x
        a1 = net.layer_outputs(x)[0].a[0]
        cols = [int(i) for i in np.argsort(-a0)[:2]]  # two inked pixels
        rows = sorted({0, neuron} | ({1} if neuron == 0 else set()))[:2]
        f_tex = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}[net.activation]
        formula = MathTex(rf"a' = {f_tex}(W a + b)", font_size=34, color=pal["text"])
        numbers = MathTex(matrix_tex(net.weights[0], a0, net.biases[0], a1, rows, cols, f_tex),
                          font_size=24, color=pal["text"])
        block = VGroup(formula, numbers).arrange(RIGHT, buff=0.5)
        block.next_to(grid_label, DOWN, buff=0.35).align_to(grid_label, LEFT)
        if block.get_right()[0] > 6.9:
            block.shift((6.9 - block.get_right()[0]) * RIGHT)
        self.play(Write(formula), run_time=self.t(1.0))
        self.play(FadeIn(numbers, shift=0.2 * UP), run_time=self.t(1.2))
        self.wait(self.t(1.5))
        self.matrix = (rows, cols, a0, a1)


# -- hidden-layers ----------------------------------------------------------------------------

@dataclass
class HiddenLayersConfig(DigitsConfig):
    neuron: int = knob(3, "first-layer neuron whose favourite images are shown", min=0, max=4095)
    top: int = knob(6, "how many of its most exciting images to show", min=1, max=10)


def top_images(net, X: np.ndarray, neuron: int, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Indices of the k images that excite first-layer neuron `neuron` most, with its
    weighted input z = w.x + b for each (largest first). Ranked by z, not by the squashed
    activation, which saturates at 1.00 for all of them."""
    z = net.layer_outputs(X)[0].z[:, neuron]
    idx = np.argsort(-z, kind="stable")[:k]
    return idx, z[idx]


def hope_picture(pal: dict) -> VGroup:
    """The hoped-for features, drawn as sketches (not from the network): short edges,
    loops and lines, whole digits."""
    stroke = {"color": pal["neuron_on"], "stroke_width": 5}
    edges = VGroup(*[Line(ORIGIN, d, **stroke).shift(s) for d, s in [
        (0.5 * RIGHT, 0 * RIGHT), (0.4 * UP, 0.9 * RIGHT), (0.35 * (RIGHT + UP), 1.6 * RIGHT),
        (0.35 * (RIGHT + DOWN), 2.3 * RIGHT + 0.35 * UP)]])
    loops = VGroup(Circle(radius=0.22, **stroke), Line(0.3 * UP, 0.3 * DOWN, **stroke)
                   .shift(0.9 * RIGHT), Arc(radius=0.22, start_angle=0, angle=-np.pi * 1.2,
                                            **stroke).shift(1.7 * RIGHT))
    nine = VGroup(Circle(radius=0.2, **stroke).shift(0.15 * UP),
                  Line(0.15 * UP + 0.2 * RIGHT, 0.45 * DOWN + 0.2 * RIGHT, **stroke))
    eight = VGroup(Circle(radius=0.14, **stroke).shift(0.17 * UP),
                   Circle(radius=0.17, **stroke).shift(0.14 * DOWN)).shift(0.9 * RIGHT)
    digits = VGroup(nine, eight)
    rows = VGroup()
    for pic, word in ((edges, "layer 1: edges"), (loops, "layer 2: loops and lines"),
                      (digits, "output: digits")):
        rows.add(VGroup(Text(word, font_size=24, color=pal["text"]), pic.copy()).arrange(
            RIGHT, buff=0.4))
    for r in rows:
        r[1].next_to(r[0], RIGHT, buff=0.4)
    rows.arrange(DOWN, aligned_edge=LEFT, buff=0.55)
    return rows




def pixel_image(values: np.ndarray, value_range: tuple[float, float], colors, width: float
                ) -> PixelImage:
    """A 28x28 picture (an input image) as one crisp raster image."""
    return PixelImage(values, (28, 28), value_range=value_range, colors=colors, width=width)


def weight_image(w: np.ndarray, width: float) -> PixelImage:
    """A neuron's 784 weights: green positive, red negative, black zero (symmetric range)."""
    return PixelImage(w, (28, 28), diverging=True, width=width)


@register("hidden-layers", "what the digits network's hidden neurons respond to: 16 weight "
          "pictures, one neuron's favourite images, the hope vs the truth")
class HiddenLayersScene(NNVizScene):
    Config = HiddenLayersConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        net = self.trace("main").net_at(1.0)
        data, test = held_out(*self.trace_data("main"))
        neuron = cfg.neuron % net.sizes[1]
        title = Text("What do the first-layer neurons look for?", font_size=30,
                     color=pal["text"]).to_edge(UP, buff=0.2)
        n = net.sizes[1]
        per_row = int(np.ceil(n / 2)) if n > 8 else n
        grids = Group(*[weight_image(net.weights[0][j], 1.3) for j in range(n)])
        grids.arrange_in_grid(cols=per_row, buff=0.18)
        if grids.width > 13.4:
            grids.scale_to_fit_width(13.4)
        grids.next_to(title, DOWN, buff=0.35)
        labels = VGroup(*[Text(str(j + 1), font_size=20, color=pal["muted"])
                          .next_to(g, DOWN, buff=0.05) for j, g in enumerate(grids)])
        self.grids = grids
        self.play(FadeIn(title), run_time=self.t(0.5))
        self.play(LaggedStart(*[FadeIn(g) for g in grids], lag_ratio=0.06), FadeIn(labels),
                  run_time=self.t(2.0))
        caption = Text("each picture: one neuron's 784 weights (green +, red −)", font_size=24,
                       color=pal["text"]).to_edge(DOWN, buff=0.3)
        self.play(FadeIn(caption), run_time=self.t(0.6))
        self.wait(self.t(1.0))

        # the images that excite one neuron most
        idx, acts = top_images(net, data.X, neuron, cfg.top)
        self.top = (idx, acts)
        box = SurroundingRectangle(grids[neuron], color=pal["highlight"], buff=0.05)
        images = Group(*[pixel_image(data.X[i], (0.0, 1.0), INK, 1.2) for i in idx])
        images.arrange(RIGHT, buff=0.25)
        values = VGroup(*[MathTex(rf"z = {v:.1f}".replace("-", "{-}"), font_size=24,
                                  color=pal["highlight"])
                          .next_to(im, DOWN, buff=0.1) for v, im in zip(acts, images,
                                                                        strict=True)])
        row = Group(images, values).next_to(grids, DOWN, buff=0.5)
        head = Text(f"the {cfg.top} of {data.n_samples} images that excite neuron {neuron + 1} "
                    "most (z = weighted sum + bias)", font_size=24,
                    color=pal["text"]).move_to(caption)
        self.play(Create(box), FadeOut(caption), FadeIn(head), run_time=self.t(0.6))
        self.play(LaggedStart(*[FadeIn(im, shift=0.2 * UP) for im in images], lag_ratio=0.15),
                  FadeIn(values), run_time=self.t(1.8))
        self.wait(self.t(1.5))

        # the hope, next to what it really learned
        self.play(FadeOut(row), FadeOut(head), FadeOut(box), FadeOut(labels),
                  run_time=self.t(0.5))
        hope = hope_picture(pal)
        hope_head = Text("the hope", font_size=28, color=pal["highlight"])
        left = VGroup(hope_head, hope).arrange(DOWN, buff=0.4, aligned_edge=LEFT)
        left.to_edge(LEFT, buff=0.6).shift(0.4 * DOWN)
        truth = grids.copy().arrange_in_grid(cols=int(np.ceil(np.sqrt(n))), buff=0.1)
        truth.scale_to_fit_height(4.4).to_edge(RIGHT, buff=0.7)
        truth.shift((-0.35 - truth.get_center()[1]) * UP)
        truth_head = Text("what layer 1 really learned", font_size=28,
                          color=pal["highlight"]).next_to(truth, UP, buff=0.25)
        self.play(Transform(grids, truth), FadeIn(truth_head), run_time=self.t(1.5))
        self.play(FadeIn(hope_head), LaggedStart(*[FadeIn(r) for r in hope], lag_ratio=0.4),
                  run_time=self.t(2.0))
        verdict = Text("not clean edges: scattered blobs, which still read "
                       f"{net_accuracy(net, test):.0%} of unseen digits right",
                       font_size=24, color=pal["text"]).to_edge(DOWN, buff=0.25)
        self.play(FadeIn(verdict), run_time=self.t(0.8))
        self.wait(self.t(1.5))


def net_accuracy(net, data) -> float:
    return float(np.mean(net.predict(data.X) == data.y))

