"""Neurons built by hand: a stroke detector, a 9 made of a loop and a line, and what a
trained network learned instead (the hope and the reality of the digits video).

Scene: edge-detector. The hand-set weights live in nnviz.explain.hand_built; the digit
images are the digits-network scene's data (scikit-learn's 8x8 digits upscaled to 28x28)
and the trained weight pictures come from that scene's trained network.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    FadeIn,
    FadeOut,
    Group,
    Indicate,
    Line,
    ReplacementTransform,
    SurroundingRectangle,
    Transform,
    VGroup,
    Write,
)

from nnviz.core.datasets import Dataset
from nnviz.draw.mobjects import MathTex, Text
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.legend import Legend
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.mobjects.pixel_image import PixelImage
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain import hand_built as hb
from nnviz.spec import registry
from nnviz.spec.config import SceneConfig, knob
from nnviz.spec.palette import PALETTE

INK = (PALETTE["neuron_off"], PALETTE["neuron_on"])  # pixel 0 paper (dark), 1 ink (bright)
DATA_NOTE = "images: scikit-learn's 8×8 digits, upscaled to 28×28"


@dataclass
class EdgeDetectorConfig(SceneConfig):
    """Everything hand-built is fixed (nnviz.explain.hand_built); the knobs pick the
    example digits and how many trained weight pictures are shown."""

    fires_digit: int = knob(1, "a digit whose images have the stroke (one that fires is shown)",
                            min=0, max=9)
    quiet_digits: tuple[int, ...] = knob((0, 8), "digits shown not firing the stroke neuron",
                                         min=0, max=9, max_len=2)
    not_nine: int = knob(0, "a digit shown not firing the hand-built 9 neuron", min=0, max=8)
    trained_pictures: int = knob(6, "first-layer weight pictures of the trained network shown",
                                 min=1, max=6)

    def digits_config(self):
        """The digits-network scene's config, so both scenes read one trained network."""
        return registry.get("digits-network").scene_class.Config(seed=self.seed)

    def traces(self):
        return {"trained": self.digits_config().traces()["main"]}


def all_images(train: Dataset, test: Dataset | None) -> Dataset:
    """The trace's training and held-out images together: every image the scene may draw."""
    if test is None:
        return train
    return replace(train, X=np.vstack([train.X, test.X]), y=np.concatenate([train.y, test.y]))


@dataclass(frozen=True)
class Example:
    """One image read by the stroke detector: what its strip and its surround add up to."""

    index: int
    label: int
    strip: float  # sum of w x over the positive weights
    beside: float  # sum of w x over the negative weights (<= 0)
    z: float
    a: float


def stroke_example(det: hb.Detector, data: Dataset, index: int) -> Example:
    x = data.X[index].reshape(hb.SHAPE)
    wx = det.weights * x
    z = float(det.z(data.X[index])[0])
    return Example(index, int(data.y[index]), float(wx[det.strip].sum()),
                   float(wx[det.surround].sum()), z, float(det.activation(data.X[index])[0]))


def edge_story(cfg: EdgeDetectorConfig, data: Dataset) -> dict:
    """Every number the scene shows, from the hand-set weights and the images."""
    stroke, nine = hb.stroke_detector(), hb.nine_neuron()
    a_stroke, a_nine = stroke.activation(data.X), nine.activation(data.X)
    picks = [(cfg.fires_digit, True)] + [(d, False) for d in cfg.quiet_digits]
    examples = []
    for digit, fires in picks:
        i = hb.pick(a_stroke, data.y, digit, fires)
        if i is not None:
            examples.append(stroke_example(stroke, data, i))
    nines = []
    for digit, fires in ((9, True), (cfg.not_nine, False)):
        i = hb.pick(a_nine, data.y, digit, fires)
        if i is not None:
            parts = nine.inputs(data.X[i])[0]
            nines.append((i, digit, parts, float(nine.z(data.X[i])[0]), float(a_nine[i])))

    def rate(act: np.ndarray, digit: int) -> tuple[float, float]:
        fires = act > 0.5
        return float(fires[data.y == digit].mean()), float(fires[data.y != digit].mean())

    return {"stroke": stroke, "nine": nine, "examples": examples, "nines": nines,
            "stroke_rate": rate(a_stroke, cfg.fires_digit), "nine_rate": rate(a_nine, 9),
            "n": data.n_samples}


def pct(v: float) -> str:
    return f"{100 * v:.0f}%"


@register("edge-detector", "neurons set by hand: a stroke detector that fires on images with "
          "the stroke, a 9 neuron made of a loop and a line, beside what training really found")
class EdgeDetectorScene(NNVizScene):
    Config = EdgeDetectorConfig

    def weights_picture(self, w: np.ndarray, width: float, shape=(28, 28),
                        cells: bool = False) -> PixelImage | PixelGrid:
        """Weights in the weight colours: positive, black for zero, negative. `cells`
        draws squares, which every camera draws alike at any size (hard-edged pictures
        rasterised at a fractional scale land a pixel apart in manim's own camera), instead
        of one raster image."""
        pal = self.palette
        m = float(np.abs(w).max()) or 1.0
        colours = (pal["negative"], "#000000", pal["positive"])
        if cells:
            return PixelGrid(w, shape, value_range=(-m, m), width=width, colors=colours)
        return PixelImage(w, shape, value_range=(-m, m), width=width, colors=colours)

    def image(self, x: np.ndarray, width: float) -> PixelImage:
        return PixelImage(x, (28, 28), value_range=(0.0, 1.0), colors=INK, width=width)

    def framed(self, picture: PixelImage) -> Group:
        frame = SurroundingRectangle(picture, buff=0.0, color=self.palette["grid"],
                                     stroke_width=1.5)
        return Group(picture, frame)

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        data = all_images(*self.trace_data("trained"))
        story = edge_story(cfg, data)
        self.story = story
        stroke: hb.Detector = story["stroke"]

        # -- a stroke detector, by hand --------------------------------------------------
        title = Text("Hand-built: a neuron that spots a stroke", font_size=32,
                     color=pal["text"]).to_edge(UP, buff=0.25)
        picture = self.framed(self.weights_picture(stroke.weights, 3.0, cells=True))
        picture.move_to(np.array([-4.7, 0.55, 0.0]))
        by_hand = Text("784 weights, set by hand", font_size=22, color=pal["text"])
        by_hand.next_to(picture, UP, buff=0.2)
        key = Legend([(pal["positive"], "positive weight"), (pal["negative"], "negative weight"),
                      ("#000000", "zero: ignored")], kind="square", font_size=22,
                     direction=DOWN)
        key.next_to(picture, DOWN, buff=0.3).align_to(picture, LEFT)
        with self.beat("title", "Could we build a neuron that spots a stroke, by choosing "
                       "its weights ourselves?"):
            self.play(FadeIn(title), run_time=self.t(0.8))
            self.read_along(title, color=pal["highlight"])
        with self.beat("weights", "Set one neuron's 784 weights by hand: positive on a "
                       "vertical strip, negative on both sides of it, zero everywhere else."):
            self.play(FadeIn(picture), FadeIn(by_hand), run_time=self.t(1.2))
            self.play(FadeIn(key), run_time=self.t(0.8))
            self.read_along(*key, color=pal["highlight"])

        formula = MathTex(r"a = \sigma\Big(\sum_i w_i x_i + b\Big),",
                          rf"\; b = {fmt(stroke.bias, 0)}", font_size=32, color=pal["text"])
        formula.move_to(np.array([2.4, 2.75, 0.0]))
        with self.beat("formula", f"The neuron multiplies each pixel by its weight, adds up, "
                       f"adds a bias of {stroke.bias:g} and squashes with the sigmoid: ink on "
                       f"the strip pushes it up, ink beside the strip pulls it down."):
            self.play(Write(formula), run_time=self.t(1.2))
            self.play(Indicate(formula[1], color=pal["highlight"]), run_time=self.t(0.8))
            self.read_along(formula[0], formula[1], color=pal["highlight"])

        rows = Group()
        note = Text(DATA_NOTE, font_size=20, color=pal["muted"]).to_edge(DOWN, buff=0.2)
        ys = [1.4, -0.25, -1.9]
        words = {
            True: "A {d} puts its ink on the strip: the sum passes {t:g} and the neuron fires.",
            "beside": "A {d} has its ink beside the strip, not on it: the neuron stays quiet.",
            "cancel": "A {d} has ink on the strip, but its ink beside the strip cancels much "
                      "of it: the neuron stays quiet.",
            "weak": "A {d} has too little ink on the strip: the neuron stays quiet.",
        }
        for k, ex in enumerate(story["examples"]):
            row = self.stroke_row(ex, stroke.bias)
            row.shift(np.array([-0.6, ys[k], 0.0]) - row[0].get_center() + row[0].width / 2 * RIGHT)
            rows.add(row)
            fires = ex.a > 0.5
            kind = True if fires else ("cancel" if ex.strip > -stroke.bias else
                                       "beside" if -ex.beside > ex.strip else "weak")
            with self.beat(f"digit-{k + 1}", words[kind].format(d=ex.label, t=-stroke.bias)):
                self.play(FadeIn(row[0]), *([FadeIn(note)] if k == 0 else []),
                          run_time=self.t(0.8))
                self.play(FadeIn(row[1]), run_time=self.t(1.0))
                self.play(FadeIn(row[2]), run_time=self.t(0.8))
                big = row[1][1] if fires or kind == "cancel" else row[1][3]
                self.read_along(big, row[2], *([note] if k == 0 else []),
                                color=pal["highlight"])
        self.stroke_rows = rows

        hit, other = story["stroke_rate"]
        count = Text(f"fires on {pct(hit)} of all {cfg.fires_digit}s, {pct(other)} of "
                     f"other digits ({story['n']:,} images)", font_size=24,
                     color=pal["highlight"])
        count.next_to(note, UP, buff=0.25)
        with self.beat("stroke-count", f"Over all {story['n']:,} images it fires on "
                       f"{pct(hit)} of the {cfg.fires_digit}s and on {pct(other)} of the "
                       f"other digits: a stroke there is not only a {cfg.fires_digit}."):
            self.play(FadeIn(count, shift=0.1 * UP), run_time=self.t(1.0))
            self.read_along(count, color=pal["highlight"])

        part_a = Group(picture, by_hand, key, formula, rows, count)
        self.layer_two(title, part_a, note)

    def stroke_row(self, ex: Example, bias: float) -> Group:
        """image | z = strip - beside - 16 = z | sigma(z) = a, fires/quiet."""
        pal = self.palette
        img = self.framed(self.image(self._x(ex.index), 1.5))
        sum_tex = MathTex(r"z = ", fmt(ex.strip), r" - ", fmt(-ex.beside),
                          rf" - {fmt(-bias, 0)} = {fmt(ex.z)}", font_size=32, color=pal["text"])
        sum_tex[1].set_color(pal["positive"])
        sum_tex[3].set_color(pal["negative"])
        fires = ex.a > 0.5
        out = VGroup(MathTex(rf"\sigma(z) = {fmt(ex.a)}", font_size=32, color=pal["text"]),
                     Text("fires" if fires else "quiet", font_size=26,
                          color=pal["highlight"] if fires else pal["muted"]))
        out.arrange(RIGHT, buff=0.3)
        sit_on(out[1], out[0])
        text = VGroup(sum_tex, out).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        text.next_to(img, RIGHT, buff=0.4)
        return Group(img, sum_tex, out)

    def _x(self, index: int) -> np.ndarray:
        return self._data_all.X[index]

    @property
    def _data_all(self) -> Dataset:
        return all_images(*self.trace_data("trained"))

    # -- a second layer, by hand -----------------------------------------------------------
    def layer_two(self, title: Text, part_a: Group, note: Text) -> None:
        pal = self.palette
        story = self.story
        nine: hb.SecondLayer = story["nine"]
        loop, line = nine.parts
        title2 = Text("One layer up, also by hand: a 9 is a loop plus a line", font_size=32,
                      color=pal["text"]).to_edge(UP, buff=0.25)
        pics = Group()
        for det, y, word in ((loop, 1.25, "loop up top"), (line, -1.35, "line on the right")):
            pic = self.framed(self.weights_picture(det.weights, 2.0, cells=True))
            pic.move_to(np.array([-5.6, y, 0.0]))
            tag = Text(word, font_size=22, color=pal["text"]).next_to(pic, DOWN, buff=0.12)
            pics.add(Group(pic, tag))
        body = Circle(radius=0.45, stroke_color=pal["neuron_stroke"], stroke_width=3)
        body.set_fill(pal["neuron_off"], opacity=1).move_to(np.array([-2.3, 0.0, 0.0]))
        body_tag = MathTex("a_9", font_size=30, color=pal["text"]).next_to(body, DOWN, 0.15)
        edges = VGroup()
        weight_tags = VGroup()
        for g, v in zip(pics, nine.weights, strict=True):
            start = g[0].get_right()
            end = body.get_center() + 0.45 * _unit(start - body.get_center())
            colour = pal["positive"] if v >= 0 else pal["negative"]
            edges.add(Line(start, end, color=colour, stroke_width=2 + abs(v)))
            weight_tags.add(MathTex(rf"\times{fmt(v, 0)}", font_size=26, color=colour)
                            .move_to(start + 0.45 * (end - start) + 0.35 * UP))
        names = (r"\text{loop}", r"\text{line}")
        inner = " + ".join(rf"{fmt(v, 0)}\,a_{n}" for v, n in zip(nine.weights, names,
                                                                     strict=True))
        formula = MathTex(rf"a_9 = \sigma({inner} {fmt(nine.bias, 0)})".replace("+ -", "- "),
                          font_size=34, color=pal["text"])
        formula.move_to(np.array([2.6, 2.55, 0.0]))
        hand = Text("every weight here set by hand, not trained", font_size=22,
                    color=pal["highlight"]).next_to(formula, DOWN, buff=0.2)
        with self.beat("layer-two", "One layer up, the same trick combines detectors: a 9 is "
                       "a loop up top plus a line on the right."):
            self.play(FadeOut(part_a), ReplacementTransform(title, title2), run_time=self.t(0.8))
            self.play(FadeIn(pics[0]), run_time=self.t(0.8))
            self.play(FadeIn(pics[1]), run_time=self.t(0.8))
            self.read_along(title2, color=pal["highlight"])
        with self.beat("detectors", "Both detectors are set by hand like the stroke: a ring "
                       "around an empty hole, and a line with nothing to its left. A neuron "
                       "in the next layer reads them."):
            self.play(Create(edges), FadeIn(body), FadeIn(weight_tags), FadeIn(body_tag),
                      run_time=self.t(1.0))
            self.read_along(pics[0], pics[1], color=pal["highlight"])
        with self.beat("nine-formula", f"The 9 neuron weighs each detector's activation by "
                       f"{nine.weights[0]:g} and adds a bias of {nine.bias:g}, so it fires only "
                       f"when both detectors do."):
            self.play(Write(formula), run_time=self.t(1.2))
            self.play(FadeIn(hand), run_time=self.t(0.8))
            self.read_along(formula, hand, color=pal["highlight"])

        rows = Group()
        for k, (i, digit, parts, z, a) in enumerate(story["nines"]):
            row = self.nine_row(i, parts, z, a, nine)
            row.shift(np.array([0.0, [0.65, -1.35][k], 0.0]) - row[0].get_center()
                      + row[0].width / 2 * RIGHT)
            rows.add(row)
            fires = a > 0.5
            sentence = (f"A 9 lights both detectors, loop {parts[0]:.2f} and line "
                        f"{parts[1]:.2f}: the 9 neuron fires." if fires else
                        f"A {digit} lights the loop detector, {parts[0]:.2f}, but not the line, "
                        f"{parts[1]:.2f}: the 9 neuron stays quiet." if parts[0] > 0.5 else
                        f"A {digit} lights neither detector enough: the 9 neuron stays quiet.")
            with self.beat(f"nine-{k + 1}", sentence):
                self.play(FadeIn(row[0]), run_time=self.t(0.8))
                self.play(FadeIn(row[1]), run_time=self.t(1.0))
                lit = body.copy().set_fill(pal["neuron_on"] if fires else pal["neuron_off"],
                                           opacity=1)
                self.play(FadeIn(row[2]), Transform(body, lit), run_time=self.t(0.8))
                self.read_along(row[1], row[2], color=pal["highlight"])
        hit, other = story["nine_rate"]
        count = Text(f"fires on {pct(hit)} of all 9s, {pct(other)} of other digits",
                     font_size=24, color=pal["highlight"]).next_to(note, UP, buff=0.25)
        with self.beat("nine-count", f"Over all images it fires on {pct(hit)} of the 9s and "
                       f"{pct(other)} of the other digits: a rough detector, but every part "
                       f"of it can be read."):
            self.play(FadeIn(count, shift=0.1 * UP), run_time=self.t(1.0))
            self.read_along(count, color=pal["highlight"])
        self.nine_rows = rows
        self.trained(title2, Group(pics, body, body_tag, edges, weight_tags, formula, hand, rows,
                                   count), note)

    def nine_row(self, index: int, parts: np.ndarray, z: float, a: float,
                 nine: hb.SecondLayer) -> Group:
        pal = self.palette
        img = self.framed(self.image(self._x(index), 1.5))
        acts = MathTex(rf"a_\text{{loop}} = {fmt(parts[0])},\; a_\text{{line}} = "
                       rf"{fmt(parts[1])}", font_size=32, color=pal["text"])
        fires = a > 0.5
        out = VGroup(MathTex(rf"a_9 = \sigma({fmt(z)}) = {fmt(a)}", font_size=32,
                             color=pal["text"]),
                     Text("fires" if fires else "quiet", font_size=26,
                          color=pal["highlight"] if fires else pal["muted"]))
        out.arrange(RIGHT, buff=0.3)
        sit_on(out[1], out[0])
        VGroup(acts, out).arrange(DOWN, aligned_edge=LEFT, buff=0.2).next_to(img, RIGHT,
                                                                             buff=0.4)
        return Group(img, acts, out)

    # -- what a trained network learned ----------------------------------------------------
    def trained(self, title: Text, part_b: Group, note: Text) -> None:
        cfg, pal = self.cfg, self.palette
        net = self.trace("trained").net_at(1.0)
        story = self.story
        k = min(cfg.trained_pictures, net.sizes[1])
        self.trained_neurons = list(range(k))
        title3 = Text("By hand vs what training found", font_size=32,
                      color=pal["text"]).to_edge(UP, buff=0.25)
        hand = Group(*[self.framed(self.weights_picture(hb.crop_border(d.weights), 1.45,
                                                        (20, 20), cells=True))
                       for d in (story["stroke"], *story["nine"].parts)])
        hand.arrange(DOWN, buff=0.3).move_to(np.array([-5.0, -0.1, 0.0]))
        hand_head = Text("by hand", font_size=26, color=pal["text"]).next_to(hand, UP, 0.25)
        learned = Group(*[self.framed(self.weights_picture(hb.crop_border(net.weights[0][i]),
                                                           1.75, (20, 20), cells=True))
                          for i in range(k)])
        learned.arrange_in_grid(rows=2 if k > 3 else 1, buff=0.3)
        learned.move_to(np.array([1.6, -0.1, 0.0]))
        sizes = "-".join(str(s) for s in net.sizes)
        learned_head = Text(f"trained {sizes} network: first-layer neurons 1-{k}",
                            font_size=24, color=pal["text"]).next_to(learned, UP, 0.25)
        crop = Text("pictures show the 20×20 centre (the blank border is cropped)",
                    font_size=20, color=pal["muted"]).next_to(learned, DOWN, 0.25)
        with self.beat("trained", "Now compare with a network trained on the same images, "
                       "which was never told about strokes or loops."):
            self.play(FadeOut(part_b), ReplacementTransform(title, title3), run_time=self.t(0.8))
            self.play(FadeIn(hand), FadeIn(hand_head), run_time=self.t(0.8))
            self.read_along(title3, color=pal["highlight"])
        with self.beat("learned", "These are weights its first hidden layer actually learned."):
            self.play(FadeIn(learned, lag_ratio=0.15), FadeIn(learned_head), FadeIn(crop),
                      run_time=self.t(1.6))
            self.read_along(learned_head, crop, color=pal["highlight"])
        _, test = self.trace_data("trained")
        held = test if test is not None else self._data_all
        accuracy = float(np.mean(net.predict(held.X) == held.y))
        self.accuracy = accuracy
        verdict = Text(f"blobs, not clean strokes, yet the network reads {pct(accuracy)} of "
                       f"held-out digits right", font_size=24,
                       color=pal["highlight"]).next_to(note, UP, buff=0.3)
        self.trained_pictures = learned
        with self.beat("blobs", "They look like scattered blobs, not clean strokes. The "
                       "layered hope is a good way to think, not a picture of what training "
                       "finds.", last=True):
            self.play(FadeIn(verdict, shift=0.1 * UP), run_time=self.t(1.0))
            self.play(Indicate(learned_head, color=pal["highlight"], scale_factor=1.05),
                      run_time=self.t(1.0))
            self.read_along(verdict, color=pal["highlight"])


def _unit(v: np.ndarray) -> np.ndarray:
    return v / max(float(np.linalg.norm(v)), 1e-12)


__all__ = ["EdgeDetectorScene", "edge_story"]
