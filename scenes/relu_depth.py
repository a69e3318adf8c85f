"""Depth multiplies pieces: what L layers of ReLUs can do, and what networks really do.

depth-multiplies-pieces: the sawtooth network (each 2-neuron layer folds the line in two)
has exactly 2^L straight pieces, drawn for L = 1..6 and counted with the exact counter;
beside it, the pieces that random and trained networks of the same shapes reach (also
counted), and wide-shallow against narrow-deep at the same number of neurons.
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
    MathTex,
    Text,
    Transform,
    VGroup,
    Write,
)

from nnviz.core.network import MLP
from nnviz.draw.mobjects.function_graph import FunctionGraph
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.pieces import count_linear_pieces
from nnviz.explain.random_pieces import max_pieces_bound, random_relu_net
from nnviz.explain.sawtooth import sawtooth_network, sawtooth_params
from nnviz.spec.config import SceneConfig, knob, spec

LO, HI = -1.0, 1.0  # every count is over the data's x range


@dataclass
class DepthConfig(SceneConfig):
    max_depth: int = knob(6, "deepest sawtooth shown (L = 1..max_depth)", min=1, max=8)
    random_seeds: int = knob(20, "random networks drawn per shape, seeded seed, seed+1, ... "
                             "(best count shown)", min=1, max=500)
    bias_scale: float = knob(0.5, "random networks: spread of the biases", min=0.0, max=10.0)
    trained_seeds: int = knob(2, "trained networks per shape, seeded seed, seed+1, ... "
                              "(best count shown); 0: none", min=0, max=10)
    steps: int = knob(800, "training steps of the trained networks", min=1, max=20000)
    lr: float = knob(0.02, "Adam learning rate of the trained networks", min=1e-5, max=1.0)
    wide_neurons: int = knob(12, "neurons of the wide-shallow net (one layer)", min=1, max=64)
    sawtooth_color: str = knob("#ffd34d", "colour of the sawtooth and its dots")
    random_color: str = knob("#8a8f98", "colour of the random-network dots")
    trained_color: str = knob("#3fb0ff", "colour of the trained-network dots")
    step_time: float = knob(1.4, "time per added layer", min=0.2, max=20.0)
    hold_time: float = knob(2.5, "pause at the end", min=0.0, max=60.0)

    def _spec(self, sizes, k: int):
        """Trained network k of a shape: weights seeded seed + k, all on the data seeded
        with the scene's seed."""
        return spec("curve_1d", sizes, activation="relu", output_activation="identity",
                    trainer="adam", steps=self.steps, seed=self.seed + k, record="log:10",
                    trainer_params={"lr": self.lr}, dataset_params={"n": 40},
                    data_seed=self.seed)

    def traces(self):
        out = {}
        for s in range(self.trained_seeds):
            for depth in range(1, self.max_depth + 1):
                out[f"deep{depth}_{s}"] = self._spec((1,) + (2,) * depth + (1,), s)
            out[f"wide_{s}"] = self._spec((1, self.wide_neurons, 1), s)
        return out



def log2_chart(max_depth: int, color: str) -> tuple[Axes, VGroup]:
    """Pieces (log scale, base 2) against depth L, with 1, 2, 4, ... labels."""
    axes = Axes(x_range=[0.5, max_depth + 0.5, 1], y_range=[0, max_depth + 1.6, 1],
                x_length=5.2, y_length=3.6, tips=False,
                axis_config={"color": color, "stroke_width": 2})
    labels = VGroup()
    for k in range(max_depth + 1):
        labels.add(Integer(2**k, font_size=24, color=color)
                   .next_to(axes.c2p(0.5, k), LEFT, buff=0.12))
    for depth in range(1, max_depth + 1):
        labels.add(Integer(depth, font_size=24, color=color)
                   .next_to(axes.c2p(depth, 0), DOWN, buff=0.12))
    labels.add(MathTex("L", font_size=30, color=color)
               .next_to(axes.c2p(max_depth + 0.5, 0), DOWN + RIGHT, buff=0.1))
    return axes, labels


@register("depth-multiplies-pieces", "sawtooth nets reach 2^L pieces; random and trained ones")
class DepthMultipliesPieces(NNVizScene):
    Config = DepthConfig

    def counts(self) -> dict[str, list[int]]:
        """Every number the scene shows, counted with the exact piece counter."""
        cfg = self.cfg
        depths = range(1, cfg.max_depth + 1)
        out = {
            "sawtooth": [count_linear_pieces(self.sawtooth(d), LO, HI) for d in depths],
            "random": [self.best_random(2, d) for d in depths],
            "random_wide": [self.best_random(cfg.wide_neurons, 1)],
        }
        if cfg.trained_seeds:
            best = lambda name: max(  # noqa: E731
                count_linear_pieces(self.trace(f"{name}_{s}").net_at(1.0), LO, HI)
                for s in range(cfg.trained_seeds))
            out["trained"] = [best(f"deep{d}") for d in depths]
            out["trained_wide"] = [best("wide")]
        return out

    def best_random(self, width: int, depth: int) -> int:
        """Most pieces among the random networks of a shape, seeded seed, seed + 1, ..."""
        cfg = self.cfg
        return max(count_linear_pieces(random_relu_net(width, depth, cfg.seed + k,
                                                       cfg.bias_scale), LO, HI)
                   for k in range(cfg.random_seeds))

    def sawtooth(self, depth: int) -> MLP:
        return sawtooth_network(depth, LO, HI)

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        counts = self.counts()
        self.shown = counts  # what tests read back
        top = cfg.max_depth

        # left: the sawtooth for the current depth
        axes = Axes(x_range=[LO, HI, 0.5], y_range=[-0.05, 1.05, 0.5], x_length=5.6,
                    y_length=3.0, tips=False,
                    axis_config={"color": pal["muted"], "stroke_width": 2,
                                 "include_ticks": False})
        axes.to_corner(UP + LEFT, buff=0.5).shift(0.6 * DOWN)
        title = Text("L layers of 2 ReLUs: each folds the line", font_size=26,
                     color=pal["text"]).next_to(axes, UP, buff=0.25).align_to(axes, LEFT)
        graph = FunctionGraph(axes, *sawtooth_params(1, LO, HI), color=cfg.sawtooth_color,
                              stroke_width=4)
        counter = PieceCounter(graph.n_pieces, "pieces (counted):", font_size=28)
        depth_num = Integer(1, font_size=34, color=pal["text"])
        depth_row = VGroup(MathTex("L =", font_size=34, color=pal["text"]), depth_num)
        depth_row.arrange(RIGHT, buff=0.15)
        info = VGroup(depth_row, counter).arrange(RIGHT, buff=0.6)
        info.next_to(axes, DOWN, buff=0.3).align_to(axes, LEFT)

        # right: pieces against depth
        chart, chart_labels = self.place_chart(top, pal["muted"])
        bound = MathTex(r"\text{pieces} \le (n+1)^L", font_size=32, color=pal["text"])
        bound.next_to(chart, UP, buff=0.2).align_to(chart, LEFT).shift(0.3 * RIGHT)
        series = [("sawtooth", cfg.sawtooth_color, "sawtooth")]
        series.append(("random", cfg.random_color, f"random, best of {cfg.random_seeds}"))
        if "trained" in counts:
            series.append(("trained", cfg.trained_color,
                           f"trained, best of {cfg.trained_seeds}"))
        legend = VGroup(*[VGroup(Dot(radius=0.08, color=col),
                                 Text(text, font_size=24, color=col)).arrange(RIGHT, buff=0.15)
                          for _, col, text in series]).arrange(DOWN, aligned_edge=LEFT,
                                                               buff=0.12)
        legend.next_to(chart.c2p(0.6, top + 1.6), DOWN + RIGHT, buff=0.05)

        def dots(depth: int) -> VGroup:
            out = VGroup()
            for j, (key, col, _) in enumerate(series):
                offset = 0.12 * (j - (len(series) - 1) / 2)
                y = np.log2(max(counts[key][depth - 1], 1))
                out.add(Dot(chart.c2p(depth + offset, y), radius=0.08, color=col))
            return out

        self.play(Create(axes), FadeIn(title), Create(chart), FadeIn(chart_labels),
                  Write(bound), run_time=self.t(1.5))
        self.play(Create(graph), FadeIn(info), FadeIn(legend), FadeIn(dots(1)),
                  run_time=self.t(1.2))
        for depth in range(2, top + 1):
            target = FunctionGraph(axes, *sawtooth_params(depth, LO, HI),
                                   color=cfg.sawtooth_color, stroke_width=4)
            depth_num.set_value(depth)
            counter.set_count(target.n_pieces)
            self.play(Transform(graph, target), FadeIn(dots(depth), scale=0.5),
                      run_time=self.t(cfg.step_time))
        self.play(FadeIn(self.table(counts)), run_time=self.t(1.2))
        self.wait(self.t(cfg.hold_time))

    def place_chart(self, top: int, colour: str) -> tuple[Axes, VGroup]:
        chart, labels = log2_chart(top, colour)
        group = VGroup(chart, labels).to_corner(UP + RIGHT, buff=0.5).shift(0.7 * DOWN)
        return group[0], group[1]

    def table(self, counts: dict[str, list[int]]) -> VGroup:
        """Same neurons, wide-shallow against narrow-deep: bound and counted pieces."""
        cfg, pal = self.cfg, self.palette
        n_deep = 2 * cfg.max_depth
        trained = "trained" in counts
        head = ["", "at most", "sawtooth", "random", "trained" if trained else ""]
        wide = [f"1 layer of {cfg.wide_neurons}", str(max_pieces_bound(cfg.wide_neurons, 1)),
                "-", str(counts["random_wide"][0]),
                str(counts["trained_wide"][0]) if trained else ""]
        deep = [f"{cfg.max_depth} layers of 2", str(max_pieces_bound(2, cfg.max_depth)),
                str(counts["sawtooth"][-1]), str(counts["random"][-1]),
                str(counts["trained"][-1]) if trained else ""]
        colours = [pal["text"], pal["muted"], cfg.sawtooth_color, cfg.random_color,
                   cfg.trained_color]
        cells = VGroup()
        for row in (head, wide, deep):
            for text, col in zip(row, colours, strict=True):
                cells.add(Text(text, font_size=24,
                               color=pal["muted"] if row is head else col))
        cells.arrange_in_grid(rows=3, cols=5, buff=(0.55, 0.15), col_alignments="lcccc")
        same = "the same" if cfg.wide_neurons == n_deep else f"{cfg.wide_neurons} vs"
        caption = Text(f"{same} {n_deep} neurons: wide and shallow, or narrow and deep",
                       font_size=24, color=pal["text"])
        group = VGroup(caption, cells).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        group.to_edge(DOWN, buff=0.35)
        return group


__all__ = ["DepthMultipliesPieces"]
