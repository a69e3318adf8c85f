"""The trace cache: a trained network is looked up by the hash of what determines it.

Scenes never train while they draw. The pipeline calls `ensure()` for every trace a
scene needs before rendering; an unchanged config finds its trace and does not retrain.
Two renders at once are safe: training a key holds a file lock, and traces are written
atomically (temporary name, then rename).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from pathlib import Path

from nnviz.core import datasets
from nnviz.core.datasets import Dataset
from nnviz.core.errors import NNVizError
from nnviz.core.network import MLP
from nnviz.core.trace import Trace
from nnviz.core.training import train
from nnviz.spec.config import TraceSpec

Progress = Callable[[int, int], None]


def default_cache_dir() -> Path:
    """$NNVIZ_CACHE, or ./cache/traces in the folder you render from."""
    return Path(os.environ.get("NNVIZ_CACHE", Path.cwd() / "cache" / "traces"))


def spec_data(spec: TraceSpec) -> tuple[Dataset, Dataset | None]:
    """The (training, held-out) data a spec trains on: what a scene draws beside its trace."""
    data = datasets.load(spec.dataset, **dict(spec.dataset_params))
    if spec.test_fraction > 0:
        return data.split(spec.test_fraction, seed=spec.seed)
    return data, None


def run_spec(spec: TraceSpec, progress: Progress | None = None) -> Trace:
    """Build the data set and network a spec names, train, and return the trace."""
    data, test = spec_data(spec)
    net = MLP(spec.sizes, spec.activation, spec.output_activation, seed=spec.seed)
    trace = train(net, data, spec.trainer, steps=spec.steps, record=spec.record, loss=spec.loss,
                  test=test, seed=spec.seed, progress=progress, **dict(spec.trainer_params))
    trace.meta["spec_key"] = spec.key()
    trace.meta["test_fraction"] = spec.test_fraction
    return trace


def trace_path(spec: TraceSpec, cache_dir: Path | None = None) -> Path:
    return Path(cache_dir or default_cache_dir()) / f"{spec.key()}.npz"


def ensure(spec: TraceSpec, cache_dir: Path | None = None, retrain: bool = False,
           progress: Progress | None = None) -> tuple[Path, bool]:
    """Make sure the spec's trace is cached; returns (path, trained_now)."""
    path = trace_path(spec, cache_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = open(path.with_suffix(".lock"), "w")  # noqa: SIM115
    except OSError as e:
        raise NNVizError(
            f"Cannot use trace cache folder '{path.parent}': {e.strerror or e}."
        ) from None
    with lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if path.is_file() and not retrain:
            return path, False
        run_spec(spec, progress).save(path)
        return path, True


def load(spec: TraceSpec, cache_dir: Path | None = None) -> Trace:
    """The spec's trace from the cache, training it first if it is not there yet."""
    path, _ = ensure(spec, cache_dir)
    return Trace.load(path)
