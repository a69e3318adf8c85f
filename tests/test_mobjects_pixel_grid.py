"""PixelGrid: cells coloured from a plain array, diverging weight map, cheap set_values."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.spec.palette import PALETTE, hex_to_rgb


def test_ramp_colours_and_layout() -> None:
    img = np.array([[0.0, 1.0], [0.5, 0.25]])
    g = PixelGrid(img, cell_size=1.0)
    off, on = hex_to_rgb(PALETTE["neuron_off"]), hex_to_rgb(PALETTE["neuron_on"])
    np.testing.assert_allclose(g.cell(0, 0).fill_rgbas[0, :3], off)
    np.testing.assert_allclose(g.cell(0, 1).fill_rgbas[0, :3], on)
    np.testing.assert_allclose(g.cell(1, 0).fill_rgbas[0, :3], (off + on) / 2)
    assert g.cell(0, 1).get_x() > g.cell(0, 0).get_x()  # columns left to right
    assert g.cell(1, 0).get_y() < g.cell(0, 0).get_y()  # rows top to bottom
    assert g.width == pytest.approx(2.0, rel=0.05)


def test_diverging_weight_map_green_positive_red_negative() -> None:
    w = np.linspace(-2.0, 1.0, 784)
    g = PixelGrid(w, diverging=True, width=2.8)
    assert g.shape == (28, 28) and g.value_range == (-2.0, 2.0)
    rgb = g.cell_colours().reshape(-1, 3)
    np.testing.assert_allclose(rgb[0], hex_to_rgb(PALETTE["pixel_neg"]))  # -2 = full red
    np.testing.assert_allclose(rgb[-1], 0.5 * hex_to_rgb(PALETTE["pixel_pos"]))  # +1: half
    zero = np.argmin(np.abs(w))
    assert rgb[zero].max() < 0.01  # 0 is black
    assert g.width == pytest.approx(2.8, rel=0.05)


def test_set_values_restyles_in_place() -> None:
    g = PixelGrid(np.zeros((2, 2)), value_range=(-1, 1), diverging=True)
    cells = list(g.submobjects)
    g.set_values([1.0, 0.0, 0.0, -1.0])
    assert list(g.submobjects) == cells
    np.testing.assert_allclose(g.cell(0, 0).fill_rgbas[0, :3], hex_to_rgb(PALETTE["pixel_pos"]))
    np.testing.assert_allclose(g.cell(1, 1).fill_rgbas[0, :3], hex_to_rgb(PALETTE["pixel_neg"]))
    assert g.cell(0, 1).fill_rgbas[0, :3].max() == 0.0
    with pytest.raises(NNVizError):
        g.set_values(np.zeros(9))


def test_cells_are_squares_moved_into_place() -> None:
    """Cells are copies of one Square: each has the points, style and class a Square
    built and moved to its place has."""
    import numpy as np
    from manim import Square

    g = PixelGrid(np.linspace(0, 1, 12), (3, 4), cell_size=0.4, stroke_width=1.5)
    for r in range(3):
        for c in range(4):
            ref = Square(side_length=0.4, stroke_width=1.5, stroke_color=g.cell(r, c)
                         .get_stroke_color(), fill_opacity=1.0)
            ref.move_to(((c + 0.5 - 2) * 0.4, (1.5 - r - 0.5) * 0.4, 0.0))
            cell = g.cell(r, c)
            assert type(cell) is Square
            np.testing.assert_array_equal(cell.points, ref.points)
            assert cell.stroke_width == ref.stroke_width
    assert len({id(c) for c in g.submobjects}) == 12
