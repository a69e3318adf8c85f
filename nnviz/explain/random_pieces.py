"""How many straight pieces random ReLU networks actually have (counted exactly).

The bound (n+1)^L for L layers of n neurons is what depth makes possible; networks with
random weights come nowhere near it. These helpers draw such networks and count.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.network import MLP
from nnviz.explain.pieces import count_linear_pieces


def random_relu_net(width: int, depth: int, seed: int, bias_scale: float = 0.5) -> MLP:
    """A 1-in 1-out ReLU net with `depth` hidden layers of `width`: He-initialised weights
    (the core's init) and biases drawn from N(0, bias_scale^2), so the bends spread out."""
    net = MLP((1,) + (int(width),) * int(depth) + (1,), "relu", "identity", seed=seed)
    rng = np.random.default_rng(seed + 7919)
    for b in net.biases:
        b[:] = rng.normal(0.0, bias_scale, b.shape)
    return net


def random_piece_counts(width: int, depth: int, seeds: int, lo: float = 0.0, hi: float = 1.0,
                        bias_scale: float = 0.5) -> np.ndarray:
    """Exact piece counts on [lo, hi] of `seeds` random networks of that shape."""
    return np.array([count_linear_pieces(random_relu_net(width, depth, s, bias_scale), lo, hi)
                     for s in range(int(seeds))])


def max_pieces_bound(width: int, depth: int) -> int:
    """(width + 1)^depth: each layer can cut every existing piece at most `width` times."""
    return (int(width) + 1) ** int(depth)
