"""How networks learn, 1: truth and error. The camera network (scenes/camera_net.py) answers
an image; each answer's error is (truth - answer)^2 and E, the network's error on the
image, is their sum: the episode's one error definition, introduced here once. The scene
ends on the random and the trained network side by side.

(The error valley is in valley.py, the chain rule in chain_rule.py, backpropagation in
backprop.py and training you can watch in playground.py.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.datasets.four_pixel import CLASSES
from nnviz.core.network import MLP
from nnviz.draw.mobjects import MathTex, Text
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import knob

from .camera_net import CameraNetConfig, answer_and_error

FS = 28


def shown_digits(*errors: np.ndarray, least: int = 2, most: int = 5) -> int:
    """The fewest decimals (at least `least`) at which every error vector's cells, rounded,
    add up to its total rounded: so the shown parts add to the shown total."""
    for d in range(least, most + 1):
        if all(round(float(np.round(e, d).sum()), d) == round(float(e.sum()), d)
               for e in errors):
            return d
    return most


def shown_total(err: np.ndarray, digits: int) -> float:
    """The total shown beside the cells: the sum of the cells as shown (it equals the
    rounded true total whenever shown_digits found such a number of decimals)."""
    return round(float(np.round(err, digits).sum()), digits)


def mean_error(net: MLP, X: np.ndarray, truth: np.ndarray) -> float:
    """E averaged over images: the network's error on all of them (what training lowers)."""
    return float(np.mean([answer_and_error(net, x, t)[2] for x, t in zip(X, truth,
                                                                         strict=True)]))


# ---------------------------------------------------------------------------------------
@dataclass
class TruthAndErrorConfig(CameraNetConfig):
    image: int = knob(2, "which camera image (0-7: solid, -solid, vertical, ...)",
                      min=0, max=7)
    step_time: float = knob(0.8, "seconds per reveal", min=0.1, max=20.0)


@register("truth-and-error", "the camera network's answers beside the truth; the error E; "
                             "random and trained side by side")
class TruthAndError(NNVizScene):
    Config = TruthAndErrorConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("camera")
        data, _ = self.trace_data("camera")
        x = data.X[cfg.image]
        label = int(data.y[cfg.image])
        random_net, trained_net = trace.net_at(0.0), trace.net_at(1.0)
        truths = data.targets(random_net)
        truth = truths[cfg.image]
        ans0, err0, _ = answer_and_error(random_net, x, truth)
        ans1, err1, _ = answer_and_error(trained_net, x, truth)
        d0, d1 = shown_digits(err0), shown_digits(err1, least=3)  # tiny errors: 0.0010
        st = self.t(cfg.step_time)

        # -- layout: image | network | table (class, truth, random: answer error,
        #    trained: answer error) ------------------------------------------------------
        image = PixelGrid(x, (2, 2), value_range=(-1.0, 1.0), width=1.3, stroke_width=1.5)
        image.move_to(LEFT * 6.05 + DOWN * 0.2)
        kind = CLASSES[label]
        image_label = Text(f"a {kind}\nimage" if cfg.image % 2 == 0 else
                           f"a {kind}\nimage\n(inverted)", font_size=22, color=pal["muted"],
                           line_spacing=0.8).next_to(image, DOWN, buff=0.25)
        diagram = NetworkDiagram(random_net.sizes, random_net.weights, random_net.biases,
                                 self._activations(random_net, x), width=2.6, height=4.6,
                                 neuron_radius=0.2, palette=pal)
        diagram.move_to(LEFT * 3.85 + DOWN * 0.2)
        col = {"class": -2.15, "truth": 0.45, "a0": 1.65, "e0": 2.85, "a1": 4.55, "e1": 5.8}
        rows = VGroup(*[Text(name, font_size=26, color=pal["text"]) for name in CLASSES])
        row_y = [diagram.node(2, j).get_center()[1] for j in range(4)]
        for j, r in enumerate(rows):
            r.move_to([col["class"], row_y[j], 0], aligned_edge=LEFT)
        links = VGroup(*[DashedLine(diagram.node(2, j).get_right() + RIGHT * 0.08,
                                    rows[j].get_left() + LEFT * 0.12, stroke_width=1.5,
                                    color=pal["grid"], dash_length=0.06) for j in range(4)])
        sub_y = row_y[0] + 0.7
        group_y = sub_y + 0.5

        def head(text: str, key: str, colour: str = pal["muted"]) -> Text:
            return Text(text, font_size=22, color=colour).move_to([col[key], sub_y, 0])

        heads0 = VGroup(head("answer", "a0"), head("error", "e0", pal["highlight"]))
        heads1 = VGroup(head("answer", "a1"), head("error", "e1", pal["highlight"]))
        truth_head = head("truth", "truth")
        group0 = Text("random network", font_size=24, color=pal["text"])
        group0.move_to([(col["a0"] + col["e0"]) / 2, group_y, 0])
        group1 = Text("trained network", font_size=24, color=pal["text"])
        group1.move_to([(col["a1"] + col["e1"]) / 2, group_y, 0])
        for g in (group0, group1):
            sit_on(g, group0)
        under0 = Line(LEFT, RIGHT, color=pal["grid"], stroke_width=2).set_width(2.3)
        under0.next_to(group0, DOWN, buff=0.08)
        under1 = under0.copy().set_x(group1.get_x())

        heading = Text("the camera network", font_size=30, color=pal["text"])
        heading.to_corner(UL, buff=0.45)
        with self.beat("camera", "This is the camera network: four pixels in, one answer "
                                 "for each kind of image out."):
            self.play(FadeIn(heading), FadeIn(image), FadeIn(image_label), FadeIn(diagram),
                      run_time=st)
            self.play(Indicate(image, color=pal["highlight"], scale_factor=1.05),
                      run_time=st)
        with self.beat("outputs", "One output for each kind of image. Its weights are still "
                                  "random."):
            self.play(FadeIn(rows), Create(links), run_time=st)
            self.play(FadeIn(group0), Create(under0), run_time=st)

        answers0 = self._column(ans0, "a0", col, row_y, pal["text"], 2)
        with self.beat("answers", f"Shown a {kind} image, the random network answers with "
                                  "four numbers between 0 and 1."):
            self.play(FadeIn(heads0[0]), LaggedStart(*[FadeIn(c, shift=LEFT * 0.15)
                                                       for c in answers0], lag_ratio=0.2),
                      run_time=st * 1.5)

        truth_cells = self._column(truth, "truth", col, row_y, pal["muted"], 0)
        with self.beat("truth", f"The truth for this image is 1 for {kind} and 0 for every "
                                "other kind."):
            self.play(FadeIn(truth_head), FadeIn(truth_cells, shift=LEFT * 0.15),
                      run_time=st)
            self.play(Indicate(truth_cells[label], color=pal["highlight"]), run_time=st)

        formula = MathTex(r"\text{error} = (\text{truth} - \text{answer})^2", font_size=FS + 8,
                          color=pal["text"])
        formula.to_edge(UP, buff=0.4).set_x((col["truth"] + col["e1"]) / 2)
        errors0 = self._column(err0, "e0", col, row_y, pal["highlight"], d0)
        bars0 = self._bars(err0, errors0)
        with self.beat("error", "Each answer's error is how far it is from the truth, "
                                "squared, so a miss in either direction counts."):
            self.play(Write(formula), run_time=st * 1.2)
            self.play(FadeIn(heads0[1]), LaggedStart(*[FadeIn(c, shift=LEFT * 0.15)
                                                       for c in errors0], lag_ratio=0.2),
                      FadeIn(bars0), run_time=st * 1.5)
            # each cell on its own: a new group would pull them out of their columns
            self.play(*[Indicate(m, color=pal["highlight"]) for m in
                        (answers0[label], truth_cells[label], errors0[label])],
                      run_time=st * 2.0)

        total_y = row_y[-1] - 0.85
        rule0 = Line(LEFT * 0.5, RIGHT * 0.5, color=pal["highlight"], stroke_width=2)
        rule0.move_to([col["e0"], total_y + 0.42, 0])
        e_label = MathTex(r"E = \text{sum} =", font_size=FS + 2, color=pal["highlight"])
        e_label.move_to([col["a0"] - 0.2, total_y, 0])
        total0 = MathTex(fmt(shown_total(err0, d0), d0), font_size=FS + 2,
                         color=pal["highlight"]).move_to([col["e0"], total_y, 0])
        sit_on(total0, e_label)
        with self.beat("total", "Add the four errors and you get E, the network's error on "
                                "this image. Training means making E small."):
            self.play(Create(rule0), run_time=st * 0.5)
            self.play(TransformFromCopy(errors0, total0), FadeIn(e_label), run_time=st * 1.2)

        answers1 = self._column(ans1, "a1", col, row_y, pal["text"], 2)
        with self.beat("trained", f"After {int(trace.steps[-1])} training steps the same "
                                  "network answers the same image like this."):
            self.play(diagram.animate.set_state(trained_net.weights, trained_net.biases,
                                                self._activations(trained_net, x)),
                      FadeIn(group1), Create(under1), run_time=st * 1.5)
            self.play(FadeIn(heads1[0]), LaggedStart(*[FadeIn(c, shift=LEFT * 0.15)
                                                       for c in answers1], lag_ratio=0.2),
                      run_time=st * 1.5)

        errors1 = self._column(err1, "e1", col, row_y, pal["highlight"], d1)
        bars1 = self._bars(err1, errors1)
        rule1 = rule0.copy().set_x(col["e1"])
        total1 = MathTex(fmt(shown_total(err1, d1), d1), font_size=FS + 2,
                         color=pal["highlight"]).move_to([col["e1"], total_y, 0])
        sit_on(total1, e_label)
        with self.beat("trained-error", "Its errors are tiny, and so is their sum."):
            self.play(FadeIn(heads1[1]), FadeIn(errors1, shift=LEFT * 0.15), FadeIn(bars1),
                      run_time=st * 1.2)
            self.play(Create(rule1), TransformFromCopy(errors1, total1), run_time=st * 1.2)

        avg0 = mean_error(random_net, data.X, truths)
        avg1 = mean_error(trained_net, data.X, truths)
        avg = MathTex(r"\text{average } E \text{ over all " + str(data.n_samples)
                      + r" images: }\;" + fmt(avg0, 2) + r"\;\to\;" + fmt(avg1, 3),
                      font_size=FS + 2, color=pal["text"])
        avg.to_edge(DOWN, buff=0.45).set_x((col["truth"] + col["e1"]) / 2)
        with self.beat("all-images", "Over all eight images the average error fell the same "
                                     "way: training is walking E downhill.", last=True):
            self.play(FadeIn(avg, shift=UP * 0.2), run_time=st)
            self.play(Indicate(total0, color=pal["highlight"]),
                      Indicate(total1, color=pal["highlight"]), run_time=st * 1.2)
            self.play(Indicate(avg, color=pal["highlight"], scale_factor=1.05),
                      run_time=st * 1.2)

    @staticmethod
    def _activations(net: MLP, x: np.ndarray) -> list[np.ndarray]:
        return [x] + [o.a[0] for o in net.layer_outputs(x[None, :])]

    @staticmethod
    def _column(values: np.ndarray, key: str, col: dict[str, float], row_y: list[float],
                colour: str, digits: int) -> VGroup:
        cells = VGroup()
        for j, v in enumerate(values):
            cell = MathTex(fmt(float(v), digits), font_size=FS, color=colour)
            cells.add(cell.move_to([col[key], row_y[j], 0]))
        return cells

    def _bars(self, err: np.ndarray, cells: VGroup) -> VGroup:
        """A bar under each error cell, as long as the error (full cell width at 1)."""
        bars = VGroup()
        for e, cell in zip(err, cells, strict=True):
            bar = Rectangle(width=max(1.1 * float(e), 0.012), height=0.07, stroke_width=0,
                            fill_color=self.palette["highlight"], fill_opacity=0.7)
            bar.next_to(cell, DOWN, buff=0.08).align_to(cell, LEFT)
            bars.add(bar)
        return bars
