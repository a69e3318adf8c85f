"""One-dimensional data: two classes on a line, and a curve for ReLU fits."""

from __future__ import annotations

import numpy as np

from nnviz.core.datasets.base import Dataset


def line_1d(n: int = 100, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Class B inside (-1/3, 1/3), class A outside it: no single threshold splits them."""
    rng = np.random.default_rng(seed)
    half = n // 2
    inner = rng.uniform(-0.3, 0.3, half)
    outer = rng.uniform(0.5, 1.0, n - half) * rng.choice([-1.0, 1.0], n - half)
    x = np.concatenate([outer, inner]) + rng.normal(0, noise, n) if noise else np.concatenate(
        [outer, inner]
    )
    y = np.concatenate([np.zeros(n - half, int), np.ones(half, int)])
    order = rng.permutation(n)
    params = {"n": n, "noise": noise, "seed": seed}
    return Dataset("line_1d", x[order, None], y[order], classes=("A", "B"), params=params)


def curve_1d(n: int = 40, noise: float = 0.05, seed: int = 0) -> Dataset:
    """Noisy samples of a wiggly curve on [-1, 1], for fitting with bent lines."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    y = 0.6 * np.sin(3.0 * x) + 0.3 * x**2 + rng.normal(0, noise, n)
    params = {"n": n, "noise": noise, "seed": seed}
    return Dataset("curve_1d", x[:, None], y[:, None], task="regression", params=params)
