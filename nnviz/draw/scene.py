"""Base classes for nnviz scenes: config, palette, timing and traces wired in.

A scene subclasses NNVizScene (or NNVizThreeDScene), sets `Config` to its config
dataclass, declares the trained networks it reads in `Config.traces()`, and is registered
with @register("name", "description").

A scene receives its inputs explicitly: `SceneClass(config=..., store=...)` takes a
validated config and the TraceStore its traces are read from. Without them it uses the
class's default config (`SceneClass.configured(config, store)` makes a subclass with
other defaults: what `nnviz.scene_class()` returns) or `Config()`, and the store at
$NNVIZ_CACHE or ./cache/traces; so plain `manim scenes/file.py ClassName` renders too.
"""

from __future__ import annotations

from typing import Any, ClassVar

from manim import UP, Scene, Text, ThreeDScene

from nnviz.core.datasets import Dataset
from nnviz.core.errors import NNVizError
from nnviz.core.trace import Trace
from nnviz.draw import patches
from nnviz.draw.beats import Beat, BeatsMixin
from nnviz.spec.config import SceneConfig
from nnviz.spec.palette import PALETTE
from nnviz.spec.registry import register
from nnviz.spec.store import TraceStore

patches.install()  # nnviz's changes to manim, where tested (see nnviz.draw.patches)


class NNVizMixin(BeatsMixin):
    """What every nnviz scene has: self.cfg, self.store, self.palette, self.trace(),
    self.trace_data(), self.t(), and beats (self.beat(), self.beats; see nnviz.draw.beats)."""

    Config: type[SceneConfig] = SceneConfig
    scene_name: str = ""
    default_config: ClassVar[SceneConfig | None] = None  # set by configured()
    default_store: ClassVar[TraceStore | None] = None  # set by configured()

    def __init__(self, config: SceneConfig | None = None, store: TraceStore | None = None,
                 **kwargs: Any) -> None:
        self._given_config = config
        self._given_store = store
        super().__init__(**patches.scene_kwargs(self, kwargs))

    @classmethod
    def configured(cls, config: SceneConfig, store: TraceStore | None = None,
                   name: str | None = None, module: str | None = None) -> type:
        """A subclass whose instances default to `config` (and read traces from `store`):
        for tools that instantiate a scene class with no arguments, such as `manim` and
        the `%%manim` cell magic."""
        cls._check_config(config)
        attrs = {"default_config": config, "default_store": store,
                 "__module__": module or cls.__module__, "__doc__": cls.__doc__}
        return type(name or cls.__name__, (cls,), attrs)

    @classmethod
    def _check_config(cls, config: SceneConfig) -> None:
        if not isinstance(config, cls.Config):
            raise NNVizError(
                f"Scene '{cls.scene_name or cls.__name__}' takes a {cls.Config.__name__}, "
                f"got a {type(config).__name__}."
            )

    def setup(self) -> None:
        super().setup()
        cls = type(self)
        cfg = self._given_config
        if cfg is None:
            cfg = cls.default_config if cls.default_config is not None else cls.Config()
        cls._check_config(cfg)
        self.cfg = cfg
        self.store = self._given_store or cls.default_store or TraceStore()
        self.palette = dict(
            PALETTE,
            positive=self.cfg.positive_color,
            negative=self.cfg.negative_color,
            class_a=self.cfg.class_a_color,
            class_b=self.cfg.class_b_color,
        )
        self.camera.background_color = PALETTE["background"]
        self._traces: dict[str, Trace] = {}
        self._data: dict[str, tuple[Dataset, Dataset | None]] = {}

    def _spec(self, name: str):
        specs = self.cfg.traces()
        if name not in specs:
            raise KeyError(f"scene '{self.scene_name}' declares no trace '{name}' "
                           f"(it has: {', '.join(specs) or 'none'})")
        return specs[name]

    def trace(self, name: str = "main") -> Trace:
        """A trace this scene's config declares, read from the store (never trained here
        when rendered through nnviz, which fills the store first)."""
        if name not in self._traces:
            trace = self.store.load(self._spec(name))
            if trace.stopped:  # never draw a diverged run as a trained network
                raise NNVizError(f"Scene '{self.scene_name}': training of trace '{name}' "
                                 f"stopped early: {trace.stopped}. Lower its learning rate.")
            self._traces[name] = trace
        return self._traces[name]

    def trace_data(self, name: str = "main") -> tuple[Dataset, Dataset | None]:
        """The (training, held-out) data trace `name` was trained on: the only data a
        scene draws, so the picture and the network always agree."""
        if name not in self._data:
            self._data[name] = self.store.data(self._spec(name))
        return self._data[name]

    def t(self, seconds: float) -> float:
        """A duration scaled by the config's speed knob."""
        return seconds / self.cfg.speed

    # Knobs such as hold_time=0 are allowed, but manim refuses a wait or a play of zero
    # seconds, and only after the whole scene has rendered: a zero-length one is a no-op
    # (a play jumps to its end state, unrendered).
    def wait(self, duration: float = 1.0, *args: Any, **kwargs: Any) -> None:
        if duration <= 0:
            return
        super().wait(duration, *args, **kwargs)

    def play(self, *args: Any, **kwargs: Any) -> None:
        run_time = kwargs.get("run_time")
        if run_time is None or run_time > 0:
            super().play(*args, **kwargs)
            return
        renderer = self.renderer
        skipping, time = renderer.skip_animations, renderer.time
        renderer.skip_animations = True
        try:
            super().play(*args, **{**kwargs, "run_time": 1.0})  # skipped: end state only
        finally:
            renderer.skip_animations, renderer.time = skipping, time


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


__all__ = ["Beat", "NNVizScene", "NNVizThreeDScene", "TraceStore", "register", "title", "label"]
