"""Config gathering: which scenes, and the validated config of each.

Every value of every requested scene is checked here, before anything trains or
renders: a typo costs one line, not a half-finished batch. Precedence: defaults < shared
top-level keys of a --config file < its [scene] table < --set.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError, choices_hint
from nnviz.spec import registry
from nnviz.spec.config import SceneConfig, build_config, config_fields, load_toml

# Scenes that ship inside the package (not listed by `nnviz list`), e.g. episode title cards.
BUILTIN_SCENES = {"title-card": ("nnviz.draw.title_card", "TitleCard")}


def resolve(name: str) -> tuple[type, type[SceneConfig]]:
    """(scene class, config class) of a registered or built-in scene."""
    if name in BUILTIN_SCENES:
        module, cls_name = BUILTIN_SCENES[name]
        cls = getattr(importlib.import_module(module), cls_name)
        return cls, cls.Config
    entry = registry.get(name)
    return entry.scene_class, entry.config_class


def scene_names(names: Iterable[str], all_scenes: bool) -> list[str]:
    """The scenes to render, checked against the registry (unknown -> one line + suggestion)."""
    names = list(dict.fromkeys(names))
    if all_scenes and names:
        raise NNVizError("Give scene names or --all, not both.")
    if all_scenes:
        found = sorted(registry.discover())
        if not found:
            raise NNVizError("No scenes are registered (see 'nnviz list').")
        return found
    if not names:
        raise NNVizError("Name at least one scene to render, or use --all (see 'nnviz list').")
    for name in names:
        registry.get(name)
    return names


def scene_keys(name: str) -> set[str]:
    """The setting names scene `name` accepts."""
    return set(config_fields(resolve(name)[1]))


def config_file_overrides(path: str | Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """Per-scene overrides from a TOML file: top-level keys are shared (applied to every
    scene that has them), [scene-name] tables are for that scene. Every table and key is
    checked, also for scenes not being rendered now, so a typo never passes silently."""
    data = load_toml(path)
    registered = registry.discover()
    shared = {k: v for k, v in data.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    where = f"Config file '{path}'"
    for table, values in tables.items():
        if table not in registered:
            raise NNVizError(f"{where}: there is no scene '{table}' for table [{table}]."
                             + choices_hint(table, sorted(registered)))
        try:
            build_config(registered[table].config_class, values, table)
        except NNVizError as e:
            raise NNVizError(f"{where}: {e}") from None
    all_keys = sorted(set().union(*(scene_keys(n) for n in registered)) if registered else set())
    for key in shared:
        if key not in all_keys:
            raise NNVizError(f"{where}: no scene has a setting '{key}'."
                             + choices_hint(key, all_keys))
    out = {}
    for name in names:
        keys = scene_keys(name)
        values = {k: v for k, v in shared.items() if k in keys}
        values.update(tables.get(name, {}))
        out[name] = values
    return out


def apply_sets(sets: dict[str, Any], names: list[str],
               overrides: dict[str, dict[str, Any]]) -> None:
    """--set key=value goes to every requested scene that has the key; a key none of them
    has is an error (reported as the first scene's, with its close matches)."""
    for key, value in sets.items():
        having = [n for n in names if key in scene_keys(n)]
        if not having:
            build_config(resolve(names[0])[1], {key: value}, names[0])  # raises, with hint
        for n in having:
            overrides.setdefault(n, {})[key] = value


def build_configs(overrides: dict[str, dict[str, Any]]) -> dict[str, SceneConfig]:
    """Validate every scene's overrides (all of them, before any work starts)."""
    return {name: scene_config(name, values) for name, values in overrides.items()}


def scene_config(name: str, settings: dict[str, Any] | None = None) -> SceneConfig:
    """The validated config of scene `name` with `settings` (strings or typed values)."""
    return build_config(resolve(name)[1], settings or {}, name)
