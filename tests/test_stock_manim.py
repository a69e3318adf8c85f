"""nnviz changes manim only through its seams, only on tested releases, and a scene looks
the same with manim as shipped (NNVIZ_STOCK_MANIM=1), only drawn slower."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Circle, Scene, tempconfig
from manim.camera.camera import Camera
from manim.camera.three_d_camera import ThreeDCamera
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from nnviz.draw import patches
from nnviz.draw.patches.cameras import NNVizCamera, NNVizThreeDCamera
from nnviz.draw.patches.frame_handoff import Renderer
from nnviz.draw.scene import NNVizScene, NNVizThreeDScene
from nnviz.pipeline.testing import compare_frames, render_last_frame
from nnviz.spec import registry

MANIM_CLASSES = (Camera, ThreeDCamera, CairoRenderer, SceneFileWriter, VideoSegmentEncoder)


def _manim_classes() -> dict[type, dict[str, int]]:
    """What each of manim's classes holds, by identity."""
    return {cls: {k: id(v) for k, v in vars(cls).items()} for cls in MANIM_CLASSES}


class Dot2D(NNVizScene):
    def construct(self) -> None:
        self.add(Circle())


class Dot3D(NNVizThreeDScene):
    def construct(self) -> None:
        self.add(Circle())


class PlainDot(patches.NNVizRendering, Scene):
    def construct(self) -> None:
        self.add(Circle())


def _classes(scene_cls: type) -> tuple[type, type]:
    with tempconfig({"pixel_width": 64, "pixel_height": 36, "write_to_movie": False,
                     "save_last_frame": False, "verbosity": "ERROR"}):
        scene = scene_cls()
    return type(scene.renderer), type(scene.renderer.camera)


def test_tested_manim_uses_nnvizs_classes_through_seams(monkeypatch) -> None:
    monkeypatch.delenv(patches.STOCK_ENV, raising=False)
    before = _manim_classes()
    assert patches.manim_version()[:2] in patches.TESTED_MANIM
    assert patches.install() is not None
    assert _classes(Dot2D) == (Renderer, NNVizCamera)
    assert _classes(Dot3D) == (Renderer, NNVizThreeDCamera)
    assert _classes(PlainDot) == (Renderer, NNVizCamera)
    assert _classes(Scene) == (CairoRenderer, Camera)  # a plain Scene: manim as shipped
    assert _manim_classes() == before  # no manim class was changed


@pytest.mark.parametrize("how", ["untested release", "switch"])
def test_untested_manim_or_the_switch_installs_nothing(how, monkeypatch) -> None:
    before = _manim_classes()
    monkeypatch.delenv(patches.STOCK_ENV, raising=False)
    if how == "switch":
        monkeypatch.setenv(patches.STOCK_ENV, "1")
    else:
        monkeypatch.setattr(patches, "manim_version", lambda: (0, 23, 1))
    assert patches.stock()
    assert patches.install() is None
    assert patches.scene_kwargs(Dot2D.__new__(Dot2D), {"skip_animations": True}) == {
        "skip_animations": True}
    assert _classes(Dot2D) == (CairoRenderer, Camera)
    assert _classes(Dot3D) == (CairoRenderer, ThreeDCamera)
    assert _classes(PlainDot) == (CairoRenderer, Camera)
    assert _manim_classes() == before


def _scene_names() -> list[str]:
    return sorted(registry.discover())


@pytest.mark.parametrize("name", _scene_names())
def test_last_frame_with_stock_manim_is_the_same_picture(name, monkeypatch) -> None:
    """Every registered scene, its last frame drawn by nnviz's classes and by manim's own
    (mobjects' stock fallbacks: their points, get_pixel_array), matches like a control."""
    monkeypatch.delenv(patches.STOCK_ENV, raising=False)
    fast = render_last_frame(name)
    monkeypatch.setenv(patches.STOCK_ENV, "1")
    stock = render_last_frame(name)
    assert fast.std() > 5  # something was drawn
    ok, why = compare_frames(stock, fast)
    assert ok, f"{name}: stock manim differs from nnviz's camera: {why}"
    diff = np.abs(stock.astype(int) - fast.astype(int)).max(-1)
    assert diff.mean() < 1.0, f"{name}: pixels differ by {diff.mean():.2f} levels on average"
