"""A one-hidden-layer ReLU network is a sum of bent lines.

summing-bent-lines: a network trained on curve_1d is split into its hidden neurons'
scaled bent lines v_j relu(w_j x + b_j), each in its own colour; starting from the
output bias they are added one at a time, and the running sum ends exactly on the
network's forward pass (checked on screen at sample points).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    Integer,
    LaggedStart,
    MathTex,
    Text,
    Transform,
    VGroup,
    Write,
)

from nnviz.core.network import MLP
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.function_graph import FunctionGraph
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.bent_lines import partial_sums
from nnviz.explain.pieces import count_linear_pieces
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import NEURON_HUES


@dataclass
class SummingBentLinesConfig(SceneConfig):
    hidden: int = knob(6, "hidden ReLU neurons (one bent line each)", min=1, max=8)
    n_points: int = knob(40, "curve_1d: number of data points", min=5, max=400)
    noise: float = knob(0.05, "curve_1d: noise", min=0.0, max=1.0)
    trainer: str = knob("adam", "trainer", choices=("adam", "sgd", "momentum", "nudge", "lbfgs"))
    lr: float = knob(0.03, "learning rate (step size for nudge)", min=1e-5, max=10.0)
    steps: int = knob(600, "training steps", min=1, max=20000)
    sum_color: str = knob("#ece9e1", "colour of the running sum / network output")
    check_points: int = knob(15, "sample points where the forward pass is checked", min=2,
                             max=60)
    add_time: float = knob(1.3, "time to add each bent line", min=0.2, max=20.0)
    hold_time: float = knob(2.0, "pause at the end", min=0.0, max=60.0)

    def traces(self):
        key = "step" if self.trainer == "nudge" else "lr"
        params = {} if self.trainer == "lbfgs" else {key: self.lr}
        return {"main": spec(
            "curve_1d", (1, self.hidden, 1), activation="relu", output_activation="identity",
            trainer=self.trainer, steps=self.steps, seed=self.seed, record="log:30",
            trainer_params=params,
            dataset_params={"n": self.n_points, "noise": self.noise})}


def fit_axes(values: np.ndarray, width: float, height: float, color: str) -> Axes:
    """Axes over x in [-1, 1] tall enough for every curve in `values` (nothing clipped)."""
    lo, hi = float(np.min(values)), float(np.max(values))
    pad = 0.08 * (hi - lo) + 1e-6
    return Axes(x_range=[-1, 1, 0.5], y_range=[lo - pad, hi + pad, 0.5], x_length=width,
                y_length=height, tips=False,
                axis_config={"color": color, "stroke_width": 2, "include_ticks": False})


def first_neurons(net: MLP, k: int) -> MLP:
    """The network keeping only its first k hidden neurons: bias plus k bent lines."""
    sub = MLP((1, k, 1), "relu", "identity") if k else MLP((1, 1, 1), "relu", "identity")
    if not k:
        return sub.set_weights([np.zeros((1, 1)), np.zeros((1, 1))],
                               [np.zeros(1), net.biases[1].copy()])
    return sub.set_weights([net.weights[0][:k], net.weights[1][:, :k]],
                           [net.biases[0][:k], net.biases[1].copy()])


@register("summing-bent-lines", "each hidden ReLU neuron's bent line, added up into the output")
class SummingBentLines(NNVizScene):
    Config = SummingBentLinesConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        net = trace.net_at(1.0)
        W, B = net.weights, net.biases
        data, _ = self.trace_data("main")
        n = cfg.hidden

        xs = np.linspace(-1, 1, 201)
        extent = np.concatenate([partial_sums(W, B, xs).ravel(),
                                 (partial_sums(W, B, xs)[1:] - partial_sums(W, B, xs)[:-1])
                                 .ravel(), data.y.ravel()])
        axes = fit_axes(extent, 7.0, 6.6, pal["muted"]).to_edge(LEFT, buff=0.4)
        axes.to_edge(DOWN, buff=0.4)
        dots = VGroup(*[Dot(axes.c2p(x, y), radius=0.05, color=pal["muted"])
                        for x, y in zip(data.X[:, 0], data.y[:, 0], strict=True)])
        graph = FunctionGraph(axes, W, B, color=cfg.sum_color)
        lines = graph.bent_line_graphs(NEURON_HUES, stroke_width=4)

        formula = MathTex(r"f(x) = c + \sum_{j=1}^{" + str(n) + r"} v_j\,\max(0,\ w_j x + b_j)",
                          font_size=34, color=pal["text"])
        formula.to_corner(UP + RIGHT, buff=0.4)
        legend = VGroup()
        for j in range(n):
            w, b, v = W[0][j, 0], B[0][j], W[1][0, j]
            row = MathTex(rf"{v:+.2f}\,\max(0,\ {w:.2f}\,x {b:+.2f})", font_size=28,
                          color=NEURON_HUES[j % len(NEURON_HUES)])
            legend.add(row)
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.14)
        c_row = MathTex(rf"c = {B[1][0]:+.2f}", font_size=28, color=cfg.sum_color)
        column = VGroup(legend, c_row).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        column.next_to(formula, DOWN, buff=0.35).align_to(formula, LEFT)
        added = Integer(0, font_size=34, color=pal["highlight"])
        added_row = VGroup(Text("lines added:", font_size=26, color=pal["text"]), added,
                           MathTex(rf"/\ {n}", font_size=34, color=pal["text"]))
        added_row.arrange(RIGHT, buff=0.15).next_to(column, DOWN, buff=0.35)
        sit_on(added_row[1:], added_row[0])  # "/ n" stays centred on the count
        added_row.align_to(formula, LEFT)
        counter = PieceCounter(1, "pieces of the sum:", font_size=26)
        counter.next_to(added_row, DOWN, buff=0.25).align_to(formula, LEFT)

        self.play(Create(axes), FadeIn(dots), Write(formula), run_time=self.t(1.5))
        self.play(LaggedStart(*[Create(line) for line in lines], lag_ratio=0.3),
                  LaggedStart(*[FadeIn(row) for row in legend], lag_ratio=0.3),
                  run_time=self.t(2.5))
        running = graph.partial_sum_graph(0, color=cfg.sum_color, stroke_width=6)
        self.play(Create(running), FadeIn(c_row), FadeIn(added_row),
                  FadeIn(counter), run_time=self.t(1.0))
        for k in range(1, n + 1):
            added.set_value(k)
            counter.set_count(count_linear_pieces(first_neurons(net, k), -1.0, 1.0))
            self.play(Transform(running, graph.partial_sum_graph(k, stroke_width=6)),
                      lines[k - 1].animate.set_stroke(opacity=0.25),
                      legend[k - 1].animate.set_opacity(0.45),
                      run_time=self.t(cfg.add_time))

        self.axes, self.running_sum = axes, running  # what tests read back
        # the check: the forward pass at sample points lands on the summed curve
        sx = np.linspace(-0.95, 0.95, cfg.check_points)
        fwd = net.forward(sx[:, None])[:, 0]
        summed = partial_sums(W, B, sx)[-1]
        err = float(np.max(np.abs(fwd - summed)))
        checks = VGroup(*[Dot(axes.c2p(x, y), radius=0.07, color=pal["highlight"])
                          for x, y in zip(sx, fwd, strict=True)])
        verdict = MathTex(r"\text{sum} = \text{forward pass}", font_size=32,
                          color=pal["highlight"])
        digits = int(min(12, np.floor(-np.log10(max(err, 1e-300)))))  # stable across BLAS
        diff = MathTex(rf"\text{{largest difference}} < 10^{{-{digits}}}", font_size=30,
                       color=pal["muted"])
        VGroup(verdict, diff).arrange(DOWN, aligned_edge=LEFT, buff=0.15)\
            .next_to(counter, DOWN, buff=0.35).align_to(formula, LEFT)
        self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in checks], lag_ratio=0.08),
                  FadeIn(verdict), FadeIn(diff), run_time=self.t(1.5))
        self.wait(self.t(cfg.hold_time))


__all__ = ["SummingBentLines"]
