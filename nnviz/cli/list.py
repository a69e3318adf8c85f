"""`nnviz list [NAME]`: the registered scenes, or one scene's knobs."""

from __future__ import annotations

import click
from rich.markup import escape
from rich.table import Table

from nnviz.cli import cli


@cli.command(name="list")
@click.argument("name", required=False)
def list_scenes(name: str | None) -> None:
    """List the scenes, or show the settings (knobs) of scene NAME."""
    from nnviz.cli.render import consoles
    from nnviz.spec import registry
    from nnviz.spec.config import describe

    stdout, _ = consoles()
    if name is None:
        scenes = registry.discover()
        table = Table(title=f"{len(scenes)} scenes (nnviz list NAME shows a scene's settings)",
                      title_justify="left")
        table.add_column("name", style="bold")
        table.add_column("description")
        table.add_column("file", style="dim")
        for scene in sorted(scenes):
            entry = scenes[scene]
            table.add_row(escape(scene), escape(entry.description),
                          f"{entry.file.name}:{entry.class_name}")
        stdout.print(table)
        return
    entry = registry.get(name)
    table = Table(title=escape(f"{name}: {entry.description}"), title_justify="left")
    for col in ("key", "type", "default", "help"):
        table.add_column(col, style="bold" if col == "key" else None)
    for row in describe(entry.config_class):
        table.add_row(*(escape(cell) for cell in row))
    stdout.print(table)
    stdout.print(f"Set with: nnviz render {name} --set KEY=VALUE, or a [{name}] table "
                 "in a --config TOML file.", markup=False, highlight=False)
