"""The sawtooth (tent-map) ReLU network: depth L, width 2, exactly 2^L linear pieces on [0, 1].

Two ReLU neurons h1 = relu(x), h2 = relu(x - 1/2) make the tent map
T(x) = 2 h1 - 4 h2, which folds [0, 1] onto itself: up on [0, 1/2], down on [1/2, 1].
Each further layer feeds T of the previous layer's output, so the network computes
T∘T∘...∘T (L times), a zigzag with 2^(L-1) teeth and 2^L straight pieces. This is the
standard example of depth multiplying pieces: width alone adds them, depth multiplies.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.core.network import MLP

FOLD = np.array([[2.0, -4.0]])  # tent map from the two neurons: T = 2 h1 - 4 h2
SPLIT_W = np.array([[1.0], [1.0]])
SPLIT_B = np.array([0.0, -0.5])


def sawtooth_params(depth: int, lo: float = 0.0, hi: float = 1.0
                    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weights and biases of the depth-L width-2 sawtooth network (sizes 1, 2 x L, 1),
    with its 2^L pieces spread over [lo, hi] (the first layer maps [lo, hi] onto [0, 1])."""
    if int(depth) < 1:
        raise NNVizError(f"The sawtooth needs at least one layer, got depth {depth}.")
    if not hi > lo:
        raise NNVizError(f"Empty interval [{lo}, {hi}]: give lo < hi.")
    scale = 1.0 / (hi - lo)  # u = (x - lo) / (hi - lo)
    weights = [SPLIT_W * scale]
    biases = [SPLIT_B - lo * scale]
    for _ in range(int(depth) - 1):
        weights.append(SPLIT_W @ FOLD)  # each neuron of the next layer reads T(previous)
        biases.append(SPLIT_B.copy())
    weights.append(FOLD.copy())
    biases.append(np.zeros(1))
    return weights, biases


def sawtooth_network(depth: int, lo: float = 0.0, hi: float = 1.0) -> MLP:
    """The sawtooth as an MLP (ReLU hidden layers, identity output) on [lo, hi]."""
    net = MLP((1,) + (2,) * int(depth) + (1,), "relu", "identity")
    return net.set_weights(*sawtooth_params(depth, lo, hi))


def tent_power(x: np.ndarray, depth: int) -> np.ndarray:
    """T applied depth times, directly from the formula (the reference the network matches)."""
    y = np.asarray(x, dtype=float)
    for _ in range(int(depth)):
        y = np.where(y < 0.5, 2.0 * y, 2.0 - 2.0 * y)
    return y
