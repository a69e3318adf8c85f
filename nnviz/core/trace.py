"""A Trace: the weights and biases of a network at recorded training steps.

Scenes read traces and never train. `params_at(t)` interpolates between records so that
an animation of training moves smoothly between the steps that were kept.
Traces are .npz files (one array per layer) plus JSON metadata, written byte-for-byte
reproducibly and atomically.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.core.network import MLP

FORMAT = "nnviz-trace/1"


def _starts_like_a_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


class TraceError(NNVizError):
    """A trace file that is missing, corrupt, foreign, or does not fit its use."""


@dataclass
class Trace:
    steps: np.ndarray  # (n_records,) training step of each record
    weights: list[np.ndarray]  # per layer: (n_records, n_out, n_in)
    biases: list[np.ndarray]  # per layer: (n_records, n_out)
    loss: np.ndarray  # (n_records,)
    accuracy: np.ndarray  # (n_records,), NaN where it does not apply
    test_loss: np.ndarray | None = None
    test_accuracy: np.ndarray | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    # -- shape --------------------------------------------------------------------------
    @property
    def n_records(self) -> int:
        return int(self.steps.size)

    @property
    def sizes(self) -> tuple[int, ...]:
        return (self.weights[0].shape[2],) + tuple(w.shape[1] for w in self.weights)

    @property
    def final_loss(self) -> float:
        return float(self.loss[-1])

    @property
    def final_accuracy(self) -> float:
        return float(self.accuracy[-1])

    @property
    def stopped(self) -> str | None:
        """Why training stopped early (e.g. the loss became NaN), or None."""
        return self.meta.get("stopped")

    # -- reading the recording ----------------------------------------------------------
    def record(self, i: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Weights and biases of record i (negative i counts from the end)."""
        return [w[i].copy() for w in self.weights], [b[i].copy() for b in self.biases]

    def position(self, t: float, by: str = "step") -> tuple[int, float]:
        """Where t in [0, 1] falls: (record index i, fraction s towards record i + 1).

        by="step" spaces t evenly over training steps; by="record" over records, so a
        dense-early schedule gives early training as much screen time as late training.
        """
        t = float(np.clip(t, 0.0, 1.0))
        if self.n_records == 1:
            return 0, 0.0
        if by == "record":
            x = t * (self.n_records - 1)
        elif by == "step":
            x = float(np.interp(t * self.steps[-1], self.steps, np.arange(self.n_records)))
        else:
            raise NNVizError(f"Unknown interpolation axis '{by}'. Valid choices: step, record.")
        i = min(int(np.floor(x)), self.n_records - 2)
        return i, x - i

    def params_at(self, t: float, by: str = "step") -> tuple[list[np.ndarray], list[np.ndarray]]:
        """Weights and biases at t in [0, 1], linearly interpolated between records."""
        i, s = self.position(t, by)
        if self.n_records == 1:
            return self.record(0)
        lerp = lambda arr: (1.0 - s) * arr[i] + s * arr[i + 1]  # noqa: E731
        return [lerp(w) for w in self.weights], [lerp(b) for b in self.biases]

    def value_at(self, values: np.ndarray, t: float, by: str = "step") -> float:
        """A recorded per-step quantity (loss, accuracy) interpolated at t."""
        i, s = self.position(t, by)
        if self.n_records == 1:
            return float(values[0])
        return float((1.0 - s) * values[i] + s * values[i + 1])

    def step_at(self, t: float, by: str = "step") -> float:
        return self.value_at(self.steps.astype(float), t, by)

    def network(self) -> MLP:
        """An empty MLP of the recorded architecture and activations."""
        m = self.meta
        return MLP(self.sizes, m.get("activation", "tanh"), m.get("output_activation", "identity"))

    def net_at(self, t: float = 1.0, by: str = "step") -> MLP:
        """The network as it was at t in [0, 1] (t = 1: fully trained)."""
        return self.network().set_weights(*self.params_at(t, by))

    # -- files --------------------------------------------------------------------------
    def _arrays(self) -> dict[str, np.ndarray]:
        arrays = {"steps": self.steps, "loss": self.loss, "accuracy": self.accuracy}
        if self.test_loss is not None:
            arrays["test_loss"] = self.test_loss
        if self.test_accuracy is not None:
            arrays["test_accuracy"] = self.test_accuracy
        for layer, (w, b) in enumerate(zip(self.weights, self.biases, strict=True)):
            arrays[f"W{layer}"] = w
            arrays[f"b{layer}"] = b
        meta = dict(self.meta, format=FORMAT)
        arrays["meta"] = np.array([json.dumps(meta, sort_keys=True)])
        return arrays

    def save(self, path: str | os.PathLike) -> Path:
        """Write the trace as .npz, atomically and with reproducible bytes."""
        path = Path(path)
        if path.suffix != ".npz":
            path = Path(f"{path}.npz")
        try:
            with atomic_path(path, "trace", TraceError) as tmp, open(tmp, "wb") as fh, \
                    zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
                for key, arr in self._arrays().items():
                    buf = io.BytesIO()
                    np.lib.format.write_array(buf, np.ascontiguousarray(arr),
                                              allow_pickle=False)
                    info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
                    info.compress_type = zipfile.ZIP_DEFLATED
                    zf.writestr(info, buf.getvalue())
        except OSError as e:  # e.g. the disk filled up while writing
            raise TraceError(f"Cannot write trace '{path}': {e.strerror or e}.") from None
        return path

    @classmethod
    def load(cls, path: str | os.PathLike) -> Trace:
        """Read a trace; a missing, truncated or foreign file raises one clear TraceError."""
        path = Path(path)
        if not path.is_file():
            raise TraceError(f"Trace file '{path}' does not exist.")
        try:
            loaded = np.load(path, allow_pickle=False)
            if not isinstance(loaded, np.lib.npyio.NpzFile):
                raise TraceError(f"'{path}' is not an nnviz trace (it is a bare .npy array).")
            with loaded as data:
                files = set(data.files)
                if "meta" not in files:
                    raise TraceError(f"'{path}' is not an nnviz trace (it has no metadata).")
                meta = json.loads(str(data["meta"].reshape(-1)[0]))
                if not isinstance(meta, dict) or meta.pop("format", None) != FORMAT:
                    raise TraceError(f"'{path}' is not an nnviz trace (format {FORMAT} expected).")
                n_layers = sum(1 for f in files if f.startswith("W"))
                return cls(
                    steps=data["steps"],
                    weights=[data[f"W{i}"] for i in range(n_layers)],
                    biases=[data[f"b{i}"] for i in range(n_layers)],
                    loss=data["loss"],
                    accuracy=data["accuracy"],
                    test_loss=data["test_loss"] if "test_loss" in files else None,
                    test_accuracy=data["test_accuracy"] if "test_accuracy" in files else None,
                    meta=meta,
                )
        except TraceError:
            raise
        except KeyError as e:
            raise TraceError(f"Cannot read trace '{path}': the file is missing {e}.") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, IndexError,
                NotImplementedError, RuntimeError):  # zipfile's odd headers / 'encrypted'
            reason = "the file is truncated or corrupt"
            if not _starts_like_a_zip(path):
                reason = "it is not an .npz file"
            raise TraceError(f"Cannot read trace '{path}': {reason}.") from None

    def summary(self) -> str:
        m = self.meta
        lines = [
            f"architecture  {'-'.join(map(str, self.sizes))}  "
            f"({m.get('activation')} -> {m.get('output_activation')})",
            f"data set      {m.get('dataset')} {m.get('dataset_params', {})}",
            f"trainer       {m.get('trainer')} {m.get('trainer_params', {})}",
            f"steps         {int(self.steps[-1])} ({self.n_records} recorded)",
            f"final loss    {self.final_loss:.6g}  ({m.get('loss')})",
        ]
        if np.isfinite(self.final_accuracy):
            lines.append(f"final accuracy {self.final_accuracy:.2%}")
        if self.stopped:
            lines.append(f"stopped early: {self.stopped}")
        return "\n".join(lines)
