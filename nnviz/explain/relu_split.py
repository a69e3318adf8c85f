"""Split a layer into ReLU halves: relu(h) and relu(-h), without changing the network.

Since h = relu(h) - relu(-h), inserting a ReLU layer with weights [I; -I] after hidden
layer k and giving the next layer weights [W, -W] computes exactly the same outputs. The
four-pixel video's ReLU layer is this: each neuron's receptive field and its opposite.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from nnviz.core.errors import NNVizError


def split_relu(weights: Sequence[np.ndarray], biases: Sequence[np.ndarray],
               activations: Sequence[str], after: int
               ) -> tuple[list[np.ndarray], list[np.ndarray], list[str]]:
    """The same function with a ReLU layer of 2n neurons after weight layer `after`.

    Returns new (weights, biases, activations); neuron 2i is relu(h_i), 2i+1 is relu(-h_i).
    """
    if not 0 <= after < len(weights) - 1:
        raise NNVizError(
            f"Can only split a hidden layer: 'after' must be 0..{len(weights) - 2}, got {after}."
        )
    n = weights[after].shape[0]
    split = np.zeros((2 * n, n))
    split[0::2] = np.eye(n)
    split[1::2] = -np.eye(n)
    nxt = weights[after + 1]
    merged = np.zeros((nxt.shape[0], 2 * n))
    merged[:, 0::2] = nxt
    merged[:, 1::2] = -nxt
    W = [w.copy() for w in weights[: after + 1]] + [split, merged] + [
        w.copy() for w in weights[after + 2:]]
    b = [x.copy() for x in biases[: after + 1]] + [np.zeros(2 * n), biases[after + 1].copy()] + [
        x.copy() for x in biases[after + 2:]]
    acts = list(activations[: after + 1]) + ["relu"] + list(activations[after + 1:])
    return W, b, acts
