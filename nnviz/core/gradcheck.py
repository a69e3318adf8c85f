"""Finite-difference gradients: an independent check on backpropagation.

Backprop gives dE/dw by the chain rule; nudging w by a tiny +h and -h and measuring
how E changes gives the same slope without any calculus (central differences,
error O(h^2)). The scenes show both numbers side by side, and the tests demand they agree.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from nnviz.core.network import MLP, Grads


def central_difference(f: Callable[[np.ndarray], float], x: np.ndarray,
                       h: float = 1e-6) -> np.ndarray:
    """The slope of scalar f at x in every coordinate: (f(x + h e_i) - f(x - h e_i)) / 2h."""
    x = np.asarray(x, dtype=float).copy()
    grad = np.empty_like(x)
    flat, g = x.ravel(), grad.ravel()
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        up = f(x)
        flat[i] = old - h
        down = f(x)
        flat[i] = old
        g[i] = (up - down) / (2.0 * h)
    return grad


def numeric_grads(net: MLP, X: np.ndarray, Y: np.ndarray, loss: str = "squared_error",
                  h: float = 1e-6) -> Grads:
    """dE/dW and dE/db of `net` by central differences (shaped like net.loss_and_grads)."""
    probe = net.copy()

    def value(flat: np.ndarray) -> float:
        probe.set_params(flat)
        return probe.loss(X, Y, loss)

    flat = central_difference(value, net.get_params(), h)
    probe.set_params(flat)  # reuse set_params' layout to split the flat vector
    return Grads([w.copy() for w in probe.weights], [b.copy() for b in probe.biases])


def numeric_weight_grad(net: MLP, X: np.ndarray, Y: np.ndarray, layer: int, j: int, i: int,
                        loss: str = "squared_error", h: float = 1e-6) -> float:
    """dE/dW[layer][j, i] alone by central differences (cheap: two loss evaluations)."""
    probe = net.copy()
    old = probe.weights[layer][j, i]
    probe.weights[layer][j, i] = old + h
    up = probe.loss(X, Y, loss)
    probe.weights[layer][j, i] = old - h
    down = probe.loss(X, Y, loss)
    return float((up - down) / (2.0 * h))


def max_relative_error(a: Grads, b: Grads, floor: float = 1e-8) -> float:
    """Largest |a - b| / max(|a|, |b|, floor) over all weights and biases."""
    worst = 0.0
    for x, y in zip(a.weights + a.biases, b.weights + b.biases, strict=True):
        err = np.abs(x - y) / np.maximum(np.maximum(np.abs(x), np.abs(y)), floor)
        worst = max(worst, float(err.max(initial=0.0)))
    return worst
