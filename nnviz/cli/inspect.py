"""`nnviz inspect FILE.npz`: what a trace holds, and a picture of its loss curve."""

from __future__ import annotations

import math
from pathlib import Path

import click

from nnviz.cli import cli


def png_path(trace_path: Path) -> Path:
    """run.npz -> run.loss.png, beside the trace."""
    stem = trace_path.name[:-4] if trace_path.name.endswith(".npz") else trace_path.name
    return trace_path.with_name(f"{stem}.loss.png")


@cli.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--png", "png", type=click.Path(path_type=Path), default=None,
              help="Where to write the loss curve (default: FILE.loss.png beside the trace).")
@click.option("--no-png", is_flag=True, help="Only print the summary.")
def inspect(path: Path, png: Path | None, no_png: bool) -> None:
    """Print a trace's architecture, steps, final loss and accuracy; draw its loss curve."""
    from nnviz.core.trace import Trace
    from nnviz.draw.loss_plot import loss_curve_image, save_png

    trace = Trace.load(path)  # missing / truncated / foreign: one TraceError line
    lines = [f"trace         {path}", trace.summary()]
    if trace.test_loss is not None and trace.test_loss.size:
        lines.append(f"test loss     {float(trace.test_loss[-1]):.6g}")
        test_acc = float(trace.test_accuracy[-1]) if trace.test_accuracy is not None else math.nan
        if not math.isnan(test_acc):
            lines.append(f"test accuracy {test_acc:.2%}")
    if not no_png:
        m = trace.meta
        curves = {"training loss": trace.loss}
        if trace.test_loss is not None:
            curves["test loss"] = trace.test_loss
        title = (f"{'-'.join(map(str, trace.sizes))} {m.get('activation', '')} on "
                 f"{m.get('dataset', '?')}, {m.get('trainer', '?')}")
        image = loss_curve_image(trace.steps, curves, title=title,
                                 ylabel=str(m.get("loss", "loss")).replace("_", " "))
        written = save_png(image, png or png_path(path))
        lines.append(f"loss curve    {written}")
    click.echo("\n".join(lines))
