"""Warps while the network learns: the last hidden layer's picture of the plane at
successive training steps, and decision boundaries of a network with too few neurons
beside one with enough. Driven by recorded traces (trace.params_at), never retrained.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, ValueTracker, VGroup, linear

from nnviz.core import datasets
from nnviz.core.errors import NNVizError
from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects import DecimalNumber, Integer, MathTex
from nnviz.draw.mobjects.baseline import NumberRow
from nnviz.draw.mobjects.warp_grid import RegionFill, WarpPanel
from nnviz.draw.scene import NNVizScene, label, register, title
from nnviz.explain.warp import (
    check_network,
    contour,
    grid_lines,
    hidden_outputs,
    orient_signs,
    output_grid,
    output_threshold,
    resign,
    saturation,
    separating_line,
    view_for,
)
from nnviz.spec.config import PlanarDataConfig, knob, spec

from .warp import SATURATES


class Readout(NumberRow):
    """'step 120   accuracy 93%' whose numbers change without rebuilding any Text
    (a new Text per frame costs ~0.1 s: Pango plus SVG parsing); the row is laid out
    again only when a number's text changes."""

    def __init__(self, scene: NNVizScene, size: int = 26, color: str | None = None) -> None:
        col = color or scene.palette["muted"]
        self.step = Integer(0, font_size=size * 1.45, color=col, group_with_commas=False)
        self.acc = DecimalNumber(0, num_decimal_places=0, unit=r"\%", font_size=size * 1.45,
                                 color=col)
        # a wider gap between the two pairs
        super().__init__(label(scene, "step", size, col), self.step,
                         label(scene, "accuracy", size, col), self.acc, gaps=(0.18, 0.48, 0.18))
        self.values = (None, None)
        self.set_values(0, 0.0)

    def set_values(self, step: float, accuracy: float) -> Readout:
        values = (int(round(step)), int(round(100 * accuracy)))
        if values != self.values:
            self.values = values
            super().set_values(*values)
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
        self.shown: tuple[bytes, ...] | None = None

    def show(self, net) -> None:
        # a frame whose network has the weights already shown (between two equal
        # records, or the last frame again after the animation) costs nothing
        key = tuple(a.tobytes() for a in (*net.weights, *net.biases))
        if key == self.shown:
            return
        self.shown = key
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
        cfg, pal = self.cfg, self.palette
        data, _ = self.trace_data("few")  # both networks train on the same data
        traces = {k: self.trace(k) for k in ("few", "enough")}
        head = title(self, "Too few neurons, then enough")
        panels, readouts, heads = {}, {}, {}
        t = ValueTracker(0.0)
        for key, x in (("few", -3.4), ("enough", 3.4)):
            tr = traces[key]
            p = BoundaryPanel(self, data.X, data.y, (x, -0.1, 0), 5.2, cfg.window)
            hidden = "-".join(map(str, tr.sizes))
            n_hidden = sum(tr.sizes[1:-1])
            heads[key] = label(self, f"{hidden}: {n_hidden} hidden neurons", 28).next_to(
                p.panel.border, UP, buff=0.2)
            panels[key] = p
            readouts[key] = Readout(self).place(
                p.panel.border.get_bottom() + DOWN * 0.35)

        def update(_m=None) -> None:
            v = t.get_value()
            for key, p in panels.items():
                tr = traces[key]
                p.show(tr.net_at(v, by="record"))
                readouts[key].set_values(tr.step_at(v, "record"),
                                         tr.value_at(tr.accuracy, v, "record"))

        update()
        few, enough = (sum(traces[k].sizes[1:-1]) for k in ("few", "enough"))
        with self.beat("setup", f"The same data, two networks: one with {few} hidden "
                                f"neurons, one with {enough}. Shaded: what each one answers."):
            self.play(FadeIn(head), *(FadeIn(m) for m in (*panels.values(), *heads.values())),
                      run_time=self.t(1.0))
            self.read_along(VGroup(*heads.values()))
        # the updater sits on the first panel added, so manim redraws it and all after it
        first = panels["few"]
        with self.beat("train", "Both train for the same number of steps, side by side: "
                                "watch each boundary move."):
            self.play(*(FadeIn(r) for r in readouts.values()), run_time=self.t(0.5))
            first.add_updater(update)
            self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time),
                      rate_func=linear)
            first.remove_updater(update)
            update()
        self.final_accuracy = {k: tr.final_accuracy for k, tr in traces.items()}
        wrong = int(np.sum(traces["few"].net_at(1.0).predict(data.X) != data.y))
        verdicts = VGroup(*[
            label(self, text, 24, pal["negative"] if bad else pal["muted"]).next_to(
                readouts[key], DOWN, buff=0.15)
            for key, text, bad in (
                ("few", f"{few} neurons: {wrong} points still wrong",
                 self.final_accuracy["few"] < 1.0),
                ("enough", f"{enough} neurons: {self.final_accuracy['enough']:.0%} right",
                 False))])
        with self.beat("verdict", "Too few neurons is not a training problem: the network "
                                  "cannot draw the shape at all. More neurons can.", last=True):
            self.play(FadeIn(verdicts), run_time=self.t(0.8))
            self.read_along(verdicts)


# -- warp-training --------------------------------------------------------------------

@dataclass
class WarpTrainingConfig(PlanarDataConfig):
    seed: int = knob(3, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    dataset: str = knob("spirals", "data set", choices=datasets.PLANAR)
    turns: float = knob(1.5, "spiral turns (spirals only)", min=0.25, max=3.0)
    hidden: tuple[int, ...] = knob((2, 2, 2, 2, 2, 2), "hidden widths (the last must be 2)",
                                   min=1, max=64, max_len=8)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.03, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(6000, "training steps", min=1, max=20000)
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
        # one set of unit signs for the whole run, from the trained network: re-signing
        # each frame on its own would flip the hidden picture whenever a det changes sign
        self.signs = orient_signs(trace.net_at(1.0))
        lines = grid_lines((-lim, lim), (-lim, lim), cfg.grid_lines, 100)
        flat = lines.reshape(-1, 2)
        head = title(self, "Watching the warp being learned")
        left = BoundaryPanel(self, X, y, (-3.4, -0.15, 0), 5.2, lim)
        right = WarpPanel(lines, X, y, [pal["class_a"], pal["class_b"]], center=(3.4, -0.15, 0),
                          size=5.2, view=1.1, grid_color=pal["grid"],
                          border_color=pal["muted"])
        right.add_curve("line", [], pal["highlight"], width=4)
        n_hidden = len(trace.sizes) - 2
        # tanh's square, where the line below is clipped: drawn, so the line ends at an edge
        right.add_curve("square", [np.array([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1.0]])],
                        pal["muted"], width=1.5)
        head_left = label(self, "input plane", 26).next_to(left.panel.border, UP, buff=0.15)
        head_right = label(self, f"after hidden layer {n_hidden} (the last)", 26).next_to(
            right.border, UP, buff=0.15)
        t = ValueTracker(0.0)
        info = Readout(self).place(np.array([0.0, -3.72, 0.0]))
        zoom = DecimalNumber(1.0, num_decimal_places=1, font_size=34, color=pal["muted"])
        zoom_lbl = label(self, "zoom \u00d7", 24, pal["muted"])
        zoom_row = NumberRow(zoom_lbl, zoom, gaps=0.08).place(
            right.border.get_corner(DOWN + LEFT) + DOWN * 0.15 + RIGHT * 3.2, UP + LEFT)
        flat_flags = [
            label(self, f"layer {k + 1} passes through flat: det W{k + 1} \u2248 0", 22,
                  pal["negative"]).next_to(right.border, UP, buff=0.15)
            for k in range(n_hidden)]
        # the right panel's heading, or in its place the flag of a layer passing through
        # flat: one slot holding one of them, so hidden flags are not on screen at all
        # (at opacity 0 they were walked and skipped every frame: 200 glyphs)
        slot = VGroup(head_right)
        self.flags: list[tuple[float, int]] = []
        self.flag_shown: int | None = -1  # the flag on screen (None: none; -1: not set yet)
        # a flag stays up at least this share of the training (2 s): a layer is flat for
        # well under a second of the animation, too short to read
        self.hold = 2.0 / cfg.train_time
        self.flag_since = -1.0

        def update(_m=None) -> None:
            v = t.get_value()
            net = resign(trace.net_at(v, cfg.by), self.signs)
            left.show(net)
            h = hidden_outputs(net, flat)[-1]
            pts = hidden_outputs(net, X)[-1]
            w, b = net.weights[-1][0], float(net.biases[-1][0])
            seg = separating_line(w, b, box=1.0, n=40)
            right.show(h.reshape(lines.shape), pts, view=view_for(pts, minimum=0.02),
                       line=[seg] if len(seg) else [])
            zoom_row.set_values(1.1 / right.view)
            info.set_values(trace.step_at(v, cfg.by), trace.value_at(trace.accuracy, v, cfg.by))
            bad = [c.layer for c in check_network(net) if not c.invertible]
            shown = bad[0] if bad else None
            if shown is None and self.flag_shown is not None and v - self.flag_since < self.hold:
                shown = self.flag_shown  # held: the layer passed through flat just now
            if shown != self.flag_shown:
                self.flag_since = v
                slot.submobjects = [head_right if shown is None else flat_flags[shown]]
                self.flag_shown = shown
            if bad:
                self.flags.append((v, bad[0]))

        update()
        legend = MathTex(r"w \cdot h + b = 0", font_size=30, color=pal["highlight"])
        legend.next_to(right.border, DOWN, buff=0.15).align_to(right.border, LEFT)
        with self.beat("setup", "Left, the input plane and what the network answers; right, "
                                "the same plane after the last hidden layer, with the "
                                "output's straight line."):
            # a layer already flat at the start says so (else the right panel's curve,
            # a flattened plane, would go unexplained)
            self.play(*(FadeIn(m) for m in (head, left, right, head_left, legend, slot,
                                            zoom, zoom_lbl)),
                      run_time=self.t(1.0))
            self.read_along(head_left, slot)
        flattens = any(not c.invertible for r in range(len(trace.accuracy))
                       for c in check_network(trace.net_at(r / max(len(trace.accuracy) - 1, 1),
                                                           "record")))
        sentence = ("Training changes every layer a little at each step; the warp moves until "
                    "the line separates the classes.")
        if flattens:
            sentence += (" When a layer's det W passes through 0, that layer really does "
                         "flatten the plane for a moment.")
        with self.beat("train", sentence):
            self.play(FadeIn(info), run_time=self.t(0.5))
            # what the updater changes goes last and on the labels' layer, so the title, the
            # left heading and the legend before it are drawn once into manim's static
            # picture instead of every frame (manim redraws from the first moving mobject on)
            moving = (left, right, slot, info, zoom, zoom_lbl)
            for m in moving:
                m.set_z_index(5)
            self.add(*moving)
            # manim draws, all play long, every family member a moving mobject had when the
            # play began: a flag in the slot then would stay drawn after it left the slot.
            # Empty at the start, the slot's members are read afresh each frame.
            slot.submobjects = []
            self.flag_shown = -1
            left.add_updater(update)
            self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time),
                      rate_func=linear)
            left.remove_updater(update)
            self.hold = 0.0  # training is over: the flags say only what is true at its end
            update()
            self.read_along(info)
        self.last_hidden = right.cloud.positions.copy()
        # the verdict takes the title's place: the row under the panels is the readouts'
        verdict = label(self, "the straight line on the right is the curved boundary on the "
                        "left", 28, pal["highlight"]).move_to(head)
        # how hard the last layer squeezes, from its own outputs (said when it saturates)
        self.saturation = saturation(self.last_hidden)
        sentence = "At the end of training, the warped plane is split by one straight line."
        shown, gone = [verdict], [head]
        if self.saturation > SATURATES:
            sentence += (" To get there the last layer saturates: it presses almost every "
                         "point against the edges of tanh's square.")
            # in place of the right panel's heading: the row under it is full
            sat = label(self, f"layer {n_hidden} saturated: {self.saturation:.0%} at the "
                        "edges", 24, pal["negative"]).move_to(head_right)
            shown.append(sat)
            gone.append(slot)
        with self.beat("end", sentence, last=True):
            self.play(*[FadeIn(m) for m in shown], *[m.animate.set_opacity(0.0) for m in gone],
                      run_time=self.t(0.6))
            self.read_along(*shown)
