"""Points scattered around a straight line: the data for fitting y = w x + b."""

from __future__ import annotations

import numpy as np

from nnviz.core.datasets.base import Dataset


def linear_1d(n: int = 10, slope: float = 0.8, intercept: float = 0.5, noise: float = 0.15,
              seed: int = 0) -> Dataset:
    """n noisy samples of y = slope x + intercept on [-1, 1] (regression)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-1.0, 1.0, n))
    y = slope * x + intercept + rng.normal(0.0, noise, n)
    params = {"n": n, "slope": slope, "intercept": intercept, "noise": noise, "seed": seed}
    return Dataset("linear_1d", x[:, None], y[:, None], task="regression", params=params)
