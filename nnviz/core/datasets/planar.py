"""Two classes in the plane, as in the warp video and TensorFlow Playground.

Class 0 is drawn in the palette's class-A colour (red), class 1 in class-B (blue).
"""

from __future__ import annotations

import numpy as np

from nnviz.core.datasets.base import Dataset


def _labelled(name, parts, params, seed) -> Dataset:
    X = np.concatenate(parts)
    y = np.concatenate([np.full(len(p), k) for k, p in enumerate(parts)])
    order = np.random.default_rng(seed + 1).permutation(len(X))
    return Dataset(name, X[order], y[order], classes=("A", "B"), params=params)


def two_curves(n: int = 200, noise: float = 0.02, seed: int = 0,
               waves: float = 2.6) -> Dataset:
    """Two interleaved sine curves: no straight line separates them, a warp does.
    `waves` is the sine's angular frequency over x in [-1, 1]: at 2.6 (under one period)
    a tilted line still gets about 98 % right; from about 4.5 the curves weave into each
    other (1.4 periods) and the best line gets 70-80 %."""
    rng = np.random.default_rng(seed)
    half = n // 2
    parts = []
    for offset in (0.25, -0.25):
        x = rng.uniform(-1.0, 1.0, half)
        y = 0.45 * np.sin(waves * x) + offset * np.cos(0.8 * x)
        parts.append(np.column_stack([x, y]) + rng.normal(0, noise, (half, 2)))
    params = {"n": n, "noise": noise, "seed": seed, "waves": waves}
    return _labelled("two_curves", parts, params, seed)


def spirals(n: int = 200, turns: float = 1.0, noise: float = 0.02, seed: int = 0) -> Dataset:
    """Two entangled spirals, each turning `turns` times around the origin."""
    rng = np.random.default_rng(seed)
    half = n // 2
    parts = []
    for k in range(2):
        t = np.sqrt(rng.uniform(0.02, 1.0, half))
        angle = 2 * np.pi * turns * t + k * np.pi
        pts = 0.9 * t[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
        parts.append(pts + rng.normal(0, noise, (half, 2)))
    params = {"n": n, "turns": turns, "noise": noise, "seed": seed}
    return _labelled("spirals", parts, params, seed)


def bullseye(n: int = 200, noise: float = 0.02, seed: int = 0) -> Dataset:
    """A ring (class A) around a disk (class B): a width-2 network cannot untangle it."""
    rng = np.random.default_rng(seed)
    half = n // 2
    parts = []
    for r_lo, r_hi in ((0.6, 0.9), (0.0, 0.35)):
        r = np.sqrt(rng.uniform(r_lo**2, r_hi**2, half))
        a = rng.uniform(0, 2 * np.pi, half)
        parts.append(r[:, None] * np.column_stack([np.cos(a), np.sin(a)]))
    parts = [p + rng.normal(0, noise, p.shape) for p in parts]
    return _labelled("bullseye", parts, {"n": n, "noise": noise, "seed": seed}, seed)


def xor(n: int = 200, noise: float = 0.12, seed: int = 0) -> Dataset:
    """Four clusters; opposite corners share a class."""
    rng = np.random.default_rng(seed)
    quarter = n // 4
    centres = {0: [(0.5, 0.5), (-0.5, -0.5)], 1: [(-0.5, 0.5), (0.5, -0.5)]}
    parts = [
        np.concatenate([np.array(c) + rng.normal(0, noise, (quarter, 2)) for c in centres[k]])
        for k in (0, 1)
    ]
    return _labelled("xor", parts, {"n": n, "noise": noise, "seed": seed}, seed)
