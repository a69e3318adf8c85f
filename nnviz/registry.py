"""Scenes by name: every scene class in scenes/ registers itself with @register."""

from __future__ import annotations

import importlib.util
import inspect
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .config import SceneConfig
from .errors import NNVizError, choices_hint


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


def scenes_dir() -> Path:
    """$NNVIZ_SCENES, or the scenes/ folder beside the package."""
    return Path(os.environ.get("NNVIZ_SCENES", Path(__file__).resolve().parents[1] / "scenes"))


def discover() -> dict[str, SceneEntry]:
    """Import every scenes/*.py once, so that their @register decorators run."""
    folder = scenes_dir()
    if not folder.is_dir():
        raise NNVizError(f"Scenes folder '{folder}' does not exist (set NNVIZ_SCENES).")
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = f"nnviz_scenes.{path.stem}"
        if module in sys.modules:
            continue
        spec = importlib.util.spec_from_file_location(module, path)
        mod = importlib.util.module_from_spec(spec)
        sys.modules[module] = mod
        try:
            spec.loader.exec_module(mod)
        except Exception as e:  # a user's scene file: one line, not a traceback
            del sys.modules[module]
            raise NNVizError(
                f"Scene file '{path}' failed to import: {type(e).__name__}: {e}"
            ) from None
    return REGISTRY


def get(name: str) -> SceneEntry:
    scenes = discover()
    if name not in scenes:
        raise NNVizError(f"Unknown scene '{name}'." + choices_hint(name, sorted(scenes)))
    return scenes[name]
