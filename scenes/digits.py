"""The digits network: 784-16-16-10 trained on handwritten digits at 28x28.

Scenes (episode 001, "what is a neural network"):
- digits-network: an image lights the 784 inputs and flows to the answer; one it gets wrong;
  one hidden neuron's weights are row k of W, and that row folds into a 28x28 picture; the
  neuron's weighted sum, bias and squash; a' = sigma(W a + b) for the whole layer; the
  13,002 weights and biases counted layer by layer.
- just-a-function: the whole network as one function: 784 numbers in, 10 out, 13,002 knobs.
- hidden-layers: all 16 first-layer weight pictures, the images that excite one neuron
  most, the hoped-for edges/loops/digits beside what the network really learned.

The default data are scikit-learn's 8x8 digits upscaled to 28x28 (said on screen); with
dataset=mnist the scenes read real MNIST from local IDX files. Pixels that are blank in
almost every image (the upscaled set's padding border, MNIST's empty margins) get weights
that nothing shapes; weight pictures leave them out (drawn as blank paper), from a mask
computed from the data (`inked_mask`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    FadeTransform,
    Group,
    GrowArrow,
    Indicate,
    LaggedStart,
    Line,
    Matrix,
    Rectangle,
    RoundedRectangle,
    SurroundingRectangle,
    Transform,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from nnviz.core.datasets import Dataset
from nnviz.core.losses import softmax
from nnviz.draw.mobjects import DecimalNumber, Legend, MathTex, Text, weight_legend
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.pixel_image import PixelImage, image_rgba
from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import hex_to_rgb

MNIST_ENV = "NNVIZ_MNIST"  # folder of the MNIST IDX files when dataset_path is not given
SIDE = 28  # the images are SIDE x SIDE
RARE = 0.10  # a pixel inked in fewer than this share of the images is left out of pictures


@dataclass
class DigitsConfig(SceneConfig):
    """The trained digits network the digits scenes read."""

    dataset: str = knob("digits28", "data set of 28x28 digits: scikit-learn's 8x8 digits "
                        "upscaled, or real MNIST from IDX files", choices=("digits28", "mnist"))
    dataset_path: str = knob("", "folder of the MNIST IDX files (dataset=mnist only; default: "
                             f"${MNIST_ENV})")
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
            params["path"] = os.path.expanduser(
                self.dataset_path or os.environ.get(MNIST_ENV, ""))
        return params

    def traces(self):
        return {"main": spec(self.dataset, (SIDE * SIDE, self.hidden, self.hidden, 10),
                             activation=self.activation, output_activation="identity",
                             trainer=self.trainer, steps=self.steps, seed=self.seed,
                             record="log:20", dataset_params=self.data_params(),
                             trainer_params={"lr": self.lr, "batch_size": self.batch_size},
                             test_fraction=self.test_fraction)}


# -- numbers the scenes show (tests compare them with the core) ------------------------------

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


def param_count(sizes) -> tuple[list[tuple[int, int]], int, int]:
    """(n_in, n_out) per weight layer, the number of biases, and the total."""
    pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
    biases = sum(sizes[1:])
    return pairs, biases, sum(a * b for a, b in pairs) + biases


def param_terms(sizes) -> list[tuple[str, str]]:
    """Per weight layer, (weights, biases) as LaTeX terms: 784·16 and 16, then 16·16 and
    16, then 16·10 and 10; their sum is the network's parameter count."""
    return [(rf"{a}\cdot{b}", str(b)) for a, b in zip(sizes[:-1], sizes[1:], strict=True)]


def thousands(n: int) -> str:
    """13002 as '13{,}002' for MathTex."""
    return f"{n:,}".replace(",", "{,}")


def inked_mask(X: np.ndarray, share: float = RARE) -> np.ndarray:
    """Pixels inked (> 0) in at least `share` of the images: the ones weight pictures show.

    The upscaled digits have a 4-pixel padding border that is blank in every image (its
    weights keep their random start), and inside it a rim that is inked in under 10 % of
    them (scikit-learn's outer columns are nearly always empty). Adam gives the weights of
    such rare pixels steps as large as any other's, so the rim ends up with some of the
    largest weights, fitted to a few images: drawn, it reads as learned strokes around the
    digit. Pictures leave both out (drawn as blank paper); the sums still use every pixel."""
    X = np.asarray(X, dtype=float)
    return (X > 0).mean(axis=0) >= share


def neuron_sum(net, x: np.ndarray, k: int) -> tuple[float, float, float, float]:
    """(sum_j w_kj a_j, b_k, z_k, a'_k) of first-layer neuron k for image x."""
    W, b = net.weights[0], net.biases[0]
    s = float(W[k] @ x)
    out = net.layer_outputs(x)[0]
    return s, float(b[k]), float(out.z[0, k]), float(out.a[0, k])


def extreme_weights(w: np.ndarray, mask: np.ndarray) -> tuple[int, int]:
    """Indices of the largest and the most negative weight among the shown pixels."""
    idx = np.flatnonzero(mask)
    return int(idx[np.argmax(w[idx])]), int(idx[np.argmin(w[idx])])


def network_outputs(net, x: np.ndarray) -> np.ndarray:
    """The 10 numbers the network gives for image x: its outputs through softmax."""
    return softmax(net.forward(np.asarray(x, dtype=float)[None, :]))[0]


def shown_rows(k: int, n: int) -> list[int | None]:
    """The rows (0-based) written out of an n-row matrix: the first, row k and the last,
    with None for the dots between rows that are not next to each other."""
    rows = sorted({0, k, n - 1})
    out: list[int | None] = []
    for i, r in enumerate(rows):
        if i > 0 and r - rows[i - 1] > 1:
            out.append(None)
        out.append(r)
    return out


def matrix_entries(k: int, n_out: int, n_in: int) -> list[list[str]]:
    """The weight matrix W as LaTeX entries named by index, w_{row,column} (1-based): rows
    1, k and n_out; columns 1 and n_in with dots between."""
    rows = []
    for r in shown_rows(k, n_out):
        if r is None:
            rows.append([r"\vdots", r"\ddots", r"\vdots"])
        else:
            rows.append([rf"w_{{{r + 1},1}}", r"\cdots", rf"w_{{{r + 1},{n_in}}}"])
    return rows


def vector_entries(sym: str, show: list[int | None]) -> list[list[str]]:
    """A column vector's entries sym_i (1-based) for the shown indices, dots for None."""
    return [[r"\vdots" if i is None else rf"{sym}_{{{i + 1}}}"] for i in show]


# -- pictures -----------------------------------------------------------------------------------

def ink(pal: dict) -> tuple[str, str]:
    """Input pixels: 0 blank paper (dark), 1 ink (bright), as the input neurons."""
    return (pal["neuron_off"], pal["neuron_on"])


def pixel_image(values: np.ndarray, pal: dict, width: float, side: int = SIDE) -> PixelImage:
    """An input image (0..1) as one crisp picture, in the input neurons' colours."""
    return PixelImage(values, (side, side), value_range=(0.0, 1.0), colors=ink(pal),
                      width=width)


def weight_rgba(w: np.ndarray, mask: np.ndarray, pal: dict) -> np.ndarray:
    """RGBA of a neuron's 784 weights in the palette's weight colours (negative -> black
    -> positive over +-max|w| of the shown pixels); left-out pixels are blank paper."""
    m = float(np.abs(w[mask]).max()) if mask.any() else 1.0
    rgba = image_rgba(w, (SIDE, SIDE), (-m, m), (pal["negative"], "#000000", pal["positive"]))
    paper = np.round(hex_to_rgb(pal["neuron_off"]) * 255).astype(np.uint8)
    rgba[~mask.reshape(SIDE, SIDE), :3] = paper
    return rgba


def rgba_image(rgba: np.ndarray, width: float) -> PixelImage:
    """A PixelImage showing the given RGBA pixels."""
    img = PixelImage(np.zeros(rgba.shape[:2]), rgba.shape[:2], width=width)
    img.pixel_array = np.ascontiguousarray(rgba)
    return img


def weight_image(w: np.ndarray, mask: np.ndarray, pal: dict, width: float) -> PixelImage:
    """A neuron's weights as a 28x28 picture (see weight_rgba)."""
    return rgba_image(weight_rgba(w, mask, pal), width)


def picture_legend(pal: dict, font_size: int = 20) -> Legend:
    """What a weight picture's colours mean, the left-out pixels included."""
    return Legend([(pal["positive"], "positive weight"), (pal["negative"], "negative weight"),
                   (pal["neuron_off"], f"blank in {1 - RARE:.0%}+ of images")],
                  kind="square", font_size=font_size, direction=DOWN)


def source_8x8(x28: np.ndarray) -> np.ndarray | None:
    """The 8x8 digit that a digits28 image was upscaled from, recovered from the image
    itself: the upscale is linear interpolation, 8 -> 20 pixels along each axis (matrix A)
    inside a 4-pixel border, so the 20x20 middle is A S A^T and S = A+ (middle) A+^T.
    None when the image is not such an upscale (the check puts S back through A)."""
    from scipy.ndimage import zoom

    A = np.stack([zoom(np.eye(8)[j], 2.5, order=1) for j in range(8)], axis=1)  # (20, 8)
    img = np.asarray(x28, dtype=float).reshape(SIDE, SIDE)
    middle = img[4:24, 4:24]
    if np.abs(img).sum() - np.abs(middle).sum() > 1e-9:
        return None
    pinv = np.linalg.pinv(A)
    small = pinv @ middle @ pinv.T
    if np.abs(A @ small @ A.T - middle).max() > 1e-9:
        return None
    return np.clip(small, 0.0, 1.0)


# -- digits-network ---------------------------------------------------------------------------

def diagram_for(net, pal: dict, width: float, height: float) -> RasterNetworkDiagram:
    """The 784-16-16-10 diagram: inputs as a 28x28 grid, every edge in the weight colours,
    each layer's edges scaled by its own largest |w| (fixed, so dimming some keeps the rest)."""
    scale = tuple(float(np.abs(w).max()) or 1.0 for w in net.weights)
    return RasterNetworkDiagram(net.sizes, net.weights, net.biases, None, width=width,
                                height=height, palette=pal, activation_range=(0.0, 1.0),
                                min_width=(0.6, 1.0, 1.0), max_width=(1.2, 3.0, 3.0),
                                min_opacity=(0.0, 0.05, 0.1), max_opacity=(0.18, 0.9, 1.0),
                                input_grid=True, neuron_stroke_width=0.8, weight_scale=scale)


def grid_box(diagram: RasterNetworkDiagram, n_inputs: int) -> tuple[np.ndarray, np.ndarray]:
    """(lower-left, upper-right) corners of the diagram's input grid, in scene units."""
    pts = np.array([diagram.node_center(0, i) for i in (0, n_inputs - 1)])
    r = diagram.layout.radius[0] * diagram.place_scale()
    return pts.min(axis=0) - r, pts.max(axis=0) + r


def column_x(diagram: RasterNetworkDiagram, layer: int) -> float:
    return float(diagram.node_center(layer, 0)[0])


def matrix_mob(rows: list[list[str]], pal: dict, font_size: int, h_buff: float = 1.1,
               v_buff: float = 0.55) -> Matrix:
    """A matrix of LaTeX entries whose brackets are plain shapes: a bracket is no text to
    read (its LaTeX source would count as words for the beat's reading time)."""
    m = Matrix(rows, h_buff=h_buff, v_buff=v_buff,
               element_to_mobject_config={"font_size": font_size, "color": pal["text"]},
               bracket_config={"color": pal["text"]})
    plain = [VGroup(*[VMobject().set_points(part.points.copy()).match_style(part)
                      for part in bracket.family_members_with_points()])
             for bracket in m.brackets]
    m.submobjects = [m.submobjects[0], *plain]
    m.brackets = VGroup(*plain)
    return m


@dataclass
class DigitsNetworkConfig(DigitsConfig):
    image: int = knob(0, "index of the held-out image the network reads first", min=0, max=100000)
    neuron: int = knob(3, "hidden neuron (first hidden layer) whose weights are shown", min=0,
                       max=4095)


@register("digits-network", "784-16-16-10 on digits: an image flows to the answer, one it "
          "gets wrong, a neuron's weights as row k of W and as a picture, a' = sigma(Wa + b), "
          "13,002 weights and biases counted layer by layer")
class DigitsNetworkScene(NNVizScene):
    Config = DigitsNetworkConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = trace.net_at(1.0)
        data, test = held_out(*self.trace_data("main"))
        right = cfg.image % test.n_samples
        wrong = find_wrong(net, test, right)
        self.picked = (right, wrong)
        k = cfg.neuron % net.sizes[1]
        self.neuron = k
        self.mask = mask = inked_mask(data.X)
        self.n_params = net.n_params
        n_in, n_hid = net.sizes[0], net.sizes[1]
        out_layer = len(net.sizes) - 1
        hi = pal["highlight"]
        f_tex = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}[net.activation]
        sizes = "-".join(str(s) for s in net.sizes)
        title = Text(f"A {sizes} network reads a digit", font_size=30,
                     color=pal["text"]).to_edge(UP, buff=0.2)

        # -- phase 1: the big diagram ------------------------------------------------
        big = diagram_for(net, pal, 10.6, 4.9).move_to(0.3 * LEFT + 0.6 * UP)
        lo, up = grid_box(big, n_in)
        grid_w = up[0] - lo[0]
        image = pixel_image(test.X[right], pal, 3.6).move_to(1.6 * RIGHT + 0.4 * UP)
        cap_big = Text(f"{SIDE}×{SIDE} = {n_in} pixels", font_size=24, color=pal["text"])
        cap_big.next_to(image, DOWN, buff=0.25)
        small = None if cfg.dataset == "mnist" else source_8x8(test.X[right])
        if small is None:
            intro = Group(image, cap_big)
            note = Text("an MNIST digit" if cfg.dataset == "mnist" else "a digit",
                        font_size=24, color=pal["muted"]).next_to(image, UP, buff=0.25)
            intro.add(note)
        else:
            img8 = pixel_image(small.ravel(), pal, 2.0, side=8)
            img8.next_to(image, LEFT, buff=2.0).align_to(image, DOWN)
            cap8 = Text("scikit-learn's 8×8 digit", font_size=24, color=pal["muted"])
            cap8.next_to(img8, DOWN, buff=0.25).align_to(cap_big, DOWN)
            arrow = Arrow(img8.get_right(), image.get_left(), buff=0.2, color=pal["muted"])
            up_word = Text("upscaled", font_size=22, color=pal["muted"]).next_to(arrow, UP, 0.1)
            intro = Group(img8, cap8, arrow, up_word, image, cap_big)
        self.intro = intro

        with self.beat("image", f"The network reads a small picture of a handwritten digit: "
                       f"{SIDE} by {SIDE} pixels, here upscaled from a tiny 8 by 8 original."):
            self.play(FadeIn(title), FadeIn(image), FadeIn(cap_big), run_time=self.t(1.0))
            self.play(FadeIn(Group(*[m for m in intro if m not in (image, cap_big)]),
                             shift=0.2 * RIGHT), run_time=self.t(1.0))
            self.play(Indicate(cap_big, color=hi), run_time=self.t(0.8))
            self.play(Indicate(intro[0], color=hi), run_time=self.t(1.0))

        labels = VGroup(
            Text(f"{n_in} inputs", font_size=22, color=pal["text"]),
            *[Text(f"{n}", font_size=22, color=pal["text"]) for n in net.sizes[1:-1]],
            Text(f"{net.sizes[-1]} outputs", font_size=22, color=pal["text"]))
        y_lab = big.get_bottom()[1] - 0.25
        labels[0].move_to([(lo[0] + up[0]) / 2, y_lab, 0])
        for li in range(1, len(net.sizes)):
            labels[li].move_to([column_x(big, li), y_lab, 0])
        for lab in labels[1:]:
            lab.align_to(labels[0], DOWN)
        digits = VGroup(*[
            MathTex(str(d), font_size=26, color=pal["text"])
            .next_to(big.node_center(out_layer, d), RIGHT, buff=0.22)
            for d in range(net.sizes[-1])])
        edge_legend = weight_legend(pal, font_size=20)
        edge_legend.next_to(labels, DOWN, buff=0.3).set_x(labels[1:].get_center()[0])

        wave = ValueTracker(0.0)
        state = {"values": brightness(layer_values(net, test.X[right]), net.activation)}

        def light(m: RasterNetworkDiagram) -> None:
            w = wave.get_value()
            acts = [None if w <= li else v * min(1.0, w - li)
                    for li, v in enumerate(state["values"])]
            m.set_state(activations=acts)

        with self.beat("inputs", f"Each of the {n_in} pixels is an input neuron holding its "
                       "brightness, from 0 for blank paper to 1 for ink."):
            self.play(FadeOut(Group(*[m for m in intro if m is not image])),
                      image.animate.scale_to_fit_width(grid_w).move_to((lo + up) / 2),
                      run_time=self.t(1.2))
            big.add_updater(light)
            wave.set_value(1.0)
            big.set_state(weights=[0 * w for w in net.weights])
            self.play(FadeOut(image), FadeIn(big), FadeIn(labels[0]), run_time=self.t(1.0))

        grow = ValueTracker(0.0)

        def edges(m: RasterNetworkDiagram) -> None:
            g = grow.get_value()
            m.set_state(weights=[w * min(1.0, max(0.0, 3 * g - i)) for i, w in
                                 enumerate(net.weights)])

        with self.beat("layers", f"Two hidden layers of {net.sizes[1]} neurons follow, then "
                       f"{net.sizes[-1]} outputs, one per digit."):
            self.play(LaggedStart(*[FadeIn(m) for m in labels[1:]], lag_ratio=0.3),
                      FadeIn(digits), run_time=self.t(1.0))
            big.add_updater(edges)
            self.play(grow.animate.set_value(1.0), run_time=self.t(2.0))
            big.remove_updater(edges)
            self.play(Indicate(digits, color=hi), run_time=self.t(0.8))
        with self.beat("weights", "Every edge carries a weight: blue edges positive, orange "
                       "negative, thicker for larger."):
            self.play(FadeIn(edge_legend), run_time=self.t(0.8))

        def flow(index: int, name: str, text: str, clear: VGroup | None = None) -> VGroup:
            x, y = test.X[index], int(test.y[index])
            values = layer_values(net, x)
            answer = int(np.argmax(values[-1]))
            with self.beat(name, text):
                if clear is not None:
                    self.play(FadeOut(clear), wave.animate.set_value(0.0), run_time=self.t(0.6))
                    state["values"] = brightness(values, net.activation)
                    self.play(wave.animate.set_value(1.0), run_time=self.t(0.8))
                self.play(wave.animate.set_value(len(values)), run_time=self.t(2.0),
                          rate_func=linear)
                box = SurroundingRectangle(VGroup(big.node(out_layer, answer), digits[answer]),
                                           color=hi, buff=0.06)
                ok = answer == y
                note = Text(f"answer: {answer}" + ("  (right)" if ok else
                                                   f"  (wrong: it is a {y})"),
                            font_size=26, color=hi if ok else pal["negative"])
                note.next_to(edge_legend, DOWN, buff=0.3)
                self.play(Create(box), FadeIn(note), run_time=self.t(0.8))
                self.play(Indicate(note, color=hi if ok else pal["negative"]),
                          run_time=self.t(1.0))
            return VGroup(box, note)

        marks = flow(right, "flow", "Its activations set the next layer's, layer by layer; "
                     "the brightest output is the network's answer.")
        shown = [right]
        if wrong is not None:
            marks = flow(wrong, "wrong", "It is not always right: here the brightest output "
                         "is not the digit that was written.", clear=marks)
            shown.append(wrong)
        self.shown_answers = [int(np.argmax(layer_values(net, test.X[i])[-1])) for i in shown]
        x = test.X[shown[-1]]

        # -- phase 2: one neuron, its row of W, its picture ----------------------------------
        diagram = diagram_for(net, pal, 7.0, 3.1)
        diagram.to_corner(UP + LEFT, buff=0.3).shift(0.4 * DOWN)
        self.diagram = diagram
        diagram.set_state(activations=brightness(layer_values(net, x), net.activation))
        digits2 = VGroup(*[
            MathTex(str(d), font_size=20, color=pal["text"])
            .next_to(diagram.node_center(out_layer, d), RIGHT, buff=0.15)
            for d in range(net.sizes[-1])])
        focus = ValueTracker(0.0)
        W0 = net.weights[0]
        row_only = np.zeros_like(W0)
        row_only[k] = 1.0

        def isolate(m: RasterNetworkDiagram) -> None:
            t = focus.get_value()
            m.set_state(weights=[W0 * (1.0 - t * (1.0 - row_only)),
                                 *[w * (1.0 - 0.8 * t) for w in net.weights[1:]]])

        ring = Circle(radius=diagram.layout.radius[1] * diagram.place_scale() + 0.06,
                      color=hi, stroke_width=4).move_to(diagram.node_center(1, k))
        name = Text(f"neuron {k + 1}", font_size=22, color=hi)
        name.next_to(ring, LEFT, buff=0.1)
        name.add_background_rectangle(color=pal["background"], opacity=0.9, buff=0.05)
        with self.beat("neuron", f"Take one neuron of the first hidden layer, number {k + 1}: "
                       f"{n_in} edges come into it, each with its own weight."):
            big.clear_updaters()
            self.play(FadeOut(big), FadeOut(labels), Transform(digits, digits2),
                      FadeOut(marks), FadeOut(edge_legend), FadeIn(diagram),
                      run_time=self.t(1.2))
            diagram.add_updater(isolate)
            self.play(focus.animate.set_value(1.0), Create(ring), FadeIn(name),
                      run_time=self.t(1.5))

        W = matrix_mob(matrix_entries(k, n_hid, n_in), pal, 30, h_buff=1.3, v_buff=0.44)
        w_eq = MathTex("W =", font_size=36, color=pal["text"])
        w_group = VGroup(w_eq, W).arrange(RIGHT, buff=0.2)
        w_group.to_edge(LEFT, buff=0.35).align_to(diagram, DOWN).shift(
            (w_group.height + 0.25) * DOWN)
        rows = W.get_rows()
        k_row = [i for i, r in enumerate(shown_rows(k, n_hid)) if r == k][0]
        frame = SurroundingRectangle(rows[k_row], color=hi, buff=0.08)
        x_v = max((column_x(diagram, 1) + column_x(diagram, 2)) / 2,
                  float(W.get_right()[0]) + 0.3)
        tie = VMobject(color=hi, stroke_width=2.5).set_points_as_corners(
            [frame.get_right(), [x_v, frame.get_y(), 0], [x_v, ring.get_y(), 0],
             ring.get_right()])
        with self.beat("row", f"Its {n_in} weights are one row of a matrix W: row {k + 1}, "
                       "one column per pixel."):
            self.play(Write(w_eq), run_time=self.t(0.5))
            self.play(Write(W), run_time=self.t(1.6))
            self.play(Create(frame), run_time=self.t(0.7))
            self.play(Create(tie), Indicate(ring, color=hi), run_time=self.t(1.0))
            self.play(Indicate(rows[k_row], color=hi), run_time=self.t(0.9))

        # row k -> a strip of 784 coloured weights -> 28 rows of 28 -> the picture
        w_k = W0[k]
        rgba = weight_rgba(w_k, mask, pal)
        strip_w, strip_h = 13.4, 0.32
        piece_w = strip_w / SIDE
        pieces = Group(*[rgba_image(rgba[r:r + 1], piece_w).stretch_to_fit_height(strip_h)
                         for r in range(SIDE)]).arrange(RIGHT, buff=0)
        pieces.move_to([0, w_group.get_bottom()[1] - 0.3, 0])
        top, bottom = extreme_weights(w_k, mask)
        self.extremes = (top, bottom)

        def pointer(j: int, colour: str) -> VGroup:
            x0 = pieces.get_left()[0] + (j + 0.5) * strip_w / (SIDE * SIDE)
            tick = Line([x0, pieces.get_bottom()[1], 0], [x0, pieces.get_bottom()[1] - 0.2, 0],
                        color=colour, stroke_width=3)
            tex = MathTex(rf"w_{{{k + 1},{j + 1}}} = {fmt(w_k[j])}", font_size=26, color=colour)
            tex.next_to(tick, DOWN, buff=0.06)
            tex.set_x(np.clip(x0, -6.9 + tex.width / 2, 6.9 - tex.width / 2))
            return VGroup(tick, tex)

        pointers = VGroup(pointer(top, pal["positive"]), pointer(bottom, pal["negative"]))
        legend = picture_legend(pal, font_size=18)
        pic_w = 2.7
        picture = weight_image(w_k, mask, pal, pic_w)
        picture.move_to([digits2.get_right()[0] + 0.3 + pic_w / 2, diagram.get_center()[1], 0])
        legend.next_to(picture, RIGHT, buff=0.25).align_to(picture, UP)
        over = legend.get_right()[0] - 6.95
        if over > 0:
            picture.shift(over * LEFT)
            legend.shift(over * LEFT)
        with self.beat("strip", "Colour each weight: blue for positive, orange for negative, "
                       "brighter for larger."):
            self.play(FadeIn(legend), run_time=self.t(0.8))
            self.play(FadeTransform(rows[k_row].copy(), pieces), run_time=self.t(1.4))
        with self.beat("extremes", "Here are its largest weight and its most negative one."):
            self.play(FadeIn(pointers), run_time=self.t(0.8))
            self.play(*[Indicate(p[1], color=p[1].get_color()) for p in pointers],
                      run_time=self.t(1.0))

        pic_label = Text(f"neuron {k + 1}'s weights", font_size=22, color=pal["text"])
        pic_label.next_to(legend, DOWN, buff=0.3).align_to(legend, LEFT)
        self.picture = picture
        targets = [picture.get_top() + (r + 0.5) * pic_w / SIDE * DOWN for r in range(SIDE)]
        with self.beat("fold", "Cut the row into 28 pieces of 28 and stack them: the weights "
                       "become a picture over the pixels they weigh."):
            self.play(FadeOut(pointers), run_time=self.t(0.4))
            self.play(LaggedStart(*[
                p.animate.stretch_to_fit_width(pic_w).stretch_to_fit_height(pic_w / SIDE)
                .move_to(t) for p, t in zip(pieces, targets, strict=True)], lag_ratio=0.04),
                run_time=self.t(2.2))
            self.add(picture)
            self.remove(*pieces)
            self.play(FadeIn(pic_label), run_time=self.t(0.8))

        s, b_k, z_k, a_k = neuron_sum(net, x, k)
        self.sum = (s, b_k, z_k, a_k)
        total = MathTex(rf"a'_{{{k + 1}}} = {f_tex}\Big(\sum_j w_{{{k + 1},j}}\, a_j + "
                        rf"b_{{{k + 1}}}\Big)", rf"= {f_tex}({fmt(s)} + {fmt(b_k)})",
                        rf"= {f_tex}({fmt(z_k)}) = {fmt(a_k)}", font_size=30, color=pal["text"])
        total.next_to(w_group, DOWN, buff=0.3).align_to(w_group, LEFT)
        with self.beat("sum", "The neuron multiplies each pixel by its weight, adds them up "
                       "with its bias, and squashes the total."):
            self.play(Write(total[0]), run_time=self.t(1.2))
            self.play(FadeIn(total[1], shift=0.2 * RIGHT), run_time=self.t(0.8))
            self.play(FadeIn(total[2], shift=0.2 * RIGHT), run_time=self.t(0.8))
            self.play(Indicate(ring, color=hi), run_time=self.t(0.9))

        # the whole layer at once
        show = shown_rows(k, n_hid)
        a_vec = matrix_mob(vector_entries("a", [0, None, n_in - 1]), pal, 30, v_buff=0.44)
        b_vec = matrix_mob(vector_entries("b", show), pal, 30, v_buff=0.44)
        out_vec = matrix_mob(vector_entries("a'", show), pal, 30, v_buff=0.44)
        W2 = W.copy()
        lp = MathTex(rf"{f_tex}\Big(", font_size=34, color=pal["text"])
        rp = MathTex(r"\Big)", font_size=34, color=pal["text"])
        equation = VGroup(lp, W2, a_vec, MathTex("+", font_size=34, color=pal["text"]), b_vec,
                          rp, MathTex("=", font_size=34, color=pal["text"]), out_vec)
        equation.arrange(RIGHT, buff=0.15)
        for paren in (lp, rp):
            paren[0][-1].stretch_to_fit_height(W2.height)
        equation.arrange(RIGHT, buff=0.15).move_to(w_group).align_to(w_group, LEFT)
        short = MathTex(rf"a' = {f_tex}(W a + b)", font_size=46, color=hi)
        short.move_to([(equation.get_right()[0] + 7.1) / 2, equation.get_y(), 0])
        k_rows = VGroup(b_vec.get_rows()[k_row], out_vec.get_rows()[k_row])
        frame2 = SurroundingRectangle(W2.get_rows()[k_row], color=hi, buff=0.08)
        with self.beat("layer", "Every neuron does the same with its own row, so the whole "
                       "layer is one matrix product, plus the biases, squashed."):
            self.play(FadeOut(total), FadeOut(tie), run_time=self.t(0.5))
            self.play(FadeOut(w_eq), Transform(W, W2), Transform(frame, frame2), FadeIn(lp),
                      run_time=self.t(1.0))
            self.play(FadeIn(a_vec), run_time=self.t(0.8))
            self.play(FadeIn(equation[3]), FadeIn(b_vec), run_time=self.t(0.8))
            self.play(FadeIn(rp), FadeIn(equation[6]), FadeIn(out_vec), run_time=self.t(0.8))
            self.play(Indicate(a_vec, color=hi), run_time=self.t(0.8))
            self.play(k_rows.animate.set_color(hi), run_time=self.t(0.8))
        with self.beat("compact", "In short: a' equals sigma of W a plus b."):
            self.play(Write(short), run_time=self.t(1.0))
        self.matrix_shown = (k, n_hid, n_in)

        # the count, term by term, as each layer is pointed at
        terms = param_terms(net.sizes)
        parts = []
        for i, (wt, bt) in enumerate(terms):
            parts += (["+"] if i else []) + [wt, "+", bt]
        parts += ["=", thousands(net.n_params)]
        count = MathTex(*parts, font_size=34, color=hi)
        count_words = Text("weights and biases", font_size=26, color=hi)
        count_line = VGroup(count, count_words).arrange(RIGHT, buff=0.25)
        count_line.to_edge(DOWN, buff=0.3)
        count_words.align_to(count, DOWN).shift(0.02 * DOWN)
        self.count_line = count_line
        x_cols = [column_x(diagram, li) for li in range(len(net.sizes))]
        lo2, up2 = grid_box(diagram, n_in)
        x_cols[0] = up2[0]
        pos = 0
        for li in range(len(terms)):
            band = Rectangle(width=x_cols[li + 1] - x_cols[li] + 0.2,
                             height=diagram.height + 0.1, stroke_color=hi, stroke_width=2,
                             fill_color=hi, fill_opacity=0.08)
            band.move_to([(x_cols[li] + x_cols[li + 1]) / 2, diagram.get_center()[1], 0])
            n_a, n_b = net.sizes[li], net.sizes[li + 1]
            cut = pos + (4 if li else 3)
            new = VGroup(*count[pos:cut])
            pos = cut
            first = li == 0
            where = ("into the first hidden layer" if li == 0 else "into the outputs"
                     if li == len(terms) - 1 else "into the next layer")
            text = (f"Count the knobs: {n_a} times {n_b} weights and {n_b} biases {where}."
                    if first else f"Then {n_a} times {n_b} weights and {n_b} biases {where}.")
            with self.beat(f"count-{li + 1}", text):
                if first:
                    self.play(focus.animate.set_value(0.0), FadeOut(ring), FadeOut(name),
                              FadeOut(frame), run_time=self.t(0.8))
                self.play(FadeIn(band), run_time=self.t(0.6))
                self.play(FadeIn(new, shift=0.2 * UP), run_time=self.t(0.8))
                self.play(FadeOut(band), run_time=self.t(0.5))
        with self.beat("total", f"In all, {net.n_params:,} weights and biases."):
            self.play(FadeIn(VGroup(*count[pos:])), FadeIn(count_words), run_time=self.t(1.0))
            self.play(Indicate(count[-1], color=hi), run_time=self.t(1.0))
        self.add(count)  # the whole line as one formula (its parts are already on screen)
        with self.beat("end", f"Learning means finding values for all {net.n_params:,} of them "
                       "so that the brightest output is the right digit.", last=True):
            self.play(Indicate(short, color=hi), run_time=self.t(1.0))


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


def edge_detector(side: int = SIDE) -> np.ndarray:
    """A hand-made edge detector's weights (not learned): +1 on a short horizontal bar,
    -0.6 on the pixels just above and below it, 0 elsewhere."""
    w = np.zeros((side, side))
    r, c0, c1 = side // 2 - 4, side // 2 - 6, side // 2 + 6
    w[r:r + 2, c0:c1] = 1.0
    w[r - 2:r, c0:c1] = -0.6
    w[r + 2:r + 4, c0:c1] = -0.6
    return w.ravel()


def stroke_image(parts, side: int = SIDE) -> np.ndarray:
    """A side x side ink image (0..1) of pen strokes: ("ring", row, col, radius) and
    ("bar", row0, col0, row1, col1), each about 2.5 pixels thick, softly anti-aliased."""
    r, c = np.mgrid[0:side, 0:side].astype(float)
    ink_ = np.zeros((side, side))
    for kind, *p in parts:
        if kind == "ring":
            y, x, rad = p
            d = np.abs(np.hypot(r - y, c - x) - rad)
        else:
            y0, x0, y1, x1 = p
            v = np.array([y1 - y0, x1 - x0])
            t = np.clip(((r - y0) * v[0] + (c - x0) * v[1]) / float(v @ v), 0.0, 1.0)
            d = np.hypot(r - (y0 + t * v[0]), c - (x0 + t * v[1]))
        ink_ = np.maximum(ink_, np.clip(1.75 - d, 0.0, 1.0))
    return ink_.ravel()


LOOP = ("ring", 10.0, 14.0, 5.0)
LINE = ("bar", 6.0, 19.0, 23.0, 19.0)


def hope_images() -> tuple[list[np.ndarray], list[np.ndarray]]:
    """The hoped-for second-layer features (a loop, a line, a lower loop) and the digits the
    outputs would build from them (9 = upper loop + line, 8 = upper loop + lower loop), as
    ink images: sketches made by hand, not read from the network."""
    low = ("ring", 18.5, 14.0, 5.0)
    nine_line = ("bar", 10.0, 19.0, 23.0, 17.0)
    parts = [[LOOP], [("bar", 5.0, 14.0, 23.0, 14.0)], [low]]
    digits = [[LOOP, nine_line], [("ring", 9.5, 14.0, 4.5), low]]
    return [stroke_image(p) for p in parts], [stroke_image(p) for p in digits]


def net_accuracy(net, data) -> float:
    return float(np.mean(net.predict(data.X) == data.y))


@register("hidden-layers", "what the digits network's hidden neurons respond to: 16 weight "
          "pictures, one neuron's favourite images, the hope vs the truth")
class HiddenLayersScene(NNVizScene):
    Config = HiddenLayersConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        net = self.trace("main").net_at(1.0)
        data, test = held_out(*self.trace_data("main"))
        mask = inked_mask(data.X)
        neuron = cfg.neuron % net.sizes[1]
        hi = pal["highlight"]
        title = Text("What does hidden layer 1 look for?", font_size=30,
                     color=pal["text"]).to_edge(UP, buff=0.2)
        n = net.sizes[1]
        per_row = int(np.ceil(n / 2)) if n > 8 else n
        grids = Group(*[weight_image(net.weights[0][j], mask, pal, 1.45) for j in range(n)])
        grids.arrange_in_grid(cols=per_row, buff=(0.2, 0.4))
        if grids.width > 13.0:
            grids.scale_to_fit_width(13.0)
        grids.next_to(title, DOWN, buff=0.3)
        home = grids.get_center()
        grids.move_to(0.35 * UP)  # centred until the favourite images need the room below
        legend = picture_legend(pal, font_size=20)
        legend.arrange(RIGHT, buff=0.5).to_edge(DOWN, buff=0.3)
        self.grids = grids
        with self.beat("pictures", f"Here are the weights of all {n} neurons of the first "
                       "hidden layer, each drawn as a picture over the pixels."):
            self.play(FadeIn(title), run_time=self.t(0.6))
            self.play(LaggedStart(*[FadeIn(g) for g in grids], lag_ratio=0.06),
                      run_time=self.t(2.0))
        with self.beat("colours", "Blue pixels are positive weights, orange negative; the "
                       "dark frame marks pixels that are almost always blank."):
            self.play(FadeIn(legend), run_time=self.t(0.8))
            self.play(Indicate(legend[2], color=hi), run_time=self.t(1.3))

        # the images that excite one neuron most
        idx, zs = top_images(net, data.X, neuron, cfg.top)
        self.top = (idx, zs)
        placed = grids.copy().move_to(home)
        box = SurroundingRectangle(placed[neuron], color=hi, buff=0.05)
        name = Text(f"neuron {neuron + 1}", font_size=20, color=hi).next_to(box, DOWN, 0.06)
        images = Group(*[pixel_image(data.X[i], pal, 1.2) for i in idx])
        images.arrange(RIGHT, buff=0.3)
        values = VGroup(*[MathTex(rf"z = {v:.1f}".replace("-", "{-}"), font_size=24, color=hi)
                          .next_to(im, DOWN, buff=0.1) for v, im in zip(zs, images,
                                                                        strict=True)])
        head = Text(f"the {cfg.top} images that excite it most", font_size=24,
                    color=pal["text"])
        row = Group(head, images, values)
        head.next_to(images, UP, buff=0.2)
        row.next_to(placed, DOWN, buff=0.45)
        z_note = Text("z: weighted sum + bias", font_size=20, color=pal["muted"])
        z_note.next_to(values, DOWN, buff=0.12)
        with self.beat("favourite", f"Of all {data.n_samples} images, these {cfg.top} drive "
                       f"neuron {neuron + 1} hardest: most of their ink falls on its blue pixels."):
            self.play(grids.animate.move_to(home), run_time=self.t(0.8))
            self.play(Create(box), FadeIn(name), run_time=self.t(0.6))
            self.play(FadeIn(head), run_time=self.t(0.6))
            self.play(LaggedStart(*[FadeIn(im, shift=0.2 * UP) for im in images],
                                  lag_ratio=0.15), run_time=self.t(1.8))
        with self.beat("z", "Each one's weighted sum plus bias, z, is far above zero."):
            self.play(FadeIn(values), FadeIn(z_note), run_time=self.t(0.8))
            self.play(Indicate(values, color=hi), run_time=self.t(1.0))
            self.play(Indicate(z_note, color=hi), run_time=self.t(0.9))

        # the hope, then what it really learned
        hope_head = Text("the hope (a sketch)", font_size=28, color=hi)
        pic = 1.1
        edge = weight_image(edge_detector(), mask, pal, pic)
        parts, wholes = hope_images()
        loops = Group(*[pixel_image(v, pal, pic) for v in parts]).arrange(RIGHT, buff=0.12)
        nines = Group(*[pixel_image(v, pal, pic) for v in wholes]).arrange(RIGHT, buff=0.12)
        hope = (loops, nines)
        heads = VGroup(Text("hidden layer 1: little edges", font_size=22, color=pal["text"]),
                       Text("hidden layer 2: loops and lines", font_size=22, color=pal["text"]),
                       Text("outputs: digits", font_size=22, color=pal["text"]))
        pics = [edge, loops, nines]
        for i, p in enumerate(pics):
            p.move_to(i * (pic + 0.4) * DOWN, aligned_edge=LEFT)
        x_pic = 0.0
        for h, p in zip(heads, pics, strict=True):
            h.move_to([x_pic - 0.35, p.get_y(), 0], aligned_edge=RIGHT)
        heads.align_to(heads[1], LEFT)
        rows = Group(*[Group(h, p) for h, p in zip(heads, pics, strict=True)])
        edge_note = Text("hand-made", font_size=18, color=pal["muted"])
        edge_note.next_to(edge, RIGHT, buff=0.15).align_to(edge, DOWN)
        left = Group(hope_head, rows, edge_note)
        hope_head.next_to(rows, UP, buff=0.35).align_to(rows, LEFT)
        left.to_edge(LEFT, buff=0.4)
        left.shift((-0.3 - left.get_center()[1]) * UP)
        truth = grids.copy().arrange_in_grid(cols=int(np.ceil(np.sqrt(n))), buff=0.1)
        truth.scale_to_fit_height(3.9).to_edge(RIGHT, buff=0.45)
        truth.shift((0.0 - truth.get_center()[1]) * UP)
        self.sides = (left, truth)  # the hope on the left, the truth on the right
        truth_head = Text("what it really learned", font_size=26,
                          color=hi).next_to(truth, UP, buff=0.25)
        with self.beat("hope", "The hope: the first hidden layer finds little edges, like "
                       "this hand-made one, bright in a strip and dark around it."):
            self.play(FadeOut(row), FadeOut(z_note), FadeOut(box), FadeOut(name),
                      FadeOut(grids), FadeOut(legend), run_time=self.t(0.6))
            self.play(FadeIn(hope_head), run_time=self.t(0.6))
            self.play(FadeIn(rows[0]), FadeIn(edge_note), run_time=self.t(1.0))
            self.play(Indicate(edge, scale_factor=1.1, color=hi), run_time=self.t(0.8))
        with self.beat("hope-2", "The second layer would combine edges into loops and lines..."):
            self.play(FadeIn(rows[1], shift=0.2 * RIGHT), run_time=self.t(1.0))
            self.play(Indicate(hope[0], color=hi), run_time=self.t(0.8))
        with self.beat("hope-3", "...and the outputs would combine those into digits."):
            self.play(FadeIn(rows[2], shift=0.2 * RIGHT), run_time=self.t(1.0))
        truth_legend = picture_legend(pal, font_size=18)
        truth_legend.next_to(truth, DOWN, buff=0.2).align_to(truth, LEFT)
        with self.beat("truth", "What the trained network really learned looks different."):
            self.play(FadeIn(truth_head), FadeIn(truth), run_time=self.t(1.4))
            self.play(FadeIn(truth_legend), run_time=self.t(1.0))
            self.play(Indicate(truth_legend[2], color=hi), run_time=self.t(1.0))
            self.play(Indicate(truth, scale_factor=1.05, color=hi), run_time=self.t(0.8))
        acc = net_accuracy(net, test)
        verdict = VGroup(Text("no clean edges,", font_size=24, color=pal["text"]),
                         Text(f"yet {acc:.0%} of unseen digits read right", font_size=24,
                              color=pal["text"])).arrange(RIGHT, buff=0.15)
        verdict.to_edge(DOWN, buff=0.3)
        with self.beat("verdict", "No clean edges, only scattered blobs, and yet the network "
                       "reads most digits it has never seen correctly.", last=True):
            self.play(FadeIn(verdict), run_time=self.t(0.8))
            self.play(Indicate(truth_head, color=hi), run_time=self.t(1.0))
            self.play(Indicate(verdict, color=hi), run_time=self.t(1.0))


# -- just-a-function ----------------------------------------------------------------------------

@dataclass
class JustAFunctionConfig(DigitsConfig):
    image: int = knob(0, "index of the held-out image fed to the function", min=0, max=100000)


def brightest_pixel(x: np.ndarray) -> int:
    """The most inked pixel of image x (first of ties): the inside entry of the shown vector."""
    return int(np.argmax(x))


def function_tex(f_tex: str, n_layers: int) -> list[str]:
    """f(a) = softmax(W_L f(... f(W_1 a + b_1) ...) + b_L) as MathTex parts, one per symbol
    (so W_l and b_l can be pointed at)."""
    inner = ["a"]
    for layer in range(1, n_layers + 1):
        w, b = f"W_{{{layer}}}", f"b_{{{layer}}}"
        if layer < n_layers:
            inner = [rf"{f_tex}(", w, *inner, "+", b, ")"]
        else:
            inner = [r"\mathrm{softmax}(", w, *inner, "+", b, ")"]
    return ["f(a) =", *inner]


@register("just-a-function", "the whole digits network as one function: 784 numbers in, "
          "10 out, 13,002 knobs (weights and biases) that learning sets")
class JustAFunctionScene(NNVizScene):
    Config = JustAFunctionConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = trace.net_at(1.0)
        _, test = held_out(*self.trace_data("main"))
        index = cfg.image % test.n_samples
        x = test.X[index]
        self.index = index
        hi = pal["highlight"]
        n_in, n_out = net.sizes[0], net.sizes[-1]
        f_tex = {"sigmoid": r"\sigma", "tanh": r"\tanh", "relu": r"\mathrm{ReLU}"}[net.activation]
        title = Text("The whole network is just a function", font_size=30,
                     color=pal["text"]).to_edge(UP, buff=0.2)

        # input: the image and its numbers
        lift = 0.9  # the row starts centred and moves up when the formula needs the room
        image = pixel_image(x, pal, 2.3).move_to(5.6 * LEFT + (1.2 - lift) * UP)
        j = brightest_pixel(x)
        self.shown_pixels = (0, j, n_in - 1)
        vec = matrix_mob([[rf"a_{{{i + 1}}} = {fmt(x[i])}"] if i is not None else [r"\vdots"]
                          for i in (0, None, j, None, n_in - 1)], pal, 26, v_buff=0.42)
        vec.next_to(image, RIGHT, buff=0.3)
        in_label = Text(f"{n_in} numbers in", font_size=24, color=pal["text"])
        in_label.next_to(VGroup(vec), DOWN, buff=0.3).set_x(Group(image, vec).get_x())
        entry = vec.get_entries()[2]
        with self.beat("in", f"Step back and look at the whole network at once. Feed in an "
                       f"image: to the network it is just {n_in} numbers, one per pixel."):
            self.play(FadeIn(title), FadeIn(image, shift=0.2 * RIGHT), run_time=self.t(1.0))
            self.play(FadeIn(vec, shift=0.3 * RIGHT), run_time=self.t(1.2))
            self.play(Indicate(image, scale_factor=1.05, color=hi), run_time=self.t(0.9))
            self.play(FadeIn(in_label), run_time=self.t(0.8))
            self.play(Indicate(entry, color=hi), run_time=self.t(1.2))

        # the box
        box = RoundedRectangle(width=3.6, height=3.0, corner_radius=0.2, color=pal["text"],
                               stroke_width=3)
        box.next_to(vec, RIGHT, buff=0.8).set_y(image.get_y())
        inside = diagram_for(net, pal, 3.1, 2.4).move_to(box)
        inside.set_state(activations=brightness(layer_values(net, x), net.activation))
        inside.set_opacity(0.55)
        f_name = MathTex("f", font_size=60, color=hi).move_to(box.get_corner(UP + LEFT)
                                                             + 0.35 * (RIGHT + DOWN))
        f_name.add_background_rectangle(color=pal["background"], opacity=0.85, buff=0.05)
        arrow_in = Arrow(vec.get_right(), box.get_left(), buff=0.1, color=pal["muted"])
        sizes = "-".join(str(s) for s in net.sizes)
        box_label = Text(f"the {sizes} network", font_size=22, color=pal["muted"])
        box_label.next_to(box, DOWN, buff=0.2)
        with self.beat("box", "Everything in between, every weighted sum, bias and squash, "
                       "is one function f of those numbers."):
            self.play(Create(box), FadeIn(inside), run_time=self.t(1.2))
            self.play(GrowArrow(arrow_in), FadeIn(f_name), FadeIn(box_label),
                      run_time=self.t(1.0))

        # output: 10 numbers
        knob = ValueTracker(1.0)

        def outputs_at(t: float) -> np.ndarray:
            return network_outputs(trace.net_at(t), x)

        probs = network_outputs(net, x)
        self.outputs = probs
        bar_max = 1.5
        rows = VGroup()
        for d in range(n_out):
            digit = MathTex(str(d), font_size=26, color=pal["text"])
            bar = Rectangle(width=bar_max, height=0.2, stroke_width=0, fill_color=pal["text"],
                            fill_opacity=0.85)
            value = DecimalNumber(probs[d], num_decimal_places=2, font_size=26,
                                  color=pal["text"])
            rows.add(VGroup(digit, bar, value))
        for i, row in enumerate(rows):
            row[0].move_to([0, -i * 0.36, 0])
            row[1].next_to(row[0], RIGHT, buff=0.2).align_to(row[0], LEFT).shift(0.3 * RIGHT)
            row[2].move_to([row[0].get_x() + 0.3 + bar_max + 0.55, row[0].get_y(), 0])
        rows.next_to(box, RIGHT, buff=0.9).set_y(box.get_y())
        x_bar = rows[0][1].get_left()[0]
        x_num = rows[0][2].get_center()[0]

        def set_rows(p: np.ndarray) -> None:
            best = int(np.argmax(p))
            for d, row in enumerate(rows):
                w = max(bar_max * float(p[d]), 1e-3)
                row[1].stretch_to_fit_width(w).move_to(
                    [x_bar + w / 2, row[0].get_y(), 0])
                row[2].set_value(float(p[d])).move_to([x_num, row[0].get_y(), 0])
                colour = hi if d == best else pal["text"]
                row[1].set_fill(colour)
                row[2].set_color(colour)

        set_rows(probs)
        arrow_out = Arrow(box.get_right(), rows.get_left(), buff=0.1, color=pal["muted"])
        out_label = Text(f"{n_out} numbers out", font_size=24, color=pal["text"])
        out_label.next_to(rows, DOWN, buff=0.3)
        grow = ValueTracker(0.0)

        def grow_bars(_m) -> None:
            set_rows(probs * grow.get_value())

        order = np.argsort(-probs)
        driver = VMobject()  # carries the updaters that restyle the rows
        with self.beat("out", f"Out come {n_out} numbers, one per digit: how strongly the "
                       "network votes for each."):
            self.play(GrowArrow(arrow_out), *[FadeIn(r[0]) for r in rows],
                      FadeIn(out_label), run_time=self.t(1.0))
            set_rows(probs * 0.0)
            driver.add_updater(grow_bars)
            self.add(driver, *[r[1] for r in rows])
            self.play(grow.animate.set_value(1.0), run_time=self.t(1.5))
            driver.remove_updater(grow_bars)
            set_rows(probs)
            self.play(Indicate(rows[int(order[0])][0], color=hi), run_time=self.t(1.0))
        with self.beat("values", "The largest wins; the runner-up shows where the network "
                       "hesitates."):
            self.play(*[FadeIn(r[2]) for r in rows], run_time=self.t(1.0))
            self.remove(*[m for r in rows for m in r])
            self.add(rows)  # each value sits in its row, after its digit
            self.play(Indicate(rows[int(order[0])], color=hi), run_time=self.t(1.0))
            self.play(Indicate(rows[int(order[1])], color=hi), run_time=self.t(1.0))

        # f written out, and its knobs
        parts = function_tex(f_tex, len(net.sizes) - 1)
        formula = MathTex(*parts, font_size=38, color=pal["text"])
        formula.move_to(2.0 * DOWN)
        with self.beat("formula", "Written out, f is matrix products, biases and squashes, "
                       "nested inside each other."):
            self.play(Group(image, vec, in_label, box, inside, f_name, arrow_in, box_label,
                            rows, arrow_out, out_label).animate.shift(lift * UP),
                      run_time=self.t(0.8))
            self.play(Write(formula), run_time=self.t(2.0))
            squashes = [i for i, p in enumerate(parts) if p.endswith("(") and i > 1]
            self.play(*[Indicate(formula[i], color=hi) for i in squashes], run_time=self.t(1.0))
            self.play(Indicate(formula[0], color=hi), run_time=self.t(0.8))
        soft = [i for i, p in enumerate(parts) if p.startswith(r"\mathrm{softmax}")][0]
        soft_note = Text("softmax: makes the outputs positive, adding up to one",
                         font_size=20, color=pal["muted"])
        soft_note.next_to(formula, DOWN, buff=0.12).align_to(formula[soft], LEFT)
        with self.beat("softmax", f"The last step, softmax, turns the {n_out} raw outputs into "
                       "shares: all positive, adding up to one."):
            self.play(Indicate(formula[soft], color=hi), FadeIn(soft_note, shift=0.1 * UP),
                      run_time=self.t(1.0))
            self.play(*[Indicate(r[2], color=hi) for r in rows], run_time=self.t(1.2))

        terms = param_terms(net.sizes)
        count_parts = []
        for li, (wt, bt) in enumerate(terms):
            count_parts += (["+"] if li else []) + [rf"\underbrace{{{wt}}}_{{W_{{{li + 1}}}}}",
                                                    "+", rf"\underbrace{{{bt}}}_{{b_{{{li + 1}}}}}"]
        count_parts += ["=", thousands(net.n_params)]
        count = MathTex(*count_parts, font_size=34, color=hi)
        knobs_word = Text("knobs", font_size=28, color=hi)
        count_line = VGroup(count, knobs_word).arrange(RIGHT, buff=0.25)
        knobs_word.align_to(count[-1], DOWN)
        count_line.to_edge(DOWN, buff=0.35)
        self.n_params = net.n_params
        symbols = [i for i, p in enumerate(parts) if p.startswith(("W_", "b_"))]
        with self.beat("knobs", f"Its knobs are the weights and biases, {net.n_params:,} numbers "
                       "in all, counted from the layer sizes."):
            self.play(*[Indicate(formula[i], color=hi) for i in symbols], run_time=self.t(1.0))
            self.play(FadeIn(count[:-2], shift=0.2 * UP), run_time=self.t(1.2))
            self.play(FadeIn(count[-2:]), FadeIn(knobs_word), run_time=self.t(0.8))
        self.add(count)  # the whole line as one formula (its parts are already on screen)

        def follow(_m) -> None:
            set_rows(outputs_at(knob.get_value()))

        untrained = outputs_at(0.0)
        self.untrained = untrained
        before = Text("knobs before training", font_size=24, color=pal["negative"])
        before.next_to(out_label, DOWN, buff=0.2)
        after = Text("knobs after training", font_size=24, color=hi).move_to(before)
        with self.beat("turn", "Set the knobs differently and the same image gives other "
                       "outputs: before training, they say almost nothing."):
            driver.add_updater(follow)
            self.play(knob.animate.set_value(0.0), FadeIn(before), run_time=self.t(2.0))
        with self.beat("learn", "Learning turns all the knobs together until the right "
                       "output wins."):
            self.play(knob.animate.set_value(1.0), FadeOut(before), FadeIn(after),
                      run_time=self.t(3.0), rate_func=linear)
            driver.remove_updater(follow)
            set_rows(probs)
        with self.beat("end", f"A complicated function, but just a function: {n_in} numbers "
                       f"in, {n_out} out, and {net.n_params:,} knobs.", last=True):
            self.play(Indicate(in_label, color=hi), Indicate(out_label, color=hi),
                      Indicate(count[-1], color=hi), run_time=self.t(1.2))
