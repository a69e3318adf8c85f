"""A function over the plane drawn as a coloured raster, cheap to redraw every frame.

A hidden neuron's output or a classifier's decision region is a 2D array of values on a
grid; turning it into colours is one vectorised numpy call, and the ImageMobject only
swaps its pixel array, so an updater can restyle dozens of heatmaps per frame.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Rectangle, VGroup

from nnviz.palette import PALETTE, hex_to_rgb

Extent = tuple[float, float, float, float]  # x_min, x_max, y_min, y_max
OVERLAP = 0.3  # cells reach this fraction of a pitch past it: no anti-aliasing seams


def grid_points(resolution: int, extent: Extent = (-1.0, 1.0, -1.0, 1.0)) -> np.ndarray:
    """Centres of a resolution x resolution pixel grid over `extent`, shape (r*r, 2).

    Rows run from the top (largest y) down, as in an image, so
    `values = f(grid_points(r)).reshape(r, r)` is ready for Heatmap.
    """
    x0, x1, y0, y1 = extent
    step_x, step_y = (x1 - x0) / resolution, (y1 - y0) / resolution
    xs = x0 + step_x * (np.arange(resolution) + 0.5)
    ys = y1 - step_y * (np.arange(resolution) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    return np.column_stack([gx.ravel(), gy.ravel()])


def diverging_rgb(values: np.ndarray, low: str, high: str, mid: str = PALETTE["background"],
                  vmin: float = -1.0, vmax: float = 1.0, strength: float = 1.0) -> np.ndarray:
    """Colours for values: vmin -> `low`, the middle -> `mid`, vmax -> `high` (float RGB).

    `strength` < 1 keeps the extremes partly toward `mid`, so points drawn on top stay
    visible.
    """
    v = np.asarray(values, dtype=float)
    t = np.clip((v - vmin) / max(vmax - vmin, 1e-12), 0.0, 1.0) * 2.0 - 1.0  # in [-1, 1]
    amount = (np.abs(t) * strength)[..., None]
    side = np.where((t >= 0)[..., None], hex_to_rgb(high), hex_to_rgb(low))
    return (1.0 - amount) * hex_to_rgb(mid) + amount * side


class Heatmap(VGroup):
    """A heatmap of `values` (rows top to bottom), coloured low -> mid -> high.

    Drawn as a raster of filled squares (manim 0.22's ImageMobject cannot render with
    Pillow >= 12), recoloured in place by `set_values`, so an updater can restyle several
    heatmaps per frame. `values` keeps the array shown, so tests can check the picture
    against the network it claims to show.
    """

    def __init__(
        self,
        values: np.ndarray,
        width: float = 2.0,
        height: float | None = None,
        low_color: str = PALETTE["class_a"],
        high_color: str = PALETTE["class_b"],
        mid_color: str = PALETTE["background"],
        vmin: float = -1.0,
        vmax: float = 1.0,
        strength: float = 1.0,
    ) -> None:
        self.low_color, self.high_color, self.mid_color = low_color, high_color, mid_color
        self.vmin, self.vmax, self.strength = vmin, vmax, strength
        values = np.asarray(values, dtype=float)
        if values.ndim != 2:
            raise ValueError(f"Heatmap needs a 2D array of values, got shape {values.shape}.")
        rows, cols = values.shape
        height = height if height is not None else width * rows / cols
        cw, ch = width / cols, height / rows
        # larger than the pitch: each cell covers its neighbour's seam; drawn in order,
        # every cell still shows one pitch (shifted by OVERLAP / 2). Copies of one
        # prototype are ~9x faster to make than fresh Rectangles.
        proto = Rectangle(width=cw * (1 + OVERLAP), height=ch * (1 + OVERLAP), stroke_width=0,
                          fill_opacity=1.0)
        cells = []
        for r in range(rows):
            for c in range(cols):
                cell = proto.copy()
                cell.move_to(((c + 0.5) * cw - width / 2, height / 2 - (r + 0.5) * ch, 0))
                cells.append(cell)
        super().__init__(*cells)
        self.values = values.copy()
        self.set_values(values)

    def colours(self, values: np.ndarray) -> np.ndarray:
        """Float RGB of each value, shape values.shape + (3,)."""
        return diverging_rgb(values, self.low_color, self.high_color, self.mid_color,
                             self.vmin, self.vmax, self.strength)

    def set_values(self, values: np.ndarray) -> Heatmap:
        """Recolour with new values on the same grid (for per-frame updaters)."""
        values = np.asarray(values, dtype=float)
        if values.shape != self.values.shape:
            raise ValueError(f"Heatmap grid is {self.values.shape}, got {values.shape}.")
        self.values = values.copy()
        rgba = np.ones((values.size, 1, 4))
        rgba[:, 0, :3] = self.colours(values).reshape(-1, 3)
        for cell, colour in zip(self.submobjects, rgba, strict=True):
            cell.fill_rgbas = colour
        return self

    def cell_colours(self) -> np.ndarray:
        """The fill colour (RGB) of each cell as drawn, shaped like values + (3,)."""
        rgb = np.array([cell.fill_rgbas[0, :3] for cell in self.submobjects])
        return rgb.reshape(self.values.shape + (3,))

    def coords_to_point(self, xy: Sequence[float] | np.ndarray,
                        extent: Extent = (-1.0, 1.0, -1.0, 1.0)) -> np.ndarray:
        """Scene points of plane coordinates (x, y) or an (n, 2) array, for drawing on top."""
        xy = np.asarray(xy, dtype=float)
        x0, x1, y0, y1 = extent
        u = (xy[..., 0] - x0) / (x1 - x0)
        v = (xy[..., 1] - y0) / (y1 - y0)
        rows, cols = self.values.shape
        w = self.width * cols / (cols + OVERLAP)  # the outer cells overhang by OVERLAP / 2
        h = self.height * rows / (rows + OVERLAP)
        cx, cy = self.get_center()[:2]
        left, right, bottom, top = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
        out = np.zeros(xy.shape[:-1] + (3,))
        out[..., 0] = left + u * (right - left)
        out[..., 1] = bottom + v * (top - bottom)
        return out
