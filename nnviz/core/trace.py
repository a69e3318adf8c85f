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
from nnviz.core.files import atomic_path, check_regular_file
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


MAX_TRACE_BYTES = 1 << 30  # all arrays of one trace, uncompressed (a 784-16-10 run is ~20 MB)
MAX_META_BYTES = 1 << 20
_OPTIONAL = ("test_loss", "test_accuracy")
_Member = tuple[zipfile.ZipInfo, tuple[int, ...], np.dtype]


def _wanted(key: str) -> bool:
    return key in ("steps", "loss", "accuracy", *_OPTIONAL) or (
        key[:1] in ("W", "b") and key[1:].isdigit())


def _members(zf: zipfile.ZipFile, path: Path) -> dict[str, _Member]:
    """Every .npy member's (zip entry, shape, dtype), from the headers alone."""
    infos = zf.infolist()
    total = sum(i.file_size for i in infos)
    if total > MAX_TRACE_BYTES:
        raise TraceError(f"Trace '{path}' would unpack to {total:,} bytes; the limit is "
                         f"{MAX_TRACE_BYTES:,} (a damaged or hostile file?).")
    members: dict[str, _Member] = {}
    for info in infos:
        if not info.filename.endswith(".npy"):
            continue
        key = info.filename[:-4]
        with zf.open(info) as fh:
            version = np.lib.format.read_magic(fh)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(fh)
            else:
                shape, _, dtype = np.lib.format.read_array_header_2_0(fh)
            header = fh.tell()
        if dtype.hasobject:
            raise TraceError(f"Cannot read trace '{path}': array '{key}' holds Python "
                             "objects, which traces never do.")
        if header + int(np.prod(shape, dtype=np.int64)) * dtype.itemsize != info.file_size:
            raise TraceError(f"Cannot read trace '{path}': array '{key}' does not match its "
                             "header (the file is truncated or corrupt).")
        members[key] = (info, tuple(shape), dtype)
    return members


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> np.ndarray:
    with zf.open(info) as fh:
        return np.lib.format.read_array(fh, allow_pickle=False)


def _read_meta(zf: zipfile.ZipFile, members: dict[str, _Member], path: Path) -> dict:
    if "meta" not in members:
        raise TraceError(f"'{path}' is not an nnviz trace (it has no metadata).")
    info, shape, dtype = members["meta"]
    if dtype.kind != "U" or shape != (1,) or info.file_size > MAX_META_BYTES:
        raise TraceError(f"'{path}' is not an nnviz trace (its metadata is not one text).")
    try:
        meta = json.loads(str(_read(zf, info)[0]))
    except json.JSONDecodeError:
        meta = None
    if not isinstance(meta, dict) or meta.pop("format", None) != FORMAT:
        raise TraceError(f"'{path}' is not an nnviz trace (format {FORMAT} expected).")
    return meta


def _check_layout(members: dict[str, _Member], meta: dict, path: Path) -> None:
    """Every array a trace needs is there, of a number type and of a shape that fits the
    number of records, the other layers and the metadata's sizes."""
    def bad(why: str) -> TraceError:
        return TraceError(f"Trace '{path}' is damaged: {why}.")

    for key in ("steps", "loss", "accuracy", "W0", "b0"):
        if key not in members:
            raise TraceError(f"Cannot read trace '{path}': the file is missing '{key}'.")
    n_layers = sum(1 for k in members if k[:1] == "W" and k[1:].isdigit())
    for key in [f"W{i}" for i in range(n_layers)] + [f"b{i}" for i in range(n_layers)]:
        if key not in members:
            raise TraceError(f"Cannot read trace '{path}': the file is missing '{key}'.")
    steps_shape, steps_dtype = members["steps"][1:]
    if len(steps_shape) != 1 or steps_shape[0] < 1 or steps_dtype.kind not in "iu":
        raise bad(f"'steps' must be a non-empty list of integers, not {steps_dtype} "
                  f"{steps_shape}")
    n = steps_shape[0]
    for key in ("loss", "accuracy", *(k for k in _OPTIONAL if k in members)):
        shape, dtype = members[key][1:]
        if shape != (n,) or dtype.kind != "f":
            raise bad(f"'{key}' must be {n} floats (one per record), not {dtype} {shape}")
    sizes: list[int] = []
    for i in range(n_layers):
        (w_shape, w_dtype), (b_shape, b_dtype) = members[f"W{i}"][1:], members[f"b{i}"][1:]
        if len(w_shape) != 3 or w_shape[0] != n or w_dtype.kind != "f" or 0 in w_shape:
            raise bad(f"'W{i}' must be floats of shape ({n}, outputs, inputs), not "
                      f"{w_dtype} {w_shape}")
        if b_shape != (n, w_shape[1]) or b_dtype.kind != "f":
            raise bad(f"'b{i}' must be floats of shape {(n, w_shape[1])}, not {b_dtype} "
                      f"{b_shape}")
        if sizes and w_shape[2] != sizes[-1]:
            raise bad(f"layer {i} takes {w_shape[2]} inputs but layer {i - 1} has "
                      f"{sizes[-1]} outputs")
        sizes = sizes or [w_shape[2]]
        sizes.append(w_shape[1])
    if "sizes" in meta and meta["sizes"] != sizes:
        raise bad(f"its arrays hold a {'-'.join(map(str, sizes))} network but its metadata "
                  f"says {meta['sizes']}")


def _check_values(trace: Trace, path: Path) -> None:
    """Steps that only go up and finite weights: what training always records."""
    if np.any(np.diff(trace.steps) <= 0) or trace.steps[0] < 0:
        raise TraceError(f"Trace '{path}' is damaged: its steps do not increase from 0 or "
                         "more.")
    if not all(np.isfinite(a).all() for a in trace.weights + trace.biases):
        raise TraceError(f"Trace '{path}' is damaged: it holds weights that are not finite.")


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
        """Read a trace; a missing, truncated, foreign or inconsistent file raises one
        clear TraceError.

        A trace may come from anyone, so nothing is trusted: every member's .npy header
        (shape, dtype) and size is read from the zip and checked against the metadata and
        the other arrays before any array is loaded, and the declared sizes must fit
        MAX_TRACE_BYTES (a zip bomb is refused without inflating it)."""
        path = Path(path)
        check_regular_file(path, "Trace file", TraceError)
        try:
            with zipfile.ZipFile(path) as zf:
                members = _members(zf, path)
                meta = _read_meta(zf, members, path)
                _check_layout(members, meta, path)
                arrays = {key: _read(zf, info) for key, (info, _, _) in members.items()
                          if key != "meta" and _wanted(key)}
        except TraceError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, IndexError,
                KeyError, NotImplementedError, RuntimeError):  # zipfile's odd headers
            reason = "the file is truncated or corrupt"
            if not _starts_like_a_zip(path):
                reason = "it is not an .npz file"
            raise TraceError(f"Cannot read trace '{path}': {reason}.") from None
        n_layers = sum(1 for k in arrays if k.startswith("W"))
        trace = cls(
            steps=arrays["steps"],
            weights=[arrays[f"W{i}"] for i in range(n_layers)],
            biases=[arrays[f"b{i}"] for i in range(n_layers)],
            loss=arrays["loss"],
            accuracy=arrays["accuracy"],
            test_loss=arrays.get("test_loss"),
            test_accuracy=arrays.get("test_accuracy"),
            meta=meta,
        )
        _check_values(trace, path)
        return trace

    @classmethod
    def read_meta(cls, path: str | os.PathLike) -> dict[str, Any]:
        """Only a trace's metadata (e.g. whether training stopped early), checked the way
        `load` checks it, without reading any array."""
        path = Path(path)
        check_regular_file(path, "Trace file", TraceError)
        try:
            with zipfile.ZipFile(path) as zf:
                return _read_meta(zf, _members(zf, path), path)
        except TraceError:
            raise
        except (zipfile.BadZipFile, zlib.error, EOFError, ValueError, OSError, IndexError,
                KeyError, NotImplementedError, RuntimeError):
            raise TraceError(f"Cannot read trace '{path}': the file is truncated or "
                             "corrupt.") from None

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
