"""The heatmap shows the values it is given, the right way up."""

from __future__ import annotations

import numpy as np
import pytest
from manim import RIGHT

from nnviz.core.network import MLP
from nnviz.draw.mobjects.heatmap import Heatmap, diverging_rgb, grid_points
from nnviz.pipeline.testing import render_scene
from nnviz.spec.palette import PALETTE, hex_to_rgb


def test_grid_points_run_like_an_image():
    pts = grid_points(4, (-1, 1, -1, 1))
    assert pts.shape == (16, 2)
    assert np.allclose(pts[0], [-0.75, 0.75])  # top-left
    assert np.allclose(pts[3], [0.75, 0.75])  # top-right
    assert np.allclose(pts[-1], [0.75, -0.75])  # bottom-right


def test_diverging_colours_hit_the_ends_and_the_middle():
    rgb = diverging_rgb(np.array([-1.0, 0.0, 1.0]), "#ff0000", "#0000ff", "#000000")
    assert np.allclose(rgb, [[1, 0, 0], [0, 0, 0], [0, 0, 1]])


def test_heatmap_pixels_are_the_network_outputs_on_the_grid():
    net = MLP((2, 3, 1), "tanh", "tanh", seed=4)
    r = 12
    values = net.forward(grid_points(r))[:, 0].reshape(r, r)
    hm = Heatmap(values, width=2.0)
    assert np.array_equal(hm.values, values)
    expected = diverging_rgb(values, PALETTE["class_a"], PALETTE["class_b"])
    step = 1.0 / hm.levels  # colours are quantised to `levels` steps per side
    assert np.abs(hm.cell_colours() - expected).max() <= step
    _assert_shapes_cover_cells(hm)
    new = -values
    hm.set_values(new)
    expected = diverging_rgb(new, PALETTE["class_a"], PALETTE["class_b"])
    assert np.abs(hm.cell_colours() - expected).max() <= step
    hm.shift(2 * RIGHT).scale(0.5)  # still right after moving
    hm.set_values(values)
    _assert_shapes_cover_cells(hm)
    with pytest.raises(ValueError):
        hm.set_values(np.zeros((3, 3)))


def _assert_shapes_cover_cells(hm: Heatmap) -> None:
    """Each cell's centre lies in a rectangle of the shape of that cell's colour level."""
    rows, cols = hm.values.shape
    extent = (0.0, 1.0, 0.0, 1.0)
    centres = hm.coords_to_point(grid_points(cols, extent).reshape(rows, cols, 2), extent)
    levels = hm.level_of(hm.values)
    for k, shape in enumerate(hm.shapes):
        rects = shape.points.reshape(-1, 16, 3)[:, ::4, :2]  # 4 corners per rectangle
        lo, hi = rects.min(axis=1), rects.max(axis=1)
        for r, c in zip(*np.nonzero(levels == k), strict=True):
            p = centres[r, c, :2]
            assert np.any(np.all((lo <= p) & (p <= hi), axis=1)), (k, r, c)
        # and no rectangle of this level covers a cell of another level
        for r, c in zip(*np.nonzero(levels != k), strict=True):
            p = centres[r, c, :2]
            assert not np.any(np.all((lo <= p) & (p <= hi), axis=1)), (k, r, c)


def test_rendered_heatmap_is_the_right_way_up():
    from manim import Scene

    values = np.array([[1.0, -1.0], [-1.0, -1.0]])  # only the top-left cell is high

    class Show(Scene):
        def construct(self):
            self.camera.background_color = PALETTE["background"]
            hm = Heatmap(values, width=8.0)
            self.add(hm)
            self.pts = hm.coords_to_point(np.array([[-0.5, 0.5], [0.5, -0.5]]))

    scene, frame = render_scene(Show, (160, 90))
    frame = frame.astype(float) / 255
    # frame is 16 units wide over 160 px: the heatmap spans x in [-4, 4], y in [-4, 4]
    top_left, bottom_right = frame[25, 60], frame[65, 100]
    assert np.allclose(top_left, hex_to_rgb(PALETTE["class_b"]), atol=0.02)
    assert np.allclose(bottom_right, hex_to_rgb(PALETTE["class_a"]), atol=0.02)
    assert np.allclose(scene.pts[0][:2], [-2.0, 2.0])
