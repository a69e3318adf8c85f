"""The 2x2 camera of the four-pixel video: solid, vertical, diagonal, horizontal.

Pixels are row-major (top-left, top-right, bottom-left, bottom-right) with values
-1 (black) to +1 (white). Each class has two patterns, one the negative of the other.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.datasets.base import Dataset

CLASSES = ("solid", "vertical", "diagonal", "horizontal")

PATTERNS = {
    "solid": [1, 1, 1, 1],
    "vertical": [1, -1, 1, -1],
    "diagonal": [1, -1, -1, 1],
    "horizontal": [1, 1, -1, -1],
}


def four_pixel(n: int = 80, noise: float = 0.0, seed: int = 0) -> Dataset:
    """n images cycling through the 8 patterns, with optional Gaussian pixel noise."""
    rng = np.random.default_rng(seed)
    base = np.array([s * np.array(PATTERNS[c]) for c in CLASSES for s in (1, -1)], float)
    labels = np.repeat(np.arange(len(CLASSES)), 2)
    idx = np.arange(n) % len(base)
    X = base[idx] + (rng.normal(0, noise, (n, 4)) if noise else 0.0)
    X = np.clip(X, -1.0, 1.0)
    params = {"n": n, "noise": noise, "seed": seed}
    return Dataset("four_pixel", X, labels[idx], classes=CLASSES, params=params, image_shape=(2, 2))
