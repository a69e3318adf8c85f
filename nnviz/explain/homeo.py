"""A layer bends the plane; it never tears it (numpy only).

`layer_homotopy` moves the plane from the identity to one trained layer's map
x -> tanh(W x + b) through maps that are each a homeomorphism: at time s the points go
through M(s) (the polar path from I to W: rotate, then stretch; invertible when
det W > 0), the shift s b, and a softened squash tanh(s z) / s (the identity at s -> 0,
tanh at s = 1, strictly increasing in between). So neighbours stay neighbours all the way.

`tear` is what no layer can do: the plane cut along a line, the two sides pulled apart.
`jacobian_dets` and `neighbour_gap` measure the difference: a warp's Jacobian keeps a
positive determinant, and two points that start close stay close; across a tear they
end up far apart however close they started.
"""

from __future__ import annotations

import numpy as np

from nnviz.explain.warp import linear_path


def layer_homotopy(points: np.ndarray, W: np.ndarray, b: np.ndarray, s: float) -> np.ndarray:
    """Points (n, 2) moved a fraction s (0..1) of the way from the identity to
    tanh(W x + b) through homeomorphisms (see the module docstring)."""
    pts = np.asarray(points, dtype=float)
    z = pts @ linear_path(W, s, "polar").T + s * np.asarray(b, dtype=float)
    if s <= 1e-9:
        return z
    return np.tanh(s * z) / s


def jacobian_dets(W: np.ndarray, b: np.ndarray, points: np.ndarray, s: float) -> np.ndarray:
    """det of the Jacobian of layer_homotopy at each point at time s (analytic): the
    squash contributes (1 - tanh(s z)^2) per coordinate, the linear part det M(s)."""
    pts = np.asarray(points, dtype=float)
    M = linear_path(W, s, "polar")
    z = pts @ M.T + s * np.asarray(b, dtype=float)
    squash = np.prod(1.0 - np.tanh(s * z) ** 2, axis=1)
    return squash * np.linalg.det(M)


def tear(points: np.ndarray, s: float, normal=(1.0, 0.0), offset: float = 0.0,
         gap: float = 0.6, slide: float = 0.3) -> np.ndarray:
    """The plane cut along the line normal . x = offset, and the two sides pulled apart a
    fraction s of the way: each side moves `gap` / 2 away from the cut and `slide` / 2
    along it, in opposite directions. Not continuous across the cut for s > 0."""
    pts = np.asarray(points, dtype=float)
    n = np.asarray(normal, dtype=float)
    n = n / np.linalg.norm(n)
    along = np.array([-n[1], n[0]])
    side = np.where(pts @ n >= offset, 1.0, -1.0)[:, None]
    return pts + s * side * (0.5 * gap * n + 0.5 * slide * along)


def neighbour_gap(before: np.ndarray, after: np.ndarray) -> float:
    """How far apart two points end up (after (2, 2)), relative to how far apart they
    started (before (2, 2))."""
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    return float(np.linalg.norm(after[1] - after[0]) / np.linalg.norm(before[1] - before[0]))


def split_at(lines: np.ndarray, normal=(1.0, 0.0), offset: float = 0.0) -> list[np.ndarray]:
    """Polylines cut where they cross the line normal . x = offset: each crossing segment
    ends exactly on the cut on both pieces, so the pieces look whole until torn."""
    n = np.asarray(normal, dtype=float)
    n = n / np.linalg.norm(n)
    out: list[np.ndarray] = []
    for line in np.asarray(lines, dtype=float):
        d = line @ n - offset
        side = d >= 0
        start = 0
        piece: list[np.ndarray] = []
        for k in range(1, len(line)):
            if side[k] != side[k - 1]:
                t = d[k - 1] / (d[k - 1] - d[k])
                cut = line[k - 1] + t * (line[k] - line[k - 1])
                # nudge each end to its own side so tear() sends it with its piece
                eps = 1e-9 * (1 if side[k - 1] else -1)
                piece = list(line[start:k]) + [cut + eps * n]
                out.append(np.array(piece))
                line = line.copy()
                line[k - 1] = cut - eps * n
                start = k - 1
        out.append(np.array(line[start:]))
    return [p for p in out if len(p) >= 2]


__all__ = ["jacobian_dets", "layer_homotopy", "neighbour_gap", "split_at", "tear"]
