"""Depth multiplies pieces: what L layers of ReLUs can do, and what networks really do.

depth-multiplies-pieces: two ReLUs make the tent map; a second layer applies it to the
first one's output, which folds everything above 1/2 down and stretches it back, so each
tooth becomes two. The sawtooth network of L such layers has exactly 2^L straight pieces
(counted with the exact counter), drawn fold by fold for L = 1..max_depth and plotted on
a doubling scale against the guide lines 2^L and the bound (n+1)^L. Beside it, the pieces
that random and trained networks of the same shapes reach (also counted), what the trained
ones lose (dead ReLUs, counted exactly), and wide-shallow against narrow-deep at the same
number of neurons: depth raises what is possible; training a narrow net rarely finds it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    Indicate,
    Line,
    UpdateFromAlphaFunc,
    VGroup,
    VMobject,
)

from nnviz.core.network import MLP
from nnviz.draw.mobjects import Integer, MathTex, Text
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.function_graph import set_polyline
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.draw.scene import NNVizScene, register
from nnviz.explain.pieces import count_linear_pieces, dead_units
from nnviz.explain.random_pieces import max_pieces_bound, random_relu_net
from nnviz.explain.sawtooth import sawtooth_network
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import PALETTE

LO, HI = -1.0, 1.0  # every count is over the data's x range


@dataclass
class DepthConfig(SceneConfig):
    max_depth: int = knob(6, "deepest sawtooth shown (L = 1..max_depth)", min=2, max=8)
    random_seeds: int = knob(20, "random networks drawn per shape, seeded seed, seed+1, ... "
                             "(best count shown)", min=1, max=500)
    bias_scale: float = knob(0.5, "random networks: spread of the biases", min=0.0, max=10.0)
    trained_seeds: int = knob(8, "trained networks per shape, seeded seed, seed+1, ... "
                              "(best count shown); 0: none", min=0, max=10)
    steps: int = knob(800, "training steps of the trained networks", min=1, max=20000)
    lr: float = knob(0.02, "Adam learning rate of the trained networks", min=1e-5, max=1.0)
    wide_neurons: int = knob(12, "neurons of the wide-shallow net (one layer)", min=1, max=64)
    sawtooth_color: str = knob(PALETTE["model"], "colour of the sawtooth and its dots")
    random_color: str = knob("#8a8f98", "colour of the random-network dots")
    trained_color: str = knob("#e15fa1", "colour of the trained-network dots")
    fold_time: float = knob(3.5, "time of the first fold (later folds are quicker)",
                            min=0.2, max=20.0)
    hold_time: float = knob(2.0, "pause at the end", min=0.0, max=60.0)

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


def log2_chart(max_depth: int, top: float, color: str) -> tuple[Axes, VGroup]:
    """Pieces (doubling scale) against depth L, labelled 1, 4, 16, ... on the left."""
    axes = Axes(x_range=[0.5, max_depth + 0.5, 1], y_range=[0, top, 1],
                x_length=5.6, y_length=3.0, tips=False,
                axis_config={"color": color, "stroke_width": 2})
    labels = VGroup()
    for k in range(0, int(top) + 1, 2):
        labels.add(Integer(2**k, font_size=22, color=color)
                   .next_to(axes.c2p(0.5, k), LEFT, buff=0.12))
    for depth in range(1, max_depth + 1):
        labels.add(Integer(depth, font_size=22, color=color)
                   .next_to(axes.c2p(depth, 0), DOWN, buff=0.12))
    labels.add(MathTex("L", font_size=28, color=color)
               .next_to(axes.c2p(max_depth + 0.5, 0), DOWN + RIGHT, buff=0.1))
    labels.add(Text("pieces", font_size=22, color=color)
               .next_to(axes.c2p(0.5, top), UP, buff=0.12))
    return axes, labels


@register("depth-multiplies-pieces", "sawtooth nets reach 2^L pieces; random and trained ones")
class DepthMultipliesPieces(NNVizScene):
    Config = DepthConfig

    def counts(self) -> dict[str, list[int]]:
        """Every count the scene shows, from the exact piece counter."""
        cfg = self.cfg
        depths = range(1, cfg.max_depth + 1)
        out = {
            "sawtooth": [count_linear_pieces(self.sawtooth(d), LO, HI) for d in depths],
            "random": [self.best_random(2, d) for d in depths],
            "random_wide": [self.best_random(cfg.wide_neurons, 1)],
        }
        if cfg.trained_seeds:
            best = lambda name: max(self.trained_counts(name))  # noqa: E731
            out["trained"] = [best(f"deep{d}") for d in depths]
            out["trained_wide"] = [best("wide")]
        return out

    def trained_counts(self, name: str) -> list[int]:
        return [count_linear_pieces(self.trace(f"{name}_{s}").net_at(1.0), LO, HI)
                for s in range(self.cfg.trained_seeds)]

    def dead_stats(self) -> tuple[int, int, float]:
        """Trained deepest nets: (how many are flat, how many were trained, mean number of
        dead ReLUs per net), all exact."""
        cfg = self.cfg
        nets = [self.trace(f"deep{cfg.max_depth}_{s}").net_at(1.0)
                for s in range(cfg.trained_seeds)]
        flat = sum(count_linear_pieces(n, LO, HI) == 1 for n in nets)
        dead = [sum(int(d.sum()) for d in dead_units(n, LO, HI)) for n in nets]
        return flat, len(nets), float(np.mean(dead))

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
        saw = cfg.sawtooth_color

        # left: the sawtooth for the current depth, on a grid that holds every kink and
        # every crossing of 1/2 up to the deepest fold
        axes = Axes(x_range=[LO, HI, 0.5], y_range=[0, 1.05, 0.5], x_length=6.0,
                    y_length=2.9, tips=False,
                    axis_config={"color": pal["muted"], "stroke_width": 2,
                                 "include_ticks": False})
        axes.to_corner(UP + LEFT, buff=0.5).shift(0.55 * DOWN + 0.3 * RIGHT)
        axes.y_axis.set_opacity(0)  # the y axis sits at the left edge, not at x = 0
        y_line = Line(axes.c2p(LO, 0), axes.c2p(LO, 1.05), color=pal["muted"], stroke_width=2)
        y_ticks = VGroup(*[MathTex(s, font_size=26, color=pal["muted"])
                           .next_to(axes.c2p(LO, v), LEFT, buff=0.12)
                           for s, v in (("0", 0.0), (r"\tfrac12", 0.5), ("1", 1.0))])
        half = DashedLine(axes.c2p(LO, 0.5), axes.c2p(HI, 0.5), color=pal["muted"],
                          stroke_width=2, dash_length=0.1)
        title = Text("L layers of 2 ReLUs", font_size=28, color=pal["text"])
        title.next_to(axes, UP, buff=0.3).align_to(axes, LEFT)
        xs = np.linspace(LO, HI, 2 ** (cfg.max_depth + 2) + 1)

        def out(depth: int) -> np.ndarray:
            return self.sawtooth(depth).forward(xs[:, None])[:, 0]

        graph = set_polyline(VMobject(stroke_color=saw, stroke_width=4), axes, xs, out(1))
        counter = PieceCounter(counts["sawtooth"][0], "pieces:", font_size=28)
        depth_num = Integer(1, font_size=32, color=pal["text"])
        depth_row = on_one_baseline(VGroup(MathTex("L =", font_size=32, color=pal["text"]),
                                           depth_num).arrange(RIGHT, buff=0.15))
        info = VGroup(depth_row, counter).arrange(RIGHT, buff=0.7)
        info.next_to(axes, DOWN, buff=0.3).align_to(axes, LEFT)

        # right: pieces against depth, on a doubling scale
        bound_top = np.log2(max_pieces_bound(2, top))
        chart, chart_labels = log2_chart(top, np.ceil(bound_top + 0.6), pal["muted"])
        VGroup(chart, chart_labels).to_corner(UP + RIGHT, buff=0.5).shift(0.3 * DOWN)
        guide_3 = DashedLine(chart.c2p(1, np.log2(3)), chart.c2p(top, bound_top),
                             color=pal["text"], stroke_width=2, dash_length=0.1)
        lab_3 = MathTex("3^L", font_size=30, color=pal["text"]).next_to(guide_3.get_end(),
                                                                         RIGHT, buff=0.1)

        series = [("sawtooth", saw, "sawtooth (built by hand)"),
                  ("random", cfg.random_color, f"random, best of {cfg.random_seeds}")]
        if "trained" in counts:
            series.append(("trained", cfg.trained_color,
                           f"trained, best of {cfg.trained_seeds}"))
        legend = VGroup(*[VGroup(Dot(radius=0.07, color=col),
                                 Text(text, font_size=19, color=col)).arrange(RIGHT, buff=0.12)
                          for _, col, text in series])
        bound_key = VGroup(DashedLine(ORIGIN, 0.3 * RIGHT, color=pal["text"], stroke_width=2,
                                      dash_length=0.06),
                           MathTex(r"3^L = (n{+}1)^L", font_size=24, color=pal["text"]),
                           Text("upper bound", font_size=19, color=pal["muted"]))
        bound_key.arrange(RIGHT, buff=0.12)
        keys = VGroup(legend[0], bound_key, *legend[1:])
        keys.arrange(DOWN, aligned_edge=LEFT, buff=0.08)
        keys.next_to(chart_labels, DOWN, buff=0.15).align_to(chart, LEFT)

        def offset(key: str) -> float:
            """Each series' dots sit a little beside the depth, so equal counts stay apart."""
            j = [s[0] for s in series].index(key)
            return 0.13 * (j - (len(series) - 1) / 2)

        def dot(key: str, depth: int) -> Dot:
            y = np.log2(max(counts[key][depth - 1], 1))
            return Dot(chart.c2p(depth + offset(key), y), radius=0.08,
                       color=dict((k, c) for k, c, _ in series)[key])

        # the 2^L guide runs through the sawtooth's dots, not beside them
        d = offset("sawtooth")
        guide_2 = DashedLine(chart.c2p(1 + d, 1), chart.c2p(top + d, top), color=saw,
                             stroke_width=2, dash_length=0.1)
        lab_2 = MathTex("2^L", font_size=30, color=saw).next_to(guide_2.get_end(), DOWN + RIGHT,
                                                                 buff=0.05)

        def fold(depth: int, run: float):
            """Fold the output of `depth` layers at 1/2, then stretch it by 2: the output
            of depth + 1 layers."""
            y = out(depth)
            folded = np.where(y > 0.5, 1.0 - y, y)

            def reflect(m, a):
                set_polyline(m, axes, xs, y + a * (folded - y))

            def stretch(m, a):
                set_polyline(m, axes, xs, folded * (1.0 + a))

            return (UpdateFromAlphaFunc(graph, reflect, run_time=self.t(0.55 * run)),
                    UpdateFromAlphaFunc(graph, stretch, run_time=self.t(0.45 * run)))

        with self.beat("tent", "Two ReLUs are enough to build a tent: the output climbs "
                       "from 0 to 1 and comes back down. Two straight pieces."):
            self.play(Create(axes), Create(y_line), FadeIn(y_ticks), FadeIn(title),
                      run_time=self.t(1.0))
            self.play(Create(graph), FadeIn(info), run_time=self.t(1.2))
            self.read_along(title, counter)
        reflect, stretch = fold(1, cfg.fold_time)
        with self.beat("fold", "A second layer applies the same tent to that output. "
                       "Everything above one half is folded down, like paper..."):
            self.play(Create(half), run_time=self.t(0.6))
            self.play(reflect)
            # the fold already made the new pieces: the readout follows the picture
            depth_num.set_value(2)
            counter.set_count(counts["sawtooth"][1])
        with self.beat("stretch", "...and stretched back to full height. Each tooth became "
                       "two: four pieces."):
            self.play(stretch)
            self.play(Indicate(counter.number), run_time=self.t(0.6))
        with self.beat("chart", "Count the pieces against the number of layers, on a "
                       "doubling scale."):
            self.play(Create(chart), FadeIn(chart_labels), run_time=self.t(1.0))
            self.play(FadeIn(legend[0]), FadeIn(dot("sawtooth", 1)), FadeIn(dot("sawtooth", 2)),
                      run_time=self.t(0.6))
            self.read_along(chart_labels[-1], chart_labels[-2], legend[0])
        with self.beat("more", "Every layer folds again and doubles the count: the sawtooth "
                       "has exactly 2 to the L pieces."):
            for depth in range(2, top):
                # the fold is known by now: each later one is quicker, its dot lands as the
                # stretch ends
                reflect, stretch = fold(depth, max(0.4, cfg.fold_time * 0.26))
                self.play(reflect)
                depth_num.set_value(depth + 1)
                counter.set_count(counts["sawtooth"][depth])
                self.play(stretch, FadeIn(dot("sawtooth", depth + 1), scale=0.5,
                                          run_time=stretch.run_time))
            self.play(Create(guide_2), FadeIn(lab_2), run_time=self.t(0.8))
        with self.beat("bound", "No network two neurons wide can do better than 3 to the L: "
                       "each layer cuts every piece at most twice."):
            self.play(Create(guide_3), FadeIn(lab_3), FadeIn(bound_key), run_time=self.t(1.0))
            self.read_along(bound_key, lab_3)

        random_dots = VGroup(*[dot("random", d) for d in range(1, top + 1)])
        note_r = Text(f"random weights: never more than {max(counts['random'])} pieces",
                      font_size=22, color=cfg.random_color)
        notes = VGroup(note_r)
        with self.beat("random", "Networks of the same shapes with random weights come "
                       "nowhere near: after a few layers their count stops growing."):
            self.play(FadeIn(legend[1]), FadeIn(random_dots, scale=0.5), run_time=self.t(1.0))
            notes.next_to(info, DOWN, buff=0.45).align_to(axes, LEFT)
            self.play(FadeIn(note_r), run_time=self.t(0.6))
            self.read_along(legend[1], note_r)
        if "trained" in counts:
            flat, total, dead = self.dead_stats()
            self.dead = (flat, total, dead)
            trained_dots = VGroup(*[dot("trained", d) for d in range(1, top + 1)])
            note_t = VGroup(
                Text(f"trained {top} × 2: {flat} of {total} came out flat", font_size=22,
                     color=cfg.trained_color),
                Text(f"{dead:.1f} of {2 * top} ReLUs dead on average", font_size=22,
                     color=cfg.trained_color),
                Text("(a dead ReLU is zero for every x)", font_size=20, color=pal["muted"]),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.08)
            notes.add(note_t)
            notes.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
            notes.next_to(info, DOWN, buff=0.45).align_to(axes, LEFT)
            with self.beat("trained", "Trained networks fall further behind the deeper "
                           "they are. Narrow deep nets train badly: a ReLU that outputs zero "
                           "for every input is dead, and a layer of dead ReLUs flattens "
                           "everything after it."):
                self.play(FadeIn(legend[2]), FadeIn(trained_dots, scale=0.5),
                          run_time=self.t(1.0))
                self.play(FadeIn(note_t), run_time=self.t(0.8))
                self.read_along(legend[2], *note_t)

        table = self.table(counts)
        table.to_edge(DOWN, buff=0.3).to_edge(RIGHT, buff=0.3)
        n_deep = 2 * top
        with self.beat("table", f"Same {n_deep} neurons, wide or deep. Depth makes far more "
                       "pieces possible, but training a narrow net rarely finds them: real "
                       "networks are deep and wide.", hold=cfg.hold_time, last=True):
            self.play(FadeIn(table), run_time=self.t(1.2))
            cells = table[1][0]
            self.read_along(table[0], VGroup(*cells[5:10]), VGroup(*cells[10:15]))

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
        colours = [pal["text"], pal["text"], cfg.sawtooth_color, cfg.random_color,
                   cfg.trained_color]
        cells = VGroup()
        for row in (head, wide, deep):
            for text, col in zip(row, colours, strict=True):
                cells.add(Text(text, font_size=19,
                               color=pal["muted"] if row is head else col))
        cells.arrange_in_grid(rows=3, cols=5, buff=(0.28, 0.1), col_alignments="lcccc")
        y = 0.5 * (VGroup(*cells[:5]).get_bottom()[1] + VGroup(*cells[5:10]).get_top()[1])
        rule = Line([cells.get_left()[0], y, 0], [cells.get_right()[0], y, 0],
                    color=pal["muted"], stroke_width=1)
        same = "the same" if cfg.wide_neurons == n_deep else f"{cfg.wide_neurons} vs"
        caption = Text(f"{same} {n_deep} neurons: wide or deep", font_size=21,
                       color=pal["text"])
        group = VGroup(caption, VGroup(cells, rule)).arrange(DOWN, aligned_edge=LEFT,
                                                             buff=0.18)
        return group


__all__ = ["DepthMultipliesPieces"]
