"""LossCurve: a loss-over-training plot fed by plain arrays, revealed up to a point in time.

Usage (a scene that animates training with a ValueTracker t in [0, 1]):

    curve = LossCurve(trace.steps, trace.loss, second=trace.test_loss, log=True)
    curve.track(t_tracker)            # curve and marker follow the tracker every frame
    self.play(t_tracker.animate.set_value(1.0))

`t` means the same as in `Trace.params_at(t, by="step")`: a fraction of the way from the
first to the last step, so the marker sits at the step the network on screen is at.
The mobject never reads a Trace; pass its arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, Line, ValueTracker, VGroup, VMobject

from nnviz.draw.patches.numbers import MathTex, Text
from nnviz.spec.palette import PALETTE

SECOND_COLOUR = PALETTE["highlight"]


class LossCurve(VGroup):
    """Axes with one or two loss series (e.g. training and test loss) drawn up to a step.

    Parts (stable attribute names): `axes`, `curve` (first series), `second_curve`
    (or None), `marker` (a dot at the current point of the first series), `label`
    (axis title), `x_label`, `legend` (or None).
    """

    def __init__(
        self,
        steps: Sequence[float] | np.ndarray,
        loss: Sequence[float] | np.ndarray,
        *,
        second: Sequence[float] | np.ndarray | None = None,
        labels: tuple[str, str] = ("train", "test"),
        log: bool = False,
        width: float = 5.0,
        height: float = 3.0,
        label: str = "loss",
        x_label: str = "step",
        color: str = PALETTE["text"],
        second_color: str = SECOND_COLOUR,
        axis_color: str = PALETTE["muted"],
        font_size: float = 24,
        stroke_width: float = 4.0,
        progress: float = 1.0,
    ) -> None:
        super().__init__()
        self.steps = np.asarray(steps, dtype=float).ravel()
        self.values = [np.asarray(loss, dtype=float).ravel()]
        if second is not None:
            self.values.append(np.asarray(second, dtype=float).ravel())
        for v in self.values:
            if v.shape != self.steps.shape:
                raise ValueError(f"loss series has {v.size} values for {self.steps.size} steps")
        if self.steps.size < 1:
            raise ValueError("LossCurve needs at least one recorded step")
        self.log = bool(log)
        self._ys = [self._y(v) for v in self.values]

        lo_x, hi_x = float(self.steps[0]), float(self.steps[-1])
        if hi_x <= lo_x:
            hi_x = lo_x + 1.0
        finite = np.concatenate([y[np.isfinite(y)] for y in self._ys])
        if finite.size == 0:
            finite = np.array([0.0, 1.0])
        y_lo, y_hi = float(finite.min()), float(finite.max())
        if self.log:
            y_lo, y_hi = np.floor(y_lo), np.ceil(y_hi)
            if y_hi <= y_lo:
                y_hi = y_lo + 1.0
        else:
            y_lo = min(0.0, y_lo)
            y_hi = y_hi + 0.05 * (y_hi - y_lo) if y_hi > y_lo else y_lo + 1.0

        # The axes count from (0, 0) at the lower left so the x axis sits at the bottom
        # whatever the loss range; _c2p maps (step, y) into them.
        self._origin = (lo_x, y_lo)
        self.axes = Axes(
            x_range=[0.0, hi_x - lo_x, _nice_step(hi_x - lo_x)],
            y_range=[0.0, y_hi - y_lo, 1.0 if self.log else _nice_step(y_hi - y_lo)],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": axis_color, "stroke_width": 2, "include_ticks": True},
        )
        self.add(self.axes)
        self._add_y_ticks(y_lo, y_hi, font_size * 1.15, axis_color)

        self.label = Text(label, font_size=font_size, color=color)
        self.label.next_to(self.axes.y_axis, UP, buff=0.15).align_to(self.axes, LEFT)
        self.x_label = Text(x_label, font_size=font_size, color=axis_color)
        self.x_label.next_to(self.axes.x_axis, DOWN, buff=0.15).align_to(self.axes, RIGHT)
        self.add(self.label, self.x_label)

        colours = [color, second_color]
        self.curve = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.second_curve = None
        if len(self.values) > 1:
            self.second_curve = VMobject(stroke_color=second_color, stroke_width=stroke_width)
            self.add(self.second_curve)
        self.add(self.curve)
        self.marker = Dot(radius=0.07, color=color)
        self.add(self.marker)

        self.legend = None
        if len(self.values) > 1:
            items = VGroup()
            for text, col in zip(labels, colours, strict=True):
                swatch = Line(ORIGIN_3, 0.35 * RIGHT, color=col, stroke_width=stroke_width)
                items.add(VGroup(swatch, Text(text, font_size=font_size, color=col)
                                 .next_to(swatch, RIGHT, buff=0.1)))
            items.arrange(RIGHT, buff=0.3)
            items.next_to(self.axes, UP, buff=0.15).align_to(self.axes, RIGHT)
            self.legend = items
            self.add(items)

        self.progress = 0.0
        self.set_progress(progress)

    # -- coordinates ------------------------------------------------------------------
    def _y(self, v: np.ndarray) -> np.ndarray:
        if not self.log:
            return v
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(v > 0, np.log10(np.maximum(v, 1e-300)), np.nan)

    def _c2p(self, x: float, y: float) -> np.ndarray:
        return self.axes.c2p(x - self._origin[0], y - self._origin[1])

    def step_at(self, t: float) -> float:
        """The training step that fraction t in [0, 1] of the run stands for."""
        t = float(np.clip(t, 0.0, 1.0))
        return float(self.steps[0] + t * (self.steps[-1] - self.steps[0]))

    def value_at(self, t: float, series: int = 0) -> float:
        """Loss of a series at t, linearly interpolated between recorded steps."""
        return float(np.interp(self.step_at(t), self.steps, self.values[series]))

    def point_at(self, t: float, series: int = 0) -> np.ndarray:
        """Scene point of a series at t (where the marker goes)."""
        s = self.step_at(t)
        y = float(np.interp(s, self.steps, self._ys[series]))
        return self._c2p(s, y)

    def _points_upto(self, series: int, step: float) -> np.ndarray:
        keep = self.steps < step
        xs = np.append(self.steps[keep], step)
        ys = np.append(self._ys[series][keep], np.interp(step, self.steps, self._ys[series]))
        ok = np.isfinite(ys)
        xs, ys = xs[ok], ys[ok]
        if xs.size == 1:
            xs, ys = np.repeat(xs, 2), np.repeat(ys, 2)
        return np.array([self._c2p(x, y) for x, y in zip(xs, ys, strict=True)])

    # -- animation --------------------------------------------------------------------
    def set_progress(self, t: float) -> LossCurve:
        """Reveal the series up to fraction t in [0, 1] of training and move the marker there."""
        self.progress = float(np.clip(t, 0.0, 1.0))
        step = self.step_at(self.progress)
        self.curve.set_points_as_corners(self._points_upto(0, step))
        if self.second_curve is not None:
            self.second_curve.set_points_as_corners(self._points_upto(1, step))
        self.marker.move_to(self.point_at(self.progress))
        return self

    def track(self, tracker: ValueTracker) -> LossCurve:
        """Follow tracker (value t in [0, 1]) every frame; remove with clear_updaters()."""
        self.add_updater(lambda m: m.set_progress(tracker.get_value()))
        return self

    # -- helpers ----------------------------------------------------------------------
    def _add_y_ticks(self, y_lo: float, y_hi: float, size: float, colour: str) -> None:
        ticks = VGroup()
        if self.log:
            per_decade = abs(self._c2p(0, 1)[1] - self._c2p(0, 0)[1])
            stride = max(1, int(np.ceil(0.45 / max(per_decade, 1e-9))))  # labels >= 0.45 apart
            for k in range(int(y_hi), int(y_lo) - 1, -stride):
                ticks.add(MathTex(f"10^{{{k}}}", font_size=size, color=colour)
                          .next_to(self._c2p(self.steps[0], k), LEFT, buff=0.1))
        else:
            for y in (y_lo, y_hi):
                ticks.add(MathTex(_fmt(y), font_size=size, color=colour)
                          .next_to(self._c2p(self.steps[0], y), LEFT, buff=0.1))
        self.y_ticks = ticks
        self.add(ticks)


ORIGIN_3 = np.zeros(3)


def _nice_step(span: float) -> float:
    """A round tick spacing giving about 4-8 ticks over span."""
    if span <= 0:
        return 1.0
    raw = span / 5.0
    mag = 10 ** np.floor(np.log10(raw))
    for m in (1, 2, 5, 10):
        if m * mag >= raw:
            return float(m * mag)
    return float(10 * mag)


def _fmt(y: float) -> str:
    return f"{y:.2g}" if abs(y) < 100 else f"{y:.0f}"


__all__ = ["LossCurve"]
