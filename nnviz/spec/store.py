"""The trace store: a trained network is looked up by the hash of what determines it.

Scenes never train while they draw. The pipeline calls `TraceStore.ensure()` for every
trace a scene needs before rendering; an unchanged config finds its trace and does not
retrain. Two renders at once are safe: training a key holds a file lock, and traces are
written atomically (temporary name, then rename).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from nnviz.core import datasets
from nnviz.core.datasets import Dataset
from nnviz.core.errors import NNVizError
from nnviz.core.files import disk_full
from nnviz.core.network import MLP
from nnviz.core.trace import Trace
from nnviz.core.training import train
from nnviz.spec.config import TraceSpec

Progress = Callable[[int, int], None]

CACHE_ENV = "NNVIZ_CACHE"


def default_folder() -> Path:
    """$NNVIZ_CACHE (if set and not empty), or ./cache/traces in the folder you render
    from."""
    return Path(os.environ.get(CACHE_ENV) or Path.cwd() / "cache" / "traces")


def _spec_data(spec: TraceSpec) -> tuple[Dataset, Dataset | None]:
    """The (training, held-out) data a spec trains on, built from the spec alone (its data
    set, parameters and data seed), so a scene draws exactly what its network learned."""
    data = datasets.load(spec.dataset, **dict(spec.dataset_params))
    if spec.test_fraction > 0:
        return data.split(spec.test_fraction, seed=spec.seed)
    return data, None


def run_spec(spec: TraceSpec, progress: Progress | None = None) -> Trace:
    """Build the data set and network a spec names, train, and return the trace."""
    data, test = _spec_data(spec)
    net = MLP(spec.sizes, spec.activation, spec.output_activation, seed=spec.seed)
    trace = train(net, data, spec.trainer, steps=spec.steps, record=spec.record, loss=spec.loss,
                  test=test, seed=spec.seed, progress=progress, **dict(spec.trainer_params))
    trace.meta["spec_key"] = spec.key()
    trace.meta["test_fraction"] = spec.test_fraction
    return trace


def _no_space(folder: Path) -> bool:
    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False


class TraceStore:
    """A folder of trained traces, one file per spec hash (`<key>.npz`).

    Scenes receive a store as an explicit input and read their traces through it; the
    pipeline fills it before rendering. A store is only a folder, so it pickles into
    worker processes.
    """

    def __init__(self, folder: str | os.PathLike | None = None) -> None:
        self.folder = Path(folder) if folder else default_folder()

    def __repr__(self) -> str:
        return f"TraceStore({str(self.folder)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, TraceStore) and other.folder == self.folder

    def __hash__(self) -> int:
        return hash(self.folder)

    def path(self, spec: TraceSpec) -> Path:
        """Where the spec's trace is (or will be) kept."""
        return self.folder / f"{spec.key()}.npz"

    def has(self, spec: TraceSpec) -> bool:
        return self.path(spec).is_file()

    def problem(self, spec: TraceSpec) -> str | None:
        """Why the stored trace of `spec` cannot be used (it does not load, or it was trained
        for another spec), or None when it can. A truncated or corrupt entry is trained again
        instead of failing every render."""
        return self._read(spec)[1]

    def _read(self, spec: TraceSpec) -> tuple[Trace | None, str | None]:
        """(the stored trace, None) when it is usable, else (None, why not)."""
        try:
            trace = Trace.load(self.path(spec))
        except Exception as e:  # noqa: BLE001 - any failure to read means: train again
            return None, str(e) if isinstance(e, NNVizError) else f"{type(e).__name__}: {e}"
        if trace.meta.get("spec_key") != spec.key():
            return None, "it was trained for another spec"
        return trace, None

    def ensure(self, spec: TraceSpec, retrain: bool = False,
               progress: Progress | None = None) -> tuple[Path, bool]:
        """Make sure the spec's trace is stored and usable (an entry that does not load or
        belongs to another spec is trained again); returns (path, trained_now)."""
        path = self.path(spec)
        if path.exists() and not path.is_file():
            raise NNVizError(f"Cannot store a trace at '{path}': something that is not a file "
                             "is in the way (remove it).")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(path.with_suffix(".lock"), "w")  # noqa: SIM115
        except OSError as e:
            raise NNVizError(
                f"Cannot use trace cache folder '{path.parent}': {e.strerror or e}."
            ) from None
        with lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if path.is_file() and not retrain and self.problem(spec) is None:
                return path, False
            trace = run_spec(spec, progress)
            try:
                trace.save(path)
            except NNVizError as e:
                if disk_full(e) or _no_space(path.parent):
                    raise NNVizError(f"Cannot save trace in '{path.parent}': disk full "
                                     "(free some space and run again).") from None
                raise
            return path, True

    def load(self, spec: TraceSpec) -> Trace:
        """The spec's trace, training it first if the store does not have it yet."""
        trace, _ = self._read(spec)  # read once when it is there and usable
        if trace is None:
            path, _ = self.ensure(spec)
            trace = Trace.load(path)
        return trace

    def data(self, spec: TraceSpec) -> tuple[Dataset, Dataset | None]:
        """The (training, held-out) data the spec's trace was trained on."""
        return _spec_data(spec)
