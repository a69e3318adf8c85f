"""Scenes by name: every scene class in scenes/ registers itself with @register."""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from nnviz.core.errors import NNVizError, choices_hint
from nnviz.spec.config import SceneConfig


@dataclass(frozen=True)
class SceneEntry:
    name: str
    description: str
    scene_class: type
    config_class: type[SceneConfig]

    @property
    def file(self) -> Path:
        return Path(inspect.getfile(self.scene_class))

    @property
    def class_name(self) -> str:
        return self.scene_class.__name__


REGISTRY: dict[str, SceneEntry] = {}


def register(name: str, description: str):
    """Class decorator: make a scene renderable as `nnviz render NAME`."""

    def deco(cls: type) -> type:
        cls.scene_name = name
        REGISTRY[name] = SceneEntry(name, description, cls, cls.Config)
        return cls

    return deco


BUILTIN_PACKAGE = "nnviz.scenes"  # scenes/ in the source tree, shipped in the wheel


def scenes_dir() -> Path:
    """$NNVIZ_SCENES, or the folder of the built-in scenes (nnviz.scenes)."""
    if os.environ.get("NNVIZ_SCENES"):
        return Path(os.environ["NNVIZ_SCENES"])
    spec = importlib.util.find_spec(BUILTIN_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise NNVizError(f"The built-in scenes ({BUILTIN_PACKAGE}) are not installed; "
                         "reinstall nnviz (pip install .).")
    return Path(list(spec.submodule_search_locations)[0])


def discover() -> dict[str, SceneEntry]:
    """Import every scene module once, so that their @register decorators run."""
    folder = scenes_dir()
    if not folder.is_dir():
        raise NNVizError(f"Scenes folder '{folder}' does not exist (set NNVIZ_SCENES).")
    builtin = not os.environ.get("NNVIZ_SCENES")
    package = BUILTIN_PACKAGE if builtin else "nnviz_user_scenes"
    if not builtin and package not in sys.modules:
        # a package for the scene files, so their classes (and configs) import by name:
        # render jobs carry config objects to worker processes, pickled by reference
        holder = types.ModuleType(package)
        holder.__path__ = [str(folder)]
        sys.modules[package] = holder
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = f"{package}.{path.stem}"
        if module in sys.modules:
            continue
        try:
            if builtin:
                importlib.import_module(module)
            else:
                spec = importlib.util.spec_from_file_location(module, path)
                mod = importlib.util.module_from_spec(spec)
                sys.modules[module] = mod
                spec.loader.exec_module(mod)
        except Exception as e:  # a scene file: one line, not a traceback
            sys.modules.pop(module, None)
            raise NNVizError(
                f"Scene file '{path}' failed to import: {type(e).__name__}: {e}"
            ) from None
    return REGISTRY


def get(name: str) -> SceneEntry:
    scenes = discover()
    if name not in scenes:
        raise NNVizError(f"Unknown scene '{name}'." + choices_hint(name, sorted(scenes)))
    return scenes[name]
