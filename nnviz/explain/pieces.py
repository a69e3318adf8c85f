"""Exact linear pieces of a 1-input, 1-output ReLU network.

On each interval between breakpoints every neuron is affine in x, z = s x + c. A layer
adds a breakpoint wherever one of its neurons crosses zero inside an interval; ReLU then
keeps or zeroes that neuron on each side. Carrying (s, c) through all layers gives the
network's output exactly, piece by piece, with no sampling.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.core.network import MLP

_PIECEWISE_LINEAR = {"relu", "identity"}


class Pieces(NamedTuple):
    edges: np.ndarray  # (k + 1,) interval ends, edges[0] = lo, edges[-1] = hi
    slopes: np.ndarray  # (k,) output slope on each piece
    intercepts: np.ndarray  # (k,) output intercept on each piece

    def __len__(self) -> int:
        return int(self.slopes.size)


def _check(net: MLP, lo: float, hi: float) -> None:
    if net.sizes[0] != 1 or net.sizes[-1] != 1:
        raise NNVizError(f"Piece counting needs 1 input and 1 output; this network is {net}.")
    if net.activation not in _PIECEWISE_LINEAR or net.output_activation not in _PIECEWISE_LINEAR:
        raise NNVizError(f"Piece counting needs ReLU (or identity) activations; this is {net}.")
    if not hi > lo:
        raise NNVizError(f"Empty interval [{lo}, {hi}]: give lo < hi.")


def _layers(net: MLP, lo: float, hi: float):
    """Walk the layers on [lo, hi], splitting intervals where a unit's pre-activation
    crosses zero. Yields (layer, interval edges, pre-activation slopes SZ and intercepts CZ
    per interval and unit after the activation, whether each unit is on there, whether
    the layer is ReLU)."""
    _check(net, lo, hi)
    edges = np.array([lo, hi], dtype=float)
    S = np.ones((1, 1))  # slope of each unit on each interval: (n_intervals, n_units)
    C = np.zeros((1, 1))
    eps = 1e-12 * (hi - lo)
    for layer, (W, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        SZ, CZ = S @ W.T, C @ W.T + b
        with np.errstate(divide="ignore", invalid="ignore"):
            roots = -CZ / SZ
        inside = (SZ != 0) & (roots > edges[:-1, None] + eps) & (roots < edges[1:, None] - eps)
        old = edges
        edges = np.unique(np.concatenate([old, roots[inside]]))
        mids = 0.5 * (edges[:-1] + edges[1:])
        parent = np.clip(np.searchsorted(old, mids, side="right") - 1, 0, len(old) - 2)
        SZ, CZ = SZ[parent], CZ[parent]
        relu = net.layer_activation(layer).name == "relu"
        on = (SZ * mids[:, None] + CZ) > 0 if relu else np.ones(SZ.shape, dtype=bool)
        if relu:
            SZ, CZ = SZ * on, CZ * on
        yield layer, edges, SZ, CZ, on, relu
        S, C = SZ, CZ


def linear_pieces(net: MLP, lo: float, hi: float) -> Pieces:
    """The maximal linear pieces of net on [lo, hi], with their slopes and intercepts."""
    *_, (_, edges, S, C, _, _) = _layers(net, lo, hi)  # the output layer's pieces
    return _merge(edges, S[:, 0], C[:, 0])


def _merge(edges: np.ndarray, s: np.ndarray, c: np.ndarray) -> Pieces:
    """Join neighbouring intervals on which the output is the same line."""
    scale = 1e-9 * max(1.0, float(np.max(np.abs(s))), float(np.max(np.abs(c))))
    keep = [0]
    for k in range(1, len(s)):
        j = keep[-1]
        if abs(s[k] - s[j]) > scale or abs(c[k] - c[j]) > scale:
            keep.append(k)
    keep_arr = np.array(keep)
    new_edges = np.append(edges[keep_arr], edges[-1])
    return Pieces(new_edges, s[keep_arr], c[keep_arr])


def count_linear_pieces(net: MLP, lo: float, hi: float) -> int:
    """The exact number of linear pieces of a 1-in, 1-out ReLU network on [lo, hi]."""
    return len(linear_pieces(net, lo, hi))


def breakpoints(net: MLP, lo: float, hi: float) -> np.ndarray:
    """Where the output really bends inside (lo, hi)."""
    return linear_pieces(net, lo, hi).edges[1:-1]


def dead_units(net: MLP, lo: float, hi: float) -> list[np.ndarray]:
    """For each hidden ReLU layer, which units are dead on [lo, hi]: zero for every input
    there (their pre-activation never rises above zero on any piece). A dead unit passes
    nothing on, so its bends are lost; narrow nets that lose a whole layer this way output
    a constant. Non-ReLU layers get an all-False array."""
    out: list[np.ndarray] = []
    for layer, _, _, _, on, relu in _layers(net, lo, hi):
        if layer < len(net.weights) - 1:  # hidden layers only
            out.append(~on.any(axis=0) if relu else np.zeros(on.shape[1], dtype=bool))
    return out
