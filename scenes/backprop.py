"""Backpropagation (002) on the camera network the episode follows: the answers' deltas,
then the chaining delta = f'(z) * sum(w * delta) flowing backwards along the edges into
the hidden neurons, a weight's slope as input times delta, and one step downhill. Every
number is the core's one backward pass (camera_grads.deltas); the tests check them
against finite differences.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import *

from nnviz.core.datasets.four_pixel import CLASSES
from nnviz.draw.mobjects import MathTex, Text, weight_legend
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import knob

from .camera_grads import best_path, deltas, example
from .camera_net import CameraNetConfig, answer_and_error

FS = 30
SQUASH_SLOPE = {"tanh": r"(1 - h^2)", "sigmoid": r"h(1 - h)", "relu": r"\text{ReLU}'"}


def paren(x: float, digits: int = 2) -> str:
    return fmt(x, digits) if x >= 0 else "(" + fmt(x, digits) + ")"


def step_down(net, grads_w, grads_b, lr: float):
    """The network after one gradient step of size lr (every weight and bias)."""
    after = net.copy()
    for W, b, gw, gb in zip(after.weights, after.biases, grads_w, grads_b, strict=True):
        W -= lr * gw
        b -= lr * gb
    return after


@dataclass
class BackpropConfig(CameraNetConfig):
    image: int = knob(7, "which camera image to backpropagate (0-7)", min=0, max=7)
    at: float = knob(0.0, "where in training to take the network (0 = untrained, 1 = trained)",
                     min=0.0, max=1.0)
    step_lr: float = knob(1.0, "learning rate of the one update step shown", min=1e-4,
                          max=100.0)
    step_time: float = knob(1.0, "seconds per stage", min=0.1, max=20.0)


@register("backprop", "the camera network's error flowing backwards: deltas chained along "
                      "the edges, multiply the little slopes, one step downhill")
class Backprop(NNVizScene):
    Config = BackpropConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        st = cfg.step_time
        trace = self.trace("camera")
        data, _ = self.trace_data("camera")
        net = trace.net_at(cfg.at)
        x, truth = example(data, cfg.image)
        answer, _, E = answer_and_error(net, x, truth)
        _, (d_hid, d_out), (g1, g2) = deltas(net, x, truth)
        hid = net.layer_outputs(x[None, :])[0]
        h, dh = hid.a[0], net.layer_activation(0).df(hid.z, hid.a)[0]
        p = best_path(net, x, truth)
        j = p.j
        k0 = int(np.argmax(truth))  # the true class

        title = Text("Backpropagation", font_size=38, color=text).to_corner(UL, buff=0.4)
        sub = Text("every weight's slope in one sweep backwards", font_size=26, color=muted)
        on_one_baseline(VGroup(title, sub.next_to(title, RIGHT, buff=0.5)))
        acts = [x, h, answer]
        diagram = NetworkDiagram(net.sizes, net.weights, net.biases, acts, width=5.2,
                                 height=5.0, neuron_radius=0.28, palette=pal,
                                 activation_range=(-1.0, 1.0))
        diagram.move_to(LEFT * 2.6 + UP * 0.1)
        image = PixelGrid(x, (2, 2), value_range=(-1.0, 1.0), width=1.1, stroke_width=1.5)
        image.next_to(diagram, LEFT, buff=0.55)
        legend = weight_legend(pal, font_size=20).next_to(diagram, DOWN, buff=0.3)

        # the answers' table, one row beside each answer neuron
        cols = [1.35, 3.35, 4.45, 5.75]
        heads = VGroup(*[Text(s, font_size=22, color=muted) for s in
                         ("", "answer", "truth", "delta")])
        rows = []
        for m in range(net.sizes[2]):
            yy = diagram.node(2, m).get_center()[1]
            row = VGroup(Text(CLASSES[m], font_size=26, color=muted),
                         MathTex(fmt(float(answer[m])), font_size=FS, color=text),
                         MathTex(fmt(float(truth[m]), 0), font_size=FS, color=text),
                         MathTex(fmt(float(d_out[m])), font_size=FS, color=hi))
            for c, cell in zip(cols, row, strict=True):
                cell.move_to([c, yy, 0])
            row[0].align_to([cols[0] - 0.9, 0, 0], LEFT)
            on_one_baseline(row)
            rows.append(row)
        top = diagram.node(2, 0).get_center()[1] + 0.6
        for c, head in zip(cols, heads, strict=True):
            head.move_to([c, top, 0])
        err = MathTex(r"E = \sum (\text{truth} - \text{answer})^2 = " + fmt(E, 3),
                      font_size=FS, color=text)
        err.move_to([3.55, diagram.node(2, 3).get_center()[1] - 0.85, 0])

        with self.beat("context", "Backpropagation finds the slope of every weight at once, "
                                  "in one sweep from the error back to the inputs."):
            self.play(FadeIn(title), FadeIn(sub), run_time=self.t(0.8 * st))
            self.play(FadeIn(diagram), FadeIn(image), run_time=self.t(1.3 * st))
            self.play(FadeIn(legend), run_time=self.t(0.8 * st))
        with self.beat("forward", "Run the camera network on one image; four answers come "
                                  "out, and beside them, the truth."):
            self._sweep(diagram, forward=True)
            self.play(*[FadeIn(VGroup(*r[:3])) for r in rows], FadeIn(heads[1]),
                      FadeIn(heads[2]), run_time=self.t(0.8 * st))
            self.play(Indicate(VGroup(*[r[1] for r in rows]), color=hi), run_time=self.t(st))
            self.play(Indicate(VGroup(*[r[2] for r in rows]), color=hi), run_time=self.t(st))
            self.play(Indicate(rows[k0][0], color=hi), run_time=self.t(0.8 * st))
        with self.beat("error", "Squared differences from the truth, added up, make the "
                                "error E."):
            self.play(Write(err), run_time=self.t(st))
            self.play(Indicate(err, color=hi), run_time=self.t(st))

        # -- the answers' deltas ------------------------------------------------------
        k = p.m
        f_out = MathTex(r"\delta_{\text{answer}} = a(1 - a)\cdot 2(a - \text{truth})",
                        font_size=FS + 2, color=text)
        ex_out = MathTex(r"\delta_{\text{" + CLASSES[k] + r"}} = "
                         + fmt(float(answer[k])) + r"\cdot" + fmt(1 - float(answer[k]))
                         + r"\cdot" + paren(2 * (float(answer[k]) - float(truth[k])))
                         + " = " + fmt(float(d_out[k])), font_size=FS + 2, color=hi)
        band = VGroup(f_out, ex_out).arrange(DOWN, buff=0.25)
        band.to_edge(DOWN, buff=0.35).shift(RIGHT * 2.6)
        with self.beat("deltas", "Start at the answers. Each answer's delta is how fast E "
                                 "changes with its sum: the sigmoid's slope times the "
                                 "error's slope."):
            self.play(FadeOut(legend), Write(f_out), run_time=self.t(st))
            self.play(FadeIn(heads[3]), *[FadeIn(r[3], shift=LEFT * 0.2) for r in rows],
                      run_time=self.t(st))
            self.play(*[Indicate(diagram.node(2, m), color=hi) for m in range(net.sizes[2])],
                      run_time=self.t(st))
            self.play(Indicate(VGroup(*[r[3] for r in rows]), color=hi), run_time=self.t(st))
        with self.beat("one-delta", "For the " + CLASSES[k] + " answer, in numbers."):
            self.play(Write(ex_out), run_time=self.t(1.2 * st))
            self.play(Indicate(rows[k][1], color=hi), run_time=self.t(st))
            self.play(Indicate(rows[k][3], color=hi), run_time=self.t(st))

        # -- chaining back into one hidden neuron ---------------------------------------
        hidden_name = net.activation if net.activation in SQUASH_SLOPE else "tanh"
        f_hid = MathTex(r"\delta_h = " + SQUASH_SLOPE[hidden_name]
                        + r"\cdot \sum w\,\delta_{\text{answer}}", font_size=FS + 2,
                        color=text)
        # two short rows instead of one long one: gather (the sum), then squash's slope
        gathered = float(sum(float(net.weights[1][m, j]) * float(d_out[m])
                             for m in range(net.sizes[2])))
        terms = VGroup(MathTex(r"\sum w\,\delta = ", font_size=FS, color=text))
        for m in range(net.sizes[2]):
            w = float(net.weights[1][m, j])
            if m > 0:
                terms.add(MathTex("+", font_size=FS, color=text))
            terms.add(MathTex(paren(w), font_size=FS,
                              color=pal["positive"] if w >= 0 else pal["negative"]),
                      MathTex(r"\cdot" + paren(float(d_out[m])), font_size=FS, color=hi))
        terms.add(MathTex("= " + fmt(gathered, 3), font_size=FS, color=text))
        terms.arrange(RIGHT, buff=0.07)
        on_one_baseline(terms)
        times = MathTex(r"\delta_h = " + fmt(float(dh[j])) + r"\cdot" + paren(gathered, 3)
                        + " = " + fmt(float(d_hid[j]), 3), font_size=FS, color=hi)
        band2 = VGroup(f_hid, terms, times).arrange(DOWN, buff=0.2)
        band2.to_edge(DOWN, buff=0.3).shift(RIGHT * 2.2)
        if band2.get_right()[0] > 6.6:
            band2.shift(LEFT * (band2.get_right()[0] - 6.6))
        d_labels = VGroup(*[
            MathTex(fmt(float(d), 3), font_size=FS - 6, color=hi)
            .next_to(diagram.node(1, i), UP, buff=0.04)
            .add_background_rectangle(color=pal["background"], opacity=0.85, buff=0.03)
            for i, d in enumerate(d_hid)])
        fan = [diagram.edge(1, m, j) for m in range(net.sizes[2])]
        rest = [e for layer in diagram.edges for e in layer if all(e is not f for f in fan)]
        rest = rest + fan  # restored after the chain: the fan too
        rest_style = [(e.get_stroke_width(), e.get_stroke_opacity()) for e in rest]
        rest = rest[:-len(fan)]
        with self.beat("gather", "A hidden neuron gathers those deltas back along its "
                                 "weights, then multiplies by its own squash's slope."):
            self.play(FadeOut(band), FadeOut(err), Write(f_hid), run_time=self.t(st))
            self.play(*[ShowPassingFlash(Line(e.get_end(), e.get_start())
                                         .set_stroke(hi, 7), time_width=0.6) for e in fan],
                      *[Indicate(r[3], color=hi) for r in rows], run_time=self.t(1.2 * st))
            self.play(*[e.animate.set_stroke(opacity=0.12) for e in rest],
                      *[e.animate.set_stroke(width=6, opacity=1.0) for e in fan],
                      Indicate(diagram.node(1, j), color=hi), run_time=self.t(0.8 * st))
        with self.beat("chain", "In numbers: each weight times the delta it carries, added, "
                                "times the squash's slope. Multiply the little slopes."):
            self.play(Write(terms), run_time=self.t(1.4 * st))
            self.play(LaggedStart(*[Indicate(t, color=hi) for t in terms[1:-1]],
                                  lag_ratio=0.25), run_time=self.t(2.5 * st))
            self.play(Write(times), run_time=self.t(1.0 * st))
            self.play(Indicate(times[0][3:7], color=hi), Indicate(diagram.node(1, j), color=hi),
                      run_time=self.t(1.0 * st))
            self.play(FadeIn(d_labels[j], scale=1.3), run_time=self.t(1.2 * st))
            self.play(Indicate(d_labels[j], color=hi), run_time=self.t(1.4 * st))

        with self.beat("all-hidden", "Every hidden neuron does the same, all at the same "
                                     "time."):
            self.play(*[ShowPassingFlash(Line(e.get_end(), e.get_start()).set_stroke(hi, 5),
                                         time_width=0.6) for e in diagram.layer_edges(1)],
                      *[e.animate.set_stroke(width=w0, opacity=o0)
                        for e, (w0, o0) in zip(rest + fan, rest_style, strict=True)],
                      run_time=self.t(1.2 * st))
            self.play(*[FadeIn(d_labels[i]) for i in range(net.sizes[1]) if i != j],
                      run_time=self.t(0.6 * st))

        # -- a weight's slope, then every weight's -----------------------------------------
        e1 = diagram.edge(0, j, p.i)
        pix = ("top left", "top right", "bottom left", "bottom right")[p.i] \
            if net.sizes[0] == 4 else f"pixel {p.i + 1}"
        f_w = MathTex(r"\frac{dE}{dw} = \text{input}\cdot\delta_h = " + paren(float(x[p.i]))
                      + r"\cdot" + paren(float(d_hid[j]), 3) + " = "
                      + fmt(float(g1[j, p.i]), 3), font_size=FS + 2, color=text)
        where = Text(f"w: from the {pix} pixel", font_size=22, color=muted)
        band3 = VGroup(f_w, where).arrange(DOWN, buff=0.2)
        band3.to_edge(DOWN, buff=0.35).shift(RIGHT * 2.6)
        with self.beat("weight", "A weight's slope is then the value flowing into it times "
                                 "the delta of the neuron it feeds."):
            self.play(FadeOut(VGroup(f_hid, terms, times)), FadeIn(band3),
                      e1.animate.set_stroke(color=hi, width=7, opacity=1.0),
                      run_time=self.t(st))
            self.play(Indicate(d_labels[j], color=hi), run_time=self.t(1.35 * st))
            self.play(Indicate(image, color=hi, scale_factor=1.05), run_time=self.t(1.35 * st))
            self.play(Indicate(f_w, color=hi), run_time=self.t(1.35 * st))

        # -- one step downhill ---------------------------------------------------------
        after = step_down(net, [g1, g2], [d_hid, d_out], cfg.step_lr)
        answer2, _, E2 = answer_and_error(after, x, truth)
        acts2 = [x, after.layer_outputs(x[None, :])[0].a[0], answer2]
        rule = MathTex(r"w \leftarrow w - " + fmt(cfg.step_lr, 1)
                       + r"\,\frac{dE}{dw}", font_size=FS + 2, color=text)
        e_change = MathTex(r"E:\; " + fmt(E, 3) + r"\;\to\;" + fmt(E2, 3), font_size=FS + 6,
                           color=hi)
        band4 = VGroup(rule, e_change).arrange(RIGHT, buff=0.9)
        band4.to_edge(DOWN, buff=0.5).shift(RIGHT * 2.4)
        new_vals = [MathTex(fmt(float(a)), font_size=FS, color=text).move_to(r[1])
                    for a, r in zip(answer2, rows, strict=True)]
        for v, r in zip(new_vals, rows, strict=True):
            v.align_to(r[1], DOWN)
        with self.beat("step", "With every slope in hand, step each weight a little downhill: "
                               "the error drops.", last=True):
            self.play(FadeOut(band3), FadeOut(d_labels), *[FadeOut(r[3]) for r in rows],
                      FadeOut(heads[3]), Write(rule), run_time=self.t(st))
            self.play(diagram.animate.set_state(after.weights, after.biases, acts2),
                      *[Transform(r[1], v) for r, v in zip(rows, new_vals, strict=True)],
                      run_time=self.t(1.5 * st))
            self.play(Write(e_change), run_time=self.t(st))  # E's line left at "gather"
        self.shown = {"E": E, "E2": E2, "d_out": d_out, "d_hid": d_hid, "g1": g1,
                      "answer2": answer2, "path": p}

    def _sweep(self, diagram: NetworkDiagram, forward: bool) -> None:
        hi = self.palette["highlight"]
        layers = range(len(diagram.sizes) - 1)
        for layer in (layers if forward else reversed(layers)):
            lines = [Line(e.get_start(), e.get_end()) if forward else
                     Line(e.get_end(), e.get_start()) for e in diagram.layer_edges(layer)]
            self.play(*[ShowPassingFlash(ln.set_stroke(hi, 4), time_width=0.6)
                        for ln in lines], run_time=self.t(0.5 * self.cfg.step_time))
