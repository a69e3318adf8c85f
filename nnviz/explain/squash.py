"""Words for one reading of a squashing function: what f(x) says about x.

Each function is read against its own landmark: the sigmoid against its middle,
sigmoid(0) = 0.5; tanh against the input itself (it keeps the sign and pulls the value
towards 0); ReLU passes a positive input unchanged and turns a negative one into 0.
"""

from __future__ import annotations

import numpy as np

from nnviz.core.activations import get_activation

NEAR = 0.15  # within this of the landmark (sigmoid) or of |x| (tanh): "a little"
ALMOST = 0.02  # output within this of a bound: "almost"


def _num(v: float) -> str:
    return f"{v:.2f}".replace("-", "−")


def reading_words(name: str, x: float) -> str:
    """A short true sentence about f(x) for name in sigmoid, tanh, relu."""
    y = float(get_activation(name)(np.array([float(x)]))[0])
    if name == "relu":
        if x > 0:
            return "unchanged"
        return "cut off to 0" if x < 0 else "0"
    if name == "sigmoid":
        if abs(x) < 0.005:
            return "the middle"
        side = "above" if x > 0 else "below"
        if min(y, 1.0 - y) < ALMOST:
            return f"almost {1 if x > 0 else 0}"
        size = "a little" if abs(y - 0.5) <= NEAR else "well"
        return f"{size} {side} the middle, 0.50"
    if name == "tanh":
        if abs(x) < 0.005:
            return "the middle"
        if 1.0 - abs(y) < ALMOST:
            return f"almost {'' if x > 0 else '−'}1"
        side = "less" if x > 0 else "more"
        size = "a little" if abs(y - x) <= NEAR * abs(x) else "much"
        return f"{size} {side} than {_num(x)}"
    raise ValueError(f"no reading words for '{name}'")


__all__ = ["reading_words"]
