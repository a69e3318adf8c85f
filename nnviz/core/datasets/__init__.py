"""Seeded data sets by name: `nnviz.datasets.load("spirals", n=300, seed=1)`."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

from nnviz.core.datasets.base import Dataset
from nnviz.core.datasets.digits import digits, digits28, mnist, read_idx
from nnviz.core.datasets.four_pixel import four_pixel
from nnviz.core.datasets.line import curve_1d, line_1d
from nnviz.core.datasets.linear import linear_1d
from nnviz.core.datasets.planar import bullseye, spirals, two_curves, xor
from nnviz.core.errors import NNVizError, choices_hint

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


PLANAR = ("two_curves", "spirals", "bullseye", "xor")  # two classes in the plane


def planar_params(name: str, n: int, turns: float, noise: float, seed: int) -> dict[str, Any]:
    """The parameters of planar data set `name` (only spirals have turns)."""
    params: dict[str, Any] = {"n": n, "noise": noise, "seed": seed}
    if name == "spirals":
        params["turns"] = turns
    return params


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
    "DATASETS", "PLANAR", "Dataset", "load", "planar_params", "two_curves", "spirals",
    "bullseye", "xor", "line_1d", "curve_1d", "linear_1d", "four_pixel", "digits", "digits28",
    "mnist", "read_idx",
]
