"""Losses E(answer, truth), averaged over samples and summed over outputs.

Each loss also gives dE/da, its slope with respect to the network's answer a, which
backpropagation carries back through the layers. Softmax cross-entropy treats the
answer as logits and gives dE/dz directly (the softmax Jacobian folds away).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nnviz.core.errors import NNVizError, choices_hint

_EPS = 1e-12


@dataclass(frozen=True)
class Loss:
    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    grad: Callable[[np.ndarray, np.ndarray], np.ndarray]  # dE/da (or dE/dz for logits)
    on_logits: bool = False  # True: grad is already dE/dz of the last layer


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def _n(a: np.ndarray) -> int:
    return a.shape[0]


def _bce_value(a: np.ndarray, y: np.ndarray) -> float:
    a = np.clip(a, _EPS, 1 - _EPS)
    return float(-np.sum(y * np.log(a) + (1 - y) * np.log(1 - a)) / _n(a))


def _bce_grad(a: np.ndarray, y: np.ndarray) -> np.ndarray:
    a = np.clip(a, _EPS, 1 - _EPS)
    return (a - y) / (a * (1 - a)) / _n(a)


def sigmoid_bce_value(z: np.ndarray, y: np.ndarray) -> float:
    """Binary cross-entropy of sigmoid(z), computed from the logits z without clipping.

    -y log s(z) - (1 - y) log(1 - s(z)) = log(1 + e^z) - y z, exact even where the
    sigmoid rounds to 0 or 1.
    """
    return float(np.sum(np.logaddexp(0.0, z) - y * z) / _n(z))


def _softmax_ce_value(z: np.ndarray, y: np.ndarray) -> float:
    """mean over samples of -sum(y log softmax(z)) = logsumexp(z) - y.z per sample."""
    # Shift by the largest logit overall (cheap) rather than per row; a row that then
    # underflows to an all-zero sum falls back to the per-row shift.
    top = z.max()
    sums = np.exp(z - top).sum(axis=1)
    if sums.min() > 0.0:
        lse = np.log(sums) + top
    else:
        rows = z.max(axis=1)
        lse = np.log(np.exp(z - rows[:, None]).sum(axis=1)) + rows
    return float((lse @ y.sum(axis=1) - np.vdot(y, z)) / _n(z))


LOSSES: dict[str, Loss] = {
    "squared_error": Loss(
        "squared_error",
        lambda a, y: float(np.sum((a - y) ** 2) / _n(a)),
        lambda a, y: 2.0 * (a - y) / _n(a),
    ),
    "absolute_error": Loss(
        "absolute_error",
        lambda a, y: float(np.sum(np.abs(a - y)) / _n(a)),
        lambda a, y: np.sign(a - y) / _n(a),
    ),
    "binary_cross_entropy": Loss("binary_cross_entropy", _bce_value, _bce_grad),
    "softmax_cross_entropy": Loss(
        "softmax_cross_entropy",
        _softmax_ce_value,
        lambda z, y: (softmax(z) - y) / _n(z),
        on_logits=True,
    ),
}


def get_loss(name: str) -> Loss:
    try:
        return LOSSES[name]
    except KeyError:
        raise NNVizError(f"Unknown loss '{name}'." + choices_hint(name, list(LOSSES))) from None
