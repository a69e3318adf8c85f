"""train(): run a trainer on a network and record a Trace of what happened."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

import numpy as np

from . import __version__
from .datasets.base import Dataset
from .errors import NNVizError
from .network import MLP
from .schedule import record_steps
from .trace import Trace
from .trainers import make_trainer, trainer_params


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
    mini-batch shuffling. If the loss becomes NaN or infinite, training stops, the
    trace keeps everything up to the last finite step, and `trace.stopped` says why.
    """
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
    loss = loss or default_loss(net, data)
    X = np.ascontiguousarray(data.X, dtype=float)  # checked once; trainers trust it
    Y = np.ascontiguousarray(data.targets(net), dtype=float)
    Xt, Yt = (test.X, test.targets(net)) if test is not None else (None, None)
    keep = set(record_steps(steps, record).tolist())
    rows: dict[str, list] = {k: [] for k in ("steps", "loss", "acc", "tloss", "tacc", "W", "b")}
    classify = data.task == "classification"

    def measure(Xm: np.ndarray, Ym: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
        """Loss and accuracy of the current weights, from one forward pass."""
        value, predicted = net.loss_and_labels(Xm, Ym, loss)
        return value, float(np.mean(predicted == labels)) if classify else float("nan")

    def snapshot(step: int, value: float, acc: float) -> None:
        rows["steps"].append(step)
        rows["loss"].append(value)
        rows["acc"].append(acc)
        tloss, tacc = measure(Xt, Yt, test.y) if test is not None else (np.nan, np.nan)
        rows["tloss"].append(tloss)
        rows["tacc"].append(tacc)
        rows["W"].append([w.copy() for w in net.weights])
        rows["b"].append([b.copy() for b in net.biases])

    stopped = None
    previous = {"W": [w.copy() for w in net.weights], "b": [b.copy() for b in net.biases]}

    def on_step(step: int) -> bool:
        nonlocal stopped
        if progress:
            progress(step, steps)
        finite = all(np.isfinite(p).all() for p in net.weights + net.biases)
        value, acc = measure(X, Y, data.y) if finite and step in keep else (None, None)
        if finite and (value is None or np.isfinite(value)):
            if step in keep:
                snapshot(step, value, acc)
            for old, new in zip(previous["W"] + previous["b"], net.weights + net.biases,
                                strict=True):
                old[...] = new
            return True
        # Diverged: fall back to step - 1 if its loss is finite, else to the last record.
        net.set_weights(previous["W"], previous["b"])
        if rows["steps"][-1] != step - 1:
            before, before_acc = measure(X, Y, data.y)
            if np.isfinite(before):
                snapshot(step - 1, before, before_acc)
            else:
                net.set_weights(rows["W"][-1], rows["b"][-1])
        shown = value if value is not None else float("nan")
        stopped = (f"the loss became {shown} by step {step}; "
                   f"the trace ends at step {rows['steps'][-1]}, the last finite one")
        return False

    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"), _one_blas_thread():
        snapshot(0, *measure(X, Y, data.y))
        trainer.run(net, X, Y, loss, steps, rng, on_step)

    n_layers = net.n_layers
    meta = {
        "sizes": list(net.sizes),
        "activation": net.activation,
        "output_activation": net.output_activation,
        "loss": loss,
        "dataset": data.name,
        "dataset_params": data.params,
        "trainer": trainer_name,
        "trainer_params": trainer_params(trainer),
        "steps": steps,
        "record": record,
        "seed": seed,
        "nnviz_version": __version__,
    }
    if stopped:
        meta["stopped"] = stopped
    return Trace(
        steps=np.array(rows["steps"], dtype=np.int64),
        weights=[np.stack([r[i] for r in rows["W"]]) for i in range(n_layers)],
        biases=[np.stack([r[i] for r in rows["b"]]) for i in range(n_layers)],
        loss=np.array(rows["loss"], dtype=float),
        accuracy=np.array(rows["acc"], dtype=float),
        test_loss=np.array(rows["tloss"], dtype=float) if test is not None else None,
        test_accuracy=np.array(rows["tacc"], dtype=float) if test is not None else None,
        meta=meta,
    )
