"""Every change nnviz makes to manim's behaviour, in one place.

nnviz changes manim only through the seams manim offers; nothing here assigns to a manim
class. An nnviz scene passes its own renderer and camera to manim's ``Scene.__init__``
(`scene_kwargs`, called by the scene base):

* `Renderer` (a CairoRenderer): lends the camera's pixel array to the encoder instead of
  a copy, calls `on_play` after each play (the worker's progress, `on_each_play`), and
  before each play lets glyphs drop the SVG path they were built from, which every copy
  of a Text or formula deep-copied (svg_sources);
* its `FileWriter` (``file_writer_class=``) makes segments with `SegmentEncoder`, which
  hands frames to PyAV in place, converts to YUV only the rows that changed (a still
  wait's frame once) and gives lent arrays back (reached through the writer's
  ``_create_segment_encoder``, a private method of manim 0.22: one more reason for the
  version gate);
* `NNVizCamera` / `NNVizThreeDCamera` (``camera_class=``): draw into returned buffers,
  clear to a plain background with a fill, and let mobjects draw themselves faster
  (``draw_fast``, ``draw_to_camera``: see camera_hooks).

* `numbers` (DecimalNumber, Integer, MathTex, Tex, Text, exported by
  nnviz.draw.mobjects): manim's classes, cheap to update and copy every frame (a number
  keeps its digits when its text would not change; copies share the parsed SVG paths).
  Scenes use them instead of manim's; they check `stock()` on every call.

No global assignment is left: every change has a seam. `install()` decides whether the
classes are used: only on the manim releases they were written and tested against
(TESTED_MANIM), and not with NNVIZ_STOCK_MANIM=1. Otherwise manim runs as shipped, as it
does for plain manim ``Scene``s (unless they mix in `NNVizRendering`): nnviz's mobjects
then draw through manim's own paths (their points, ``get_pixel_array()``), the same
picture, only slower.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

STOCK_ENV = "NNVIZ_STOCK_MANIM"
TESTED_MANIM = ((0, 22),)  # (major, minor) releases the patches were tested with


@lru_cache(maxsize=1)
def manim_version() -> tuple[int, ...]:
    """The installed manim's (major, minor, patch)."""
    from importlib.metadata import version

    parts = []
    for piece in version("manim").split(".")[:3]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits or 0))
    return tuple(parts)


def stock() -> bool:
    """True when nnviz leaves manim as shipped (the switch, or an untested release)."""
    if os.environ.get(STOCK_ENV, "").strip() not in ("", "0"):
        return True
    return manim_version()[:2] not in TESTED_MANIM


@dataclass(frozen=True)
class Patches:
    """nnviz's manim classes: the renderer, and its camera for each manim camera class."""

    renderer: type
    cameras: dict[type, type]


def install() -> Patches | None:
    """nnviz's classes where they are tested and wanted, else None (manim as shipped).
    Nothing is assigned to manim's own classes either way."""
    if stock():
        return None
    from manim.camera.camera import Camera
    from manim.camera.three_d_camera import ThreeDCamera

    from nnviz.draw.patches.cameras import NNVizCamera, NNVizThreeDCamera
    from nnviz.draw.patches.frame_handoff import Renderer

    return Patches(Renderer, {Camera: NNVizCamera, ThreeDCamera: NNVizThreeDCamera})


def _default_camera(cls: type) -> type | None:
    """The camera class the first __init__ in `cls`'s MRO that names one defaults to."""
    for klass in cls.__mro__:
        init = klass.__dict__.get("__init__")
        if init is None:
            continue
        try:
            param = inspect.signature(init).parameters.get("camera_class")
        except (TypeError, ValueError):
            continue
        if param is not None and isinstance(param.default, type):
            return param.default
    return None


def scene_kwargs(scene: object, kwargs: dict) -> dict:
    """The keyword arguments an nnviz scene passes on to manim's Scene.__init__: with
    nnviz's renderer and camera when install() gives them and the scene uses a camera
    they cover (Camera, ThreeDCamera) on the Cairo renderer; else `kwargs` unchanged."""
    from manim import config
    from manim.constants import RendererType

    patches = install()
    if patches is None or kwargs.get("renderer") is not None or \
            config.renderer != RendererType.CAIRO:
        return kwargs
    base = kwargs.get("camera_class") or _default_camera(type(scene))
    camera = patches.cameras.get(base)
    if camera is None:
        return kwargs
    renderer = patches.renderer(camera_class=camera,
                                skip_animations=bool(kwargs.get("skip_animations", False)))
    return {**kwargs, "camera_class": camera, "renderer": renderer}


class NNVizRendering:
    """Mixin for a plain manim scene that wants nnviz's renderer and camera (what the
    nnviz scene base does): ``class MyScene(NNVizRendering, Scene)``. Without it a plain
    Scene draws nnviz's mobjects correctly too, only slower."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **scene_kwargs(self, kwargs))  # type: ignore[call-arg]


def on_each_play(scene: object, callback: Callable[[int], None]) -> bool:
    """Call `callback(number of plays so far)` after each play of `scene`; False (and
    nothing to call) when the scene renders with manim's stock renderer."""
    from nnviz.draw.patches.frame_handoff import Renderer

    renderer = getattr(scene, "renderer", None)
    if not isinstance(renderer, Renderer):
        return False
    renderer.on_play = callback
    return True
