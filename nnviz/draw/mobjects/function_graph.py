"""FunctionGraph: the curve a 1-input, 1-output network draws, exact for ReLU networks.

Fed by plain weight and bias arrays. A ReLU network's graph is drawn through its exact
breakpoints (from nnviz.pieces), so every corner on screen is a real bend of the network
and the number of straight pieces is `n_pieces`. Call `set_params(weights, biases)` every
frame (e.g. from an updater reading `trace.params_at(t)`) to animate training. For a
one-hidden-layer network, `bent_line_graphs()` splits it into the per-neuron scaled bent
lines v_j relu(w_j x + b_j), and `partial_sum_graph(k)` adds the first k of them up.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import Axes, VGroup, VMobject

from nnviz.core.network import MLP
from nnviz.explain.bent_lines import bends, bent_lines, partial_sums
from nnviz.explain.pieces import linear_pieces
from nnviz.spec.palette import NEURON_HUES, PALETTE

Params = tuple[Sequence[np.ndarray], Sequence[np.ndarray]]


def clipped_polyline(xs: np.ndarray, ys: np.ndarray, lo: float, hi: float
                     ) -> list[np.ndarray]:
    """Split the polyline through (xs, ys) into runs that stay within lo <= y <= hi.

    Each straight segment is cut exactly where it leaves the band, so a curve that runs
    off the axes stops at the edge instead of being flattened onto it.
    """
    runs: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for x0, y0, x1, y1 in zip(xs[:-1], ys[:-1], xs[1:], ys[1:], strict=True):
        t0, t1 = 0.0, 1.0
        dy = y1 - y0
        if dy == 0.0:
            if not lo <= y0 <= hi:
                t0, t1 = 1.0, 0.0
        else:
            ta, tb = (lo - y0) / dy, (hi - y0) / dy
            t0, t1 = max(t0, min(ta, tb)), min(t1, max(ta, tb))
        if t0 > t1:
            if current:
                runs.append(current)
                current = []
            continue
        a = (x0 + t0 * (x1 - x0), y0 + t0 * dy)
        b = (x0 + t1 * (x1 - x0), y0 + t1 * dy)
        if t0 > 0.0 and current:  # re-entering the band: a new run
            runs.append(current)
            current = []
        if not current:
            current.append(a)
        current.append(b)
        if t1 < 1.0:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return [np.array(r) for r in runs if len(r) >= 2]


def set_polyline(mob: VMobject, axes: Axes, xs: np.ndarray, ys: np.ndarray) -> VMobject:
    """Make mob the polyline through data points (xs, ys), clipped to the axes' y range."""
    lo, hi = float(axes.y_range[0]), float(axes.y_range[1])
    runs = clipped_polyline(np.asarray(xs, float), np.asarray(ys, float), lo, hi)
    mob.clear_points()
    for run in runs:
        pts = np.array([axes.c2p(x, y) for x, y in run])
        mob.start_new_path(pts[0])
        mob.add_points_as_corners(pts[1:])
    if not runs:  # keep a point so the mobject stays valid and animatable
        mob.set_points_as_corners([axes.c2p(xs[0], lo), axes.c2p(xs[0], lo)])
        mob.set_stroke(opacity=0.0)
    else:
        mob.set_stroke(opacity=1.0)
    return mob


class FunctionGraph(VMobject):
    """The graph of a 1-in 1-out network over `x_range`, drawn on `axes`.

    For ReLU (or identity) networks it is drawn through the exact breakpoints;
    for smooth activations it is sampled at `samples` points.
    """

    def __init__(
        self,
        axes: Axes,
        weights: Sequence[np.ndarray],
        biases: Sequence[np.ndarray],
        *,
        x_range: tuple[float, float] | None = None,
        activation: str = "relu",
        output_activation: str = "identity",
        color: str = PALETTE["text"],
        stroke_width: float = 5.0,
        samples: int = 400,
    ) -> None:
        super().__init__(stroke_color=color, stroke_width=stroke_width)
        self.axes = axes
        lo, hi = x_range if x_range is not None else (axes.x_range[0], axes.x_range[1])
        self.x_range = (float(lo), float(hi))
        self.activation = activation
        self.output_activation = output_activation
        self.samples = int(samples)
        self.exact = {activation, output_activation} <= {"relu", "identity"}
        self.set_params(weights, biases)

    # -- the network ------------------------------------------------------------------
    def set_params(self, weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]
                   ) -> FunctionGraph:
        """Redraw for new weights and biases (same architecture or not)."""
        w = [np.array(a, dtype=float) for a in weights]
        b = [np.array(a, dtype=float).ravel() for a in biases]
        sizes = (w[0].shape[1],) + tuple(a.shape[0] for a in w)
        self.net = MLP(sizes, self.activation, self.output_activation).set_weights(w, b)
        lo, hi = self.x_range
        if self.exact:
            self.pieces = linear_pieces(self.net, lo, hi)
            xs = self.pieces.edges
        else:
            self.pieces = None
            xs = np.linspace(lo, hi, self.samples)
        set_polyline(self, self.axes, xs, self.function(xs))
        return self

    @property
    def params(self) -> Params:
        return self.net.weights, self.net.biases

    @property
    def n_pieces(self) -> int:
        """Exact number of straight pieces on x_range (ReLU networks only)."""
        if self.pieces is None:
            raise ValueError("piece counts need a ReLU network")
        return len(self.pieces)

    def function(self, x: np.ndarray | float) -> np.ndarray:
        """The network's output at x (the forward pass)."""
        x = np.atleast_1d(np.asarray(x, dtype=float))
        return self.net.forward(x[:, None])[:, 0]

    def follow(self, params: Callable[[], Params]) -> FunctionGraph:
        """Redraw every frame from params() -> (weights, biases), e.g. a trace at a tracker."""
        self.add_updater(lambda m: m.set_params(*params()))
        return self

    # -- bent lines (one hidden layer) --------------------------------------------------
    def _grid(self, k: int | None = None) -> np.ndarray:
        lo, hi = self.x_range
        bx = bends(*self.params)
        if k is not None:
            bx = bx[:k]
        bx = bx[np.isfinite(bx) & (bx > lo) & (bx < hi)]
        return np.unique(np.concatenate([[lo, hi], bx]))

    def bent_line_graphs(self, colors: Sequence[str] = NEURON_HUES,
                         stroke_width: float | None = None) -> VGroup:
        """One curve per hidden neuron: v_j relu(w_j x + b_j), in its own colour."""
        width = stroke_width if stroke_width is not None else self.get_stroke_width() * 0.7
        out = VGroup()
        w, b = self.params
        for j in range(w[0].shape[0]):
            xs = self._grid()
            ys = bent_lines(w, b, xs)[j]
            mob = VMobject(stroke_color=colors[j % len(colors)], stroke_width=width)
            out.add(set_polyline(mob, self.axes, xs, ys))
        return out

    def partial_sum_graph(self, k: int, color: str | None = None,
                          stroke_width: float | None = None) -> VMobject:
        """Output bias plus the first k bent lines (k = n_hidden gives the network itself)."""
        xs = self._grid(k)
        ys = partial_sums(*self.params, xs)[k]
        mob = VMobject(stroke_color=color or self.get_stroke_color(),
                       stroke_width=stroke_width or self.get_stroke_width())
        return set_polyline(mob, self.axes, xs, ys)


__all__ = ["FunctionGraph", "clipped_polyline", "set_polyline"]
