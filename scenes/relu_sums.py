"""A one-hidden-layer ReLU network is a sum of bent lines.

summing-bent-lines: a network trained on curve_1d is split into its hidden neurons'
scaled bent lines v_j relu(w_j x + b_j), each in its own colour. Starting from the
output bias, each bent line is carried onto the running sum (a copy of it rides up onto
the sum drawn so far), its bend marked on the x axis, and the running sum ends exactly on
the network's output, met by the forward pass at sample points. The default initial
weights give six live neurons with bends well apart, so the counted pieces can be seen.
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
    FadeOut,
    Indicate,
    LaggedStart,
    Line,
    ReplacementTransform,
    Transform,
    VGroup,
    Write,
)

from nnviz.core.network import MLP
from nnviz.draw.mobjects import Integer, MathTex, Text
from nnviz.draw.mobjects.baseline import sit_on
from nnviz.draw.mobjects.function_graph import FunctionGraph
from nnviz.draw.mobjects.legend import Legend
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.bent_lines import bends, partial_sums
from nnviz.explain.pieces import count_linear_pieces
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import NEURON_HUES, PALETTE

# the neurons' hues, without the greens that sit near the model's colour and without the
# orange that sits near the amber and near the palette's negative (orange-red): amber,
# cyan, pink, purple, white, yellow for the first six
LINE_HUES = ([h for h in NEURON_HUES if h not in ("#8fd14f", "#4fd1a5", "#ff7a45")][:4]
             + ["#e8e8e8"]
             + [h for h in NEURON_HUES if h not in ("#8fd14f", "#4fd1a5", "#ff7a45")][4:]
             + ["#ff7a45", "#8fd14f", "#4fd1a5"])


@dataclass
class SummingBentLinesConfig(SceneConfig):
    hidden: int = knob(6, "hidden ReLU neurons (one bent line each)", min=1, max=8)
    init_offset: int = knob(14, "added to seed for the initial weights only (the data keep "
                            "seed); at seed 0, 14 gives six live neurons with bends well "
                            "apart", min=0, max=2**20)
    n_points: int = knob(40, "curve_1d: number of data points", min=5, max=400)
    noise: float = knob(0.05, "curve_1d: noise", min=0.0, max=1.0)
    trainer: str = knob("adam", "trainer", choices=("adam", "sgd", "momentum", "nudge", "lbfgs"))
    lr: float = knob(0.03, "learning rate (step size for nudge)", min=1e-5, max=10.0)
    steps: int = knob(600, "training steps", min=1, max=20000)
    sum_color: str = knob(PALETTE["model"], "colour of the running sum / network output")
    check_points: int = knob(15, "sample points where the forward pass is shown", min=2,
                             max=60)
    add_time: float = knob(1.6, "time to add each bent line", min=0.2, max=20.0)
    hold_time: float = knob(2.0, "pause at the end", min=0.0, max=60.0)

    def traces(self):
        key = "step" if self.trainer == "nudge" else "lr"
        params = {} if self.trainer == "lbfgs" else {key: self.lr}
        return {"main": spec(
            "curve_1d", (1, self.hidden, 1), activation="relu", output_activation="identity",
            trainer=self.trainer, steps=self.steps, seed=self.seed + self.init_offset,
            record="log:30",
            trainer_params=params, data_seed=self.seed,
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
        hues = [LINE_HUES[j % len(LINE_HUES)] for j in range(n)]

        xs = np.linspace(-1, 1, 201)
        sums = partial_sums(W, B, xs)
        extent = np.concatenate([sums.ravel(), (sums[1:] - sums[:-1]).ravel(),
                                 data.y.ravel()])
        axes = fit_axes(extent, 7.4, 6.4, pal["muted"]).to_edge(LEFT, buff=0.4)
        axes.to_edge(DOWN, buff=0.5)
        zero = Line(axes.c2p(-1, 0), axes.c2p(1, 0), color=pal["muted"], stroke_width=2)
        x_lab = MathTex("x", font_size=30, color=pal["muted"]).next_to(zero, RIGHT, buff=0.1)
        dots = VGroup(*[Dot(axes.c2p(x, y), radius=0.05, color=pal["muted"])
                        for x, y in zip(data.X[:, 0], data.y[:, 0], strict=True)])
        graph = FunctionGraph(axes, W, B, color=cfg.sum_color)
        lines = graph.bent_line_graphs(hues, stroke_width=4)
        bend_x = bends(W, B)
        ticks = VGroup()
        for j in range(n):
            xb = bend_x[j]
            inside = np.isfinite(xb) and -1 < xb < 1
            ticks.add(Dot(axes.c2p(xb, 0), radius=0.08, color=hues[j]) if inside
                      else VGroup())

        formula = MathTex(r"f(x) = c + \sum_{j=1}^{" + str(n) + r"} v_j\,\max(0,\ w_j x + b_j)",
                          font_size=34, color=pal["text"])
        formula.to_corner(UP + RIGHT, buff=0.4)
        legend = VGroup()
        for j in range(n):
            w, b, v = W[0][j, 0], B[0][j], W[1][0, j]
            legend.add(MathTex(rf"{v:+.2f}\,\max(0,\ {w:.2f}\,x {b:+.2f})", font_size=28,
                               color=hues[j]))
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
        key = Legend([(cfg.sum_color, "running sum")], font_size=24)
        key.next_to(counter, DOWN, buff=0.3).align_to(formula, LEFT)
        self.shown_pieces = []  # every count the counter shows, in order (tests read it)

        with self.beat("network", f"A network with one hidden layer of {n} ReLU neurons, "
                       "trained on these points. Its output is a sum."):
            self.play(Create(axes), Create(zero), FadeIn(x_lab), FadeIn(dots),
                      Write(formula), run_time=self.t(1.5))
            self.read_along(formula)
        with self.beat("parts", "Each hidden neuron gives one bent line, scaled by its "
                       "output weight: here they are, one colour each."):
            self.play(LaggedStart(*[Create(line) for line in lines], lag_ratio=0.3),
                      LaggedStart(*[FadeIn(row) for row in legend], lag_ratio=0.3),
                      run_time=self.t(2.5))
            self.read_along(*legend)
        running = graph.partial_sum_graph(0, color=cfg.sum_color, stroke_width=6)
        self.shown_pieces.append(1)
        with self.beat("bias", "Start from the output bias c: a flat line, one straight "
                       "piece."):
            self.play(Create(running), FadeIn(c_row), FadeIn(added_row),
                      FadeIn(counter), FadeIn(key), run_time=self.t(1.0))
            self.read_along(c_row, added_row, counter, key)

        def add(k: int) -> None:
            """Carry bent line k (1-based) onto the running sum."""
            nonlocal running
            j = k - 1
            rider = lines[j].copy().set_stroke(width=5, opacity=1.0)
            target = graph.partial_sum_graph(k, color=hues[j], stroke_width=5)
            new_sum = graph.partial_sum_graph(k, color=cfg.sum_color, stroke_width=6)
            self.play(Transform(rider, target), Indicate(legend[j], color=hues[j]),
                      run_time=self.t(cfg.add_time * 0.6))
            count = count_linear_pieces(first_neurons(net, k), -1.0, 1.0)
            self.shown_pieces.append(count)
            added.set_value(k)
            counter.set_count(count)
            self.play(ReplacementTransform(running, new_sum), FadeOut(rider),
                      FadeIn(ticks[j], scale=0.5),
                      lines[j].animate.set_stroke(opacity=0.25),
                      legend[j].animate.set_opacity(0.45),
                      run_time=self.t(cfg.add_time * 0.4))
            running = new_sum

        with self.beat("add-1", "Add the first bent line onto it: where the neuron is off "
                       "nothing changes, where it is on the sum tilts. One bend, two pieces."):
            add(1)
        if n >= 2:
            with self.beat("add-2", "The second rides on top of what is there: a second "
                           "bend."):
                add(2)
        if n >= 3:
            with self.beat("add-rest", "Every further neuron adds its own bend where it "
                           "switches on."):
                for k in range(3, n + 1):
                    add(k)

        self.axes, self.running_sum = axes, running  # what tests read back
        inside = int(np.sum(np.isfinite(bend_x) & (bend_x > -1) & (bend_x < 1)))
        pieces = count_linear_pieces(net, -1.0, 1.0)
        sx = np.linspace(-0.95, 0.95, cfg.check_points)
        fwd = net.forward(sx[:, None])[:, 0]
        checks = VGroup(*[Dot(axes.c2p(x, y), radius=0.07, color=pal["text"])
                          for x, y in zip(sx, fwd, strict=True)])
        check_key = Legend([(pal["text"], "the network run forward")], font_size=24)
        check_key[0][0].become(Dot(check_key[0][0].get_center(), radius=0.08,
                                   color=pal["text"]))
        check_key.next_to(key, DOWN, buff=0.2).align_to(formula, LEFT)
        with self.beat("count", f"{inside} bends cut the range into {pieces} straight "
                       "pieces: more neurons, more bends, a closer fit."):
            self.play(LaggedStart(*[t.animate.scale(1.6) for t in ticks if len(t.points)],
                                  lag_ratio=0.1), run_time=self.t(0.8))
            self.play(LaggedStart(*[t.animate.scale(1 / 1.6) for t in ticks
                                    if len(t.points)], lag_ratio=0.1), run_time=self.t(0.5))
        with self.beat("check", "And the sum is the network: running it forward lands on the "
                       "curve at every point.", hold=cfg.hold_time, last=True):
            self.play(LaggedStart(*[FadeIn(d, scale=0.5) for d in checks], lag_ratio=0.08),
                      FadeIn(check_key), run_time=self.t(1.5))
            self.read_along(check_key)


__all__ = ["SummingBentLines"]
