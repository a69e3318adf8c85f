"""Seeded data sets by name: `nnviz.datasets.load("spirals", n=300, seed=1)`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from ..errors import NNVizError, choices_hint
from .base import Dataset
from .digits import digits, digits28, mnist, read_idx
from .four_pixel import four_pixel
from .line import curve_1d, line_1d
from .linear import linear_1d
from .planar import bullseye, spirals, two_curves, xor

DATASETS: dict[str, Callable[..., Dataset]] = {
    "two_curves": two_curves,
    "spirals": spirals,
    "bullseye": bullseye,
    "xor": xor,
    "line_1d": line_1d,
    "curve_1d": curve_1d,
    "linear_1d": linear_1d,
    "four_pixel": four_pixel,
    "digits": digits,
    "digits28": digits28,
    "mnist": mnist,
}


def load(name: str, **params: Any) -> Dataset:
    """A data set by name; unknown names and parameters get one clear error."""
    if name not in DATASETS:
        raise NNVizError(f"Unknown data set '{name}'." + choices_hint(name, list(DATASETS)))
    fn = DATASETS[name]
    valid = list(inspect.signature(fn).parameters)
    for key in params:
        if key not in valid:
            raise NNVizError(
                f"Data set '{name}' has no parameter '{key}'." + choices_hint(key, valid)
            )
    return fn(**params)


__all__ = [
    "DATASETS", "Dataset", "load", "two_curves", "spirals", "bullseye", "xor", "line_1d",
    "curve_1d", "linear_1d", "four_pixel", "digits", "digits28", "mnist", "read_idx",
]
