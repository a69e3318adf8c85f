"""Layers of abstraction: a network built by hand that goes edges -> corners -> a square,
and what the layers of the trained digits network really respond to.

Two scenes, because they answer two questions and each stands alone in a lecture:
- edges-corners-square (constructed): every weight set by hand (nnviz.explain.abstraction);
  four small images flow through it and every number on screen is its forward pass.
- layers-of-abstraction (trained): the digits-network scene's 784-16-16-10 network; per
  layer, the purest and the most mixed neuron with their 9 most exciting images and a
  picture (layer 1: its weights; deeper: the mean of its top images, said on screen), then
  how often a neuron's favourites are one digit, layer by layer, for the same network
  before and after training (the hidden layers score about the same untrained).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Circle,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    Group,
    LaggedStart,
    Line,
    Rectangle,
    SurroundingRectangle,
    VGroup,
)

from nnviz.draw.mobjects import Legend, MathTex, Text
from nnviz.draw.mobjects.baseline import baseline, sit_on
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.mobjects.pixel_image import image_rgba
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain import abstraction as ab
from nnviz.spec.config import SceneConfig, knob
from nnviz.spec.palette import blend

from .digits import DigitsConfig, held_out, ink, inked_mask, rgba_image, weight_rgba

# -- edges-corners-square ------------------------------------------------------------------------

EDGE_NAMES = {"top": "top", "bottom": "bottom", "left": "left", "right": "right"}
SHAPE_WORDS = {"square": "a square", "L": "an L", "line": "one line", "noise": "noise"}


@dataclass
class SquareConfig(SceneConfig):
    """The network is fixed (nnviz.explain.abstraction); the seed draws the noise image."""

    shown: tuple[str, ...] = knob(("square", "L", "line", "noise"), "images fed in, in order",
                                  choices=("square", "L", "line", "noise"), max_len=4)


def square_story(cfg: SquareConfig) -> list[tuple[str, np.ndarray, list[np.ndarray]]]:
    """(name, image, activations of each layer) for every shown image: the core's forward
    pass of the hand-built network."""
    net = ab.square_network()
    images = ab.shapes(cfg.seed)
    return [(name, images[name], [o.a[0] for o in net.layer_outputs(images[name])])
            for name in cfg.shown]


def feed_sentence(name: str, acts: list[np.ndarray]) -> str:
    """What happens to one image, layer by layer, from its activations (> 0.5 = fires)."""
    word = SHAPE_WORDS.get(name, name)
    capital = word[0].upper() + word[1:]
    n_e, n_c = int((acts[0] > 0.5).sum()), int((acts[1] > 0.5).sum())
    edges = f"{n_e} edge{'s' if n_e != 1 else ''}"
    corners = f"{n_c} corner{'s' if n_c != 1 else ''}"
    if acts[2][0] > 0.5:
        return (f"Feed in {word}: {edges} light up, so {corners} do, so the square "
                f"neuron fires.")
    if n_c:
        return (f"{capital} lights {edges} and {corners}; short of four corners, "
                f"the square neuron stays dark.")
    if n_e:
        return f"{capital} lights {edges} but no corner: the square stays dark."
    return (f"With {word}, no edge detector fires, so nothing above them does either.")


@register("edges-corners-square", "a network built by hand (labelled so): edge detectors, "
          "corners as AND of two edges, a square as AND of four corners; a square, an L, a "
          "line and noise flow through it")
class EdgesCornersSquareScene(NNVizScene):
    Config = SquareConfig

    def fill(self, a: float) -> str:
        """A neuron's fill for activation a: brighter is more active."""
        pal = self.palette
        rgb = np.round(blend(pal["neuron_off"], pal["neuron_on"], a) * 255).astype(int)
        return "#{:02x}{:02x}{:02x}".format(*rgb)

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        net = ab.square_network()
        story = square_story(cfg)
        self.story = story
        hi = pal["highlight"]
        title = Text("A network built by hand: edges, corners, a square", font_size=32,
                     color=pal["text"]).to_edge(UP, buff=0.25)
        made = Text("constructed: every weight chosen by us, nothing trained", font_size=22,
                    color=hi).next_to(title, DOWN, buff=0.15)
        with self.beat("title", "Before asking what trained layers do, build the layered "
                       "idea ourselves: a tiny network whose every weight we choose."):
            self.play(FadeIn(title), run_time=self.t(0.8))
            self.play(FadeIn(made), run_time=self.t(0.8))
            self.read_along(title, made, color=hi)

        # columns: input image | edge pictures + neurons | corners | square
        ys = [1.2, 0.1, -1.0, -2.1]
        x_pic, x_edge, x_corner, x_square = -3.3, -2.0, 1.0, 4.8
        r = 0.34
        inp = PixelGrid(np.zeros(ab.SIDE * ab.SIDE), (ab.SIDE, ab.SIDE), value_range=(0, 1),
                        width=2.4, colors=(pal["neuron_off"], pal["neuron_on"]))
        inp.move_to(np.array([-5.6, -0.3, 0.0]))
        inp_frame = SurroundingRectangle(inp, buff=0.0, color=pal["grid"], stroke_width=1.5)
        inp_tag = Text("8×8 image", font_size=20, color=pal["text"]).next_to(inp_frame, UP, 0.15)
        heads = VGroup(*[Text(s, font_size=22, color=pal["text"]) for s in
                         ("layer 1: edges", "layer 2: corners", "layer 3: square")])
        for h, x in zip(heads, ((x_pic + x_edge) / 2, x_corner, x_square), strict=True):
            h.move_to(np.array([x, 2.45, 0.0]))

        m = float(np.abs(net.weights[0]).max())
        pics, edge_nodes, edge_tags = Group(), VGroup(), VGroup()
        for k, name in enumerate(ab.EDGES):
            pic = PixelGrid(net.weights[0][k], (ab.SIDE, ab.SIDE), value_range=(-m, m),
                            width=0.95, colors=(pal["negative"], "#000000", pal["positive"]))
            pic.move_to(np.array([x_pic, ys[k], 0.0]))
            pics.add(Group(pic, SurroundingRectangle(pic, buff=0.0, color=pal["grid"],
                                                     stroke_width=1)))
            node = Circle(radius=r, stroke_color=pal["neuron_stroke"], stroke_width=2.5)
            node.set_fill(pal["neuron_off"], opacity=1).move_to(np.array([x_edge, ys[k], 0]))
            edge_nodes.add(node)
            edge_tags.add(Text(EDGE_NAMES[name], font_size=18, color=pal["muted"])
                          .next_to(node, DOWN, buff=0.06))
        feed = VGroup(*[Line(inp_frame.get_right(), p.get_left(), stroke_width=1.2,
                             color=pal["muted"]) for p in pics])
        links0 = VGroup(*[Line(p.get_right(), n.get_left(), stroke_width=1.5,
                               color=pal["muted"]) for p, n in zip(pics, edge_nodes,
                                                                    strict=True)])
        legend = Legend([(pal["positive"], "positive weight"),
                         (pal["negative"], "negative weight"), ("#000000", "zero")],
                        kind="square", font_size=20)
        legend.to_edge(DOWN, buff=0.25)
        edge_eq = MathTex(rf"w = \pm{m:g},\; b = {net.biases[0][0]:g}", font_size=28,
                          color=pal["text"])
        edge_eq.next_to(heads[0], DOWN, buff=0.12)
        with self.beat("edges", "Layer one: four edge detectors. Each weighs the 64 pixels "
                       "by a picture: positive along one side of the square, negative on "
                       "the rows either side, so a thick blob does not count as an edge."):
            self.play(FadeIn(inp), Create(inp_frame), FadeIn(inp_tag), run_time=self.t(0.8))
            self.play(FadeIn(heads[0]), Create(feed), LaggedStart(*[FadeIn(p) for p in pics],
                                                                  lag_ratio=0.2),
                      run_time=self.t(1.4))
            self.play(Create(links0), FadeIn(edge_nodes), FadeIn(edge_tags), FadeIn(edge_eq),
                      run_time=self.t(0.8))
            self.play(FadeIn(legend), run_time=self.t(0.8))
            self.read_along(legend, pics, color=hi)

        corner_nodes, corner_tags, links1 = VGroup(), VGroup(), VGroup()
        for j, pair in enumerate(ab.CORNERS):
            node = Circle(radius=r, stroke_color=pal["neuron_stroke"], stroke_width=2.5)
            node.set_fill(pal["neuron_off"], opacity=1).move_to(np.array([x_corner, ys[j], 0]))
            corner_nodes.add(node)
            corner_tags.add(Text("-".join(pair), font_size=18, color=pal["muted"])
                            .next_to(node, DOWN, buff=0.06))
            for i in range(len(ab.EDGES)):
                w = net.weights[1][j, i]
                if w != 0:
                    colour = pal["positive"] if w > 0 else pal["negative"]
                    links1.add(Line(edge_nodes[i].get_right(), node.get_left(),
                                    stroke_width=3, color=colour))
        w1, b1 = net.weights[1][0][net.weights[1][0] != 0][0], net.biases[1][0]
        corner_eq = MathTex(rf"a_{{\text{{top-left}}}} = \sigma({w1:g}\,a_{{\text{{top}}}} + "
                            rf"{w1:g}\,a_{{\text{{left}}}} {b1:+g})", font_size=26,
                            color=pal["text"])
        corner_eq.next_to(heads[1], DOWN, buff=0.12)
        zero_note = Text("zero weights not drawn", font_size=18, color=pal["muted"])
        zero_note.next_to(corner_tags, DOWN, buff=0.15)
        with self.beat("corners", f"Layer two: a corner fires only when both of its edges "
                       f"do. Each edge adds {w1:g}, and the bias of {b1:g} is more than one "
                       f"edge can pay."):
            self.play(FadeIn(heads[1]), Create(links1), FadeIn(corner_nodes),
                      FadeIn(corner_tags), run_time=self.t(1.2))
            self.play(FadeIn(corner_eq), FadeIn(zero_note), run_time=self.t(0.8))
            self.read_along(corner_eq, zero_note, color=hi)

        sq = Circle(radius=0.45, stroke_color=pal["neuron_stroke"], stroke_width=3)
        sq.set_fill(pal["neuron_off"], opacity=1).move_to(np.array([x_square, np.mean(ys), 0]))
        sq_tag = Text("square", font_size=20, color=pal["muted"]).next_to(sq, DOWN, 0.08)
        links2 = VGroup(*[Line(c.get_right(), sq.get_left(), stroke_width=3,
                               color=pal["positive"] if w > 0 else pal["negative"])
                          for c, w in zip(corner_nodes, net.weights[2][0], strict=True)])
        w2, b2 = net.weights[2][0][0], net.biases[2][0]
        n_c = len(ab.CORNERS)
        sq_eq = MathTex(rf"{n_c}\times{w2:g} > {-b2:g} > {n_c - 1}\times{w2:g}", font_size=26,
                        color=pal["text"]).next_to(heads[2], DOWN, buff=0.12)
        with self.beat("square", f"Layer three: the square neuron needs all {n_c} corners. "
                       f"{n_c} times {w2:g} beats its bias of {b2:g}; {n_c - 1} corners "
                       f"fall short."):
            self.play(FadeIn(heads[2]), Create(links2), FadeIn(sq), FadeIn(sq_tag),
                      run_time=self.t(1.0))
            self.play(FadeIn(sq_eq), run_time=self.t(0.8))
            self.read_along(sq_eq, color=hi)

        nodes = [edge_nodes, corner_nodes, VGroup(sq)]
        shown: dict = {"input": inp, "old": []}

        def feed(img: np.ndarray, acts: list[np.ndarray]) -> VGroup:
            """Show image img at the input and light each layer in turn with its values;
            returns the new readouts (the square's value and the verdict last)."""
            nums = VGroup()
            for layer, vals in zip(nodes, acts, strict=True):
                g = VGroup()
                for n, a in zip(layer, vals, strict=True):
                    t = MathTex(f"{a:.2f}", font_size=22,
                                color=pal["neuron_off"] if a > 0.5 else pal["text"])
                    g.add(t.move_to(n.get_center()))
                nums.add(g)
            fires = acts[-1][0] > 0.5
            verdict = Text("square: yes" if fires else "square: no", font_size=26,
                           color=hi if fires else pal["muted"])
            verdict.next_to(sq_tag, DOWN, buff=0.3)
            img_mob = self.image_grid(img, shown["input"])
            self.play(*[FadeOut(m) for m in shown["old"]], FadeIn(img_mob),
                      run_time=self.t(0.6))
            self.remove(shown["input"])
            shown["input"] = img_mob
            for layer, vals, g in zip(nodes, acts, nums, strict=True):
                self.play(*[n.animate.set_fill(self.fill(a), opacity=1)
                            for n, a in zip(layer, vals, strict=True)], FadeIn(g),
                          run_time=self.t(0.8))
            self.play(FadeIn(verdict), run_time=self.t(0.5))
            shown["old"] = [nums, verdict]
            return VGroup(nums[2], verdict)

        for name, img, acts in story:
            with self.beat(f"feed-{name}", feed_sentence(name, acts)):
                self.read_along(*feed(img, acts), color=hi)

        name, img, acts = story[0]
        with self.beat("end", "Each layer builds on the one before: edges, then corners, "
                       "then a square. We designed it to; next, does training find "
                       "layers like these?", last=True):
            again = feed(img, acts) if len(story) > 1 else VGroup()
            self.play(*[h.animate.set_color(hi) for h in heads], run_time=self.t(1.0))
            self.read_along(*heads, *again, made, color=hi)
        self.shown_input = shown["input"]

    def image_grid(self, img: np.ndarray, like: PixelGrid) -> PixelGrid:
        """The input image as a grid of squares, where `like` sits."""
        pal = self.palette
        g = PixelGrid(img, (ab.SIDE, ab.SIDE), value_range=(0, 1), width=like.width,
                      colors=(pal["neuron_off"], pal["neuron_on"]))
        return g.move_to(like.get_center())


# -- layers-of-abstraction ------------------------------------------------------------------------

@dataclass
class AbstractionConfig(DigitsConfig):
    """The digits-network scene's trained network (same knobs, same trace)."""

    top: int = knob(9, "how many most exciting images to show and count per neuron",
                    min=3, max=12)


SIDE = 28  # the digits images are SIDE x SIDE
BORDER = 4  # digits28 pads its 20x20 digits with 4 blank pixels a side


def blank_border(X: np.ndarray, border: int) -> bool:
    """True when every image is blank within `border` pixels of its edge (digits28, not
    MNIST): pictures can leave that frame out and show the digits larger."""
    img = np.asarray(X).reshape(-1, SIDE, SIDE)
    inner = img[:, border:SIDE - border, border:SIDE - border]
    return bool(np.abs(img).sum() == np.abs(inner).sum())


def ink_rgba(x: np.ndarray, pal: dict) -> np.ndarray:
    """An ink image (0 paper .. 1 ink) as RGBA in the input neurons' colours."""
    return image_rgba(np.asarray(x, dtype=float), (SIDE, SIDE), (0.0, 1.0), ink(pal))


HOPE_FINDS = ("edges", "loops and lines", "digits")
HOPE_MIX = ("many digits", "a few digits", "one digit")


def picks(view: ab.LayerView) -> tuple[int, int]:
    """(the purest unit, the most mixed one), distinct; ties go to the lower index."""
    order = np.argsort(-view.purity, kind="stable")
    return int(order[0]), int(order[-1])


def share(p: float) -> str:
    return f"{100 * p:.0f}%"


@register("layers-of-abstraction", "the trained digits network layer by layer: a neuron's 9 "
          "favourite images and its picture (weights, or the mean of its favourites), and "
          "how often they are one digit per layer, before and after training")
class LayersOfAbstractionScene(NNVizScene):
    Config = AbstractionConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        hi = pal["highlight"]
        net = self.trace("main").net_at(1.0)
        data, test = held_out(*self.trace_data("main"))
        mask = inked_mask(data.X)
        k = cfg.top
        views = ab.layer_views(net, data.X, data.y, k)
        chance = ab.chance_purity(data.y, k, seed=cfg.seed)
        self.views, self.chance = views, chance
        sizes = "-".join(str(s) for s in net.sizes)
        title = Text("What do the layers of a trained network respond to?", font_size=32,
                     color=pal["text"]).to_edge(UP, buff=0.25)
        sub = Text(f"the trained {sizes} digits network, {data.n_samples} images",
                   font_size=22, color=pal["muted"]).next_to(title, DOWN, buff=0.12)
        with self.beat("title", "Now the real thing: a network trained on digits. What do "
                       "its layers respond to?"):
            self.play(FadeIn(title), FadeIn(sub), run_time=self.t(1.0))
            self.read_along(title, sub, color=hi)

        border = BORDER if blank_border(data.X, BORDER) else 0
        self.border = border
        names = ["hidden layer 1", "hidden layer 2", "outputs"]
        hope = self.hope_table(names)
        with self.beat("hope", "The hope was edges, then loops, then digits. An edge or a "
                       "loop turns up in many digits, so a neuron that finds one would be "
                       "excited by a mix of digits; only the outputs would pick one."):
            self.play(FadeIn(hope[0]), FadeIn(hope[1]), run_time=self.t(0.8))
            self.play(FadeIn(hope[2]), run_time=self.t(0.8))
            self.read_along(*hope[1][1:], *hope[2][1:], color=hi)
        kept_first = [hope]
        self.rows: list[list[tuple[int, Group]]] = []
        self.layer_lines: list[Text] = []
        # kept on screen from layer to layer (not read again): the column head, chance
        top_head = Text(f"its {k} most exciting images, strongest first", font_size=20,
                        color=pal["muted"])
        chance_t = Text(f"{k} random images: {k * chance:.1f} of {k} ({share(chance)})",
                        font_size=20, color=pal["muted"])
        chance_t.to_edge(DOWN, buff=0.3).to_edge(RIGHT, buff=0.4)
        kept: list = kept_first  # what the next layer fades out
        kind_t: Text | None = None
        for li, view in enumerate(views):
            units = picks(view)
            head = Text(names[li], font_size=28, color=hi)
            kind = ("picture: its weights" if view.picture_kind == "weights"
                    else f"picture: the mean of its top {k} images")
            same_kind = kind_t is not None and kind_t.original_text == kind
            if kind_t is not None and not same_kind:
                kept.append(kind_t)
            if same_kind:
                head.next_to(kind_t, LEFT, buff=0.4)
                sit_on(head, kind_t)
            else:
                kind_t = Text(kind, font_size=20, color=pal["muted"])
                VGroup(head, kind_t).arrange(RIGHT, buff=0.4, aligned_edge=DOWN).next_to(
                    sub, DOWN, buff=0.3)
            rows = Group()
            for r, j in enumerate(units):
                tie = view.purity.min() == view.purity.max()  # e.g. every output 9 of 9
                role = "" if tie else ("purest" if r == 0 else "most mixed")
                row = self.neuron_row(view, j, data, mask, li == len(views) - 1, border,
                                      role)
                row.move_to(np.array([0.0, 0.5 - 2.3 * r, 0.0]))
                rows.add(row)
            self.rows.append(list(zip(units, rows, strict=True)))
            if li == 0:
                top_head.next_to(rows[0][2], UP, buff=0.12).align_to(rows[0][2], LEFT)
            word = "output" if li == len(views) - 1 else "neuron"
            line = Text(f"all {view.z.shape[1]} {word}s: on average "
                        f"{k * view.mean_purity:.1f} of {k} share a digit "
                        f"({share(view.mean_purity)})", font_size=20, color=pal["text"])
            line.next_to(chance_t, LEFT, buff=0.45)
            sit_on(line, chance_t)
            self.layer_lines.append(line)
            legend = None
            if li == 0:
                legend = Legend([(pal["positive"], "positive weight"),
                                 (pal["negative"], "negative weight"),
                                 (pal["neuron_off"], "rarely inked pixel")], kind="square",
                                font_size=18)
                legend.next_to(chance_t, UP, buff=0.18).set_x(0.0)
            pure_j, mixed_j = units
            sentence = (self.layer_sentence(li, view, pure_j, mixed_j, data.y) + " "
                        + self.purity_sentence(li, view, word, chance))
            with self.beat(f"layer-{li + 1}", sentence):
                shown_new = [head] + ([] if same_kind else [kind_t])
                shown_new += [top_head] if li == 0 else []
                self.play(*[FadeOut(m) for m in kept], *[FadeIn(m) for m in shown_new],
                          run_time=self.t(0.6))
                for row in rows:
                    self.play(FadeIn(row[0]), FadeIn(row[1]), run_time=self.t(0.5))
                    self.play(LaggedStart(*[FadeIn(im, shift=0.15 * LEFT) for im in row[2]],
                                          lag_ratio=0.1), run_time=self.t(1.0))
                    self.play(FadeIn(row[3]), run_time=self.t(0.4))
                extra = [FadeIn(legend), FadeIn(chance_t)] if legend is not None else []
                self.play(FadeIn(line, shift=0.1 * UP), *extra, run_time=self.t(0.7))
                self.read_along(*[row[3] for row in rows], line,
                                *([chance_t] if li == 0 else []), color=hi)
            kept = [head, rows, line, *([legend] if legend is not None else [])]
        stage = Group(*kept, kind_t, top_head, chance_t)

        # the summary: per layer, the same network before training beside the trained one
        before = ab.layer_views(self.trace("main").net_at(0.0), data.X, data.y, k)
        self.before = before
        chart = self.purity_chart(views, before, chance, names)
        self.chart = chart
        trained_p = [v.mean_purity for v in views]
        before_p = [v.mean_purity for v in before]
        moved = ab.learned(trained_p, before_p)
        self.moved = moved
        early, small = ab.hope_reading(trained_p[:2], chance)
        self.reading = (early, small)
        pairs = ", ".join(f"{share(b)} then {share(t)}"
                          for b, t in zip(before_p, trained_p, strict=True))
        if not any(moved[:-1]):
            gist = ("The hidden layers scored about as high before training: one digit's "
                    "images look alike, so even random weights have favourites mostly of one "
                    "digit. Only the outputs' score came from training.")
        elif moved[0]:
            gist = "Training moved the first layer towards whole digits."
        else:
            gist = "The first layer kept its untrained score; training moved the later layers."
        with self.beat("summary", f"Before and after training, per layer: {pairs}. {gist}"):
            self.play(FadeOut(stage), run_time=self.t(0.6))
            self.play(FadeIn(chart), run_time=self.t(1.4))
            self.read_along(*chart.bars_labels, color=hi)
        acc = float(np.mean(net.predict(test.X) == test.y))
        if not any(moved[:-1]):
            words = "hidden layers scored about the same untrained: the score comes from the data"
            said = ("So this network does not show the hope's ladder of edges, then loops, "
                    "then digits: its hidden layers' favourites say more about how alike the "
                    "digits are than about what the layers learned. It still reads most "
                    "unseen digits right.")
        else:
            words = "training made the layers more digit-like, layer by layer"
            said = ("Here training did push the layers towards whole digits, though not "
                    "through a clean layer of edges and then loops. It reads most unseen "
                    "digits right.")
        verdict = VGroup(
            Text(words, font_size=22, color=pal["text"]),
            Text(f"{share(acc)} of unseen digits read right all the same", font_size=22,
                 color=pal["text"]),
        ).arrange(DOWN, buff=0.12).to_edge(DOWN, buff=0.3)
        self.verdict = verdict
        with self.beat("verdict", said, last=True):
            self.play(FadeIn(verdict), run_time=self.t(1.0))
            self.read_along(*verdict, color=hi)

    def purity_sentence(self, li: int, view: ab.LayerView, word: str, chance: float) -> str:
        """The narration for the layer's average purity; the first time, what it means."""
        k = view.top.shape[1]
        if li == 0:
            return (f"Count, for every neuron, how many of its {k} favourites share its "
                    f"commonest digit: on average {k * view.mean_purity:.1f}. {k} images "
                    f"picked at random share about {k * chance:.1f} just by luck.")
        return (f"Over all {view.z.shape[1]} {word}s, {share(view.mean_purity)} of the "
                f"favourites share a digit, against {share(chance)} by luck.")

    def hope_table(self, names: list[str]) -> VGroup:
        """[layer names, what the hope says each finds, what that predicts for its
        favourite images], as rows of a table."""
        pal = self.palette
        rows = [[""] + names,
                ["the hope:"] + list(HOPE_FINDS),
                ["so its top images:"] + list(HOPE_MIX)]
        table = VGroup()
        for r, cells in enumerate(rows):
            colour = pal["text"] if r == 0 else (pal["highlight"] if r == 1 else pal["muted"])
            table.add(VGroup(*[Text(c or " ", font_size=24 if r == 0 else 22, color=colour)
                               for c in cells]))
        xs = [-4.3, -1.2, 1.9, 5.0]
        for r, row in enumerate(table):
            for c, cell in enumerate(row):
                cell.move_to(np.array([xs[c], 0.9 - 0.9 * r, 0.0]))
            row[0].move_to(np.array([-3.1, 0.9 - 0.9 * r, 0.0]), aligned_edge=RIGHT)
            for cell in row[1:]:
                sit_on(cell, row[0] if r else row[1])
        return table

    def layer_sentence(self, li: int, view: ab.LayerView, pure_j: int, mixed_j: int,
                       y: np.ndarray) -> str:
        k = view.top.shape[1]
        n_pure = int(round(view.purity[pure_j] * k))
        n_mixed = len(set(np.asarray(y)[view.top[mixed_j]].tolist()))
        if li == 0:
            label = int(view.label[pure_j])
            favs = f"all {label}s" if n_pure == k else f"{n_pure} of {k} are {label}s"
            return (f"Hidden layer one. Each row is one neuron: its weights as a picture, "
                    f"then the {k} images that excite it most. The weights are blotches, "
                    f"not clean edges. The purest neuron's favourites: {favs}; the most "
                    f"mixed one's span {n_mixed} digits.")
        if view.picture_kind != "weights" and li < 2:
            return (f"Hidden layer two has no weights over pixels, so its picture is the "
                    f"mean of its {k} favourites. The most mixed one likes {n_mixed} "
                    f"different digits: perhaps a shared stroke, but its picture is a blur, "
                    f"not a clean part.")
        if np.array_equal(view.label, np.arange(len(view.label))):
            return "The outputs: each one's favourites are mostly its own digit, as trained."
        return "The outputs: most favour one digit, though not always their own."

    def neuron_row(self, view: ab.LayerView, j: int, data, mask: np.ndarray,
                   output: bool, border: int, role: str) -> Group:
        """[name, picture, top images, caption] for unit j; pictures and images without
        `border` blank pixels a side, so the digits fill them. `role` (purest, most mixed;
        empty when every unit scores the same) leads the caption: the rows are the layer's
        extremes, not typical units."""
        pal = self.palette
        k = view.top.shape[1]
        cut = slice(border, SIDE - border)
        if view.picture_kind == "weights":
            rgba = weight_rgba(view.pictures[j], mask, pal)
        else:
            rgba = ink_rgba(view.pictures[j], pal)
        pic = rgba_image(rgba[cut, cut], 1.9)
        frame = SurroundingRectangle(pic, buff=0.0, color=pal["grid"], stroke_width=1.2)
        picture = Group(pic, frame)
        name = Text(f"output {j}" if output else f"neuron {j + 1}", font_size=20,
                    color=pal["text"])
        ims = Group(*[rgba_image(ink_rgba(data.X[i], pal)[cut, cut], 1.0)
                      for i in view.top[j]])
        ims.arrange(RIGHT, buff=0.08)
        if ims.width > 9.6:  # top = 10 to 12: keep the row inside the frame
            ims.scale_to_fit_width(9.6)
        labels = np.asarray(data.y)[view.top[j]]
        n_same = int(round(view.purity[j] * k))
        n_digits = len(set(labels.tolist()))
        more = f", {n_digits} different digits in all" if n_digits > 1 else ""
        n_units = view.z.shape[1]
        lead = f"{role} of {n_units}: " if role else ""
        cap = Text(f"{lead}{n_same} of {k} are {view.label[j]}s{more}", font_size=20,
                   color=pal["text"])
        picture.move_to(np.array([-5.5, 0.0, 0.0]))
        name.next_to(picture, UP, buff=0.08)
        ims.next_to(picture, RIGHT, buff=0.4).align_to(picture, UP)
        cap.next_to(ims, DOWN, buff=0.12).align_to(ims, LEFT)
        return Group(Group(name), picture, ims, cap)

    def purity_chart(self, views: list[ab.LayerView], before: list[ab.LayerView],
                     chance: float, names: list[str]) -> Group:
        """Per layer a pair of bars, the network before training and trained, over a
        dashed line for random images: the pair is what says whether training did it."""
        pal = self.palette
        h, w, inner, gap = 3.2, 0.85, 0.12, 0.95
        pair = 2 * w + inner
        base = np.array([-5.6, -1.7, 0.0])
        axis = Line(base + 0.4 * LEFT, base + (3 * pair + 2 * gap + 0.4) * RIGHT,
                    color=pal["muted"], stroke_width=2)
        colours = (pal["muted"], pal["neuron_on"])
        bars, labels, names_m = VGroup(), VGroup(), VGroup()
        for i, (v0, v1, nm) in enumerate(zip(before, views, names, strict=True)):
            x0 = i * (pair + gap)
            for s_, (v, colour) in enumerate(zip((v0, v1), colours, strict=True)):
                p = v.mean_purity
                bar = Rectangle(width=w, height=max(h * p, 0.01), stroke_width=0,
                                fill_color=colour, fill_opacity=0.85)
                bar.move_to(base + (x0 + s_ * (w + inner) + w / 2) * RIGHT, aligned_edge=DOWN)
                bars.add(bar)
                labels.add(Text(share(p), font_size=22, color=pal["text"])
                           .next_to(bar, UP, 0.1))
            names_m.add(VGroup(Text(nm, font_size=22, color=pal["text"]),
                               Text(f"hoped: {HOPE_MIX[i]}", font_size=18, color=pal["muted"]))
                        .arrange(DOWN, buff=0.08)
                        .next_to(Group(*bars[-2:]), DOWN, 0.15))
        for m in names_m[1:]:
            m.shift(UP * (baseline(names_m[0][0]) - baseline(m[0])))
        y_c = base[1] + h * chance
        chance_line = DashedLine(np.array([axis.get_left()[0], y_c, 0]),
                                 np.array([axis.get_right()[0], y_c, 0]),
                                 color=pal["muted"], stroke_width=2)
        chance_tag = Text(f"random {self.cfg.top} images: {share(chance)}", font_size=20,
                          color=pal["muted"]).next_to(chance_line, RIGHT, buff=0.15)
        key = Legend([(colours[0], "before training"), (colours[1], "trained")],
                     kind="square", font_size=20, direction=DOWN)
        key.next_to(axis, RIGHT, buff=0.5).align_to(bars, UP)
        head = Text(f"how often a neuron's top {self.cfg.top} images show the same digit",
                    font_size=24, color=pal["text"])
        head.move_to(np.array([axis.get_center()[0], base[1] + h + 0.8, 0.0]))
        chart = Group(head, axis, bars, labels, names_m, chance_line, chance_tag, key)
        chart.set_x(0.0)
        chart.bars_labels = [labels[i] for i in range(len(labels))]
        return chart


__all__ = ["EdgesCornersSquareScene", "LayersOfAbstractionScene", "picks", "square_story"]
