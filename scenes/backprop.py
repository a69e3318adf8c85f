"""Backpropagation: the error's slope flowing backwards through the network, one little
slope per link, multiplied together (002)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.gradcheck import numeric_grads
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec

FS = 28


@dataclass
class BackpropConfig(SceneConfig):
    dataset: str = knob("xor", "2D data set the network learns",
                        choices=("xor", "two_curves", "bullseye", "spirals"))
    hidden: int = knob(3, "hidden neurons", min=1, max=5)
    activation: str = knob("sigmoid", "hidden activation", choices=("sigmoid", "tanh", "relu"))
    sample: int = knob(0, "which training example to backpropagate", min=0, max=100000)
    at: float = knob(0.0, "where in training to take the network (0 = untrained, 1 = trained)",
                     min=0.0, max=1.0)
    lr: float = knob(1.0, "learning rate of the one update step shown", min=1e-4, max=100.0)
    steps: int = knob(100, "training steps of the recorded run", min=1, max=5000)
    step_time: float = knob(1.0, "seconds per stage", min=0.1, max=20.0)

    def traces(self):
        return {"main": spec(self.dataset, (2, self.hidden, 2), activation=self.activation,
                             output_activation="sigmoid", trainer="adam", steps=self.steps,
                             seed=self.seed, record="log:20", loss="squared_error",
                             trainer_params={"lr": 0.05}, dataset_params={"n": 40})}


@register("backprop", "the error flowing backwards through a 2-3-2 network, checked")
class Backprop(NNVizScene):
    Config = BackpropConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        text, muted, hi = pal["text"], pal["muted"], pal["highlight"]
        trace = self.trace("main")
        data, _ = self.trace_data("main")
        net = trace.net_at(cfg.at)
        k = cfg.sample % data.n_samples
        X, Y = data.X[k : k + 1], data.targets(net)[k : k + 1]
        E, g = net.loss_and_grads(X, Y, "squared_error")
        fd = numeric_grads(net, X, Y, "squared_error")
        outs = net.layer_outputs(X)
        acts = [X[0]] + [o.a[0] for o in outs]

        w_scale = [float(np.abs(w).max()) for w in net.weights]
        diagram = NetworkDiagram(net.sizes, net.weights, net.biases, acts, width=6.0,
                                 height=4.8, neuron_radius=0.4, palette=pal,
                                 weight_scale=w_scale, activation_range=(0.0, 1.0))
        diagram.move_to(LEFT * 3.4 + DOWN * 0.3)
        values = VGroup(*[MathTex(fmt(float(a)), font_size=FS - 4, color=text)
                          .next_to(diagram.node(li, i), UP, buff=0.08)
                          for li, layer in enumerate(acts) for i, a in enumerate(layer)])
        truth = VGroup(*[MathTex(r"\text{truth } " + fmt(float(t), 0), font_size=FS - 4,
                                 color=muted).next_to(diagram.node(2, j), RIGHT, buff=0.25)
                         for j, t in enumerate(Y[0])])
        err = MathTex(r"E = \sum (a - \text{truth})^2 = " + fmt(E, 3), font_size=FS + 2,
                      color=hi).to_edge(UP, buff=0.4).align_to(diagram, LEFT)
        self.play(FadeIn(diagram), FadeIn(values), run_time=self.t(cfg.step_time))
        self.play(FadeIn(truth), Write(err), run_time=self.t(cfg.step_time))

        # backwards, one layer at a time: deltas on the neurons, gradients on the edges
        note = Text("edges now show dE/dw: colour = sign, width = size", font_size=24,
                    color=muted).to_edge(DOWN, buff=0.35)
        g_scale = [float(np.abs(gw).max()) or 1.0 for gw in g.weights]
        table, shown_deltas = VGroup(), VGroup()
        for layer in range(net.n_layers - 1, -1, -1):
            deltas = g.biases[layer]  # for one example, dE/db = dE/dz: the neuron's delta
            delta_tex = VGroup(*[
                MathTex(r"\delta = " + fmt(float(d), 3), font_size=FS - 6, color=hi)
                .next_to(diagram.node(layer + 1, j), DOWN, buff=0.08)
                for j, d in enumerate(deltas)])
            diagram.weight_scale[layer] = g_scale[layer]
            grads = [gw if li == layer else None for li, gw in enumerate(g.weights)]
            new_table = self._table(layer, g.weights[layer], fd.weights[layer])
            new_table.move_to(RIGHT * 4.3 + DOWN * 0.2)
            anims = [FadeIn(delta_tex, shift=LEFT * 0.2),
                     *[Indicate(diagram.node(layer + 1, j), color=hi)
                       for j in range(net.sizes[layer + 1])]]
            self.play(*anims, run_time=self.t(cfg.step_time))
            restyle = [diagram.animate.set_state(weights=[
                w if gw is None else gw for w, gw in zip(diagram.weights, grads, strict=True)])]
            if layer == net.n_layers - 1:
                restyle.append(FadeIn(note))
            self.play(*restyle, FadeOut(table), FadeIn(new_table), run_time=self.t(cfg.step_time))
            table = new_table
            shown_deltas.add(delta_tex)
            self.wait(self.t(cfg.step_time))

        # one update step, and the error goes down
        lr = cfg.lr
        after = net.copy()
        for W, b, gw, gb in zip(after.weights, after.biases, g.weights, g.biases, strict=True):
            W -= lr * gw
            b -= lr * gb
        E2 = after.loss(X, Y, "squared_error")
        acts2 = [X[0]] + [o.a[0] for o in after.layer_outputs(X)]
        rule = MathTex(r"w \leftarrow w - " + fmt(lr, 2) + r"\,\frac{\partial E}{\partial w}",
                       font_size=FS + 2, color=text)
        rule.move_to(RIGHT * 3.6 + UP * 0.6)
        self.play(FadeOut(table), FadeOut(note), Write(rule), run_time=self.t(cfg.step_time))
        for li in range(net.n_layers):
            diagram.weight_scale[li] = w_scale[li]
        values2 = VGroup(*[MathTex(fmt(float(a)), font_size=FS - 4, color=text)
                           .move_to(v) for v, a in zip(values, np.concatenate(acts2),
                                                         strict=True)])
        err2 = MathTex(r"E:\; " + fmt(E, 3) + r" \;\to\; " + fmt(E2, 3), font_size=FS + 6,
                       color=hi).next_to(rule, DOWN, buff=0.5)
        self.play(diagram.animate.set_state(after.weights, after.biases, acts2),
                  Transform(values, values2), FadeOut(shown_deltas),
                  run_time=self.t(cfg.step_time * 1.5))
        self.play(Write(err2), run_time=self.t(cfg.step_time))
        self.wait(self.t(1.5))

    def _table(self, layer: int, core: np.ndarray, fd: np.ndarray) -> VGroup:
        pal = self.palette
        head = VGroup(MathTex(rf"w^{{({layer + 1})}}_{{ji}}", font_size=FS, color=pal["muted"]),
                      Text("backprop", font_size=22, color=pal["text"]),
                      Text("finite diff.", font_size=22, color=pal["muted"]))
        rows = [head]
        for j in range(core.shape[0]):
            for i in range(core.shape[1]):
                rows.append(VGroup(
                    MathTex(f"{j + 1},{i + 1}", font_size=FS - 4, color=pal["muted"]),
                    MathTex(fmt(float(core[j, i]), 4), font_size=FS - 4,
                            color=pal["positive"] if core[j, i] >= 0 else pal["negative"]),
                    MathTex(fmt(float(fd[j, i]), 4), font_size=FS - 4, color=pal["muted"])))
        table = VGroup()
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                cell.move_to([c * 1.65, -r * 0.42, 0])
            table.add(row)
        return table
