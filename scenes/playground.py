"""Issue 8, training you can watch (the project's showcase, after TensorFlow Playground).

A recorded training run replayed: the network diagram with edges coloured and thickened
by the weights, every neuron drawn as a heatmap of its output over the plane, the output's
decision region with the data, and the train and test loss curves, all driven by one
ValueTracker through `Trace.params_at`. Every pixel is the network's output on the grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import *

from nnviz.core.network import MLP
from nnviz.draw.mobjects import DecimalNumber, Integer, Legend, MathTex, Text, weight_legend
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.heatmap import Heatmap, grid_points
from nnviz.draw.mobjects.loss_curve import LossCurve
from nnviz.draw.mobjects.network import NetworkDiagram
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec
from nnviz.spec.palette import hex_to_rgb

EXTENT = (-1.2, 1.2, -1.2, 1.2)  # the part of the plane every heatmap shows
ACT_RANGE = {"tanh": (-1.0, 1.0), "sigmoid": (0.0, 1.0), "relu": None}


@dataclass
class PlaygroundConfig(SceneConfig):
    dataset: str = knob("spirals", "2D data set",
                        choices=("two_curves", "spirals", "bullseye", "xor"))
    n_points: int = knob(200, "number of data points (train + test)", min=8, max=2000)
    noise: float | None = knob(None, "noise of the data set (none: the data set's default)",
                               min=0.0, max=1.0)
    turns: float = knob(1.5, "how many times each spiral turns (spirals only)", min=0.25,
                        max=4.0)
    test_fraction: float = knob(0.3, "fraction held out as the test set", min=0.0, max=0.9)
    hidden: tuple[int, ...] = knob((6, 6), "hidden layer widths", min=1, max=8, max_len=8)
    activation: str = knob("tanh", "hidden activation", choices=("tanh", "relu", "sigmoid"))
    trainer: str = knob("adam", "trainer", choices=("adam", "sgd", "momentum"))
    lr: float = knob(0.03, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(600, "training steps (passes over the data)", min=1, max=20000)
    records: int = knob(80, "about how many steps to record (dense early)", min=2, max=1000)
    resolution: int = knob(48, "cells across the decision region", min=4, max=160)
    neuron_resolution: int = knob(14, "cells across each neuron's heatmap", min=3, max=60)
    show_test_points: bool = knob(True, "draw the held-out test points (hollow)")
    intro_time: float = knob(1.5, "seconds to build the picture", min=0.0, max=20.0)
    train_time: float = knob(11.0, "seconds of training", min=0.5, max=60.0)
    hold_time: float = knob(2.0, "seconds on the trained network", min=0.0, max=60.0)
    early: float = knob(0.4, "fraction of the records shown in the first training beat",
                        min=0.05, max=0.95)

    def traces(self):
        data: dict = {"n": self.n_points}
        if self.noise is not None:
            data["noise"] = self.noise
        if self.dataset == "spirals":
            data["turns"] = self.turns
        return {"main": spec(self.dataset, (2, *self.hidden, 1), activation=self.activation,
                             output_activation="sigmoid", trainer=self.trainer,
                             steps=self.steps, seed=self.seed, record=f"log:{self.records}",
                             trainer_params={"lr": self.lr},
                             dataset_params=data,
                             test_fraction=self.test_fraction)}


def neuron_maps(net: MLP, grid: np.ndarray, res: int) -> list[np.ndarray]:
    """Every neuron's output on the grid, layer by layer (inputs first), each (n, res, res)."""
    maps = [grid.T.reshape(2, res, res)]
    for out in net.layer_outputs(grid):
        maps.append(out.a.T.reshape(-1, res, res))
    return maps


@register("training-you-can-watch",
          "a network learning a 2D data set: weights, neuron heatmaps, decision region, losses")
class TrainingYouCanWatch(NNVizScene):
    Config = PlaygroundConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        train, test = self.trace_data("main")
        net = trace.net_at(0.0)
        sizes = trace.sizes

        # -- the network, every neuron a heatmap --------------------------------------
        w_scale = [float(np.abs(w).max()) or 1.0 for w in trace.weights]
        tallest = max(sizes)
        pitch = min(5.8 / tallest, 1.1)
        side = min(0.8 * pitch, 0.6 * 6.4 / (len(sizes) - 1))  # a tile per neuron
        diagram = NetworkDiagram(sizes, *trace.params_at(0.0), width=6.4,
                                 height=pitch * tallest, neuron_radius=0.45 * side,
                                 palette=pal, weight_scale=w_scale, max_width=6.0,
                                 min_width=0.5)
        diagram.move_to(LEFT * 3.35 + DOWN * 0.55)
        nres = cfg.neuron_resolution
        ngrid = grid_points(nres, EXTENT)
        maps = neuron_maps(net, ngrid, nres)
        tiles: list[list[Heatmap]] = []
        halfway = (hex_to_rgb(pal["neuron_off"]) + hex_to_rgb(pal["neuron_on"])) / 2
        grey = "#" + "".join(f"{round(255 * c):02x}" for c in halfway)
        for li, layer_maps in enumerate(maps):
            lo_hi = self._range(li, len(maps))
            row = []
            # the output is a class probability: class colours; every other neuron shows
            # its value as brightness, like a neuron's fill (blue and red mean weights here)
            out = li == len(maps) - 1
            low, high = ("class_a", "class_b") if out else ("neuron_off", "neuron_on")
            mid = pal["background"] if out else grey
            for i, values in enumerate(layer_maps):
                tile = Heatmap(values, width=side, low_color=pal[low], high_color=pal[high],
                               mid_color=mid, vmin=lo_hi[0], vmax=lo_hi[1])
                tile.move_to(diagram.node(li, i))
                row.append(tile)
            tiles.append(row)
        frames = VGroup(*[SurroundingRectangle(t, buff=0.0, stroke_width=1.5,
                                               color=pal["neuron_stroke"])
                          for row in tiles for t in row])
        in_labels = VGroup(*[MathTex(f"x_{i + 1}", font_size=30, color=pal["text"])
                             .next_to(tiles[0][i], LEFT, buff=0.15) for i in range(2)])

        # -- the decision region with the data ----------------------------------------
        res = cfg.resolution
        rgrid = grid_points(res, EXTENT)
        region = Heatmap(net.forward(rgrid)[:, 0].reshape(res, res), width=3.4,
                         low_color=pal["class_a"], high_color=pal["class_b"], vmin=0.0,
                         vmax=1.0, strength=0.7)
        region.move_to(RIGHT * 4.1 + UP * 1.45)
        border = SurroundingRectangle(region, buff=0.0, stroke_width=1.5, color=pal["muted"])
        colours = (pal["class_a"], pal["class_b"])
        dots = VGroup(*[Dot(p, radius=0.045, color=colours[int(c)], stroke_width=1.0,
                            stroke_color=pal["background"])
                        for p, c in zip(region.coords_to_point(train.X, EXTENT), train.y,
                                        strict=True)])
        if test is not None and cfg.show_test_points:
            dots.add(*[Circle(radius=0.045, stroke_width=1.8, color=colours[int(c)]).move_to(p)
                       for p, c in zip(region.coords_to_point(test.X, EXTENT), test.y,
                                       strict=True)])
        region_label = Text("output: the decision region", font_size=24, color=pal["muted"])
        region_label.next_to(border, UP, buff=0.12)

        # -- loss curves ----------------------------------------------------------------
        curve = LossCurve(trace.steps, trace.loss, second=trace.test_loss, log=True,
                          width=3.9, height=2.0, labels=("train", "test"), font_size=24,
                          progress=0.0)
        curve.next_to(border, DOWN, buff=0.35)
        curve.shift(RIGHT * (border.get_center()[0] - curve.axes.get_center()[0]))

        title = Text("training you can watch", font_size=34, color=pal["text"])
        title.to_corner(UL, buff=0.35)
        readout, update_readout = self._readout(trace)
        readout.next_to(title, DOWN, buff=0.15).align_to(title, LEFT)

        # -- motion: one tracker drives everything --------------------------------------
        u = ValueTracker(0.0)  # fraction of the *records*: log schedules show early detail

        def refresh(_m: Mobject) -> None:
            weights, biases = trace.params_at(u.get_value(), by="record")
            net.set_weights(weights, biases)
            diagram.set_state(weights, biases)
            for row, layer_maps in zip(tiles[1:], neuron_maps(net, ngrid, nres)[1:],
                                       strict=True):
                for tile, values in zip(row, layer_maps, strict=True):
                    tile.set_values(values)
            region.set_values(net.forward(rgrid)[:, 0].reshape(res, res))
            step = trace.step_at(u.get_value(), by="record")
            curve.set_progress(step / max(float(trace.steps[-1]), 1.0))
            update_readout(u.get_value())

        legend = weight_legend(pal, font_size=20).next_to(diagram, DOWN, buff=0.25)
        legend.set_x(diagram.get_center()[0])
        keys = [(pal["class_a"], "class A"), (pal["class_b"], "class B")]
        class_key = Legend(keys, kind="square", font_size=20, direction=DOWN)
        if test is not None and cfg.show_test_points:
            hollow = VGroup(Circle(radius=0.07, stroke_width=2.0, color=pal["muted"]),
                            Text("held out", font_size=20, color=pal["text"]))
            class_key.add(hollow.arrange(RIGHT, buff=0.2))
            class_key.arrange(DOWN, buff=0.18, aligned_edge=LEFT)
        class_key.next_to(border, LEFT, buff=0.35).align_to(border, DOWN)

        first = [title, diagram, *[t for r in tiles for t in r], frames, in_labels]
        intro = max(cfg.intro_time, 0.2)
        with self.beat("network", "A small network learns to tell two classes of points "
                                  "apart. Each neuron is drawn as its output over the plane."):
            self.play(*map(FadeIn, first), run_time=self.t(intro * 0.6))
            self.play(FadeIn(legend), run_time=self.t(0.8))
            self.play(Indicate(VGroup(*tiles[0], in_labels), color=pal["highlight"]),
                      run_time=self.t(1.0))
        with self.beat("region", "On the right, the network's answer everywhere, with the "
                                 "points it learns from."):
            self.play(FadeIn(region), FadeIn(border), FadeIn(dots), FadeIn(region_label),
                      run_time=self.t(intro * 0.6))
            self.play(FadeIn(class_key), run_time=self.t(0.8))
            self.play(Indicate(dots, color=pal["highlight"], scale_factor=1.0),
                      run_time=self.t(1.0))
        with self.beat("error", "Below it, the error on the training points and on points "
                                "held out."):
            self.play(FadeIn(curve), run_time=self.t(intro * 0.5))
            self.play(Indicate(curve, color=pal["highlight"], scale_factor=1.02),
                      run_time=self.t(1.4))
        with self.beat("readout", "Above, the step, the loss and how many points each set "
                                  "gets right."):
            self.play(FadeIn(readout), run_time=self.t(0.8))
            self.play(Indicate(readout, color=pal["highlight"], scale_factor=1.02),
                      run_time=self.t(1.0))
            self.play(Indicate(readout[-1], color=pal["highlight"]), run_time=self.t(0.8))
        # everything that changes in one group with the updater, so all of it is redrawn
        live = VGroup(diagram, *[t for row in tiles for t in row], region, curve, readout)
        live.add_updater(refresh)
        self.add(live)  # the group must be in the scene for its updater to run ...
        self.add(frames, dots)  # ... and the outlines and data stay on top
        with self.beat("early", "Training starts. The weights grow, and the first neurons "
                                "split the plane with simple slopes."):
            self.play(u.animate.set_value(cfg.early), run_time=self.t(cfg.train_time * 0.45),
                      rate_func=linear)
        with self.beat("late", "Deeper neurons combine those slopes into curves, and the "
                               "error keeps falling."):
            self.play(u.animate.set_value(1.0), run_time=self.t(cfg.train_time * 0.55),
                      rate_func=linear)
        live.clear_updaters()
        refresh(live)
        # what is on screen, for tests: every heatmap against the network it claims to show
        self.shown = {"net": net, "region": region, "region_grid": rgrid, "tiles": tiles,
                      "tile_grid": ngrid}
        with self.beat("end", "The trained network's region follows the data, held-out "
                              "points included.", last=True,
                       hold=cfg.hold_time):
            self.play(Indicate(border, color=pal["highlight"], scale_factor=1.03),
                      run_time=self.t(1.0))

    def _range(self, layer: int, n_layers: int) -> tuple[float, float]:
        """Value range of a layer's heatmaps: inputs span the plane, the output is sigmoid."""
        if layer == 0:
            return EXTENT[0], EXTENT[1]
        if layer == n_layers - 1:
            return 0.0, 1.0
        rng = ACT_RANGE[self.cfg.activation]
        return rng if rng is not None else (-1.0, 1.0)

    def _readout(self, trace):
        """Step, train/test loss and accuracy as DecimalNumbers updated in place."""
        pal = self.palette
        kw = {"font_size": 28, "color": pal["text"]}
        # laid out at their widest values, so growing digits never run into the next label
        step = Integer(int(trace.steps[-1]), **kw)
        loss = DecimalNumber(8.888, num_decimal_places=3, **kw)
        acc = Integer(100, unit=r"\%", **kw)
        def pair(label: str, number: Mobject) -> VGroup:
            return on_one_baseline(VGroup(Text(label, font_size=24, color=pal["muted"]),
                                          number).arrange(RIGHT, buff=0.12))

        group = VGroup(pair("step", step), pair("loss", loss), pair("train acc.", acc))
        has_test = trace.test_loss is not None
        if has_test:
            tacc = Integer(100, unit=r"\%", color=pal["highlight"], font_size=28)
            group.add(pair("test acc.", tacc))
        on_one_baseline(group.arrange(RIGHT, buff=0.32))

        def update(u: float) -> None:
            step.set_value(round(trace.step_at(u, by="record")))
            loss.set_value(trace.value_at(trace.loss, u, by="record"))
            acc.set_value(round(100 * trace.value_at(trace.accuracy, u, by="record")))
            if has_test:
                tacc.set_value(round(100 * trace.value_at(trace.test_accuracy, u, by="record")))

        update(0.0)
        return group, update
