"""Base classes for nnviz scenes: config, palette, timing and traces wired in.

A scene subclasses NNVizScene (or NNVizThreeDScene), sets `Config` to its config
dataclass, and is registered with @register("name", "description"). It renders with
`nnviz render name --set key=value` or with plain `manim scenes/file.py ClassName`
(default config).
"""

from __future__ import annotations

import json
import os

from manim import UP, Scene, Text, ThreeDScene

from nnviz.core.datasets import Dataset
from nnviz.core.trace import Trace
from nnviz.draw import patches
from nnviz.spec import store as cache
from nnviz.spec.config import SceneConfig, build_config
from nnviz.spec.palette import PALETTE
from nnviz.spec.registry import register

CONFIG_ENV = "NNVIZ_SCENE_CONFIG"


_OVERRIDES: dict[type, SceneConfig] = {}


def use_config(cls: type, cfg: SceneConfig | None) -> None:
    """Hand a validated config to the next instance of scene class `cls` (in-process
    renders); None removes it."""
    if cfg is None:
        _OVERRIDES.pop(cls, None)
    else:
        _OVERRIDES[cls] = cfg


def active_config(cls: type) -> SceneConfig:
    """The config the pipeline handed this scene, or the defaults under plain manim."""
    if cls in _OVERRIDES:
        return _OVERRIDES[cls]
    raw = os.environ.get(CONFIG_ENV)
    if raw:
        payload = json.loads(raw)
        if payload.get("scene") == getattr(cls, "scene_name", None):
            return build_config(cls.Config, payload.get("config", {}), cls.scene_name)
    return cls.Config()


class NNVizMixin:
    """What every nnviz scene has: self.cfg, self.palette, self.trace(), self.t()."""

    Config: type[SceneConfig] = SceneConfig
    scene_name: str = ""

    def __init__(self, config: SceneConfig | None = None, store: object | None = None,
                 **kwargs: object) -> None:
        self._given_config = config
        self._given_store = store
        super().__init__(**patches.scene_kwargs(self, kwargs))

    def setup(self) -> None:
        super().setup()
        self.cfg = active_config(type(self))
        self.palette = dict(
            PALETTE,
            positive=self.cfg.positive_color,
            negative=self.cfg.negative_color,
            class_a=self.cfg.class_a_color,
            class_b=self.cfg.class_b_color,
        )
        self.camera.background_color = PALETTE["background"]
        self._traces: dict[str, Trace] = {}

    def trace(self, name: str = "main") -> Trace:
        """A trace this scene's config names, read from the cache (never trained here
        when rendered through nnviz, which fills the cache first)."""
        if name not in self._traces:
            self._traces[name] = cache.load(self.cfg.traces()[name])
        return self._traces[name]

    def trace_data(self, name: str = "main") -> tuple[Dataset, Dataset | None]:
        """The (training, held-out) data trace `name` was trained on."""
        return cache.spec_data(self.cfg.traces()[name])

    def t(self, seconds: float) -> float:
        """A duration scaled by the config's speed knob."""
        return seconds / self.cfg.speed


def title(scene: NNVizMixin, text: str, font_size: int = 34) -> Text:
    """A scene's heading at the top edge, above everything drawn below it."""
    return Text(text, font_size=font_size, color=scene.palette["text"]).to_edge(
        UP, buff=0.3).set_z_index(5)


def label(scene: NNVizMixin, text: str, size: int = 26, color: str | None = None) -> Text:
    """Narration text in the palette's text colour (or `color`), above the picture."""
    return Text(text, font_size=size, color=color or scene.palette["text"]).set_z_index(5)


class NNVizScene(NNVizMixin, Scene):
    pass


class NNVizThreeDScene(NNVizMixin, ThreeDScene):
    pass


__all__ = ["NNVizScene", "NNVizThreeDScene", "register", "active_config", "use_config", "title",
           "label"]
