"""Shallow vs deep: the same spirals given to a network with one hidden layer of width 2
and to one with several; each layer's picture of the plane side by side.

Every panel is computed from the two trained traces (nnviz.explain.warp); the networks
are drawn re-signed (`orient`: the same functions, every layer det W > 0). Hidden panels
all show the same square, tanh's range, so no zoom hides how much a layer squeezes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, FadeIn, VGroup

from nnviz.core import datasets
from nnviz.core.errors import NNVizError
from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects import Legend
from nnviz.draw.mobjects.warp_grid import RegionFill, WarpPanel
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.warp import (
    ACTIVATION_RANGE,
    grid_lines,
    hidden_outputs,
    orient,
    output_grid,
    output_threshold,
    saturation,
    separating_line,
)
from nnviz.spec.config import PlanarDataConfig, knob, spec

SATURATES = 0.5


@dataclass
class ShallowDeepConfig(PlanarDataConfig):
    seed: int = knob(3, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    dataset: str = knob("spirals", "data set", choices=datasets.PLANAR)
    turns: float = knob(1.5, "spiral turns (spirals only)", min=0.25, max=3.0)
    depth: int = knob(6, "hidden layers of the deep network (all width 2)", min=2, max=6)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.03, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(6000, "training steps (both networks)", min=1, max=20000)
    window: float = knob(1.2, "half-width of the input plane shown", min=0.5, max=5.0)
    grid_lines: int = knob(13, "grid lines per direction", min=3, max=40)

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.depth < 2:
            raise NNVizError("Setting 'depth' must be at least 2 (the deep network).")

    def _spec(self, n_layers: int):
        return spec(self.dataset, (2, *([2] * n_layers), 1), activation="tanh",
                    output_activation="sigmoid", trainer=self.trainer, steps=self.steps,
                    seed=self.seed, record="log:40",
                    trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                    dataset_params=self.data_params())

    def traces(self):
        return {"shallow": self._spec(1), "deep": self._spec(self.depth)}


@register("shallow-vs-deep", "The same spirals through a shallow and a deep width-2 network: "
          "the warp of every layer side by side")
class ShallowVsDeep(NNVizScene):
    Config = ShallowDeepConfig

    SIZE = 1.75  # side of one panel of the deep row (7 panels fill the width)
    SHALLOW_SIZE = 2.6  # the shallow row has 2 panels: drawn larger
    GAP = 0.2

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        data, _ = self.trace_data("deep")  # both traces are trained on these same points
        X, y = data.X, data.y
        nets = {k: orient(self.trace(k).net_at(1.0)) for k in ("shallow", "deep")}
        self.nets = nets
        depth = nets["deep"].n_layers - 1
        lim = cfg.window
        lines = grid_lines((-lim, lim), (-lim, lim), cfg.grid_lines, 80)
        flat = lines.reshape(-1, 2)
        lo, hi = ACTIVATION_RANGE["tanh"]
        box = [np.array([[lo, lo], [hi, lo], [hi, hi], [lo, hi], [lo, lo]], dtype=float)]
        sizes = {"shallow": self.SHALLOW_SIZE, "deep": self.SIZE}
        rows = {"shallow": 0.95, "deep": -2.4}
        self.pictures: dict[str, list[np.ndarray]] = {}
        self.saturations: dict[str, list[float]] = {}
        panels: dict[str, list[WarpPanel]] = {}
        arrows: dict[str, list[Arrow]] = {}
        for key, net in nets.items():
            pts = hidden_outputs(net, X)
            grids = hidden_outputs(net, flat)
            self.pictures[key] = pts
            self.saturations[key] = [saturation(a) for a in pts[1:]]
            row, arr = [], []
            size = sizes[key]
            x0 = -7.1 + 0.25 + size / 2
            for k, (p, g) in enumerate(zip(pts, grids, strict=True)):
                centre = (x0 + k * (size + self.GAP), rows[key], 0)
                panel = WarpPanel(g.reshape(lines.shape), p, y,
                                  [pal["class_a"], pal["class_b"]], center=centre,
                                  size=size, view=lim if k == 0 else 1.1,
                                  grid_color=pal["grid"], border_color=pal["muted"],
                                  point_radius=0.022 * size / self.SIZE, grid_width=1.0)
                if k > 0:
                    panel.add_curve("range", box, pal["muted"], width=1.5, opacity=0.6)
                    panel.show()
                    arr.append(Arrow(row[-1].border.get_right(), panel.border.get_left(),
                                     buff=0.04, stroke_width=3, color=pal["muted"],
                                     max_tip_length_to_length_ratio=0.35))
                row.append(panel)
            panels[key], arrows[key] = row, arr
        heads = {}
        for key, n in (("shallow", 1), ("deep", depth)):
            layers = "1 hidden layer" if n == 1 else f"{n} hidden layers"
            heads[key] = label(self, f"{layers} of width 2", 26).next_to(
                panels[key][0].border, UP, buff=0.15).align_to(panels[key][0].border, LEFT)
        names = {}
        for key, row in panels.items():
            names[key] = VGroup(*[
                label(self, "input" if k == 0 else f"h{k}", 20, pal["muted"]).next_to(
                    p.border, DOWN, buff=0.1) for k, p in enumerate(row)])
        legend = Legend([(pal["class_a"], "class A"), (pal["class_b"], "class B")],
                        kind="square", font_size=22).to_corner(RIGHT + UP, buff=0.35)
        legend.shift(DOWN * 0.75)
        head = title(self, "The same spirals: one layer or several")

        with self.beat("data", "The same two spirals go to two networks, both two neurons "
                               f"wide: one with a single hidden layer, one with {depth}."):
            self.play(FadeIn(head), FadeIn(panels["shallow"][0]), FadeIn(panels["deep"][0]),
                      FadeIn(names["shallow"][0]), FadeIn(names["deep"][0]),
                      run_time=self.t(1.2))
            self.play(FadeIn(legend), run_time=self.t(0.6))
            self.read_along(head)

        results = {}
        for key in ("shallow", "deep"):
            net = nets[key]
            trace = self.trace(key)
            last = panels[key][-1]
            w, b = net.weights[-1][0], float(net.biases[-1][0])
            seg = separating_line(w, b, box=1.0, n=60)
            last.add_curve("line", [seg] if len(seg) else [], pal["highlight"], width=3)
            last.show()
            acc = trace.final_accuracy
            results[key] = label(self, f"best line: {acc:.0%} right", 24,
                                 pal["text"]).next_to(heads[key], RIGHT, buff=0.5)
            if key == "shallow":
                with self.beat("shallow", "One layer is one warp of the plane. After it, "
                                          "the best straight line still cuts through both "
                                          "spirals."):
                    self.play(FadeIn(heads[key]), FadeIn(arrows[key][0]), FadeIn(last),
                              FadeIn(names[key][1]), run_time=self.t(1.0))
                    self.play(FadeIn(results[key]), run_time=self.t(0.6))
                    self.read_along(results[key])
                continue
            halves = [(1, (depth + 1) // 2), ((depth + 1) // 2 + 1, depth)]
            for a, z in halves:
                text = ("The deep network bends the plane a little at each layer; each "
                        "picture is the one before, warped again." if a == 1 else
                        "Later layers press most points against the edges of tanh's range, "
                        "yet the two spirals stay apart." if max(
                            self.saturations[key][a - 1:z]) > SATURATES else
                        "The later layers finish the untangling.")
                with self.beat(f"deep-{a}-{z}", text):
                    if a == 1:
                        self.play(FadeIn(heads[key]), run_time=self.t(0.5))
                    for k in range(a, z + 1):
                        self.play(FadeIn(arrows[key][k - 1]), FadeIn(panels[key][k]),
                                  FadeIn(names[key][k]), run_time=self.t(0.8))
            how = "perfectly" if trace.final_accuracy == 1.0 else "almost perfectly"
            with self.beat("deep-line", f"After {depth} warps, a straight line separates "
                                        f"the spirals {how}."):
                self.play(FadeIn(results[key]), last.curves["line"].animate.set_stroke(
                    width=4), run_time=self.t(0.8))
                self.read_along(results[key])
        # the decision regions on the two input planes
        fills = VGroup()
        self.regions = {}
        for key, net in nets.items():
            xs, ys, values = output_grid(net, (-lim, lim), (-lim, lim), 90)
            classes = (values > output_threshold(net)).astype(int)
            self.regions[key] = classes
            p = panels[key][0]
            fills.add(RegionFill([pal["class_a"], pal["class_b"]], p.border.get_center(),
                                 p.size, opacity=0.3).set_classes(classes).set_z_index(-1))
        moral = label(self, "Depth lets width-2 layers\nuntangle what one cannot",
                      28).next_to(panels["shallow"][-1].border, RIGHT, buff=1.0)
        with self.beat("regions", "Carried back to the input, the shallow network's line "
                                  "is one bent cut across the spirals; the deep one's "
                                  "winds between them.", last=True):
            self.play(FadeIn(fills), FadeIn(moral), run_time=self.t(1.2))
            self.read_along(moral)
        self.accuracies = {k: self.trace(k).final_accuracy for k in nets}


__all__ = ["ShallowVsDeep"]
