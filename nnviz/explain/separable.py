"""How well a straight line can split two classes in the plane (numpy only).

`best_line_accuracy` searches every direction (finely) and every threshold along it: the
share of points the best straight cut puts on their class's side. A trained linear model
(logistic regression, a 2-1 network) can only come close to it, so a scene that says "a
line gets 78 %" is checked against this bound.
"""

from __future__ import annotations

import numpy as np


def best_line_accuracy(X: np.ndarray, y: np.ndarray, directions: int = 1440) -> float:
    """The largest fraction of points (X (n, 2), labels y in {0, 1}) on the right side of
    one straight line, over `directions` normal directions in [0, pi) and every cut."""
    X = np.asarray(X, dtype=float)
    y = np.asarray(y).astype(int)
    n = len(y)
    best = 0
    for angle in np.linspace(0.0, np.pi, directions, endpoint=False):
        order = np.argsort(X @ np.array([np.cos(angle), np.sin(angle)]), kind="stable")
        ys = y[order]
        ones = np.concatenate([[0], np.cumsum(ys == 1)])  # class 1 among the first k
        zeros = np.arange(n + 1) - ones
        # class 0 below the cut and class 1 above it, or the other way round
        right = np.maximum(zeros + (ones[-1] - ones), ones + (zeros[-1] - zeros))
        best = max(best, int(right.max()))
    return best / n





def best_cut_accuracy(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """On a line: (the largest fraction of points one threshold puts on their class's
    side, that threshold), over every cut between sorted points."""
    x = np.asarray(x, dtype=float).ravel()
    y = np.asarray(y).astype(int)
    order = np.argsort(x, kind="stable")
    xs, ys = x[order], y[order]
    ones = np.concatenate([[0], np.cumsum(ys == 1)])
    zeros = np.arange(len(y) + 1) - ones
    right = np.maximum(zeros + (ones[-1] - ones), ones + (zeros[-1] - zeros))
    k = int(np.argmax(right))
    edges = np.concatenate([[xs[0] - 0.05], (xs[:-1] + xs[1:]) / 2, [xs[-1] + 0.05]])
    return float(right[k]) / len(y), float(edges[k])
__all__ = ["best_cut_accuracy", "best_line_accuracy"]
