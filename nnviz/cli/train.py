"""`nnviz train`: train a network on a data set and save its trace as .npz.

Everything the user typed is checked before training starts, so a mistake costs no
time and leaves no file; the trace is written atomically at the end.
"""

from __future__ import annotations

import inspect
import math
import typing
from pathlib import Path
from typing import Any

import click

from nnviz.cli import FiniteFloat, cli
from nnviz.core.activations import ACTIVATIONS
from nnviz.core.datasets import DATASETS
from nnviz.core.errors import NNVizError
from nnviz.core.files import check_writable
from nnviz.core.limits import MIN_SAMPLES, check_training
from nnviz.core.losses import LOSSES
from nnviz.core.trainers import TRAINERS
from nnviz.spec.config import coerce, default_n

LAYERS_HELP = "give comma-separated positive widths from input to output, e.g. 2,3,2"


def parse_layers(text: str) -> tuple[int, ...]:
    """'2,3,2' -> (2, 3, 2); anything else is one line saying what a width list looks like."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or not all(p.isascii() and p.isdigit() and int(p) > 0 for p in parts):
        raise NNVizError(f"Bad --layers '{text}': {LAYERS_HELP}.")
    return tuple(int(p) for p in parts)


def _coerce(name: str, value: str, hint: Any, where: str) -> Any:
    """The parameter's value in its declared type (the rules of `--set`), or one line."""
    try:
        return coerce(value, hint)
    except (ValueError, TypeError):
        args = typing.get_args(hint) or (hint,)
        kinds = " or ".join(getattr(t, "__name__", str(t)) for t in args if t is not type(None))
        if kinds == "float":
            kinds = "a finite float"
        raise NNVizError(f"Bad {where} parameter {name}={value!r}: expected {kinds}.") from None


def parse_params(items: tuple[str, ...], target: Any, where: str) -> dict[str, Any]:
    """['n=300', 'noise=0.1'] -> typed keyword arguments for a function or dataclass."""
    hints = typing.get_type_hints(target)
    valid = [p for p in inspect.signature(target).parameters if p in hints]
    out: dict[str, Any] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise NNVizError(f"Bad {where} parameter '{item}': write it as KEY=VALUE, e.g. n=300.")
        if key not in valid:
            raise NNVizError(
                f"{where.capitalize()} has no parameter '{key}'. "
                f"Valid choices: {', '.join(valid) or '(none)'}."
            )
        out[key] = _coerce(key, value.strip(), hints[key], where)
    return out


def check_output(path: Path) -> Path:
    """Where the trace goes: FILE.npz whose folder exists (or can be made) and is writable,
    and which, if it exists, is a regular file (never /dev/null, a FIFO or a device)."""
    if path.exists() and not path.is_dir() and not path.is_file():
        raise NNVizError(f"--out '{path}' is not a regular file: give a file name such as "
                         "run.npz.")
    if path.is_dir():
        raise NNVizError(f"--out '{path}' is a folder: give a file name such as run.npz.")
    if path.suffix != ".npz":
        path = path.with_name(path.name + ".npz")
        if path.is_dir():
            raise NNVizError(f"--out '{path}' is a folder: give a file name such as run.npz.")
        if path.exists() and not path.is_file():
            raise NNVizError(f"--out '{path}' is not a regular file: give a file name such "
                             "as run.npz.")
    check_writable(path.parent, "output folder", create=False)  # nothing made yet
    return path


def default_output_activation(data: Any, n_out: int) -> str:
    """Logits for several classes (softmax), a probability for two, a value for regression."""
    if data.task == "classification" and n_out == 1:
        return "sigmoid"
    return "identity"


@cli.command()
@click.option("--dataset", "-d", required=True, metavar="NAME",
              help=f"{', '.join(DATASETS)}.")
@click.option("--layers", "-l", required=True, metavar="W,W,...",
              help="Widths from input to output, e.g. 2,3,2 or 784,16,16,10.")
@click.option("--activation", "-a", default="tanh", show_default=True,
              help=f"Hidden layers: {', '.join(ACTIVATIONS)}.")
@click.option("--output-activation", default=None,
              help="Last layer (default: sigmoid for one class output, else identity).")
@click.option("--loss", default=None,
              help=f"{', '.join(LOSSES)} (default: cross-entropy for classification, squared "
                   "error otherwise).")
@click.option("--trainer", "-t", default="adam", show_default=True,
              help=f"{', '.join(TRAINERS)}.")
@click.option("--steps", "-n", default=200, show_default=True, type=click.IntRange(min=0),
              help="Training steps (an epoch for gradient descent, a sweep for nudge).")
@click.option("--lr", type=FiniteFloat(min=0.0, min_open=True), default=None,
              help="Learning rate (sgd, momentum, adam).")
@click.option("--batch-size", type=click.IntRange(min=1), default=None,
              help="Mini-batch size (sgd, momentum, adam; default: full batch).")
@click.option("--record", default="1", show_default=True,
              help="Keep every k-th step (k) or about N steps, dense early ('log:N').")
@click.option("--seed", "-s", default=0, show_default=True, type=click.IntRange(min=0),
              help="Seed for data, initial weights and mini-batches.")
@click.option("--test-fraction", default=0.0, show_default=True,
              type=FiniteFloat(0.0, 0.9), help="Hold out this share of the data for testing.")
@click.option("--data-param", "data_params", multiple=True, metavar="KEY=VALUE",
              help="Data set parameter, e.g. n=300, noise=0.1, path=DIR for mnist (repeatable).")
@click.option("--trainer-param", "trainer_params", multiple=True, metavar="KEY=VALUE",
              help="Trainer parameter, e.g. momentum=0.5, step=0.05 for nudge (repeatable).")
@click.option("--out", "-o", required=True, type=click.Path(path_type=Path),
              help="The trace file to write (.npz).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def train(dataset, layers, activation, output_activation, loss, trainer, steps, lr, batch_size,
          record, seed, test_fraction, data_params, trainer_params, out, quiet) -> None:
    """Train a network and record its training as a trace (.npz)."""
    from nnviz.core import datasets, losses
    from nnviz.core.activations import get_activation
    from nnviz.core.schedule import record_steps
    from nnviz.core.trainers import make_trainer
    from nnviz.spec import store
    from nnviz.spec.config import spec as trace_spec

    # 1. check everything the user typed, before any work or any file
    sizes = parse_layers(layers)
    if dataset not in datasets.DATASETS:
        datasets.load(dataset)  # raises the one-line error with the valid names
    data_kw = parse_params(data_params, datasets.DATASETS[dataset], f"data set '{dataset}'")
    get_activation(activation)
    if output_activation is not None:
        get_activation(output_activation)
    if loss is not None:
        losses.get_loss(loss)
    if trainer not in TRAINERS:
        make_trainer(trainer)  # raises
    trainer_kw = parse_params(trainer_params, TRAINERS[trainer], f"trainer '{trainer}'")
    for key, value in (("lr", lr), ("batch_size", batch_size)):
        if value is not None:
            trainer_kw[key] = value
    make_trainer(trainer, **trainer_kw)  # unknown parameters are an error now
    # the cost, before the data are built: n=10**12 or 2,20000,20000,1 is refused here
    n = data_kw.get("n", default_n(dataset))
    check_training(dataset, n, sizes, steps, test_fraction)
    record_steps(steps, record)  # a bad schedule is an error now, not after training
    try:
        data = datasets.load(dataset, **data_kw)
    except (ValueError, TypeError) as e:
        raise NNVizError(f"Bad parameters for data set '{dataset}': {e}.") from None
    if data.n_samples < MIN_SAMPLES:
        raise NNVizError(f"Data set '{dataset}' has {data.n_samples} samples; training needs "
                         f"at least {MIN_SAMPLES}.")
    if sizes[0] != data.n_inputs:
        raise NNVizError(
            f"--layers starts with {sizes[0]} but data set '{dataset}' has {data.n_inputs} "
            f"inputs per sample: make the first width {data.n_inputs}, e.g. "
            f"{','.join(map(str, (data.n_inputs,) + sizes[1:]))}."
        )
    path = check_output(out)
    # the same spec -> trace path as every scene's trace (nnviz.spec.store)
    spec = trace_spec(
        dataset, sizes, dataset_params=data_kw, trainer_params=trainer_kw,
        activation=activation,
        output_activation=output_activation or default_output_activation(data, sizes[-1]),
        trainer=trainer, steps=steps, seed=seed, loss=loss, test_fraction=test_fraction,
        record=int(record) if record.isdigit() else record,
    )

    # 2. train, with a progress bar on stderr
    from rich.console import Console

    console = Console(stderr=True)
    if quiet or steps == 0 or not console.is_terminal:
        trace = store.run_spec(spec)
    else:
        from nnviz.pipeline.progress import TrainingProgress

        with TrainingProgress(console) as bar:
            trace = store.run_spec(spec, progress=bar.training(spec.label(), steps))
    if trace.stopped:
        click.echo(f"nnviz: warning: training stopped early: {trace.stopped}.", err=True)

    # 3. save (atomically: a failure leaves no partial file)
    saved = trace.save(path)
    acc = "" if math.isnan(trace.final_accuracy) else f", accuracy {trace.final_accuracy:.1%}"
    click.echo(f"Saved {saved}: {trace.network()}, {int(trace.steps[-1])} steps "
               f"({trace.n_records} recorded), final loss {trace.final_loss:.4g}{acc}.")
