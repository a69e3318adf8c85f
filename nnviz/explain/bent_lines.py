"""A one-hidden-layer ReLU network is a sum of bent lines.

out(x) = c + sum_j v_j relu(w_j x + b_j): neuron j contributes a line that is flat on
one side of its bend x = -b_j / w_j and has slope v_j w_j on the other. These helpers
split a network (given as plain weight arrays) into those parts, so a scene can draw
each one and add them up; the sum is the forward pass exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnviz.core.errors import NNVizError


def _check(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> None:
    if len(weights) != 2 or weights[0].shape[1] != 1 or weights[1].shape[0] != 1:
        shapes = [w.shape for w in weights]
        raise NNVizError(
            f"Bent lines need a 1-input, 1-hidden-layer, 1-output network; got layers {shapes}."
        )


def bent_lines(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
               x: np.ndarray) -> np.ndarray:
    """(n_hidden, len(x)): neuron j's scaled bent line v_j * relu(w_j x + b_j) at x."""
    _check(weights, biases)
    x = np.asarray(x, dtype=float).ravel()
    w, b = weights[0][:, 0], biases[0]
    v = weights[1][0]
    return v[:, None] * np.maximum(0.0, w[:, None] * x[None, :] + b[:, None])


def bends(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray]) -> np.ndarray:
    """Where each hidden neuron bends, x = -b/w (NaN for a neuron with w = 0: no bend)."""
    _check(weights, biases)
    w, b = weights[0][:, 0], biases[0]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(w != 0, -b / w, np.nan)


def partial_sums(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                 x: np.ndarray) -> np.ndarray:
    """(n_hidden + 1, len(x)): output bias plus the first k bent lines, k = 0..n_hidden.

    The last row is the network's output.
    """
    parts = bent_lines(weights, biases, x)
    c = float(biases[1][0])
    return c + np.vstack([np.zeros((1, parts.shape[1])), np.cumsum(parts, axis=0)])
