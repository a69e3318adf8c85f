"""`nnviz new NAME [--from SCENE] [--dir DIR]`: a new scene file and its test."""

from __future__ import annotations

from pathlib import Path

import click

from nnviz.cli import cli
from nnviz.cli.render import scenes_option


@cli.command()
@click.argument("name")
@click.option("--from", "source", default=None, metavar="SCENE",
              help="Start from a copy of this scene (e.g. bent-line), renamed to NAME.")
@click.option("--dir", "folder", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the scene file (default: the project's first [tool.nnviz] "
                   "scenes folder, else ./scenes); its test goes to the tests/ folder beside it.")
@scenes_option
def new(name: str, source: str | None, folder: Path | None) -> None:
    """Write scene NAME (a config, a trace, a few beats) and its test, ready to render."""
    from nnviz.pipeline.scaffold import new_scene

    made = new_scene(name, folder, source)
    click.echo(f"wrote {made.scene_file} and {made.test_file}")
    click.echo(f"render it: nnviz render {name}"
               + ("" if _found_there(made.scene_file) else f" --scenes {made.scene_file.parent}"))


def _found_there(scene_file: Path) -> bool:
    """Whether the new file's folder is already a scene source (project, NNVIZ_SCENES)."""
    from nnviz.spec import registry

    folder = scene_file.parent.resolve()
    return any(s.folder == folder for s in registry.sources())
