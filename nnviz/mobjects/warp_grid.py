"""A warpable grid and a point cloud, fast enough to move every frame.

Both take plain arrays in data coordinates and map them to the scene with a fixed
`origin` and `unit` (scene units per data unit). Their Bezier points are written by
numpy in one go, so a warp of a 40x40 grid with 2,000 points costs a few array
operations per frame instead of thousands of Python-level mobject updates.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import VGroup, VMobject

_KAPPA = 0.5522847498307936  # cubic Bezier handle length for a quarter circle


def polylines_to_beziers(lines: np.ndarray) -> np.ndarray:
    """Polylines (L, m, d) -> Bezier control points (L * (m-1) * 4, 3), straight cubic
    pieces, one subpath per polyline (manim splits subpaths where anchors jump)."""
    lines = np.asarray(lines, dtype=float)
    a, b = lines[:, :-1], lines[:, 1:]
    quads = np.stack([a, a + (b - a) / 3.0, a + 2.0 * (b - a) / 3.0, b], axis=2)
    flat = quads.reshape(-1, lines.shape[-1])
    if flat.shape[1] == 3:
        return flat
    out = np.zeros((len(flat), 3))
    out[:, : flat.shape[1]] = flat
    return out


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
    VMobject (one subpath per line); `set_lines` moves them all with one numpy call."""

    def __init__(self, lines: np.ndarray, origin: Sequence[float] = (0, 0, 0),
                 unit: float = 1.0, color: str = "#5b6b8c", stroke_width: float = 1.5,
                 stroke_opacity: float = 0.9, **kwargs) -> None:
        super().__init__(stroke_color=color, stroke_width=stroke_width,
                         stroke_opacity=stroke_opacity, fill_opacity=0.0, **kwargs)
        self.origin = np.asarray(origin, dtype=float)
        self.unit = float(unit)
        self.set_lines(lines)

    def to_scene(self, pts: np.ndarray) -> np.ndarray:
        """Data coordinates (..., 2 or 3) -> scene coordinates (..., 3)."""
        pts = np.asarray(pts, dtype=float)
        out = np.zeros(pts.shape[:-1] + (3,))
        out[..., : pts.shape[-1]] = pts
        return self.origin + self.unit * out

    def set_lines(self, lines: np.ndarray) -> WarpGrid:
        """Replace the polylines (L, m, d); non-finite points are clamped far away."""
        lines = np.nan_to_num(np.asarray(lines, dtype=float), nan=0.0, posinf=1e3, neginf=-1e3)
        self.lines = lines
        self.points = self.to_scene(polylines_to_beziers(lines))
        return self


class PointCloud(VGroup):
    """Data points as filled discs, one VMobject per colour group.

    `labels` (n,) index into `colors`; `set_positions` moves all discs with numpy.
    In 3D, pass `basis` (2, 3): the camera's right and up vectors, so discs face it.
    """

    def __init__(self, points: np.ndarray, labels: np.ndarray, colors: Sequence[str],
                 origin: Sequence[float] = (0, 0, 0), unit: float = 1.0,
                 radius: float = 0.045, basis: np.ndarray | None = None,
                 opacity: float = 1.0, **kwargs) -> None:
        super().__init__(**kwargs)
        self.origin = np.asarray(origin, dtype=float)
        self.unit = float(unit)
        self.radius = float(radius)
        self.labels = np.asarray(labels, dtype=int)
        self.groups = [np.nonzero(self.labels == k)[0] for k in range(len(colors))]
        self.basis = np.array([[1.0, 0, 0], [0, 1.0, 0]]) if basis is None else np.asarray(basis)
        for color in colors:
            self.add(VMobject(fill_color=color, fill_opacity=opacity, stroke_width=0))
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
        for vm, idx in zip(self.submobjects, self.groups, strict=True):
            if len(idx) == 0:
                vm.points = np.zeros((0, 3))
                continue
            vm.points = (centres[idx, None, :] + template[None]).reshape(-1, 3)
        return self

    def scene_positions(self) -> np.ndarray:
        """Scene coordinates of every disc centre (n, 3), for placing labels."""
        return self.to_scene(self.positions)
