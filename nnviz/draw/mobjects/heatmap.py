"""A function over the plane drawn as a coloured raster, cheap to redraw every frame.

A hidden neuron's output or a classifier's decision region is a 2D array of values on a
grid. Manim 0.22's ImageMobject cannot render with Pillow >= 12, and one Rectangle per cell
costs cairo ~0.2 ms each per frame, so the heatmap quantises colours into a few dozen
levels, merges each row's runs of equal level into one rectangle, and draws every level as
ONE VMobject holding all its rectangles as subpaths (see benchmarks/bench_heatmap.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Rectangle, VGroup, VMobject

from nnviz.spec.palette import PALETTE, hex_to_rgb

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


def signed_position(values: np.ndarray, vmin: float, vmax: float) -> np.ndarray:
    """Where each value sits between vmin (-1) and vmax (+1), clipped."""
    v = np.asarray(values, dtype=float)
    return np.clip((v - vmin) / max(vmax - vmin, 1e-12), 0.0, 1.0) * 2.0 - 1.0


def diverging_rgb(values: np.ndarray, low: str, high: str, mid: str = PALETTE["background"],
                  vmin: float = -1.0, vmax: float = 1.0, strength: float = 1.0) -> np.ndarray:
    """Colours for values: vmin -> `low`, the middle -> `mid`, vmax -> `high` (float RGB).

    `strength` < 1 keeps the extremes partly toward `mid`, so points drawn on top stay
    visible.
    """
    return _signed_rgb(signed_position(values, vmin, vmax), low, high, mid, strength)


def _signed_rgb(t: np.ndarray, low: str, high: str, mid: str, strength: float) -> np.ndarray:
    amount = (np.abs(t) * strength)[..., None]
    side = np.where((t >= 0)[..., None], hex_to_rgb(high), hex_to_rgb(low))
    return (1.0 - amount) * hex_to_rgb(mid) + amount * side


def _line_beziers(corners: np.ndarray) -> np.ndarray:
    """Closed polygons (n, k, 3) as cubic Bezier control points (n, 4k, 3): straight edges."""
    p0 = corners
    p1 = np.roll(corners, -1, axis=1)
    seg = np.stack([p0, (2 * p0 + p1) / 3, (p0 + 2 * p1) / 3, p1], axis=2)  # (n, k, 4, 3)
    return seg.reshape(corners.shape[0], -1, 3)


class Heatmap(VGroup):
    """A heatmap of `values` (rows top to bottom), coloured low -> mid -> high.

    `levels` colour steps on each side of the middle (quantised, so each level is one
    VMobject); `set_values` rebuilds the level shapes in place for per-frame updaters.
    `values` keeps the array shown, so tests can check the picture against the network
    it claims to show. The heatmap can be moved and scaled like any mobject.
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
        levels: int = 32,
    ) -> None:
        self.low_color, self.high_color, self.mid_color = low_color, high_color, mid_color
        self.vmin, self.vmax, self.strength = vmin, vmax, strength
        self.levels = int(levels)
        values = np.asarray(values, dtype=float)
        if values.ndim != 2:
            raise ValueError(f"Heatmap needs a 2D array of values, got shape {values.shape}.")
        rows, cols = values.shape
        height = height if height is not None else width * rows / cols
        # An invisible outline of the grid: it moves and scales with the heatmap, so the
        # level shapes can be rebuilt where the heatmap is now.
        self.frame = Rectangle(width=width, height=height, stroke_opacity=0.0,
                               fill_opacity=0.0, stroke_width=0)
        t_levels = np.arange(2 * self.levels + 1) / self.levels - 1.0
        self.level_rgb = _signed_rgb(t_levels, low_color, high_color, mid_color, strength)
        self.shapes = [VMobject(stroke_width=0, fill_color=self._hex(rgb), fill_opacity=1.0)
                       for rgb in self.level_rgb]
        super().__init__(self.frame, *self.shapes)
        self.values = values.copy()
        self.set_values(values)

    @staticmethod
    def _hex(rgb: np.ndarray) -> str:
        return "#" + "".join(f"{int(round(255 * c)):02x}" for c in np.clip(rgb, 0, 1))

    def level_of(self, values: np.ndarray) -> np.ndarray:
        """The colour level (0 .. 2*levels) each value is drawn with."""
        t = signed_position(values, self.vmin, self.vmax)
        return np.rint((t + 1.0) * self.levels).astype(int)

    def colours(self, values: np.ndarray) -> np.ndarray:
        """Exact (unquantised) float RGB of each value, shape values.shape + (3,)."""
        return diverging_rgb(values, self.low_color, self.high_color, self.mid_color,
                             self.vmin, self.vmax, self.strength)

    def set_values(self, values: np.ndarray) -> Heatmap:
        """Redraw with new values on the same grid (for per-frame updaters)."""
        values = np.asarray(values, dtype=float)
        if values.shape != self.values.shape:
            raise ValueError(f"Heatmap grid is {self.values.shape}, got {values.shape}.")
        self.values = values.copy()
        level = self.level_of(values)
        rows, cols = level.shape
        # runs of equal level along each row: (row, first col, end col, level)
        starts = np.ones_like(level, dtype=bool)
        starts[:, 1:] = level[:, 1:] != level[:, :-1]
        r, c0 = np.nonzero(starts)
        next_in_row = np.append(r[1:] == r[:-1], False)
        ends = np.where(next_in_row, np.append(c0[1:], cols), cols)
        lv = level[r, c0]
        # geometry from the frame's current corners (the heatmap may have moved)
        ul, ur, dl = self.frame.get_corner([-1, 1, 0]), self.frame.get_corner([1, 1, 0]), \
            self.frame.get_corner([-1, -1, 0])
        ex, ey = (ur - ul) / cols, (dl - ul) / rows  # one pitch right, one pitch down
        ov = OVERLAP / 2
        x0 = (c0 - ov)[:, None] * ex
        x1 = (ends + ov)[:, None] * ex
        y0 = (r - ov)[:, None] * ey
        y1 = (r + 1 + ov)[:, None] * ey
        corners = np.stack([ul + x0 + y0, ul + x1 + y0, ul + x1 + y1, ul + x0 + y1], axis=1)
        points = _line_beziers(corners)
        order = np.argsort(lv, kind="stable")
        bounds = np.searchsorted(lv[order], np.arange(len(self.shapes) + 1))
        for k, shape in enumerate(self.shapes):
            idx = order[bounds[k]:bounds[k + 1]]
            shape.points = points[idx].reshape(-1, 3) if idx.size else np.zeros((0, 3))
        return self

    def cell_colours(self) -> np.ndarray:
        """The RGB each cell is drawn with (its quantised level), shaped values + (3,)."""
        return self.level_rgb[self.level_of(self.values)]

    def coords_to_point(self, xy: Sequence[float] | np.ndarray,
                        extent: Extent = (-1.0, 1.0, -1.0, 1.0)) -> np.ndarray:
        """Scene points of plane coordinates (x, y) or an (n, 2) array, for drawing on top."""
        xy = np.asarray(xy, dtype=float)
        x0, x1, y0, y1 = extent
        u = (xy[..., 0] - x0) / (x1 - x0)
        v = (xy[..., 1] - y0) / (y1 - y0)
        dl = self.frame.get_corner([-1, -1, 0])
        right = self.frame.get_corner([1, -1, 0]) - dl
        up = self.frame.get_corner([-1, 1, 0]) - dl
        return dl + u[..., None] * right + v[..., None] * up
