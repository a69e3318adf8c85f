"""A warpable grid and a point cloud, fast enough to move every frame.

Both take plain arrays in data coordinates and map them to the scene with a fixed
`origin` and `unit` (scene units per data unit). Their Bezier points are written by
numpy in one go, so a warp of a 40x40 grid with 2,000 points costs a few array
operations per frame instead of thousands of Python-level mobject updates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Square, VGroup, VMobject

from nnviz.draw.mobjects.cairo_fast import fill_boxes, stamp_discs, stroke_polylines

_KAPPA = 0.5522847498307936  # cubic Bezier handle length for a quarter circle


def polylines_to_beziers(lines: np.ndarray | Sequence[np.ndarray]) -> np.ndarray:
    """Polylines (L, m, d), or a list of (m_i, d) arrays, -> Bezier control points
    (n, 3): straight cubic pieces, one subpath per polyline (manim splits subpaths
    where anchors jump)."""
    if not isinstance(lines, np.ndarray):
        parts = [polylines_to_beziers(np.asarray(p, dtype=float)[None]) for p in lines
                 if len(p) >= 2]
        return np.concatenate(parts) if parts else np.zeros((0, 3))
    lines = np.asarray(lines, dtype=float)
    a, b = lines[:, :-1], lines[:, 1:]
    quads = np.stack([a, a + (b - a) / 3.0, a + 2.0 * (b - a) / 3.0, b], axis=2)
    flat = quads.reshape(-1, lines.shape[-1])
    if flat.shape[1] == 3:
        return flat
    out = np.zeros((len(flat), 3))
    out[:, : flat.shape[1]] = flat
    return out


def clip_segments(a: np.ndarray, b: np.ndarray, lo: np.ndarray,
                  hi: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Clip segments a -> b (n, 2) to the box [lo, hi] (Liang-Barsky, vectorised).
    Returns the clipped ends and a mask of the segments that keep any length; a segment
    already inside is returned exactly, so neighbours still join up."""
    d = b - a
    t0, t1 = np.zeros(len(a)), np.ones(len(a))
    keep = np.ones(len(a), dtype=bool)
    with np.errstate(divide="ignore", invalid="ignore"):
        for i in range(2):
            for p, q in ((-d[:, i], a[:, i] - lo[i]), (d[:, i], hi[i] - a[:, i])):
                r = q / p
                keep &= ~((p == 0) & (q < 0))
                t0 = np.where(p < 0, np.maximum(t0, r), t0)
                t1 = np.where(p > 0, np.minimum(t1, r), t1)
    keep &= t0 < t1
    start = np.where((t0 > 0)[:, None], a + t0[:, None] * d, a)
    end = np.where((t1 < 1)[:, None], a + t1[:, None] * d, b)
    return start, end, keep


def clipped_beziers(lines: np.ndarray | Sequence[np.ndarray], lo: np.ndarray,
                    hi: np.ndarray) -> np.ndarray:
    """Like polylines_to_beziers, keeping only what lies inside the box [lo, hi]:
    a line that leaves the box and comes back becomes two subpaths."""
    if isinstance(lines, np.ndarray):
        segs_a = lines[:, :-1, :2].reshape(-1, 2)
        segs_b = lines[:, 1:, :2].reshape(-1, 2)
    else:
        parts = [np.asarray(p, dtype=float)[:, :2] for p in lines if len(p) >= 2]
        if not parts:
            return np.zeros((0, 3))
        segs_a = np.concatenate([p[:-1] for p in parts])
        segs_b = np.concatenate([p[1:] for p in parts])
    a, b, keep = clip_segments(segs_a, segs_b, lo, hi)
    a, b = a[keep], b[keep]
    quads = np.stack([a, a + (b - a) / 3.0, a + 2.0 * (b - a) / 3.0, b], axis=1).reshape(-1, 2)
    return np.column_stack([quads, np.zeros(len(quads))])


def _disc_template(radius: float, basis: np.ndarray) -> np.ndarray:
    """A circle of `radius` as 4 cubic Beziers (16, 3) in the plane spanned by basis rows."""
    k = _KAPPA
    quarter = []
    for q in range(4):
        c, s = np.cos(q * np.pi / 2), np.sin(q * np.pi / 2)
        rot = np.array([[c, -s], [s, c]])
        ctrl = np.array([[1, 0], [1, k], [k, 1], [0, 1]], dtype=float) @ rot.T
        quarter.append(ctrl)
    xy = radius * np.concatenate(quarter)
    return xy @ np.asarray(basis, dtype=float)


class WarpGrid(VMobject):
    """Grid lines given as polylines (L, m, 2 or 3) in data coordinates, drawn as ONE
    VMobject (one subpath per line); `set_lines` moves them all with one numpy call.
    Its pieces are straight, so the camera strokes it line by line (see cairo_fast);
    bend it with `set_lines`, not `apply_function`."""

    straight_pieces = True

    def draw_fast(self, camera, ctx) -> bool:
        """Stroke the lines as polylines (the camera hook in nnviz.draw.patches asks)."""
        return stroke_polylines(camera, ctx, self)

    def __init__(self, lines: np.ndarray, origin: Sequence[float] = (0, 0, 0),
                 unit: float = 1.0, color: str = "#5b6b8c", stroke_width: float = 1.5,
                 stroke_opacity: float = 0.9, clip: float | None = None, **kwargs) -> None:
        super().__init__(stroke_color=color, stroke_width=stroke_width,
                         stroke_opacity=stroke_opacity, fill_opacity=0.0, **kwargs)
        self.origin = np.asarray(origin, dtype=float)
        self.unit = float(unit)
        self.clip = clip  # half-width of the scene-space square drawn, around origin
        self.set_lines(lines)

    def to_scene(self, pts: np.ndarray) -> np.ndarray:
        """Data coordinates (..., 2 or 3) -> scene coordinates (..., 3)."""
        pts = np.asarray(pts, dtype=float)
        out = np.zeros(pts.shape[:-1] + (3,))
        out[..., : pts.shape[-1]] = pts
        return self.origin + self.unit * out

    def set_lines(self, lines: np.ndarray | Sequence[np.ndarray]) -> WarpGrid:
        """Replace the polylines ((L, m, d) or a list of (m_i, d)); non-finite points are
        clamped far away."""
        clean = lambda a: np.nan_to_num(np.asarray(a, dtype=float), nan=0.0,  # noqa: E731
                                        posinf=1e3, neginf=-1e3)
        self.lines = clean(lines) if isinstance(lines, np.ndarray) else [clean(x) for x in lines]
        if self.clip is None:
            self.points = self.to_scene(polylines_to_beziers(self.lines))
        else:
            box = np.full(2, self.clip / self.unit)
            self.points = self.to_scene(clipped_beziers(self.lines, -box, box))
        return self


class _Discs(VMobject):
    """Equal circles of one colour (16 Bezier points each): the camera stamps them."""

    def __init__(self, radius: float, **kwargs) -> None:
        super().__init__(**kwargs)
        self.disc_radius = radius

    def draw_fast(self, camera, ctx) -> bool:
        """Stamp the discs (the camera hook in nnviz.draw.patches asks)."""
        return stamp_discs(camera, ctx, self)


class PointCloud(VGroup):
    """Data points as filled discs, one VMobject per colour group.

    `labels` (n,) index into `colors`; `set_positions` moves all discs with numpy.
    In 3D, pass `basis` (2, 3): the camera's right and up vectors, so discs face it.
    """

    def __init__(self, points: np.ndarray, labels: np.ndarray, colors: Sequence[str],
                 origin: Sequence[float] = (0, 0, 0), unit: float = 1.0,
                 radius: float = 0.045, basis: np.ndarray | None = None,
                 opacity: float = 1.0, clip: float | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.clip = clip
        self.origin = np.asarray(origin, dtype=float)
        self.unit = float(unit)
        self.radius = float(radius)
        self.labels = np.asarray(labels, dtype=int)
        self.groups = [np.nonzero(self.labels == k)[0] for k in range(len(colors))]
        self.basis = np.array([[1.0, 0, 0], [0, 1.0, 0]]) if basis is None else np.asarray(basis)
        for color in colors:
            self.add(_Discs(self.radius, fill_color=color, fill_opacity=opacity,
                            stroke_width=0))
        self.set_positions(points)

    def to_scene(self, pts: np.ndarray) -> np.ndarray:
        pts = np.asarray(pts, dtype=float)
        out = np.zeros((len(pts), 3))
        out[:, : pts.shape[1]] = pts
        return self.origin + self.unit * out

    def set_positions(self, points: np.ndarray, basis: np.ndarray | None = None) -> PointCloud:
        """Move the discs to `points` (n, 2 or 3) in data coordinates."""
        if basis is not None:
            self.basis = np.asarray(basis, dtype=float)
        self.positions = np.asarray(points, dtype=float)
        centres = self.to_scene(np.nan_to_num(self.positions))
        template = _disc_template(self.radius, self.basis)
        inside = np.ones(len(centres), dtype=bool)
        if self.clip is not None:
            inside = (np.abs(centres[:, :2] - self.origin[:2]) <= self.clip).all(axis=1)
        for vm, idx in zip(self.submobjects, self.groups, strict=True):
            idx = idx[inside[idx]]
            if len(idx) == 0:
                vm.points = np.zeros((0, 3))
                continue
            vm.points = (centres[idx, None, :] + template[None]).reshape(-1, 3)
        return self

    def scene_positions(self) -> np.ndarray:
        """Scene coordinates of every disc centre (n, 3), for placing labels."""
        return self.to_scene(self.positions)


class WarpPanel(VGroup):
    """A square window onto a plane being warped: a grid, data points and extra curves,
    all in data coordinates, with a zoom (`view`: data half-width shown). Lines are
    clipped to the window and points outside it are not drawn. Feed it with `show`."""

    def __init__(self, grid: np.ndarray, points: np.ndarray, labels: np.ndarray,
                 colors: Sequence[str], center: Sequence[float] = (0, 0, 0),
                 size: float = 6.0, view: float = 1.5, grid_color: str = "#5b6b8c",
                 border_color: str = "#8a8f98",
                 point_radius: float = 0.05, grid_width: float = 1.5) -> None:
        super().__init__()
        self.center_point = np.asarray(center, dtype=float)
        self.size = float(size)
        self.view = float(view)
        unit = self.size / 2 / self.view
        half = self.size / 2
        self.grid = WarpGrid(grid, self.center_point, unit, color=grid_color,
                             stroke_width=grid_width, clip=half)
        self.cloud = PointCloud(points, labels, colors, self.center_point, unit,
                                radius=point_radius, clip=half)
        self.curves: dict[str, WarpGrid] = {}
        self.curve_layer = VGroup()
        self.border = Square(self.size, stroke_color=border_color, stroke_width=2).move_to(
            self.center_point)
        self.add(self.grid, self.curve_layer, self.cloud, self.border)

    @property
    def unit(self) -> float:
        return self.size / 2 / self.view

    def add_curve(self, name: str, lines: np.ndarray | Sequence[np.ndarray], color: str,
                  width: float = 4.0, opacity: float = 1.0) -> WarpGrid:
        """A named set of polylines drawn between the grid and the points."""
        curve = WarpGrid(lines, self.center_point, self.unit, color=color, stroke_width=width,
                         stroke_opacity=opacity, clip=self.size / 2)
        self.curves[name] = curve
        self.curve_layer.add(curve)
        return curve

    def show(self, grid: np.ndarray | None = None, points: np.ndarray | None = None,
             view: float | None = None, **curves: np.ndarray | Sequence[np.ndarray]) -> None:
        """Draw the given arrays (data coordinates) at zoom `view`; None keeps the old."""
        if view is not None:
            self.view = float(view)
        unit = self.unit
        self.grid.unit = unit
        self.grid.set_lines(self.grid.lines if grid is None else grid)
        self.cloud.unit = unit
        self.cloud.set_positions(self.cloud.positions if points is None else points)
        for name, curve in self.curves.items():
            curve.unit = unit
            curve.set_lines(curves.get(name, curve.lines))

    def to_scene(self, pts: np.ndarray) -> np.ndarray:
        """Data coordinates -> scene coordinates at the current zoom."""
        return self.grid.to_scene(pts)


def row_runs(mask: np.ndarray) -> np.ndarray:
    """Runs of True in each row of a boolean picture: array (k, 3) of (row, start, stop)."""
    mask = np.asarray(mask, dtype=bool)
    padded = np.zeros((mask.shape[0], mask.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    edges = np.diff(padded, axis=1)
    rows_s, starts = np.nonzero(edges == 1)
    _, stops = np.nonzero(edges == -1)
    return np.column_stack([rows_s, starts, stops])


class _Boxes(VMobject):
    """Closed straight boxes of one colour (RegionFill's cell runs): the camera fills
    them as polygons (see cairo_fast.fill_boxes)."""

    def draw_fast(self, camera, ctx) -> bool:
        """Fill the boxes (the camera hook in nnviz.draw.patches asks)."""
        return fill_boxes(camera, ctx, self)


class RegionFill(VGroup):
    """Where a classifier answers each class, as translucent fills over a square window:
    one VMobject per class made of one rectangle per run of equal cells in a row, so a
    90x90 picture costs a few hundred rectangles, not 8,100 squares."""

    def __init__(self, colors: Sequence[str], center: Sequence[float], size: float,
                 opacity: float = 0.3) -> None:
        super().__init__()
        self.center_point = np.asarray(center, dtype=float)
        self.size = float(size)
        for color in colors:
            self.add(_Boxes(fill_color=color, fill_opacity=opacity, stroke_width=0))

    def set_classes(self, classes: np.ndarray) -> RegionFill:
        """classes (ny, nx) of ints, row 0 at the bottom of the window."""
        classes = np.asarray(classes)
        ny, nx = classes.shape
        cw, ch = self.size / nx, self.size / ny
        x0, y0 = self.center_point[:2] - self.size / 2
        for k, vm in enumerate(self.submobjects):
            runs = row_runs(classes == k)
            if len(runs) == 0:
                vm.points = np.zeros((0, 3))
                continue
            left, right = x0 + runs[:, 1] * cw, x0 + runs[:, 2] * cw
            bottom, top = y0 + runs[:, 0] * ch, y0 + (runs[:, 0] + 1) * ch
            corners = np.stack([np.column_stack(c) for c in (
                (left, bottom), (right, bottom), (right, top), (left, top), (left, bottom))],
                axis=1)
            vm.points = polylines_to_beziers(corners)
        return self
