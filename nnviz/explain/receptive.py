"""Receptive fields: the input pattern that makes a neuron largest, and its opposite.

For a small input box such as the four-pixel camera's [-1, 1]^4 the search is exact up to
a fine grid, then polished with bounded L-BFGS from the best grid points. A neuron's
"largest" means its pre-activation z (every activation used here is non-decreasing, so
the same pattern also maximises f(z); for ReLU, z keeps ordering where f(z) is flat at 0).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import product

import numpy as np
from scipy.optimize import minimize

from nnviz.core.activations import get_activation
from nnviz.core.errors import NNVizError


@dataclass(frozen=True)
class ReceptiveField:
    best: np.ndarray  # input pattern that maximises the neuron's z
    best_z: float
    worst: np.ndarray  # input pattern that minimises it (the opposite field)
    worst_z: float


def neuron_z(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
             activations: Sequence[str], X: np.ndarray, layer: int) -> np.ndarray:
    """Pre-activations z of weight layer `layer` for inputs X (n, n_in): shape (n, n_out)."""
    a = np.atleast_2d(np.asarray(X, dtype=float))
    for W, b, name in zip(weights[:layer], biases[:layer], activations[:layer], strict=False):
        a = get_activation(name)(a @ W.T + b)
    return a @ weights[layer].T + biases[layer]


def receptive_field(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                    activations: Sequence[str], layer: int, neuron: int,
                    bounds: tuple[float, float] = (-1.0, 1.0), grid: int = 21,
                    polish: int = 4) -> ReceptiveField:
    """The inputs in the box `bounds`^n_in that make neuron (layer, neuron) largest/smallest.

    Layer 0 is linear in the input, so the answer is exact: each pixel at the end of the
    box its weight points to. Deeper layers: every point of a `grid`^n_in lattice, then
    L-BFGS-B from the `polish` best (and worst) lattice points.
    """
    n_in = weights[0].shape[1]
    if not 0 <= layer < len(weights) or not 0 <= neuron < weights[layer].shape[0]:
        raise NNVizError(f"No neuron {neuron} in layer {layer}.")
    lo, hi = bounds
    if layer == 0:
        w = weights[0][neuron]
        best = np.where(w >= 0, hi, lo)
        worst = np.where(w >= 0, lo, hi)
        z = lambda x: float(w @ x + biases[0][neuron])  # noqa: E731
        return ReceptiveField(best, z(best), worst, z(worst))
    if grid ** n_in > 2_000_000:
        raise NNVizError(
            f"A grid search over {n_in} inputs is too large; receptive fields of deeper layers "
            "are for small inputs such as the four-pixel camera."
        )

    def f(x: np.ndarray) -> float:
        return float(neuron_z(weights, biases, activations, x[None, :], layer)[0, neuron])

    axis = np.linspace(lo, hi, grid)
    lattice = np.array(list(product(axis, repeat=n_in)))
    zs = neuron_z(weights, biases, activations, lattice, layer)[:, neuron]
    order = np.argsort(zs)

    def refine(starts: np.ndarray, sign: float) -> tuple[np.ndarray, float]:
        best_x, best_v = None, -np.inf
        for x0 in starts:
            res = minimize(lambda x: -sign * f(x), x0, method="L-BFGS-B",
                           bounds=[(lo, hi)] * n_in)
            cand = [(res.x, sign * f(res.x)), (x0, sign * f(x0))]
            for x, v in cand:
                if v > best_v:
                    best_x, best_v = np.asarray(x, dtype=float), v
        return best_x, sign * best_v

    best, best_z = refine(lattice[order[::-1][:polish]], 1.0)
    worst, worst_z = refine(lattice[order[:polish]], -1.0)
    return ReceptiveField(best, best_z, worst, worst_z)


def receptive_fields(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                     activations: Sequence[str], **kw) -> list[list[ReceptiveField]]:
    """Receptive fields of every neuron, layer by layer."""
    return [[receptive_field(weights, biases, activations, layer, i, **kw)
             for i in range(weights[layer].shape[0])] for layer in range(len(weights))]


# -- black-and-white fields: which corners of the box a neuron likes, and which pixels it
#    ignores (the four-pixel camera's pictures) --------------------------------------------

@dataclass(frozen=True)
class CornerField:
    """A neuron's field over black-and-white images (every pixel at -1 or +1).

    `best` / `worst` hold the images within `share` of the neuron's range of its largest /
    smallest z; `care[i]` is False for a pixel that never decides: flipping it keeps every
    best image best and every worst image worst ("doesn't matter"). `patterns` and
    `opposites` are the best and worst images with the ignored pixels set to 0, without
    repeats: one picture each, or several when different images make the neuron largest
    (a neuron that likes "top row one colour" likes white-white and black-black).
    """

    care: np.ndarray
    best: np.ndarray  # (k, n_in) corners
    worst: np.ndarray
    z: np.ndarray  # z of every corner, in the order of `corners(n_in)`
    patterns: list[np.ndarray]
    opposites: list[np.ndarray]

    def verdict(self, x: np.ndarray) -> str:
        """'field' if black-and-white image x is one of the best, 'opposite' if one of the
        worst, else 'between'."""
        corner = np.where(np.asarray(x) >= 0, 1.0, -1.0)
        if any(np.array_equal(corner, b) for b in self.best):
            return "field"
        if any(np.array_equal(corner, w) for w in self.worst):
            return "opposite"
        return "between"


def corners(n_in: int) -> np.ndarray:
    """All 2^n_in black-and-white images, shape (2^n_in, n_in)."""
    if n_in > 12:
        raise NNVizError(f"{n_in} inputs have too many black-and-white images to list.")
    return np.array(list(product([-1.0, 1.0], repeat=n_in)))


def corner_field(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
                 activations: Sequence[str], layer: int, neuron: int,
                 share: float = 0.1) -> CornerField:
    """The black-and-white images that make neuron (layer, neuron) largest and smallest,
    and the pixels it ignores (see CornerField)."""
    if not 0 <= layer < len(weights) or not 0 <= neuron < weights[layer].shape[0]:
        raise NNVizError(f"No neuron {neuron} in layer {layer}.")
    X = corners(weights[0].shape[1])
    z = neuron_z(weights, biases, activations, X, layer)[:, neuron]
    span = float(z.max() - z.min())
    best_mask = z >= z.max() - share * span
    worst_mask = z <= z.min() + share * span
    care = np.ones(X.shape[1], dtype=bool)
    for i in range(X.shape[1]):
        flipped = X.copy()
        flipped[:, i] *= -1.0
        # index of each corner's flip: corners are in binary order, pixel 0 the top bit
        idx = _corner_index(flipped)
        keeps = all(np.array_equal(mask[idx], mask) for mask in (best_mask, worst_mask))
        care[i] = not (keeps and span > 0)

    def pictures(mask: np.ndarray) -> list[np.ndarray]:
        out: list[np.ndarray] = []
        for x in X[mask]:
            p = np.where(care, x, 0.0)
            if not any(np.array_equal(p, q) for q in out):
                out.append(p)
        return out

    return CornerField(care, X[best_mask], X[worst_mask], z, pictures(best_mask),
                       pictures(worst_mask))


def _corner_index(X: np.ndarray) -> np.ndarray:
    bits = (X > 0).astype(int)
    n = X.shape[1]
    return bits @ (1 << np.arange(n - 1, -1, -1))
