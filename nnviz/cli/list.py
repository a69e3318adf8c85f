"""`nnviz list [NAME] [--json]`: the registered scenes, or one scene's knobs."""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.table import Table

from nnviz.cli import cli
from nnviz.cli.render import scenes_option

_JSON_TYPES = {int: "integer", float: "number", str: "string", bool: "boolean"}


def json_type(tp: Any) -> str:
    """A knob's type for scripts: integer, number, string, boolean, list[T], T|null."""
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"list[{json_type(typing.get_args(tp)[0])}]"
    if origin in (typing.Union, types.UnionType):
        return "|".join("null" if a is type(None) else json_type(a) for a in typing.get_args(tp))
    return _JSON_TYPES.get(tp, str(tp))


def _json_value(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def scene_json(entry: Any, knobs: bool) -> dict[str, Any]:
    """One scene as JSON: name, description, source, file, class (and its knobs)."""
    from nnviz.spec.config import config_fields

    out: dict[str, Any] = {"name": entry.name, "description": entry.description,
                           "source": entry.source, "file": str(entry.file),
                           "class": entry.class_name}
    if knobs:
        rows = []
        for name, (tp, f) in config_fields(entry.config_class).items():
            default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
            meta = f.metadata
            choices = meta.get("choices")
            rows.append({"name": name, "type": json_type(tp), "default": _json_value(default),
                         "min": meta.get("min"), "max": meta.get("max"),
                         "choices": list(choices) if choices else None,
                         "help": meta.get("help", "")})
        out["knobs"] = rows
    return out


@cli.command(name="list")
@click.argument("name", required=False)
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON (every scene, or scene NAME with its knobs) for scripts.")
@scenes_option
def list_scenes(name: str | None, as_json: bool) -> None:
    """List the scenes and where they come from, or show the settings (knobs) of scene NAME."""
    from nnviz.cli.render import consoles
    from nnviz.spec import registry
    from nnviz.spec.config import describe

    if as_json:
        data: Any = (scene_json(registry.get(name), knobs=True) if name else
                     [scene_json(e, knobs=False) for e in registry.discover().values()])
        click.echo(json.dumps(data, indent=2))
        return
    stdout, _ = consoles()
    if name is None:
        scenes = registry.discover()
        table = Table(title=f"{len(scenes)} scenes (nnviz list NAME shows a scene's settings)",
                      title_justify="left")
        table.add_column("name", style="bold")
        table.add_column("description")
        table.add_column("source")
        table.add_column("file", style="dim")
        for scene, entry in scenes.items():
            where = entry.file.name if entry.source == "built-in" else _shown(entry.file)
            table.add_row(escape(scene), escape(entry.description), escape(entry.source),
                          escape(f"{where}:{entry.class_name}"))
        stdout.print(table)
        return
    entry = registry.get(name)
    table = Table(title=escape(f"{name}: {entry.description} ({entry.source})"),
                  title_justify="left")
    for col in ("key", "type", "default", "help"):
        table.add_column(col, style="bold" if col == "key" else None)
    for row in describe(entry.config_class):
        table.add_row(*(escape(cell) for cell in row))
    stdout.print(table)
    stdout.print(f"Set with: nnviz render {name} --set KEY=VALUE, or a [{name}] table "
                 "in a --config TOML file.", markup=False, highlight=False)
