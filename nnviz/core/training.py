"""train(): run a trainer on a network and record a Trace of what happened."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from nnviz._version import __version__
from nnviz.core.datasets.base import Dataset
from nnviz.core.errors import NNVizError
from nnviz.core.evaluation import evaluate
from nnviz.core.network import MLP
from nnviz.core.schedule import record_steps
from nnviz.core.trace import Trace
from nnviz.core.trainers import make_trainer, trainer_params


def default_loss(net: MLP, data: Dataset) -> str:
    """The loss the videos would use for this network and task."""
    if data.task == "classification":
        if net.sizes[-1] > 1 and net.output_activation == "identity":
            return "softmax_cross_entropy"
        if net.sizes[-1] == 1 and net.output_activation == "sigmoid":
            return "binary_cross_entropy"
    return "squared_error"


def _one_blas_thread() -> contextlib.AbstractContextManager:
    """Run BLAS single-threaded while training.

    These matrices are tiny: threads gain nothing, and on a busy machine waking them
    costs milliseconds per product (a recorded full-data pass got 10x slower).
    threadpoolctl comes with scikit-learn; without it, nothing changes.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover
        return contextlib.nullcontext()
    return threadpool_limits(1, user_api="blas")


def _check_outputs(net: MLP, data: Dataset) -> None:
    """The last width must fit the answers: one per class (or one for two classes)."""
    n_out = net.sizes[-1]
    if data.task == "classification" and data.n_classes:
        k = data.n_classes
        if n_out != k and not (n_out == 1 and k == 2):
            fits = f"{k}" if k != 2 else "1 or 2"
            raise NNVizError(
                f"Data set '{data.name}' has {k} classes but the network has {n_out} outputs: "
                f"make the last width {fits}."
            )
    elif data.task == "regression":
        k = data.y.reshape(data.n_samples, -1).shape[1]
        if n_out != k:
            raise NNVizError(
                f"Data set '{data.name}' has {k} target value(s) per sample but the network has "
                f"{n_out} outputs: make the last width {k}."
            )


@dataclass(frozen=True)
class _Plan:
    """What a run needs, checked once: the trainer, the loss and the data as float arrays."""

    trainer: Any
    trainer_name: str
    steps: int
    loss: str
    X: np.ndarray
    Y: np.ndarray
    keep: frozenset[int]  # the steps to record


def _prepare(net: MLP, data: Dataset, trainer: str | Any, steps: int, record: int | str,
             loss: str | None, trainer_kwargs: dict[str, Any]) -> _Plan:
    """Check that the network fits the data and build the trainer: every mistake is
    reported before any training."""
    if int(steps) < 0:
        raise NNVizError(f"Steps must be zero or more, got {steps}.")
    steps = int(steps)
    trainer_name = trainer if isinstance(trainer, str) else trainer.name  # 'momentum' stays
    if isinstance(trainer, str):
        trainer = make_trainer(trainer, **trainer_kwargs)
    if data.X.shape[1] != net.sizes[0]:
        raise NNVizError(
            f"Data set '{data.name}' has {data.X.shape[1]} inputs but the network takes "
            f"{net.sizes[0]}: make the first width {data.X.shape[1]}."
        )
    _check_outputs(net, data)
    return _Plan(
        trainer=trainer,
        trainer_name=trainer_name,
        steps=steps,
        loss=loss or default_loss(net, data),
        X=np.ascontiguousarray(data.X, dtype=float),  # checked once; trainers trust it
        Y=np.ascontiguousarray(data.targets(net), dtype=float),
        keep=frozenset(record_steps(steps, record).tolist()),
    )


class _Recorder:
    """The trainer's per-step callback: copies the weights of the recorded steps, and stops
    training (restoring the last finite weights) once the weights stop being finite."""

    def __init__(self, net: MLP, plan: _Plan,
                 progress: Callable[[int, int], None] | None) -> None:
        self.net, self.keep, self.steps, self.progress = net, plan.keep, plan.steps, progress
        # Records go into arrays made up front: small copies allocated between epochs made
        # every epoch ~3 % slower (measured; heap fragmentation around each epoch's shuffled
        # data, we think).
        self.kept = np.zeros(len(plan.keep) + 1, dtype=np.int64)  # + 1: step - 1 of a divergence
        self.weights = [np.zeros((self.kept.size,) + w.shape) for w in net.weights]
        self.biases = [np.zeros((self.kept.size,) + b.shape) for b in net.biases]
        self.n_kept = 0
        self.previous = [p.copy() for p in net.weights + net.biases]
        self.stopped_at: int | None = None

    def snapshot(self, step: int) -> None:
        net = self.net
        self.kept[self.n_kept] = step
        for stack, p in zip(self.weights + self.biases, net.weights + net.biases, strict=True):
            stack[self.n_kept] = p
        self.n_kept += 1

    def __call__(self, step: int) -> bool:
        """After `step`: True to go on, False to stop."""
        net = self.net
        if self.progress:
            self.progress(step, self.steps)
        if all(np.isfinite(p).all() for p in net.weights + net.biases):
            if step in self.keep:
                self.snapshot(step)
            for old, new in zip(self.previous, net.weights + net.biases, strict=True):
                old[...] = new
            return True
        # Diverged: the weights of step - 1 were the last finite ones.
        n_w = len(net.weights)
        net.set_weights(self.previous[:n_w], self.previous[n_w:])
        if self.kept[self.n_kept - 1] != step - 1:
            self.snapshot(step - 1)
        self.stopped_at = step
        return False

    def records(self) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
        """(steps, weights, biases) of the records taken."""
        n = self.n_kept
        return self.kept[:n], [w[:n] for w in self.weights], [b[:n] for b in self.biases]


def _run(net: MLP, plan: _Plan, seed: int,
         progress: Callable[[int, int], None] | None) -> _Recorder:
    """Train `net` in place, recording as the plan says; `seed` drives mini-batch order."""
    recorder = _Recorder(net, plan, progress)
    recorder.snapshot(0)
    plan.trainer.run(net, plan.X, plan.Y, plan.loss, plan.steps, np.random.default_rng(seed),
                     recorder)
    return recorder


def _record(net: MLP, data: Dataset, test: Dataset | None, plan: _Plan, recorder: _Recorder,
            record: int | str, seed: int) -> Trace:
    """The Trace: the loss and accuracy of each record's weights on all the training data
    (and the held-out data), cut before a loss that overflowed, with the run's metadata."""
    kept, weights, biases = recorder.records()
    stopped_at, shown = recorder.stopped_at, float("nan")
    classify = data.task == "classification"
    values, accuracy = evaluate(net, weights, biases, plan.X, plan.Y,
                                data.y if classify else None, plan.loss)
    infinite = np.flatnonzero(~np.isfinite(values))
    if infinite.size:  # the loss overflowed at finite weights: end the trace before it
        first = int(infinite[0])
        stopped_at, shown = int(kept[first]), float(values[first])
        end = max(first, 1)
        kept, values, accuracy = kept[:end], values[:end], accuracy[:end]
        weights, biases = [w[:end] for w in weights], [b[:end] for b in biases]
        net.set_weights([w[-1] for w in weights], [b[-1] for b in biases])
    test_values = test_accuracy = None
    if test is not None:
        test_values, test_accuracy = evaluate(
            net, weights, biases, np.ascontiguousarray(test.X, dtype=float),
            np.ascontiguousarray(test.targets(net), dtype=float),
            test.y if classify else None, plan.loss)
    meta = {
        "sizes": list(net.sizes),
        "activation": net.activation,
        "output_activation": net.output_activation,
        "loss": plan.loss,
        "dataset": data.name,
        "dataset_params": data.params,
        "trainer": plan.trainer_name,
        "trainer_params": trainer_params(plan.trainer),
        "steps": plan.steps,
        "record": record,
        "seed": seed,
        "nnviz_version": __version__,
    }
    if stopped_at is not None:
        meta["stopped"] = (f"the loss became {shown} by step {stopped_at}; "
                           f"the trace ends at step {kept[-1]}, the last finite one")
    return Trace(steps=kept, weights=weights, biases=biases, loss=values, accuracy=accuracy,
                 test_loss=test_values, test_accuracy=test_accuracy, meta=meta)


def train(
    net: MLP,
    data: Dataset,
    trainer: str | Any = "adam",
    steps: int = 100,
    record: int | str = 1,
    loss: str | None = None,
    test: Dataset | None = None,
    seed: int = 0,
    progress: Callable[[int, int], None] | None = None,
    **trainer_kwargs: Any,
) -> Trace:
    """Train `net` in place for `steps` steps and return the recorded Trace.

    `trainer` is a name ('sgd', 'momentum', 'adam', 'nudge', 'lbfgs') or a trainer
    object; extra keyword arguments go to it (lr=..., batch_size=...). `seed` drives
    mini-batch shuffling. If the weights become NaN or infinite, training stops; if the
    weights or the loss do, the trace keeps everything up to the last finite step and
    `trace.stopped` says why. The loss and accuracy of every record are computed after
    training, all records together (nnviz.evaluation): that is far cheaper.
    """
    plan = _prepare(net, data, trainer, steps, record, loss, trainer_kwargs)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), _one_blas_thread():
        recorder = _run(net, plan, seed, progress)
        return _record(net, data, test, plan, recorder, record, seed)
