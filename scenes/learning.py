"""Issue 8, how networks learn: the error of an answer, and backpropagation through a small
network with every gradient checked against finite differences.

(The gradient valley is in valley.py, the chain rule in chain_rule.py and training you can
watch in playground.py.)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.datasets.four_pixel import CLASSES
from nnviz.core.gradcheck import numeric_grads
from nnviz.core.network import MLP
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec

FS = 28


def answer_and_error(net: MLP, x: np.ndarray, truth: np.ndarray
                     ) -> tuple[np.ndarray, np.ndarray, float]:
    """The network's answer, each output's error |truth - answer|, and their sum."""
    answer = net.forward(x[None, :])[0]
    err = np.abs(truth - answer)
    return answer, err, float(err.sum())


# ---------------------------------------------------------------------------------------
@dataclass
class TruthAndErrorConfig(SceneConfig):
    image: int = knob(2, "which four-pixel image (0-7: solid, -solid, vertical, ...)",
                      min=0, max=7)
    network: str = knob("both", "whose answer: random (untrained), trained, or both in turn",
                        choices=("random", "trained", "both"))
    hidden: int = knob(6, "hidden neurons of the four-pixel network", min=1, max=12)
    activation: str = knob("tanh", "hidden activation", choices=("tanh", "relu", "sigmoid"))
    steps: int = knob(300, "training steps of the trained network", min=1, max=5000)
    lr: float = knob(0.05, "Adam learning rate", min=1e-5, max=5.0)
    step_time: float = knob(0.8, "seconds per reveal", min=0.1, max=20.0)

    def traces(self):
        return {"main": spec("four_pixel", (4, self.hidden, 4), activation=self.activation,
                             output_activation="sigmoid", trainer="adam", steps=self.steps,
                             seed=self.seed, record="log:20",
                             trainer_params={"lr": self.lr},
                             dataset_params={"n": 8})}


@register("truth-and-error", "the four-pixel network's answer beside the truth, and the error")
class TruthAndError(NNVizScene):
    Config = TruthAndErrorConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        data, _ = self.trace_data("main")
        x = data.X[cfg.image]
        label = int(data.y[cfg.image])
        nets = {"random": trace.net_at(0.0), "trained": trace.net_at(1.0)}
        truth = data.targets(nets["random"])[cfg.image]
        order = ["random", "trained"] if cfg.network == "both" else [cfg.network]

        image = PixelGrid(x, (2, 2), value_range=(-1.0, 1.0), width=1.6, stroke_width=1.5)
        image.move_to(LEFT * 5.45 + DOWN * 0.2)
        image_label = Text(f"a {CLASSES[label]}\nimage", font_size=24, color=pal["muted"],
                           line_spacing=0.8)
        image_label.next_to(image, DOWN, buff=0.25)
        net0 = nets[order[0]]
        diagram = NetworkDiagram(net0.sizes, net0.weights, net0.biases,
                                 self._activations(net0, x), width=3.6, height=4.8,
                                 neuron_radius=0.22, palette=pal)
        diagram.move_to(LEFT * 2.5 + DOWN * 0.2)

        # the table: class | answer | truth | error, one row beside each output neuron
        col_x = [0.0, 2.6, 3.8, 5.0]
        heads = VGroup(*[Text(h, font_size=24, color=pal["muted"])
                         for h in ("", "answer", "truth", "error")])
        rows = VGroup(*[Text(name, font_size=26, color=pal["text"]) for name in CLASSES])
        for j, r in enumerate(rows):
            r.move_to([col_x[0], diagram.node(2, j).get_center()[1], 0], aligned_edge=LEFT)
        for k, h in enumerate(heads):
            h.move_to([col_x[k], rows[0].get_center()[1] + 0.75, 0])
        kind = Text("", font_size=28, color=pal["highlight"]).to_edge(UP, buff=0.4)

        self.play(FadeIn(image), FadeIn(image_label), FadeIn(diagram), FadeIn(heads),
                  FadeIn(rows), run_time=self.t(1.0))
        cells_prev = None
        for which in order:
            net = nets[which]
            answer, err, total = answer_and_error(net, x, truth)
            new_kind = Text(f"{which} network" if which == "random" else
                            f"trained network ({int(trace.steps[-1])} steps)",
                            font_size=30, color=pal["highlight"]).to_edge(UP, buff=0.4)
            cells = self._cells(rows, heads, answer, truth, err, total)
            anims = [Transform(kind, new_kind)] if cells_prev is None else [
                Transform(kind, new_kind), FadeOut(cells_prev)]
            if which != order[0]:
                anims.append(diagram.animate.set_state(net.weights, net.biases,
                                                       self._activations(net, x)))
            self.play(*anims, run_time=self.t(cfg.step_time))
            for part in ("answer", "truth", "error", "total"):
                self.play(FadeIn(cells[part], shift=LEFT * 0.15), run_time=self.t(cfg.step_time))
            self.wait(self.t(1.2))
            cells_prev = cells["all"]
        self.wait(self.t(1.0))

    @staticmethod
    def _activations(net: MLP, x: np.ndarray) -> list[np.ndarray]:
        return [x] + [o.a[0] for o in net.layer_outputs(x[None, :])]

    def _cells(self, rows: VGroup, heads: VGroup, answer: np.ndarray, truth: np.ndarray,
               err: np.ndarray, total: float) -> dict[str, VGroup]:
        pal = self.palette
        out: dict[str, VGroup] = {k: VGroup() for k in ("answer", "truth", "error")}
        for j, row in enumerate(rows):
            y = row.get_center()[1]
            for key, value, colour in (("answer", answer[j], pal["text"]),
                                       ("truth", truth[j], pal["muted"]),
                                       ("error", err[j], pal["highlight"])):
                head = heads[("answer", "truth", "error").index(key) + 1]
                digits = 0 if key == "truth" else 2
                cell = MathTex(fmt(float(value), digits), font_size=FS + 2, color=colour)
                cell.move_to([head.get_center()[0], y, 0])
                out[key].add(cell)
            bar = Rectangle(width=max(0.9 * err[j], 0.01), height=0.16, stroke_width=0,
                            fill_color=pal["highlight"], fill_opacity=0.6)
            bar.next_to(out["error"][-1], RIGHT, buff=0.15)
            out["error"].add(bar)
        formula = MathTex(r"\text{error} = |\text{truth} - \text{answer}|", font_size=FS,
                          color=pal["muted"])
        total_tex = MathTex(r"\text{total error} = " + fmt(total, 2), font_size=FS + 4,
                            color=pal["highlight"])
        totals = VGroup(formula, total_tex).arrange(DOWN, buff=0.25)
        totals.next_to(rows, DOWN, buff=0.6).set_x(2.5)
        out["total"] = totals
        out["all"] = VGroup(*out.values())
        return out


# ---------------------------------------------------------------------------------------
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
