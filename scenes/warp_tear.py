"""Warp or tear? A network layer x -> tanh(W x + b) with an invertible W is a
homeomorphism: it bends, stretches and squashes the plane, and neighbours stay neighbours.
A tear (the plane cut along a line and pulled apart) is what no layer can do.

The warp is a trained width-2 layer's (re-signed so det W > 0, moved from the identity
through homeomorphisms: nnviz.explain.homeo.layer_homotopy); the tear is constructed and
labelled as such.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    UL,
    UP,
    Create,
    DashedLine,
    FadeIn,
    Indicate,
    ReplacementTransform,
    Square,
    ValueTracker,
    VGroup,
    smooth,
)

from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects import Legend, MathTex, Text
from nnviz.draw.mobjects.warp_grid import PointCloud, WarpGrid
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.homeo import layer_homotopy, split_at, tear
from nnviz.explain.warp import check_layer, grid_lines, orient, require_invertible
from nnviz.spec.config import PlanarDataConfig, knob, spec

LIM = 1.2  # half-width of the sheet (data units)


@dataclass
class WarpOrTearConfig(PlanarDataConfig):
    seed: int = knob(2, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.05, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(150, "training steps", min=1, max=20000)
    pair_gap: float = knob(0.05, "how far apart the two marked neighbours start", min=0.02,
                           max=0.5)
    warp_time: float = knob(3.0, "seconds for the warp", min=0.3, max=20.0)
    tear_time: float = knob(2.0, "seconds for the tear", min=0.3, max=20.0)

    def traces(self):
        return {"main": spec(self.dataset, (2, 2, 1), activation="tanh",
                             output_activation="sigmoid", trainer=self.trainer,
                             steps=self.steps, seed=self.seed, record="log:20",
                             trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                             dataset_params=self.data_params())}


@register("warp-or-tear", "A trained layer warps the plane (neighbours stay neighbours); a "
          "tear cuts it apart, which no layer can do")
class WarpOrTear(NNVizScene):
    Config = WarpOrTearConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        net = orient(self.trace("main").net_at(1.0))  # same function, det W > 0
        W, b = net.weights[0], net.biases[0]
        require_invertible(check_layer(W, net.activation))
        self.layer = (W, b)
        data, _ = self.trace_data("main")
        X, y = data.X, data.y
        colors = [pal["class_a"], pal["class_b"]]
        half, unit, cy = 2.5, 1.67, -0.45
        centres = {"warp": np.array([-3.5, cy, 0.0]), "tear": np.array([3.5, cy, 0.0])}
        lines = grid_lines((-LIM, LIM), (-LIM, LIM), 13, 80)
        # the two neighbours sit where both neurons are 0 (tanh's steep middle, so the warp
        # keeps them in view), one each side of the vertical cut through that point
        centre = np.clip(np.linalg.solve(W, -b), -0.8, 0.8)
        cut_at = float(centre[0])
        pieces = split_at(lines, (1.0, 0.0), cut_at)  # whole until torn
        pair = centre + np.array([[-cfg.pair_gap / 2, 0.0], [cfg.pair_gap / 2, 0.0]])
        self.pair, self.cut_at = pair, cut_at
        sheets = {}
        for name, c in centres.items():
            grid = WarpGrid(lines if name == "warp" else pieces, c, unit, color=pal["grid"],
                            stroke_width=1.3, stroke_opacity=0.7, clip=half)
            cloud = PointCloud(X, y, colors, c, unit, radius=0.045, clip=half)
            marks = PointCloud(pair, np.array([0, 0]), [pal["highlight"]], c, unit,
                               radius=0.09, clip=half).set_z_index(4)
            frame = Square(side_length=2 * half, stroke_color=pal["muted"], stroke_width=1.5)
            sheets[name] = (grid, cloud, marks, frame.move_to(c))

        def gap_text(after: np.ndarray) -> float:
            return float(np.linalg.norm(after[1] - after[0]))

        start = gap_text(pair)

        with self.beat("sheet", "Think of the plane as a rubber sheet with the data drawn on "
                       "it; here are two copies."):
            head = title(self, "Warp or tear?")
            legend = Legend([(pal["class_a"], "class A"), (pal["class_b"], "class B")],
                            kind="square", font_size=22, direction=DOWN).to_corner(
                                UL, buff=0.3)
            self.play(FadeIn(head), FadeIn(legend), run_time=self.t(0.8))
            self.play(*[FadeIn(VGroup(g, c, f)) for g, c, _, f in sheets.values()],
                      run_time=self.t(1.2))

        with self.beat("mark", "Mark two neighbouring points on each."):
            readouts = {name: label(self, f"distance {start:.2f}", 26).move_to(
                c + DOWN * (half + 0.42)) for name, c in centres.items()}
            self.play(*[FadeIn(m) for _, _, m, _ in sheets.values()],
                      *[FadeIn(r) for r in readouts.values()], run_time=self.t(0.8))
            self.play(*[Indicate(m, color=pal["highlight"]) for _, _, m, _ in sheets.values()],
                      run_time=self.t(0.8))

        grid, cloud, marks, _ = sheets["warp"]
        s = ValueTracker(0.0)

        def warp(_m=None) -> None:
            v = s.get_value()
            grid.set_lines(layer_homotopy(lines.reshape(-1, 2), W, b, v).reshape(lines.shape))
            cloud.set_positions(layer_homotopy(X, W, b, v))
            marks.set_positions(layer_homotopy(pair, W, b, v))

        warped_pair = layer_homotopy(pair, W, b, 1.0)
        self.warped_gap = gap_text(warped_pair)
        with self.beat("warp", "A trained network layer, tanh of W x plus b, bends the sheet: "
                       "it turns, stretches and squashes it, but never breaks it."):
            lhead = VGroup(
                Text("a layer: a warp", font_size=28, color=pal["text"]),
                MathTex(rf"\tanh(W x + b),\ \det W = {np.linalg.det(W):.2f}", font_size=30,
                        color=pal["muted"]),
            ).arrange(DOWN, buff=0.12).move_to(centres["warp"] + UP * (half + 0.55))
            self.play(FadeIn(lhead), run_time=self.t(0.8))
            grid.add_updater(warp)
            self.play(s.animate.set_value(1.0), run_time=self.t(cfg.warp_time),
                      rate_func=smooth)
            grid.remove_updater(warp)
            warp()

        with self.beat("near", "The two points are still neighbours, and every grid line is "
                       "still one unbroken curve.", hold=1.5):
            new = label(self, f"distance {start:.2f} → {self.warped_gap:.2f}", 26,
                        pal["highlight"]).move_to(readouts["warp"])
            self.play(ReplacementTransform(readouts["warp"], new), run_time=self.t(0.8))

        with self.beat("undo", "And the warp can be undone: run backwards, it gives back the "
                       "flat sheet."):
            grid.add_updater(warp)
            self.play(s.animate.set_value(0.0), run_time=self.t(1.4), rate_func=smooth)
            self.play(s.animate.set_value(1.0), run_time=self.t(1.4), rate_func=smooth)
            grid.remove_updater(warp)
            warp()

        tgrid, tcloud, tmarks, _ = sheets["tear"]
        t = ValueTracker(0.0)

        def torn(_m=None) -> None:
            v = t.get_value()
            tgrid.set_lines([tear(p, v, offset=cut_at) for p in pieces])
            tcloud.set_positions(tear(X, v, offset=cut_at))
            tmarks.set_positions(tear(pair, v, offset=cut_at))

        torn_pair = tear(pair, 1.0, offset=cut_at)
        self.torn_gap = gap_text(torn_pair)
        with self.beat("tear", "A tear is different: cut the sheet along a line and pull the "
                       "two sides apart."):
            rhead = VGroup(
                Text("a tear: no layer can", font_size=28, color=pal["text"]),
                Text("(constructed, not a network)", font_size=22, color=pal["muted"]),
            ).arrange(DOWN, buff=0.12).move_to(centres["tear"] + UP * (half + 0.55))
            cut = DashedLine(tgrid.to_scene(np.array([cut_at, -LIM])),
                             tgrid.to_scene(np.array([cut_at, LIM])),
                             color=pal["highlight"], stroke_width=3)
            self.play(FadeIn(rhead), Create(cut), run_time=self.t(1.0))
            tgrid.add_updater(torn)
            self.play(t.animate.set_value(1.0), cut.animate.set_stroke(opacity=0),
                      run_time=self.t(cfg.tear_time), rate_func=smooth)
            tgrid.remove_updater(torn)
            torn()

        with self.beat("apart", "Now the two neighbours are far apart, and the grid lines "
                       "are broken: no layer can do this.", hold=1.5):
            new = label(self, f"distance {start:.2f} → {self.torn_gap:.2f}", 26,
                        pal["highlight"]).move_to(readouts["tear"])
            self.play(ReplacementTransform(readouts["tear"], new), run_time=self.t(0.8))

        with self.beat("end", "A layer with an invertible W is a homeomorphism: it may bend "
                       "the plane as much as it likes, but never cut it or glue it.",
                       last=True):
            verdict = Text("a layer bends the plane; it never tears it", font_size=32,
                           color=pal["highlight"]).move_to(head)
            self.play(ReplacementTransform(head, verdict), run_time=self.t(1.0))
            self.play(Indicate(marks, color=pal["highlight"]),
                      Indicate(tmarks, color=pal["highlight"]), run_time=self.t(1.5))
