"""Warps while the network learns: the last hidden layer's picture of the plane at
successive training steps, and decision boundaries of a network with too few neurons
beside one with enough. Driven by recorded traces (trace.params_at), never retrained.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    DecimalNumber,
    Integer,
    MathTex,
    ValueTracker,
    VGroup,
    linear,
)

from nnviz.core import datasets
from nnviz.core.errors import NNVizError
from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects.baseline import on_one_baseline
from nnviz.draw.mobjects.warp_grid import RegionFill, WarpPanel
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.warp import (
    check_network,
    contour,
    grid_lines,
    hidden_outputs,
    output_grid,
    output_threshold,
    separating_line,
    view_for,
)
from nnviz.spec.config import PlanarDataConfig, knob, spec


class Readout(VGroup):
    """'step 120   accuracy 93%' whose numbers change without rebuilding any Text
    (a new Text per frame costs ~0.1 s: Pango plus SVG parsing)."""

    def __init__(self, scene: NNVizScene, size: int = 26, color: str | None = None) -> None:
        super().__init__()
        col = color or scene.palette["muted"]
        self.step = Integer(0, font_size=size * 1.45, color=col, group_with_commas=False)
        self.acc = DecimalNumber(0, num_decimal_places=0, unit=r"\%", font_size=size * 1.45,
                                 color=col)
        self.add(label(scene, "step", size, col), self.step, label(scene, "accuracy", size, col),
                 self.acc)
        self.values = (None, None)
        self.anchor: np.ndarray | None = None
        self.set_values(0, 0.0)

    def set_values(self, step: float, accuracy: float) -> Readout:
        values = (int(round(step)), int(round(100 * accuracy)))
        if values != self.values:
            self.values = values
            self.step.set_value(values[0])
            self.acc.set_value(values[1])
            self.arrange(RIGHT, buff=0.18)
            self.submobjects[2].shift(RIGHT * 0.3)  # a wider gap between the two pairs
            self.submobjects[3].shift(RIGHT * 0.3)
            on_one_baseline(self)
            if self.anchor is not None:
                self.move_to(self.anchor)
        return self

    def place(self, point: np.ndarray) -> Readout:
        self.anchor = np.asarray(point, dtype=float)
        self.move_to(self.anchor)
        return self


class BoundaryPanel(VGroup):
    """A data panel with the network's classified regions and decision boundary,
    recomputed from weights on every call of `show(net)`."""

    def __init__(self, scene: NNVizScene, X: np.ndarray, y: np.ndarray, center, size: float,
                 window: float, resolution: int = 90) -> None:
        super().__init__()
        pal = scene.palette
        self.pal, self.window, self.resolution = pal, window, resolution
        lines = grid_lines((-window, window), (-window, window), 2, 2)
        self.panel = WarpPanel(lines, X, y, [pal["class_a"], pal["class_b"]], center=center,
                               size=size, view=window, grid_color=pal["grid"],
                               border_color=pal["muted"])
        self.panel.grid.set_stroke(opacity=0.0)
        self.boundary = self.panel.add_curve("boundary", [], pal["highlight"], width=4)
        self.regions = RegionFill([pal["class_a"], pal["class_b"]], center, size, opacity=0.22)
        self.add(self.regions, self.panel)

    def show(self, net) -> None:
        lim = (-self.window, self.window)
        xs, ys, values = output_grid(net, lim, lim, self.resolution)
        level = output_threshold(net)
        self.regions.set_classes((values > level).astype(int))
        self.panel.show(boundary=contour(xs, ys, values, level))


# -- too-few-neurons ------------------------------------------------------------------

@dataclass
class TooFewConfig(PlanarDataConfig):
    dataset: str = knob("bullseye", "data set", choices=datasets.PLANAR)
    few: tuple[int, ...] = knob((2,), "hidden widths of the small network",
                                min=1, max=64, max_len=4)
    enough: tuple[int, ...] = knob((4,), "hidden widths of the network with enough neurons",
                                   min=1, max=64, max_len=4)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.05, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(400, "training steps", min=1, max=20000)
    window: float = knob(1.2, "half-width of the plane shown", min=0.5, max=5.0)
    train_time: float = knob(10.0, "seconds for the whole training", min=1.0, max=60.0)

    def _spec(self, hidden: tuple[int, ...]):
        return spec(self.dataset, (2, *hidden, 1), activation="tanh",
                    output_activation="sigmoid", trainer=self.trainer, steps=self.steps,
                    seed=self.seed, record="log:60",
                    trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                    dataset_params=self.data_params())

    def traces(self):
        return {"few": self._spec(self.few), "enough": self._spec(self.enough)}


@register("too-few-neurons", "The same data trained with too few neurons and with enough, "
          "side by side: decision boundaries over training")
class TooFewNeurons(NNVizScene):
    Config = TooFewConfig

    def construct(self) -> None:
        cfg = self.cfg
        data, _ = self.trace_data("few")  # both networks train on the same data
        traces = {k: self.trace(k) for k in ("few", "enough")}
        self.add(title(self, "Too few neurons, then enough"))
        panels, readouts = {}, {}
        t = ValueTracker(0.0)
        for key, x in (("few", -3.4), ("enough", 3.4)):
            tr = traces[key]
            p = BoundaryPanel(self, data.X, data.y, (x, 0.0, 0), 5.2, cfg.window)
            hidden = "-".join(map(str, tr.sizes))
            n_hidden = sum(tr.sizes[1:-1])
            head = label(self, f"{hidden}: {n_hidden} hidden neurons", 28).next_to(
                p.panel.border, UP, buff=0.2)
            panels[key] = p
            readouts[key] = Readout(self).place(
                p.panel.border.get_bottom() + DOWN * 0.35)
            self.add(p, head)

        def update(_m=None) -> None:
            v = t.get_value()
            for key, p in panels.items():
                tr = traces[key]
                p.show(tr.net_at(v, by="record"))
                readouts[key].set_values(tr.step_at(v, "record"),
                                         tr.value_at(tr.accuracy, v, "record"))

        update()
        self.add(*readouts.values())
        # the updater sits on the first panel added, so manim redraws it and all after it
        first = panels["few"]
        first.add_updater(update)
        self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time), rate_func=linear)
        first.remove_updater(update)
        update()
        self.final_accuracy = {k: tr.final_accuracy for k, tr in traces.items()}
        self.wait(self.t(2.0))


# -- warp-training --------------------------------------------------------------------

@dataclass
class WarpTrainingConfig(PlanarDataConfig):
    seed: int = knob(17, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    dataset: str = knob("spirals", "data set", choices=datasets.PLANAR)
    hidden: tuple[int, ...] = knob((2, 2, 2, 2), "hidden widths (the last must be 2)",
                                   min=1, max=64, max_len=8)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.02, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(1500, "training steps", min=1, max=20000)
    records: int = knob(80, "recorded steps (log-spaced) to interpolate between",
                        min=2, max=1000)
    window: float = knob(1.2, "half-width of the input plane shown", min=0.5, max=5.0)
    grid_lines: int = knob(21, "grid lines per direction", min=3, max=60)
    train_time: float = knob(14.0, "seconds for the whole training", min=1.0, max=60.0)
    by: str = knob("record", "time axis: 'record' gives early steps as much time as late ones",
                   choices=("record", "step"))

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.hidden[-1] != 2:
            raise NNVizError(
                f"Setting 'hidden' must end with a width of 2 (the last hidden layer is "
                f"drawn as a plane), got {','.join(map(str, self.hidden))}."
            )

    def traces(self):
        return {"main": spec(self.dataset, (2, *self.hidden, 1), activation="tanh",
                             output_activation="sigmoid", trainer=self.trainer,
                             steps=self.steps, seed=self.seed, record=f"log:{self.records}",
                             trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                             dataset_params=self.data_params())}


@register("warp-training", "The last hidden layer's warp of the plane at successive training "
          "steps: the network learning to untangle")
class WarpTraining(NNVizScene):
    Config = WarpTrainingConfig

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        data, _ = self.trace_data("main")
        X, y = data.X, data.y
        lim = cfg.window
        lines = grid_lines((-lim, lim), (-lim, lim), cfg.grid_lines, 100)
        flat = lines.reshape(-1, 2)
        self.add(title(self, "Watching the warp being learned"))
        left = BoundaryPanel(self, X, y, (-3.4, -0.15, 0), 5.2, lim)
        right = WarpPanel(lines, X, y, [pal["class_a"], pal["class_b"]], center=(3.4, -0.15, 0),
                          size=5.2, view=1.1, grid_color=pal["grid"],
                          border_color=pal["muted"])
        right.add_curve("line", [], pal["highlight"], width=4)
        heads = VGroup(
            label(self, "input plane", 26).next_to(left.panel.border, UP, buff=0.15),
            label(self, f"last hidden layer (of {len(trace.sizes) - 2})", 26).next_to(
                right.border, UP, buff=0.15),
        )
        t = ValueTracker(0.0)
        info = Readout(self).place(np.array([0.0, -3.72, 0.0]))
        zoom = DecimalNumber(1.0, num_decimal_places=1, font_size=34, color=pal["muted"])
        zoom_lbl = label(self, "zoom x", 24, pal["muted"])
        folds = label(self, "a layer folds here (det near 0)", 24, pal["negative"])
        folds.next_to(info, RIGHT, buff=0.4).set_opacity(0.0)
        self.flags: list[float] = []

        def update(_m=None) -> None:
            v = t.get_value()
            net = trace.net_at(v, cfg.by)
            left.show(net)
            h = hidden_outputs(net, flat)[-1]
            pts = hidden_outputs(net, X)[-1]
            w, b = net.weights[-1][0], float(net.biases[-1][0])
            seg = separating_line(w, b, box=1.0, n=40)
            right.show(h.reshape(lines.shape), pts, view=view_for(pts, minimum=0.02),
                       line=[seg] if len(seg) else [])
            zoom.set_value(1.1 / right.view)
            on_one_baseline(VGroup(zoom_lbl, zoom).arrange(RIGHT, buff=0.08)).next_to(
                right.border, DOWN, buff=0.15).align_to(right.border, RIGHT)
            info.set_values(trace.step_at(v, cfg.by), trace.value_at(trace.accuracy, v, cfg.by))
            bad = [c for c in check_network(net) if not c.invertible]
            folds.set_opacity(1.0 if bad else 0.0)
            if bad:
                self.flags.append(v)

        update()
        legend = MathTex(r"w \cdot h + b = 0", font_size=30, color=pal["highlight"])
        legend.next_to(right.border, DOWN, buff=0.15).align_to(right.border, LEFT)
        legend.set_z_index(5)
        self.add(left, right, heads, info, legend, zoom, zoom_lbl, folds)
        left.add_updater(update)  # on the first mobject added: everything is redrawn
        self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time), rate_func=linear)
        left.remove_updater(update)
        update()
        self.last_hidden = right.cloud.positions.copy()
        self.wait(self.t(2.0))
