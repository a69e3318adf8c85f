"""A grid of coloured cells for images and weight pictures, built from a plain array.

An input image (a 28x28 digit, a 2x2 four-pixel picture) uses a two-colour ramp; a hidden
neuron's 784 incoming weights use the diverging weight map: negative -> black -> positive,
in the same colours as the network's edges (palette ``negative`` / ``positive``).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Square, VGroup

from nnviz.core.errors import NNVizError
from nnviz.spec.palette import PALETTE, hex_to_rgb

DIVERGING = (PALETTE["pixel_neg"], "#000000", PALETTE["pixel_pos"])
SEQUENTIAL = (PALETTE["neuron_off"], PALETTE["neuron_on"])


def _as_grid(values: np.ndarray | Sequence[float], shape: tuple[int, int] | None
             ) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    if shape is not None:
        if v.size != shape[0] * shape[1]:
            raise NNVizError(f"{v.size} values do not fill a {shape[0]}x{shape[1]} grid.")
        return v.reshape(shape)
    if v.ndim == 2:
        return v
    side = int(round(np.sqrt(v.size)))
    if v.ndim != 1 or side * side != v.size:
        raise NNVizError(f"Give a 2D array or a shape for {v.size} pixel values.")
    return v.reshape(side, side)


def pixel_rgb(values: np.ndarray, value_range: tuple[float, float],
              colors: Sequence[str]) -> np.ndarray:
    """RGB of each value: 2 colours = a ramp low -> high over value_range; 3 colours =
    diverging low -> mid -> high with mid at the centre of value_range (values clipped)."""
    lo, hi = value_range
    t = np.clip((np.asarray(values, dtype=float) - lo) / (hi - lo or 1.0), 0.0, 1.0)[..., None]
    rgb = [hex_to_rgb(c) for c in colors]
    if len(rgb) == 2:
        return rgb[0] + t * (rgb[1] - rgb[0])
    if len(rgb) == 3:
        s = 2.0 * t - 1.0
        return np.where(s >= 0, rgb[1] + s * (rgb[2] - rgb[1]), rgb[1] - s * (rgb[0] - rgb[1]))
    raise NNVizError("Give 2 colours (low, high) or 3 (negative, zero, positive).")


class PixelGrid(VGroup):
    """Square cells coloured from `values` (rows top to bottom, like an image).

    Args:
        values: a 2D array, or a flat one with `shape` (default: square, 784 -> 28x28).
        shape: (rows, cols) for flat values.
        value_range: values mapped to the ends of the colour map; default (0, 1) for a
            ramp, and +-max|values| (symmetric, so 0 is the middle colour) for diverging.
        colors: (low, high) ramp, or (negative, zero, positive); default a dark->bright
            ramp, or with ``diverging=True`` the palette's red -> black -> green.
        diverging: use the weight map (pixel_neg -> black -> pixel_pos).
        cell_size: side of a cell in scene units; or give `width` for the whole grid.
        stroke_width, stroke_color: cell outlines (0 = none; a thin grid line helps
            small grids such as 2x2).

    Example::

        w = net.weights[0][3]                       # hidden neuron 3's 784 weights
        g = PixelGrid(w, diverging=True, width=3)   # green positive, red negative
        g.add_updater(lambda m: m.set_values(trace.params_at(t.get_value())[0][0][3]))
    """

    def __init__(
        self,
        values: np.ndarray | Sequence[float],
        shape: tuple[int, int] | None = None,
        *,
        value_range: tuple[float, float] | None = None,
        colors: Sequence[str] | None = None,
        diverging: bool = False,
        cell_size: float | None = None,
        width: float | None = None,
        stroke_width: float = 0.0,
        stroke_color: str = PALETTE["grid"],
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        grid = _as_grid(values, shape)
        self.shape = grid.shape
        self.colors = tuple(colors) if colors is not None else (
            DIVERGING if diverging else SEQUENTIAL)
        self._fixed_range = value_range
        rows, cols = self.shape
        if cell_size is None:
            cell_size = (width / cols) if width is not None else 3.0 / max(rows, cols)
        self.cell_size = float(cell_size)
        # Without outlines, cells overlap a hair so anti-aliasing leaves no seams.
        side = cell_size * (1.0 if stroke_width > 0 else 1.03)
        # one Square built, the others copied and moved (the same points move_to gives):
        # building 784 Squares took ten times as long as copying one
        template = Square(side_length=side, stroke_width=stroke_width,
                          stroke_color=stroke_color, fill_opacity=1.0)
        centre = template.get_center()
        cells = []
        for r in range(rows):
            for c in range(cols):
                sq = template.copy()
                sq.shift(np.array([(c + 0.5 - cols / 2) * cell_size,
                                   (rows / 2 - r - 0.5) * cell_size, 0.0]) - centre)
                cells.append(sq)
        self.add(*cells)
        self.set_values(grid)

    def range_for(self, grid: np.ndarray) -> tuple[float, float]:
        """The value range used for `grid`: the fixed one, or the default."""
        if self._fixed_range is not None:
            return (float(self._fixed_range[0]), float(self._fixed_range[1]))
        if len(self.colors) == 3:
            m = float(np.abs(grid).max()) or 1.0
            return (-m, m)
        return (0.0, 1.0)

    def set_values(self, values: np.ndarray | Sequence[float]) -> PixelGrid:
        """Recolour the cells from new values of the same shape (cheap; for updaters)."""
        grid = _as_grid(values, self.shape if np.size(values) == self.shape[0] * self.shape[1]
                        else None)
        if grid.shape != self.shape:
            raise NNVizError(f"This grid is {self.shape[0]}x{self.shape[1]}, got {grid.shape}.")
        self.values = grid.copy()
        self.value_range = self.range_for(grid)
        rgb = pixel_rgb(grid, self.value_range, self.colors).reshape(-1, 3)
        for cell, colour in zip(self.submobjects, rgb, strict=True):
            cell.fill_rgbas = np.array([[*colour, 1.0]])
        return self

    def cell(self, row: int, col: int) -> Square:
        """The square of pixel (row, col), row 0 at the top."""
        return self.submobjects[row * self.shape[1] + col]

    def cell_colours(self) -> np.ndarray:
        """The RGB each cell is drawn with, shape (rows, cols, 3)."""
        rgb = np.array([c.fill_rgbas[0, :3] for c in self.submobjects])
        return rgb.reshape(*self.shape, 3)
