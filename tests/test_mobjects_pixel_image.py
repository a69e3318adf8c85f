"""PixelImage: the same colours as PixelGrid, drawn as one raster."""

import numpy as np

from nnviz.pipeline.testing import render_scene


def _frame(mob_factory):
    from manim import Scene

    class One(Scene):
        def construct(self):
            self.add(mob_factory())

    return render_scene(One, (240, 135))[1]


def test_colours_match_pixel_grid():
    from nnviz.draw.mobjects.pixel_grid import PixelGrid
    from nnviz.draw.mobjects.pixel_image import image_rgba

    w = np.random.default_rng(0).normal(size=(6, 6))
    grid = PixelGrid(w, diverging=True)
    rgba = image_rgba(w, diverging=True)
    np.testing.assert_allclose(rgba[..., :3] / 255.0, grid.cell_colours(), atol=1 / 255)
    assert np.all(rgba[..., 3] == 255)


def test_draws_where_the_pixel_grid_draws():
    from nnviz.draw.mobjects.pixel_grid import PixelGrid
    from nnviz.draw.mobjects.pixel_image import PixelImage
    from nnviz.pipeline.testing import compare_frames

    w = np.random.default_rng(1).normal(size=(8, 8))
    a = _frame(lambda: PixelImage(w, diverging=True, width=3.0).shift(1.5 * np.array([1, 0, 0])))
    b = _frame(lambda: PixelGrid(w, diverging=True, width=3.0).shift(1.5 * np.array([1, 0, 0])))
    assert a.std() > 5  # something was drawn
    ok, why = compare_frames(a, b, tolerance=60, max_fraction=0.008)  # a 0.2-unit shift: 1.5%
    assert ok, why
