"""`nnviz stills VIDEO`: a PNG at the end of every beat, and a contact sheet."""

from __future__ import annotations

from pathlib import Path

import click

from nnviz.cli import cli


@cli.command()
@click.argument("video", type=click.Path(path_type=Path))
@click.option("--out", "out", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: VIDEO's folder, <stem>.stills).")
def stills(video, out) -> None:
    """Save the last frame of each beat of a rendered VIDEO (read from the <stem>.beats.json
    nnviz render writes beside it) as numbered PNGs, plus sheet.png with all of them."""
    from nnviz.cli.render import consoles
    from nnviz.pipeline.progress import shown_path
    from nnviz.pipeline.stills import beat_stills

    stdout, _ = consoles()
    for path in beat_stills(video, out_dir=out):
        stdout.print(shown_path(path), markup=False, highlight=False)
