"""The four-pixel camera: a trained network tells solid, vertical, diagonal and horizontal.

Scene four-pixel: the eight 2x2 training images; the trained network with each neuron's
receptive field (the input that makes it largest) drawn beside it, layer by layer,
including a ReLU layer of fields and their opposites; one image propagated to the output.
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
    FadeIn,
    FadeOut,
    LaggedStart,
    SurroundingRectangle,
    Text,
    VGroup,
    Write,
)

from nnviz.core.datasets import Dataset
from nnviz.core.datasets.four_pixel import CLASSES
from nnviz.core.losses import softmax
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.receptive import receptive_field
from nnviz.explain.relu_split import split_relu
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import PALETTE

PIXEL_COLOURS = ("#000000", PALETTE["neuron_on"])  # -1 black, +1 white, as the camera sees


@dataclass
class FourPixelConfig(SceneConfig):
    image: int = knob(2, "which of the 8 images (solid, -solid, vertical, -vertical, ...) is "
                      "propagated", min=0, max=7)
    hidden: int = knob(4, "width of each tanh hidden layer", min=1, max=8)
    relu_after: int = knob(1, "which tanh layer (0 or 1) is split into a ReLU layer of "
                           "fields and their opposites", min=0, max=1)
    steps: int = knob(400, "training steps (Adam, full batch)", min=1, max=20000)
    lr: float = knob(0.03, "Adam learning rate", min=1e-5, max=1.0)
    grid: int = knob(11, "grid points per pixel in the receptive-field search", min=3, max=41)
    style: str = knob("color", "edge colours: palette colours or white/black",
                      choices=("color", "white/black"))

    def traces(self):
        # the same spec as weighted-sum's, so both scenes read one trained network
        return {"main": spec("four_pixel", (4, self.hidden, self.hidden, 4), activation="tanh",
                             output_activation="identity", trainer="adam", steps=self.steps,
                             seed=self.seed, record="log:40", trainer_params={"lr": self.lr},
                             dataset_params={"n": 80})}


@dataclass
class FourPixelStory:
    """Everything the scene shows, computed from the trained network."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[str]  # per weight layer
    fields: list[list[np.ndarray]]  # per hidden layer, per neuron: the 4 pixels it likes most
    layer_values: list[np.ndarray]  # per layer (inputs first): the image's activations
    probabilities: np.ndarray  # softmax of the outputs
    predicted: int
    label: int
    image: np.ndarray


def four_pixel_story(trace, data: Dataset, image: int, relu_after: int = 1,
                     grid: int = 11) -> FourPixelStory:
    """The trained net with a ReLU split after tanh layer `relu_after` (same outputs), the
    receptive field of every hidden neuron, and image `image` pushed through it."""
    net = trace.net_at(1.0)
    acts = [net.activation] * (net.n_layers - 1) + [net.output_activation]
    relu_after = min(relu_after, net.n_layers - 2)
    W, b, acts = split_relu(net.weights, net.biases, acts, relu_after)
    fields = [[receptive_field(W, b, acts, layer, i, grid=grid).best
               for i in range(W[layer].shape[0])] for layer in range(len(W) - 1)]
    x = data.X[image]
    values = [x]
    a = x
    from nnviz.core.activations import get_activation

    for Wl, bl, name in zip(W, b, acts, strict=True):
        a = get_activation(name)(Wl @ a + bl)
        values.append(a)
    probs = softmax(values[-1][None, :])[0]
    return FourPixelStory(W, b, acts, fields, values, probs, int(np.argmax(values[-1])),
                          int(data.y[image]), x)


def display_values(story: FourPixelStory) -> list[np.ndarray]:
    """Activations mapped onto 0..1 brightness per layer: inputs and tanh from -1..1, ReLU
    by the layer's largest value, outputs by their softmax probability."""
    out = []
    for li, v in enumerate(story.layer_values):
        name = "input" if li == 0 else story.activations[li - 1]
        if li == len(story.layer_values) - 1:
            out.append(story.probabilities)
        elif name == "relu":
            out.append(v / max(float(v.max()), 1e-9))
        else:
            out.append((v + 1.0) / 2.0)
    return out


@register("four-pixel", "a four-pixel camera network: receptive fields layer by layer, "
          "an image propagated to its class")
class FourPixelScene(NNVizScene):
    Config = FourPixelConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        data, _ = self.trace_data("main")  # the 8 patterns, cycled: image k is row k
        story = four_pixel_story(self.trace("main"), data, cfg.image, cfg.relu_after, cfg.grid)
        self.story = story
        title = Text("A four-pixel camera", font_size=32, color=pal["text"]).to_edge(UP, 0.25)
        self.play(FadeIn(title), run_time=self.t(0.6))

        # the data: eight images, two per class
        samples = VGroup()
        for c, name in enumerate(CLASSES):
            pair = VGroup(*[_picture(data.X[2 * c + s], 0.9) for s in (0, 1)]).arrange(
                RIGHT, buff=0.2)
            samples.add(VGroup(pair, Text(name, font_size=24, color=pal["text"])
                               .next_to(pair, DOWN, 0.2)))
        samples.arrange(RIGHT, buff=0.7).move_to(0.2 * UP)
        self.play(LaggedStart(*[FadeIn(s) for s in samples], lag_ratio=0.2),
                  run_time=self.t(1.6))
        self.wait(self.t(0.8))
        self.play(FadeOut(samples), run_time=self.t(0.5))

        # the trained network, with the ReLU split layer
        sizes = [story.weights[0].shape[1]] + [w.shape[0] for w in story.weights]
        diagram = NetworkDiagram(sizes, story.weights, story.biases, None, width=8.6,
                                 height=5.6, neuron_radius=0.18, palette=pal, style=cfg.style,
                                 activation_range=(0.0, 1.0), min_width=0.5, max_width=4.0)
        diagram.move_to(0.25 * DOWN)
        self.diagram = diagram
        heads = VGroup()
        names = ["pixels"] + [{"tanh": "tanh", "relu": "ReLU", "identity": "output"}[a]
                              for a in story.activations]
        for li, name in enumerate(names):
            heads.add(Text(name, font_size=22, color=pal["muted"])
                      .next_to(diagram.neurons[li], UP, buff=0.3))
        heads.align_to(heads[np.argmax([h.get_y() for h in heads])], UP)
        self.play(Create(diagram.edges), FadeIn(diagram.neurons), FadeIn(heads),
                  run_time=self.t(1.5))

        # receptive fields, layer by layer
        caption = Text("beside each neuron: the input that makes it largest", font_size=24,
                       color=pal["text"]).to_edge(DOWN, buff=0.2)
        self.play(FadeIn(caption), run_time=self.t(0.5))
        pictures = VGroup()
        for li in range(len(sizes) - 1):
            layer_pics = VGroup()
            for i in range(sizes[li]):
                field = np.eye(4)[i] if li == 0 else story.fields[li - 1][i]
                pic = _picture(field, 0.44, zero_grey=li == 0)
                pic.next_to(diagram.node(li, i), RIGHT, buff=0.06).set_z_index(2)
                layer_pics.add(pic)
            pictures.add(layer_pics)
            if li > 0 and story.activations[li - 1] == "relu":
                new = Text("ReLU layer: each field and its opposite", font_size=24,
                           color=pal["highlight"]).move_to(caption)
                self.play(FadeOut(caption), FadeIn(new), run_time=self.t(0.4))
                caption = new
            self.play(LaggedStart(*[FadeIn(p, scale=0.6) for p in layer_pics], lag_ratio=0.1),
                      run_time=self.t(1.0))
        class_labels = VGroup(*[
            Text(name, font_size=24, color=pal["text"]).next_to(diagram.node(len(sizes) - 1, i),
                                                               RIGHT, buff=0.15)
            for i, name in enumerate(CLASSES)
        ]).set_z_index(2)
        self.play(FadeIn(class_labels), run_time=self.t(0.6))
        self.wait(self.t(0.6))

        # one image, propagated layer by layer
        image = _picture(story.image, 1.3).next_to(diagram, LEFT, buff=0.35)
        image_label = Text("input", font_size=22, color=pal["muted"]).next_to(image, UP, 0.15)
        new = Text("an image flows through, layer by layer", font_size=24,
                   color=pal["text"]).move_to(caption)
        self.play(FadeIn(image), FadeIn(image_label), FadeOut(caption), FadeIn(new),
                  run_time=self.t(0.8))
        caption = new
        shown = display_values(story)
        current: list[np.ndarray | None] = [None] * len(sizes)
        for li in range(len(sizes)):
            current[li] = shown[li]
            self.play(diagram.animate.set_state(activations=list(current)),
                      run_time=self.t(0.7))
        answer = story.predicted
        box = SurroundingRectangle(VGroup(diagram.node(len(sizes) - 1, answer),
                                          class_labels[answer]), color=pal["highlight"],
                                   buff=0.08)
        verdict = "right" if answer == story.label else f"wrong: it is {CLASSES[story.label]}"
        result = Text(f"brightest output: {CLASSES[answer]} ({story.probabilities[answer]:.0%})"
                      f" — {verdict}", font_size=24, color=pal["highlight"]).move_to(caption)
        self.play(Create(box), FadeOut(caption), Write(result), run_time=self.t(1.0))
        self.wait(self.t(1.5))


def _picture(values: np.ndarray, size: float, zero_grey: bool = False) -> PixelGrid:
    """A 2x2 image with -1 black and +1 white (grey for 0 = "doesn't matter")."""
    v = np.asarray(values, dtype=float)
    if zero_grey:
        v = np.where(v > 0, 1.0, 0.0)
    return PixelGrid(v, (2, 2), value_range=(-1.0, 1.0), colors=PIXEL_COLOURS, width=size,
                     stroke_width=1.0, stroke_color=PALETTE["grid"])
