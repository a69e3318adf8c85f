"""Why backpropagation (002): a slope by nudging costs one forward pass per weight per
step. Nudge one weight of the camera network and run it again; count the passes; then
count them for the 784-16-16-10 digits network's 13,002 parameters against one forward
and one backward pass. Every count is computed from the layer sizes (camera_grads.Costs).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.datasets.four_pixel import CLASSES
from nnviz.draw.mobjects import Integer, MathTex, Text, weight_legend
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import knob

from .camera_grads import Costs, best_path, example
from .camera_net import CameraNetConfig, answer_and_error

FS = 34


def big(n: int) -> str:
    """13002 as 13{,}002: thousands grouped, typeset as one number."""
    return f"{n:,}".replace(",", "{,}")


def nudged_error(net, x, truth, j: int, i: int, h: float) -> float:
    """E after adding h to the first-layer weight from pixel i into hidden neuron j, by
    running the whole network again (what nudging costs)."""
    other = net.copy()
    other.weights[0][j, i] += h
    return answer_and_error(other, x, truth)[2]


@dataclass
class WhyBackpropConfig(CameraNetConfig):
    image: int = knob(7, "which camera image (0-7: solid, -solid, vertical, ...)", min=0,
                      max=7)
    at: float = knob(0.0, "where in training to take the network (0 = untrained)", min=0.0,
                     max=1.0)
    nudge: float = knob(0.01, "how far the one weight is nudged", min=1e-4, max=1.0)
    big_sizes: tuple[int, ...] = knob((784, 16, 16, 10), "layer sizes of the network counted",
                                      min=1, max=100000, max_len=8)


@register("why-backprop", "slopes by nudging cost a forward pass per weight; backprop costs two")
class WhyBackprop(NNVizScene):
    Config = WhyBackpropConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        trace = self.trace("camera")
        data, _ = self.trace_data("camera")
        net = trace.net_at(cfg.at)
        x, truth = example(data, cfg.image)
        label = CLASSES[int(np.argmax(truth))]
        _, _, E = answer_and_error(net, x, truth)
        path = best_path(net, x, truth)
        j, i = path.j, path.i
        E2 = nudged_error(net, x, truth, j, i, cfg.nudge)
        small, large = Costs(net.sizes), Costs(tuple(cfg.big_sizes))

        title = Text("Why backpropagation?", font_size=36, color=text).to_corner(UL, buff=0.4)
        acts = [x, *[o.a[0] for o in net.layer_outputs(x[None, :])]]
        diagram = NetworkDiagram(net.sizes, net.weights, net.biases, acts, width=4.4,
                                 height=4.4, neuron_radius=0.24, palette=pal,
                                 activation_range=(-1.0, 1.0))
        diagram.move_to(LEFT * 1.9 + DOWN * 0.35)
        image = PixelGrid(x, (2, 2), value_range=(-1.0, 1.0), width=1.3, stroke_width=1.5)
        image.next_to(diagram, LEFT, buff=0.9)
        image_label = Text(f"a {label}\nimage", font_size=22, color=muted, line_spacing=0.8)
        image_label.next_to(image, DOWN, buff=0.2)
        legend = weight_legend(pal, font_size=20).next_to(diagram, DOWN, buff=0.35)
        legend.align_to(diagram, LEFT)

        # the readouts: E, the weight, its nudge
        right = RIGHT * 4.1
        e_line = MathTex(r"E = " + fmt(E, 4), font_size=FS + 4, color=text).move_to(
            right + UP * 2.2)
        with self.beat("slope", "To learn, the network needs every weight's slope: how much "
                                "the error changes when that weight moves."):
            self.play(FadeIn(title), FadeIn(diagram), FadeIn(image), FadeIn(image_label),
                      run_time=self.t(1.2))
            self._forward_sweep(diagram)
            self.play(FadeIn(legend), Write(e_line), run_time=self.t(1.0))
            self.play(Indicate(e_line, color=hi), run_time=self.t(0.8))

        edge = diagram.edge(0, j, i)
        w = float(net.weights[0][j, i])
        w_line = MathTex(r"w = " + fmt(w, 3) + r"\;\to\;" + fmt(w + cfg.nudge, 3),
                         font_size=FS, color=pal["positive"] if w >= 0 else pal["negative"])
        w_line.next_to(e_line, DOWN, buff=0.5)
        e2_line = MathTex(r"E = " + fmt(E, 4) + r"\;\to\;" + fmt(E2, 4), font_size=FS + 4,
                          color=text).move_to(e_line)
        slope = MathTex(r"\text{slope} \approx \frac{" + fmt(E2 - E, 4) + "}{"
                        + fmt(cfg.nudge, 2) + "} = " + fmt((E2 - E) / cfg.nudge, 3),
                        font_size=FS, color=hi).next_to(w_line, DOWN, buff=0.5)
        with self.beat("nudge", "Nudge one weight a little and run the whole network again: "
                                "the error moves, and the change gives that weight's slope."):
            self.play(edge.animate.set_stroke(color=hi, width=7, opacity=1.0), Write(w_line),
                      run_time=self.t(1.0))
            self._forward_sweep(diagram)
            self.play(TransformMatchingTex(e_line, e2_line), run_time=self.t(0.8))
            self.play(Write(slope), run_time=self.t(0.8))
            self.play(Indicate(slope, color=hi), run_time=self.t(0.8))

        count = Integer(small.params + 1, font_size=FS + 6, color=hi)  # laid out at its widest
        passes_label = Text("forward passes", font_size=26, color=muted)
        counter = on_one_baseline(VGroup(count, passes_label).arrange(RIGHT, buff=0.25))
        counter.next_to(slope, DOWN, buff=0.6)
        count.set_value(0)
        per = MathTex(big(small.params) + r"\text{ weights and biases} + 1", font_size=FS - 4,
                      color=text).next_to(counter, DOWN, buff=0.35)
        with self.beat("count", "That is one more forward pass for every weight and every "
                                "bias, for every image, at every step."):
            self.play(FadeIn(counter), run_time=self.t(0.4))
            total = ValueTracker(0)
            count.add_updater(lambda m: m.set_value(round(total.get_value())))
            self.play(total.animate.set_value(small.params + 1), Write(per),
                      run_time=self.t(2.0), rate_func=linear)
            count.clear_updaters()
            count.set_value(small.params + 1)
        self.shown_small = {"E": E, "E2": E2, "w": w, "passes": small.params + 1}

        # -- the digits network ---------------------------------------------------------
        sizes = tuple(cfg.big_sizes)
        digits = NetworkDiagram(sizes, None, width=4.4, height=5.2, neuron_radius=0.13,
                                palette=pal, max_shown=12, min_width=0.3, max_width=0.8)
        digits.move_to(LEFT * 4.3 + DOWN * 0.45)
        size_label = MathTex(r"\text{-}".join(str(s) for s in sizes), font_size=FS,
                             color=muted).next_to(digits, UP, buff=0.25)
        terms = [("" if k == 0 else "+ ") + f"{a}\\cdot{b}"
                 for k, (a, b) in enumerate(zip(sizes[:-1], sizes[1:], strict=True))]
        w_sum = MathTex(*terms, " = " + big(large.weights) + r"\text{ weights}",
                        font_size=FS - 2, color=text)
        b_sum = MathTex(" + ".join(str(s) for s in sizes[1:]) + " = " + big(large.biases)
                        + r"\text{ biases}", font_size=FS - 2, color=text)
        p_sum = MathTex(big(large.params) + r"\text{ parameters}", font_size=FS + 4, color=hi)
        counts = VGroup(w_sum, b_sum, p_sum).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        counts.move_to(RIGHT * 2.9 + UP * 1.9)
        old = VGroup(diagram, image, image_label, legend, e2_line, w_line, slope, counter, per)
        with self.beat("digits", "Now take the digit reader: 784 pixels in, two layers of "
                                 "16, ten answers."):
            self.play(FadeOut(old), run_time=self.t(0.8))
            self.play(FadeIn(digits), FadeIn(size_label), run_time=self.t(1.0))
            self._forward_sweep(digits, 0.4)
        with self.beat("weights", "One weight for every link between two layers: twelve "
                                  "thousand nine hundred and sixty."):
            parts = w_sum.submobjects  # one part per term, then the total
            for part in parts:
                part.set_opacity(0.0)
            self.add(w_sum)
            for layer in range(len(sizes) - 1):
                self.play(parts[layer].animate.set_opacity(1.0),
                          Indicate(digits.layer_edges(layer), color=hi, scale_factor=1.0),
                          run_time=self.t(0.8))
            self.play(parts[-1].animate.set_opacity(1.0), run_time=self.t(0.6))
        with self.beat("params", "With a bias for every neuron, that makes thirteen thousand "
                                 "and two knobs."):
            self.play(Write(b_sum), run_time=self.t(1.0))
            self.play(Write(p_sum), run_time=self.t(0.8))
            self.play(Indicate(p_sum, color=hi), run_time=self.t(0.8))

        fwd = MathTex(r"\text{one forward pass} = " + big(large.forward)
                      + r"\text{ multiply-adds}", font_size=FS - 2, color=text)
        nud = MathTex(r"\text{nudging: } " + big(large.params + 1) + r"\times"
                      + big(large.forward) + " = " + big(large.nudging), font_size=FS - 2,
                      color=text)
        cost = VGroup(fwd, nud).arrange(DOWN, buff=0.35, aligned_edge=LEFT)
        cost.next_to(counts, DOWN, buff=0.6).align_to(counts, LEFT)
        with self.beat("forward", "One forward pass costs one multiply-add per weight."):
            self.play(Write(fwd), run_time=self.t(1.0))
            self._forward_sweep(digits, 0.5)
        with self.beat("nudging", "Nudging needs one forward pass per knob, plus one: a "
                                  "hundred and sixty-eight million multiply-adds, for one "
                                  "image."):
            self.play(Write(nud), run_time=self.t(1.2))
            self.play(Indicate(p_sum, color=hi), run_time=self.t(0.7))
            self.play(Indicate(fwd, color=hi), run_time=self.t(0.7))

        bwd = MathTex(r"\text{backprop: } " + big(large.forward) + " + " + big(large.backward)
                      + " = " + big(large.backprop), font_size=FS - 2, color=text)
        bwd.next_to(nud, DOWN, buff=0.35).align_to(nud, LEFT)
        with self.beat("backward", "Backpropagation gets every slope from one forward pass "
                                   "and one backward pass, about the cost of two."):
            self.play(Write(bwd), run_time=self.t(1.2))
            self._forward_sweep(digits, 0.5, backward=True)

        # bars: the same work, to scale
        full = 5.0
        bar_n = Rectangle(width=full, height=0.32, stroke_width=0, fill_opacity=1,
                          fill_color=muted)
        bar_b = Rectangle(width=max(full / large.ratio, 0.01), height=0.32, stroke_width=0,
                          fill_opacity=1, fill_color=hi)
        bars = VGroup(bar_n, bar_b).arrange(DOWN, buff=0.3, aligned_edge=LEFT)
        bars.to_edge(DOWN, buff=0.6).align_to(counts, LEFT)
        bar_labels = VGroup(Text("nudging", font_size=22, color=text).next_to(bar_n, RIGHT, 0.15),
                            Text("backprop", font_size=22, color=hi).next_to(bar_b, RIGHT, 0.15))
        ratio = MathTex(r"\approx " + big(int(round(large.ratio, -2))) + r"\times\text{ less "
                        r"work}", font_size=FS + 4, color=hi)
        ratio.next_to(bars, UP, buff=0.3).align_to(bars, LEFT)
        with self.beat("ratio", "Drawn to scale, backpropagation's bar is a sliver: thousands "
                                "of times less work, at every step.", last=True):
            self.play(GrowFromEdge(bar_n, LEFT), GrowFromEdge(bar_b, LEFT), FadeIn(bar_labels),
                      run_time=self.t(1.0))
            self.play(Write(ratio), run_time=self.t(1.0))
            self.play(Indicate(bar_b, color=hi, scale_factor=1.5), run_time=self.t(1.0))
        self.shown = {"small": small, "large": large}

    def _forward_sweep(self, diagram: NetworkDiagram, seconds: float = 0.5,
                       backward: bool = False) -> None:
        """A pulse along every edge, layer by layer: the network run (or, backward, the
        slopes carried back)."""
        hi = self.palette["highlight"]
        layers = range(len(diagram.sizes) - 1)
        for layer in (reversed(layers) if backward else layers):
            flashes = [ShowPassingFlash((Line(e.get_end(), e.get_start()) if backward
                                         else Line(e.get_start(), e.get_end()))
                                        .set_stroke(color=hi, width=4), time_width=0.6)
                       for e in diagram.layer_edges(layer)]
            self.play(*flashes, run_time=self.t(seconds))
