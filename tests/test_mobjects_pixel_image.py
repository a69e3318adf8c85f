"""PixelImage: the same colours as PixelGrid, drawn as one raster, by nnviz's camera and
by manim's own alike."""

import numpy as np
import pytest
from manim import Scene, tempconfig
from manim.camera.camera import Camera

from nnviz.draw import patches
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.mobjects.pixel_image import PixelImage, image_rgba
from nnviz.draw.patches.cameras import NNVizCamera
from nnviz.pipeline.testing import compare_frames

pytestmark = pytest.mark.stock


def _frame(mob_factory, camera: type | None = None, size=(240, 135)) -> np.ndarray:
    """The frame of a scene holding the mobject; drawn by `camera`, or by the one nnviz
    chooses (its own, or manim's with NNVIZ_STOCK_MANIM=1)."""

    class One(Scene):
        def __init__(self) -> None:
            super().__init__(**({"camera_class": camera} if camera else
                                patches.scene_kwargs(self, {})))

        def construct(self):
            self.add(mob_factory())

    with tempconfig({"pixel_width": size[0], "pixel_height": size[1], "save_last_frame": True,
                     "write_to_movie": False, "disable_caching": True, "verbosity": "ERROR",
                     "progress_bar": "none"}):
        scene = One()
        scene.render()
        return np.asarray(scene.renderer.get_frame())[..., :3].copy()


def test_colours_match_pixel_grid():
    w = np.random.default_rng(0).normal(size=(6, 6))
    grid = PixelGrid(w, diverging=True)
    rgba = image_rgba(w, diverging=True)
    np.testing.assert_allclose(rgba[..., :3] / 255.0, grid.cell_colours(), atol=1 / 255)
    assert np.all(rgba[..., 3] == 255)


def test_draws_where_the_pixel_grid_draws():
    w = np.random.default_rng(1).normal(size=(8, 8))
    a = _frame(lambda: PixelImage(w, diverging=True, width=3.0).shift(1.5 * np.array([1, 0, 0])))
    b = _frame(lambda: PixelGrid(w, diverging=True, width=3.0).shift(1.5 * np.array([1, 0, 0])))
    assert a.std() > 5  # something was drawn
    ok, why = compare_frames(a, b, tolerance=60, max_fraction=0.008)  # a 0.2-unit shift: 1.5%
    assert ok, why


@pytest.mark.parametrize("size", [(480, 270), (854, 480)])
@pytest.mark.parametrize("opacity", [1.0, 0.5])
def test_manims_camera_draws_what_nnvizs_draws(size, opacity):
    """manim's own camera pastes get_pixel_array() onto the corners: pixel for pixel
    where draw_to_camera puts them, bar the last part-covered row or column, which
    manim's paste leaves out."""
    w = np.random.default_rng(2).normal(size=(8, 8))

    def picture():
        return PixelImage(w, diverging=True, width=3.0).shift([1.37, 0.21, 0]).set_opacity(
            opacity)

    fast, stock = (_frame(picture, camera, size).astype(int) for camera in (NNVizCamera, Camera))
    drawn = np.abs(fast - fast[0, 0]).max(-1) > 10
    assert drawn.sum() > 0.05 * drawn.size
    diff = np.abs(fast - stock).max(-1)
    assert (diff > 2).sum() < 0.04 * drawn.sum(), (diff > 2).sum()
    assert (diff > 2).mean() < 0.003
