"""Sane bounds on what nnviz is asked to do, checked before any work starts.

A typo such as `steps=10**12` or `--layers 2,20000,20000,1` must cost one line naming
the limit, not an hour of training or a MemoryError. The limits are generous (every
shipped scene and the MNIST training of the digits scenes fit far inside them) and are
estimates of cost, not of quality.
"""

from __future__ import annotations

import math
from typing import Any

from nnviz.core.errors import NNVizError

MAX_LAYERS = 32  # weight layers of one network
MAX_WIDTH = 4096  # neurons of one layer (MNIST's 784 inputs fit)
MAX_PARAMS = 2_000_000  # weights and biases of one network
MAX_SAMPLES = 100_000  # samples of one data set (MNIST's 60 000 fit)
MIN_SAMPLES = 2  # a loss curve and a split need at least two
MAX_STEPS = 1_000_000  # training steps
# steps x parameters x samples: multiply-adds of a full-batch run, about an hour of numpy
MAX_WORK = 2e12
MAX_VIDEO_SECONDS = 1800.0  # one scene's estimated length
FULL_SIZES = {"digits": 1797, "digits28": 1797, "mnist": 60_000}  # n=None: the whole set


def finite(value: Any, what: str) -> float:
    """`value` as a float, or one line saying `what` must be a finite number."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise NNVizError(f"{what} must be a number, got {value!r}.") from None
    if not math.isfinite(number):
        raise NNVizError(f"{what} must be a finite number, got {value!r}.")
    return number


def n_params(sizes: tuple[int, ...] | list[int]) -> int:
    """Weights and biases of an MLP with these widths."""
    return sum((a + 1) * b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def check_samples(n: int | None, dataset: str) -> int:
    """The sample count a data set will have (its full size for n=None), within bounds."""
    if n is None:
        return FULL_SIZES.get(dataset, MAX_SAMPLES)
    if n < MIN_SAMPLES:
        raise NNVizError(f"Data set '{dataset}' needs at least {MIN_SAMPLES} samples, got "
                         f"n={n}.")
    if n > MAX_SAMPLES:
        raise NNVizError(f"Data set '{dataset}' of n={n} samples is over the limit of "
                         f"{MAX_SAMPLES:,} samples.")
    return int(n)


def check_network(sizes: tuple[int, ...] | list[int]) -> int:
    """The network's parameter count, if its depth, widths and size are within bounds."""
    shown = "-".join(map(str, sizes))
    if len(sizes) - 1 > MAX_LAYERS:
        raise NNVizError(f"Network {shown[:60]}... has {len(sizes) - 1} layers; the limit is "
                         f"{MAX_LAYERS}.")
    if any(w > MAX_WIDTH for w in sizes):
        raise NNVizError(f"Network {shown} has a layer of {max(sizes)} neurons; the limit is "
                         f"{MAX_WIDTH} per layer.")
    params = n_params(sizes)
    if params > MAX_PARAMS:
        raise NNVizError(f"Network {shown} has {params:,} parameters; the limit is "
                         f"{MAX_PARAMS:,}.")
    return params


def check_training(dataset: str, n: int | None, sizes: tuple[int, ...] | list[int],
                   steps: int, test_fraction: float = 0.0) -> None:
    """Refuse a run whose estimated cost (steps x parameters x samples) is over the budget,
    naming the limit it breaks; everything here is known before the data are built."""
    samples = check_samples(n, dataset)
    params = check_network(sizes)
    if steps > MAX_STEPS:
        raise NNVizError(f"{steps:,} training steps are over the limit of {MAX_STEPS:,}.")
    train_samples = samples - round(test_fraction * samples)
    if train_samples < 1:
        raise NNVizError(f"A test fraction of {test_fraction} leaves no training samples of "
                         f"the {samples} in data set '{dataset}'.")
    work = float(steps) * params * train_samples
    if work > MAX_WORK:
        raise NNVizError(
            f"Training {steps:,} steps x {params:,} parameters x {train_samples:,} samples "
            f"is over the budget of {MAX_WORK:.0e} (about an hour): use fewer steps, a "
            f"smaller network or fewer samples.")


def check_duration(seconds: float, what: str) -> None:
    """Refuse a video whose estimated length is over MAX_VIDEO_SECONDS."""
    if seconds > MAX_VIDEO_SECONDS:
        raise NNVizError(f"{what} would last about {seconds:,.0f} s; the limit is "
                         f"{MAX_VIDEO_SECONDS:.0f} s: shorten its times or raise speed.")
