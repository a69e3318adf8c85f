"""The four-pixel camera: a trained network tells solid, vertical, diagonal and horizontal.

Scene four-pixel (after 002): the eight black-and-white images; the network, built up layer
by layer with each neuron's receptive field (the image that makes it largest, ignored
pixels drawn as a checkerboard); how one layer's fields combine the last layer's (from the
real weights) and what the first layer's bias decides; the two questions the second layer
asks; a ReLU layer of fields and their opposites; then one image walked through, each
neuron's value beside a short reason read off its field ("field", "opposite", "one of
two"), every neuron filled on the legend's one scale (-1 black, 0 grey, +1 white).

The network is trained with an L1 cost on every weight (trainer option l1), so most weights
fade to zero and the first layer's fields are pixel pairs, as in the video's drawing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    BackgroundRectangle,
    Circle,
    Circumscribe,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    LaggedStart,
    Square,
    SurroundingRectangle,
    VGroup,
)

from nnviz.core.activations import get_activation
from nnviz.core.datasets import Dataset
from nnviz.core.datasets.four_pixel import CLASSES
from nnviz.core.losses import softmax
from nnviz.draw.mobjects import Legend, MathTex, Text, weight_legend
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.receptive import CornerField, corner_field, corners
from nnviz.explain.relu_split import split_relu
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import PALETTE

BLACK, WHITE = "#000000", "#ffffff"  # -1 and +1, as the camera sees them
PIXEL_NAMES = ("top-left", "top-right", "bottom-left", "bottom-right")
STRONG = 0.1  # a weight counts as a link when it is at least this share of its row's largest


@dataclass
class FourPixelConfig(SceneConfig):
    seed: int = knob(22, "seed of the initial weights and the training order", min=0,
                     max=2**31 - 1)
    image: int = knob(4, "which of the 8 images (solid, -solid, vertical, -vertical, ...) is "
                      "walked through the network", min=0, max=7)
    hidden: int = knob(4, "width of each tanh hidden layer", min=1, max=8)
    relu_after: int = knob(1, "which tanh layer (0 or 1) is split into a ReLU layer of "
                           "fields and their opposites", min=0, max=1)
    steps: int = knob(2000, "training steps (Adam, full batch)", min=1, max=20000)
    lr: float = knob(0.01, "Adam learning rate", min=1e-5, max=1.0)
    l1: float = knob(0.003, "cost per unit of weight (L1): most weights fade to zero",
                     min=0.0, max=1.0)
    style: str = knob("color", "edge colours: palette colours or white/black",
                      choices=("color", "white/black"))

    def traces(self):
        return {"main": spec("four_pixel", (4, self.hidden, self.hidden, 4), activation="tanh",
                             output_activation="identity", trainer="adam", steps=self.steps,
                             seed=self.seed, record="log:40",
                             trainer_params={"lr": self.lr, "l1": self.l1},
                             dataset_params={"n": 80})}


@dataclass
class FourPixelStory:
    """Everything the scene shows, computed from the trained network."""

    weights: list[np.ndarray]  # the trained net with its ReLU split (same outputs)
    biases: list[np.ndarray]
    activations: list[str]  # per weight layer
    fields: list[list[CornerField]]  # per hidden layer, per neuron
    layer_values: list[np.ndarray]  # per layer (inputs first): the image's activations
    layer_z: list[np.ndarray]  # per weight layer: the image's pre-activations
    reasons: list[list[str]]  # per layer (inputs first), per neuron: one word
    probabilities: np.ndarray  # softmax of the outputs
    predicted: int
    label: int
    image: np.ndarray


def four_pixel_story(trace, data: Dataset, image: int, relu_after: int = 1) -> FourPixelStory:
    """The trained net with a ReLU split after tanh layer `relu_after` (same outputs), the
    black-and-white field of every hidden neuron, and image `image` pushed through it with
    each neuron's reason."""
    net = trace.net_at(1.0)
    acts = [net.activation] * (net.n_layers - 1) + [net.output_activation]
    relu_after = min(relu_after, net.n_layers - 2)
    W, b, acts = split_relu(net.weights, net.biases, acts, relu_after)
    fields = [[corner_field(W, b, acts, layer, i) for i in range(W[layer].shape[0])]
              for layer in range(len(W) - 1)]
    x = data.X[image]
    values, zs = [x], []
    a = x
    for Wl, bl, name in zip(W, b, acts, strict=True):
        z = Wl @ a + bl
        a = get_activation(name)(z)
        zs.append(z)
        values.append(a)
    probs = softmax(values[-1][None, :])[0]
    predicted = int(np.argmax(values[-1]))
    reasons = [["white" if v > 0 else "black" for v in x]]
    for li, name in enumerate(acts[:-1]):
        if name == "relu":
            reasons.append(["kept" if z > 0 else "zeroed" for z in zs[li]])
        else:
            reasons.append([{"field": "field", "opposite": "opposite"}.get(
                f.verdict(x)) or partial_match(f, x) for f in fields[li]])
    reasons.append(["largest" if k == predicted else "" for k in range(len(values[-1]))])
    return FourPixelStory(W, b, acts, fields, values, zs, reasons, probs, predicted,
                          int(data.y[image]), x)


def partial_match(field: CornerField, x: np.ndarray) -> str:
    """How many of the pixels a field cares about image x matches ("one of two"), for an
    image that is neither the field nor its opposite."""
    words = ("none", "one", "two", "three", "four")
    care = np.asarray(field.care)
    k = max(int(np.sum(x[care] == p[care])) for p in field.patterns)
    return f"{words[k]} of {words[int(care.sum())]}"


def display_values(story: FourPixelStory) -> list[np.ndarray]:
    """Activations mapped onto 0..1 brightness with one scale for every layer, the scale of
    the pixels' legend: -1 black, 0 grey, +1 white (beyond that clipped), so a zeroed ReLU
    neuron is grey like any other 0."""
    return [np.clip((v + 1.0) / 2.0, 0.0, 1.0) for v in story.layer_values]


def walk_sentence(story: FourPixelStory, layer: int) -> str:
    """What the walk-through says of tanh layer `layer`: matched fields are high, opposites
    low, and partly matched neurons go where their bias sends them (read off the values)."""
    values, why = story.layer_values[layer], story.reasons[layer]
    part = [float(v) for v, w in zip(values, why, strict=True) if " of " in w]
    head = ("A neuron is highest when the image matches its field and lowest on the "
            "opposite.")
    if not part:
        return head
    where = ("low" if max(part) < 0 else "high" if min(part) > 0 else "high or low")
    verb = "stays" if len(part) == 1 else "stay"
    who = "it" if len(part) == 1 else "they"
    return (f"{head} When only some of its pixels match, its bias decides: here {who} "
            f"{verb} {where}.")


def links(weights: np.ndarray, neuron: int) -> list[int]:
    """The inputs neuron `neuron` really reads: weights at least STRONG of its largest."""
    w = np.abs(weights[neuron])
    return [int(i) for i in np.flatnonzero(w >= STRONG * w.max())] if w.max() > 0 else []


def example_neuron(story: FourPixelStory, layer: int) -> int:
    """The neuron of hidden layer `layer` whose making is shown: two links, and (deeper
    than the first layer) two inputs whose fields differ."""
    W = story.weights[layer]
    for i in range(W.shape[0]):
        ins = links(W, i)
        if len(ins) != 2:
            continue
        if layer == 0:
            return i
        a, c = (story.fields[layer - 1][j].patterns[0] for j in ins)
        if not np.array_equal(a, c):
            return i
    return 0


def bias_phrase(story: FourPixelStory, neuron: int) -> str:
    """When first-layer neuron `neuron`'s sum (bias included) is above 0, read off all 16
    black-and-white images: only on its field ("only if both pixels match"), or on
    everything but its opposite ("unless neither pixel matches"); "" if neither."""
    field = story.fields[0][neuron]
    X = corners(story.weights[0].shape[1])
    up = X @ story.weights[0][neuron] + story.biases[0][neuron] > 0
    verdicts = np.array([field.verdict(x) for x in X])
    both = "both pixels" if field.care.sum() == 2 else "all its pixels"
    if np.array_equal(up, verdicts == "field"):
        return f"only if {both} match"
    if np.array_equal(up, verdicts != "opposite"):
        return f"unless {'neither pixel matches' if field.care.sum() == 2 else 'none match'}"
    return ""


def describe(field: CornerField) -> str:
    """What a black-and-white field asks of the 2x2 image, as a clause ("the top row is
    one colour")."""
    where = {(0, 1): "top row", (2, 3): "bottom row", (0, 2): "left column",
             (1, 3): "right column", (0, 3): "diagonal", (1, 2): "anti-diagonal"}
    cared = tuple(int(i) for i in np.flatnonzero(field.care))
    if len(cared) == 2 and cared in where:
        vals = {tuple(p[list(cared)]) for p in field.patterns}
        same = {v for v in vals if v[0] == v[1]}
        if vals and vals == same:
            return f"the {where[cared]} is one colour" if len(vals) > 1 else (
                f"the {where[cared]} is {'white' if next(iter(vals))[0] > 0 else 'black'}")
        if not same:
            return f"the {where[cared]} has two colours"
    return "the image matches its field"


def questions(story: FourPixelStory, X: np.ndarray, y: np.ndarray, layer: int = 1) -> list[str]:
    """The distinct questions hidden layer `layer` asks ("the top row is one colour"), if
    their yes/no answers alone tell the classes apart (every image of a class answers the
    same, no two classes alike); else []."""
    asked: dict[str, CornerField] = {}
    for f in story.fields[layer]:
        asked.setdefault(describe(f), f)
    if "the image matches its field" in asked:
        return []
    answers = {}
    for x, c in zip(X, y, strict=True):
        sig = tuple(f.verdict(x) == "field" for f in asked.values())
        if answers.setdefault(int(c), sig) != sig:
            return []
    return list(asked) if len(set(answers.values())) == len(answers) else []


@register("four-pixel", "a four-pixel camera network: receptive fields layer by layer, "
          "an image walked through to its class")
class FourPixelScene(NNVizScene):
    Config = FourPixelConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        data, _ = self.trace_data("main")  # the 8 patterns, cycled: image k is row k
        story = four_pixel_story(self.trace("main"), data, cfg.image, cfg.relu_after)
        self.story = story
        sizes = [story.weights[0].shape[1]] + [w.shape[0] for w in story.weights]
        n_layers = len(sizes)
        title = Text("A four-pixel camera", font_size=34, color=pal["text"]).to_edge(UP, 0.25)

        # -- the task ------------------------------------------------------------------
        with self.beat("camera", "A camera with four pixels sees eight black-and-white "
                       "images: solid, vertical, diagonal and horizontal, each with its "
                       "inverse. A network must tell the four kinds apart."):
            samples = VGroup()
            for c, name in enumerate(CLASSES):
                pair = VGroup(*[self.picture(data.X[2 * c + s], 1.2) for s in (0, 1)]
                              ).arrange(RIGHT, buff=0.25)
                samples.add(VGroup(pair, Text(name, font_size=28, color=pal["text"])
                                   .next_to(pair, DOWN, 0.25)))
            samples.arrange(RIGHT, buff=0.75, aligned_edge=UP).move_to(0.6 * UP)
            for group in samples[1:]:  # the kinds' names on one baseline
                sit_on(group[1], samples[0][1])
            self.play(FadeIn(title), run_time=self.t(0.6))
            for group in samples:  # one kind at a time
                self.play(FadeIn(group, shift=0.1 * UP), run_time=self.t(0.6))
        with self.beat("values", "Each pixel is a number: white is plus one, black is minus "
                       "one. A checkerboard will mark a pixel that does not matter."):
            legend = self.value_legend().next_to(samples, DOWN, buff=0.8)
            for entry in [*legend[0], legend[1]]:
                self.play(FadeIn(entry, shift=0.1 * UP), run_time=self.t(0.75))

        # -- the network, layer by layer -------------------------------------------------
        diagram = NetworkDiagram(sizes, story.weights, story.biases, None, width=10.0,
                                 height=5.6, neuron_radius=0.16, palette=pal, style=cfg.style,
                                 activation_range=(0.0, 1.0), min_width=0.5, max_width=4.0)
        diagram.move_to(np.array([0.0, -0.3, 0.0]))
        self.diagram = diagram
        self.weight_colours = diagram.colours  # palette colours, or white/black by style
        names = ["pixels"] + [{"tanh": "tanh", "relu": "ReLU", "identity": "output"}[a]
                              for a in story.activations]
        top = max(diagram.node(li, 0).get_top()[1] for li in range(n_layers))
        heads = VGroup(*[Text(name, font_size=22, color=pal["muted"])
                         .move_to([diagram.node(li, 0).get_x(), top + 0.35, 0])
                         for li, name in enumerate(names)])
        self.fields: list[VGroup] = []
        inputs = VGroup(*[backed(self.field_picture(np.eye(4)[i], np.eye(4)[i] > 0, 0.4),
                                 pal["background"])
                          .next_to(diagram.node(0, i), LEFT, buff=0.08)
                          for i in range(sizes[0])])
        self.fields.append(inputs)
        with self.beat("inputs", "The network starts with one input neuron per pixel. A "
                       "neuron's receptive field is the image that makes it as large as "
                       "it can be: for an input neuron, its own pixel white."):
            self.play(FadeOut(samples), legend.animate.scale(0.75).to_corner(DOWN + RIGHT, 0.12),
                      run_time=self.t(0.6))
            self.play(FadeIn(diagram.neurons[0]), FadeIn(heads[0]),
                      LaggedStart(*[FadeIn(p, scale=0.6) for p in inputs], lag_ratio=0.15),
                      run_time=self.t(1.4))
        weights_key = weight_legend(self.weight_colours, font_size=17).to_corner(DOWN + LEFT, 0.15)
        ex1 = example_neuron(story, 0)
        panel = self.making(story, 0, ex1)
        pairs = all(len(links(story.weights[0], n)) == 2 for n in range(sizes[1]))
        signs = ("bright for plus and dark for minus" if cfg.style == "white/black" else
                 "blue for plus and orange for minus")
        with self.beat("pair", f"Each first-layer neuron adds up the pixels through weights, "
                       f"{signs}. " + (
                           "Training with a cost on every weight left two links per neuron, "
                           "so its field is a pair of pixels." if pairs else
                           "Its field is the image its weights favour.")):
            self.play(Create(diagram.edges[0]), FadeIn(diagram.neurons[1]), FadeIn(heads[1]),
                      FadeIn(weights_key), run_time=self.t(1.4))
            ring = self.ring(diagram.node(1, ex1))
            self.play(Indicate(VGroup(*[diagram.edge(0, ex1, j) for j in links(
                story.weights[0], ex1)]), color=pal["highlight"]), Create(ring),
                FadeIn(panel.terms), run_time=self.t(1.4))
            self.play(FadeIn(panel.outcome), run_time=self.t(1.0))
        if len(panel.bias):
            b = story.biases[0][ex1]
            said_b = f"{b:.2f}".replace("-", "minus ")
            with self.beat("bias", f"Its bias, {said_b}, sets how much of the field must be "
                           f"met: the sum is above zero {bias_phrase(story, ex1)}."):
                self.play(FadeIn(panel.bias, shift=0.1 * UP), run_time=self.t(1.0))
                self.play(Indicate(VGroup(*[m for m in panel.terms if isinstance(m, MathTex)]),
                                   color=pal["highlight"], scale_factor=1.1),
                          run_time=self.t(1.0))
                self.play(Circumscribe(panel.outcome[1], color=pal["highlight"]),
                          run_time=self.t(1.0))
        layer1 = self.layer_fields(story, 1, diagram)
        read = {i for n in range(story.weights[0].shape[0]) for i in links(story.weights[0], n)}
        unread = [PIXEL_NAMES[i] for i in range(sizes[0]) if i not in read]
        aside = (f" No neuron reads the {unread[0]} pixel: for these eight images the other "
                 "three are enough." if len(unread) == 1 else "")
        with self.beat("layer1", ("Every first-layer field is a pair: the two pixels it "
                                  "reads, and a checkerboard where the pixels do not matter."
                                  if pairs else "Every first-layer neuron has a field: the "
                                  "pixels it reads, and a checkerboard where a pixel does not "
                                  "matter.") + aside, hold=2.5):
            self.play(LaggedStart(*[FadeIn(p, scale=0.6) for p in layer1], lag_ratio=0.15),
                      FadeOut(panel), FadeOut(ring), run_time=self.t(1.4))
            for name in unread:  # the pixel no neuron reads, pointed at as it is said
                k = PIXEL_NAMES.index(name)
                self.play(Circumscribe(VGroup(diagram.node(0, k), inputs[k]),
                                       color=pal["highlight"], buff=0.08),
                          run_time=self.t(1.2))
        ex2 = example_neuron(story, 1)
        panel = self.making(story, 1, ex2)
        said = describe(story.fields[1][ex2])
        w2 = story.weights[1][ex2, links(story.weights[1], ex2)]
        how = ("both weights are negative, so it is largest when the image meets neither "
               "field" if np.all(w2 < 0) else
               "both weights are positive, so it is largest when the image meets both fields"
               if np.all(w2 > 0) else "it is largest when the image meets one field and "
               "not the other")
        with self.beat("layer2", "A second-layer neuron combines first-layer fields. Here "
                       f"{how}: when {said}."):
            self.play(Create(diagram.edges[1]), FadeIn(diagram.neurons[2]), FadeIn(heads[2]),
                      run_time=self.t(1.2))
            ring = self.ring(diagram.node(2, ex2))
            self.play(Indicate(VGroup(*[diagram.edge(1, ex2, j) for j in links(
                story.weights[1], ex2)]), color=pal["highlight"]), Create(ring),
                FadeIn(panel.terms), run_time=self.t(1.4))
            self.play(FadeIn(panel.outcome), run_time=self.t(1.0))
        layer2 = self.layer_fields(story, 2, diagram)
        either = all(len(f.patterns) == 2 for f in story.fields[1])
        asks = questions(story, data.X, data.y)
        enough = (f" Two questions, whether {asks[0]} and whether {asks[1]}, are enough to "
                  "tell the four kinds apart." if len(asks) == 2 else "")
        with self.beat("layer2-fields", ("Each second-layer field has two pictures: the "
                       "neuron asks whether two pixels agree, not which colour they are."
                       if either else "The second layer's fields combine the pairs into "
                       "larger patterns.") + enough, hold=2.5):
            self.play(LaggedStart(*[FadeIn(p, scale=0.6) for p in layer2], lag_ratio=0.15),
                      FadeOut(panel), FadeOut(ring), run_time=self.t(1.4))
            for ask in asks:  # each question, pointed at on the first neuron that asks it
                i = next(k for k, f in enumerate(story.fields[1]) if describe(f) == ask)
                self.play(Circumscribe(layer2[i], color=pal["highlight"], buff=0.06),
                          run_time=self.t(1.2))
        relu_layer = next((li for li, a in enumerate(story.activations) if a == "relu"), None)
        for li in range(3, n_layers - 1):
            fields = self.layer_fields(story, li, diagram)
            text = ("A ReLU layer keeps a positive sum and turns a negative one into zero. "
                    "Each tanh neuron feeds two of them: one for its field, one for the "
                    "opposite." if li - 1 == relu_layer else
                    "The next layer combines these fields the same way.")
            with self.beat(f"layer{li}", text, hold=2.0):
                self.play(Create(diagram.edges[li - 1]), FadeIn(diagram.neurons[li]),
                          FadeIn(heads[li]), run_time=self.t(1.2))
                self.play(LaggedStart(*[FadeIn(p, scale=0.6) for p in fields],
                                      lag_ratio=0.08), run_time=self.t(1.4))
        class_labels = VGroup(*[
            Text(name, font_size=22, color=pal["text"]).next_to(
                diagram.node(n_layers - 1, i), RIGHT, buff=0.15)
            for i, name in enumerate(CLASSES)]).set_z_index(2)
        for label in class_labels:  # room for the value under each label
            label.shift(0.12 * UP)
        self.class_labels = class_labels
        with self.beat("outputs", "Four output neurons add up those fields, one for each kind "
                       "of image; the largest one is the answer."):
            self.play(Create(diagram.edges[n_layers - 2]), FadeIn(diagram.neurons[-1]),
                      FadeIn(heads[-1]), FadeIn(class_labels), run_time=self.t(1.4))

        # -- one image, walked through ----------------------------------------------------
        image = self.picture(story.image, 0.8).move_to(
            [-6.5, VGroup(*diagram.neurons[0]).get_y(), 0])
        image = VGroup(image, Text("image", font_size=18, color=pal["muted"]).next_to(
            image, UP, buff=0.12))
        shown = display_values(story)
        current: list[np.ndarray | None] = [None] * n_layers
        kind = CLASSES[story.label]
        walk_text = {
            0: f"Now one image goes through: a {kind} image. Each input neuron holds its "
               "pixel, plus one for white, minus one for black.",
            "relu": "The ReLU neurons keep the positive values and turn the negative ones "
                    "into zero.",
            "identity": "Each output adds up its links; the largest output names the kind "
                        "of image.",
        }
        self.values: list[VGroup] = []
        for li in range(n_layers):
            key = 0 if li == 0 else story.activations[li - 1]
            labels = self.value_labels(story, li, diagram)
            self.values.append(labels)
            current[li] = shown[li]
            text = walk_text.get(key) or (
                walk_sentence(story, li) if li != 2 else "The second layer reads those "
                "values: its neurons are high exactly when the image matches their field.")
            with self.beat(f"walk{li}", text):
                anims = [diagram.animate.set_state(activations=list(current))]
                if li == 0:
                    anims.append(FadeIn(image, shift=0.3 * RIGHT))
                self.play(*anims, run_time=self.t(0.8))
                # one neuron at a time: the motion gives time to read each value and reason
                for label in labels:
                    self.play(FadeIn(label, shift=0.1 * RIGHT), run_time=self.t(0.55))
                partly = [label for label, why in zip(labels, story.reasons[li], strict=True)
                          if " of " in why]
                if partly:  # the partly matched neurons, where the bias decides
                    self.play(*[Circumscribe(label, color=pal["highlight"], buff=0.04)
                                for label in partly], run_time=self.t(1.2))
        answer = story.predicted
        box = SurroundingRectangle(VGroup(diagram.node(n_layers - 1, answer),
                                          class_labels[answer], self.values[-1][answer]),
                                   color=pal["highlight"], buff=0.06)
        verdict = ("correct" if answer == story.label else
                   f"wrong: it is {CLASSES[story.label]}")
        result = Text(f"answer: {CLASSES[answer]},\n{verdict}", font_size=22,
                      color=pal["highlight"], line_spacing=0.8)
        result.next_to(self.values[-1][-1], DOWN, buff=0.35).to_edge(RIGHT, 0.25)
        with self.beat("end", f"The network answers {CLASSES[answer]}: each layer's values "
                       "followed from how the image matched the fields.", last=True):
            self.play(Create(box), FadeIn(result), run_time=self.t(1.0))

    # -- pictures ------------------------------------------------------------------------
    def picture(self, values: np.ndarray, size: float) -> PixelGrid:
        """A 2x2 image: -1 black, +1 white, grey in between."""
        return PixelGrid(np.asarray(values, dtype=float), (2, 2), value_range=(-1.0, 1.0),
                         colors=(BLACK, WHITE), width=size, stroke_width=1.0,
                         stroke_color=PALETTE["grid"])

    def field_picture(self, pattern: np.ndarray, care: np.ndarray, size: float) -> VGroup:
        """A field: cared pixels black or white, the others a checkerboard ("doesn't
        matter"), never grey."""
        grid = self.picture(np.where(care, pattern, 0.0), size)
        group = VGroup(grid)
        for k in np.flatnonzero(~np.asarray(care)):
            group.add(checker(grid.submobjects[k], 4 if size >= 0.6 else 2))
        return group

    def field_pictures(self, field: CornerField, size: float) -> VGroup:
        """One picture, or several side by side with "or" when several images tie."""
        pics = [self.field_picture(p, field.care, size) for p in field.patterns[:2]]
        if len(pics) == 1:
            return VGroup(pics[0])
        return VGroup(pics[0], Text("or", font_size=16, color=self.palette["muted"]),
                      pics[1]).arrange(RIGHT, buff=0.06)

    def layer_fields(self, story: FourPixelStory, layer: int, diagram) -> VGroup:
        n = story.weights[layer - 1].shape[0]
        size = 0.4 if n <= 4 else 0.3
        group = VGroup()
        for i in range(n):
            pic = backed(self.field_pictures(story.fields[layer - 1][i], size),
                         self.palette["background"])
            pic.next_to(diagram.node(layer, i), RIGHT, buff=0.06).set_z_index(2)
            group.add(pic)
        self.fields.append(group)
        return group

    def ring(self, node) -> Circle:
        """A highlight ring around the neuron being explained."""
        return Circle(radius=node.width / 2 + 0.08, color=self.palette["highlight"],
                      stroke_width=4).move_to(node).set_z_index(4)

    def value_legend(self) -> VGroup:
        pal = self.palette
        white = Legend([(WHITE, "white = +1"), ("#808080", "grey = 0"),
                        (BLACK, "black = -1")], kind="square", font_size=22)
        cell = Square(side_length=0.24, stroke_width=1, stroke_color=pal["muted"])
        skip = VGroup(VGroup(cell, checker(cell, 2)),
                      Text("doesn't matter", font_size=22, color=pal["text"])
                      ).arrange(RIGHT, buff=0.14)
        return VGroup(white, skip).arrange(RIGHT, buff=0.45)

    def making(self, story: FourPixelStory, layer: int, neuron: int) -> VGroup:
        """weight x field + weight x field -> this neuron's field, from the real weights
        (layer 0: pixels; deeper: the previous layer's fields)."""
        pal = self.palette
        w = story.weights[layer][neuron]
        parts = []
        for k, j in enumerate(links(story.weights[layer], neuron)):
            if layer == 0:
                pic = self.field_picture(np.eye(4)[j], np.eye(4)[j] > 0, 0.8)
            else:
                pic = self.field_pictures(story.fields[layer - 1][j], 0.8)
            sign = "-" if w[j] < 0 else ("+" if k else "")
            colour = self.weight_colours["negative" if w[j] < 0 else "positive"]
            parts += [MathTex(rf"{sign}{abs(w[j]):.2f}\,\times", font_size=34, color=colour),
                      pic]
        result = self.field_pictures(story.fields[layer][neuron], 0.8)
        arrow = MathTex(r"=" if layer == 0 else r"\rightarrow", font_size=40,
                        color=pal["text"])
        row = VGroup(*parts, arrow, result).arrange(RIGHT, buff=0.18)
        label = Text("largest when:", font_size=20, color=pal["muted"]).next_to(
            result, UP, buff=0.15)
        panel = VGroup(row, label)
        # right of the explained neuron's column, clear of it, inside the frame
        left = self.diagram.node(layer + 1, neuron).get_right()[0] + 0.45
        right = 6.75
        if panel.width > right - left:
            panel.scale_to_fit_width(right - left)
        panel.move_to(np.array([3.6, 0.9, 0.0]))
        if panel.get_left()[0] < left:
            panel.shift((left - panel.get_left()[0]) * RIGHT)
        if panel.get_right()[0] > right:
            panel.shift((right - panel.get_right()[0]) * RIGHT)
        panel.terms = VGroup(*parts)
        panel.outcome = VGroup(arrow, result, label)
        panel.bias = VGroup()
        said = bias_phrase(story, neuron) if layer == 0 else ""
        if said:  # the bias decides how much of the field must match
            b = story.biases[0][neuron]
            panel.bias = Text(f"bias {b:+.2f}".replace("-", "−") + f": sum > 0 {said}",
                              font_size=20, color=pal["muted"])
            if panel.bias.width > 6.6:
                panel.bias.scale_to_fit_width(6.6)
            panel.bias.next_to(row, DOWN, buff=0.4)
            panel.add(panel.bias)
        return panel

    def value_labels(self, story: FourPixelStory, layer: int, diagram) -> VGroup:
        """Under each neuron's field (or beside an input/output): its value and reason."""
        pal = self.palette
        group = VGroup()
        values = story.layer_values[layer]
        last = layer == len(story.layer_values) - 1
        for i, v in enumerate(values):
            words = story.reasons[layer][i] if layer > 0 else ""
            num = Text(f"{v:+.2f}".replace("-", "−"), font_size=16, color=pal["text"])
            row = VGroup(num)
            if words:
                row.add(Text(words, font_size=16, color=pal["highlight"] if words in (
                    "field", "largest") else pal["muted"]))
            row.arrange(RIGHT, buff=0.08, aligned_edge=DOWN)
            row = backed(row, pal["background"])
            if last:
                row.next_to(self.class_labels[i], DOWN, buff=0.03).align_to(
                    self.class_labels[i], LEFT)
            elif layer == 0:
                row.next_to(self.fields[0][i], DOWN, buff=0.03).align_to(
                    self.fields[0][i], RIGHT)
            else:
                pic = self.fields[layer][i]
                row.next_to(pic, DOWN, buff=0.03).align_to(pic, LEFT)
            group.add(row.set_z_index(3))
        return group


def backed(mob, colour: str, buff: float = 0.03) -> VGroup:
    """`mob` on an opaque patch of the background, so edges behind it do not show through."""
    patch = BackgroundRectangle(mob, color=colour, fill_opacity=1.0, buff=buff)
    return VGroup(patch, mob)


def checker(cell, n: int) -> VGroup:
    """An n x n black-and-white checkerboard filling square `cell` (n even, so boards in
    neighbouring cells continue each other), outlined like a pixel."""
    side = cell.width / n
    board = VGroup()
    for r in range(n):
        for c in range(n):
            sq = Square(side_length=side, stroke_width=0, fill_opacity=1.0,
                        fill_color=BLACK if (r + c) % 2 == 0 else WHITE)
            sq.move_to(cell.get_corner(UP + LEFT) + side * np.array([c + 0.5, -(r + 0.5), 0]))
            board.add(sq)
    board.add(Square(side_length=cell.width, stroke_width=1.5, stroke_color=PALETTE["grid"],
                     fill_opacity=0.0).move_to(cell))
    board.is_checker = True  # for tests: a "doesn't matter" pixel
    return board
