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


