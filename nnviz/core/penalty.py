"""The L1 penalty: training minimises E + l1 * sum |w| instead of E alone.

Every weight now costs l1 per unit of size, so a weight survives only where it lowers
the error by more than it costs: most weights shrink towards zero and each neuron keeps
a few strong links (a sparse network, like the hand-drawn ones of the four-pixel video).
Biases are not penalised. The slope of |w| is sign(w) (0 at w = 0, the middle of the
kink), so the penalty adds l1 * sign(w) to every dE/dw.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def l1_penalty(weights: Sequence[np.ndarray], l1: float) -> float:
    """l1 * sum |w| over every weight (not the biases)."""
    return float(l1 * sum(np.abs(W).sum() for W in weights)) if l1 else 0.0


def add_l1_slope(weights: Sequence[np.ndarray], weight_grads: Sequence[np.ndarray],
                 l1: float) -> None:
    """dE/dw += l1 * sign(w), in place: the slope of the penalty joins the loss's."""
    if not l1:
        return
    for W, g in zip(weights, weight_grads, strict=True):
        g += l1 * np.sign(W)


__all__ = ["l1_penalty", "add_l1_slope"]
