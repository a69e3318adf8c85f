"""Faster Cairo drawing for the two shapes a warp draws thousands of: polylines and discs.

manim hands Cairo every piece of a VMobject as a cubic Bezier and fills or strokes the
whole path at once. For a warped 40x40 grid (3,900 straight pieces) and 2,000 data
points that is most of a 1080p frame's time: Cairo flattens each "curve" again, and its
scan converter walks every crossing line of the grid on every row. Two shortcuts, which
draw the same picture (tests/test_mobjects_cairo_fast.py compares them with manim's):

* A VMobject whose pieces are straight (``straight_pieces = True``: WarpGrid) is stroked
  through its anchors with ``line_to``, one polyline at a time, vertices closer than
  0.03 px to a straight run dropped; translucent strokes go into a group painted at
  their opacity, so crossings still look like one path (no bright dots where
  translucent lines cross).
* A VMobject made of equal circles (``disc_radius`` set: PointCloud's colour groups) is
  drawn by stamping an anti-aliased disc, rendered once per colour, size and quarter-pixel
  place by Cairo itself, at each centre, instead of filling 2,000 four-curve circles;
  translucent discs go through a group too.

Both read the points through the camera (``transform_points_pre_display``), so moves,
fades and the 3D camera's projection work as for any VMobject; anything these do not
cover (gradients, background strokes, fills on a polyline) falls back to manim's way.
Importing this module installs the hook on Camera.display_vectorized.
"""

from __future__ import annotations

from typing import Any

import cairo
import numpy as np
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP, Camera

_SPRITES: dict[tuple, tuple[cairo.ImageSurface, float]] = {}


def polylines_from_pieces(points: np.ndarray, tol: float = 1e-9
                          ) -> tuple[np.ndarray, np.ndarray]:
    """Straight cubic pieces (n, 3) -> the polylines through their anchors: all vertices
    (m, 2) and the index where each polyline starts. A new polyline starts where a piece
    does not begin where the last one ended."""
    q = points[: len(points) // 4 * 4, :2].reshape(-1, 4, 2)
    starts, ends = q[:, 0], q[:, 3]
    jump = np.any(np.abs(starts[1:] - ends[:-1]) > tol, axis=1)
    first = np.concatenate([[0], np.nonzero(jump)[0] + 1])  # piece opening each polyline
    vertices = np.insert(ends, first, starts[first], axis=0)
    return vertices, first + np.arange(len(first))


def simplify(vertices: np.ndarray, first: np.ndarray, tol: float, passes: int = 3
             ) -> tuple[np.ndarray, np.ndarray]:
    """Drop vertices within `tol` of the chord joining their neighbours: every other
    inner vertex of each polyline per pass, so each is judged against kept ones. The
    result stays within passes * tol of the original; at tol = 0.03 px that is under
    Cairo's own 0.1 px flattening tolerance, so the stroke looks the same."""
    for _ in range(passes):
        n = len(vertices)
        line = np.cumsum(np.isin(np.arange(n), first)) - 1
        pos = np.arange(n) - first[line]
        last = np.append(first[1:], n) - 1
        inner = np.nonzero((pos % 2 == 1) & (np.arange(n) < last[line]))[0]
        if len(inner) == 0:
            break
        a, p, b = vertices[inner - 1], vertices[inner], vertices[inner + 1]
        chord = b - a
        cross = np.abs(chord[:, 0] * (p[:, 1] - a[:, 1]) - chord[:, 1] * (p[:, 0] - a[:, 0]))
        drop = inner[cross <= tol * np.hypot(chord[:, 0], chord[:, 1])]
        if len(drop) == 0:
            break
        keep = np.ones(n, dtype=bool)
        keep[drop] = False
        first = np.cumsum(keep)[first] - 1
        vertices = vertices[keep]
    return vertices, first


def stroke_polylines(camera: Camera, ctx: cairo.Context, vmobject: Any) -> bool:
    """Stroke a VMobject of straight pieces line by line; False if not applicable."""
    if vmobject.get_fill_opacity() > 0 or vmobject.get_stroke_width(background=True) > 0:
        return False
    rgbas = camera.get_stroke_rgbas(vmobject)
    if len(rgbas) != 1:
        return False
    width, alpha = vmobject.get_stroke_width(), float(rgbas[0][3])
    points = camera.transform_points_pre_display(vmobject, vmobject.points)
    if width <= 0 or alpha <= 0 or len(points) < 4:
        return True
    xx, _, _, yy, x0, y0 = ctx.get_matrix()  # scene -> pixels: a scale and a shift
    vertices, first = simplify(*polylines_from_pieces(points * [xx, yy, 0] + [x0, y0, 0]),
                               tol=0.03)
    lw = width * camera.cairo_line_width_multiple * abs(xx)
    flat = vertices
    x_a, y_a = np.floor(flat.min(axis=0) - lw - 1)
    x_b, y_b = np.ceil(flat.max(axis=0) + lw + 1)
    ctx.new_path()
    ctx.save()
    ctx.identity_matrix()  # stroke in pixels: Cairo's pen is a plain circle there
    ctx.rectangle(x_a, y_a, x_b - x_a, y_b - y_a)  # whole pixels: Cairo's fast box clip
    ctx.clip()  # the group below only needs the polylines' box, not the whole frame
    group = alpha < 1.0
    if group:
        ctx.push_group()
    ctx.set_source_rgba(*rgbas[0][2::-1], 1.0 if group else alpha)  # cairo's BGRA order
    ctx.set_line_width(lw)
    ctx.set_line_join(LINE_JOIN_MAP[vmobject.joint_type])
    ctx.set_line_cap(CAP_STYLE_MAP[vmobject.cap_style])
    move, line_to, stroke = ctx.move_to, ctx.line_to, ctx.stroke
    xy = vertices.tolist()
    for a, b in zip(first.tolist(), [*first[1:].tolist(), len(xy)], strict=True):
        move(*xy[a])
        for x, y in xy[a + 1:b]:
            line_to(x, y)
        stroke()  # one polyline at a time: Cairo's scan converter never sees crossings
    if group:
        ctx.pop_group_to_source()
        ctx.paint_with_alpha(alpha)
    ctx.restore()
    return True


def _sprite(radius_px: float, bgra: tuple[float, ...], dx: float, dy: float
            ) -> tuple[cairo.ImageSurface, int]:
    """One anti-aliased disc of `radius_px` pixels in colour `bgra`, its centre (dx, dy)
    of a pixel past the sprite's middle, and that middle's offset from its corner."""
    key = (radius_px, bgra, dx, dy)
    if key not in _SPRITES:
        if len(_SPRITES) > 4096:
            _SPRITES.clear()
        half = int(np.ceil(radius_px)) + 2
        surf = cairo.ImageSurface(cairo.FORMAT_ARGB32, 2 * half, 2 * half)
        c = cairo.Context(surf)
        c.arc(half + dx, half + dy, radius_px, 0, 2 * np.pi)
        c.set_source_rgba(*bgra)
        c.fill()
        _SPRITES[key] = (surf, half)
    return _SPRITES[key]


PHASES = 4  # sub-pixel places of a disc's centre, per axis: Cairo draws each one exactly


def stamp_discs(camera: Camera, ctx: cairo.Context, vmobject: Any) -> bool:
    """Draw a VMobject of circles (16 points each) by stamping disc sprites, one per size
    and sub-pixel place."""
    if vmobject.get_stroke_width() > 0 and vmobject.get_stroke_opacity() > 0:
        return False
    rgbas = camera.get_fill_rgbas(vmobject)
    if len(rgbas) != 1:
        return False
    points = camera.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) < 16 or rgbas[0][3] <= 0:
        return True
    circles = points[: len(points) // 16 * 16, :2].reshape(-1, 16, 2)
    centres = circles.mean(axis=1)  # the 16 control points are symmetric about the centre
    xx, yx, xy, yy, x0, y0 = ctx.get_matrix()
    px = centres @ np.array([[xx, yx], [xy, yy]]) + [x0, y0]
    # Radii in pixels, to an eighth of one: in 3D, perspective makes far discs smaller.
    eighths = np.round(np.hypot(*(circles[:, 0] - centres).T) * abs(xx) * 8).astype(np.int64)
    alpha = float(rgbas[0][3])
    group = alpha < 1.0
    bgra = (*rgbas[0][2::-1], 1.0 if group else alpha)
    half = np.ceil(eighths.max() / 8) + 2
    ctx.save()
    ctx.identity_matrix()
    ctx.new_path()
    if group:  # overlapping translucent discs: one shape, as manim's single path fills
        lo, hi = np.floor(px.min(axis=0) - half), np.ceil(px.max(axis=0) + half)
        ctx.rectangle(lo[0], lo[1], hi[0] - lo[0], hi[1] - lo[1])
        ctx.clip()
        ctx.push_group()
    put, paint = ctx.set_source_surface, ctx.paint
    cell = np.round(px * PHASES).astype(np.int64)  # centres to 1/PHASES of a pixel
    whole, phase = cell // PHASES, cell % PHASES
    kind = (eighths * PHASES + phase[:, 0]) * PHASES + phase[:, 1]  # size and place
    order = np.argsort(kind, kind="stable")
    kind = kind[order]
    starts = np.flatnonzero(np.r_[True, kind[1:] != kind[:-1]]).tolist()
    corner = whole - (np.ceil(eighths / 8).astype(np.int64) + 2)[:, None]  # see _sprite
    xy = corner[order].tolist()
    colour = tuple(round(float(c), 4) for c in bgra)
    for a, b in zip(starts, [*starts[1:], len(xy)], strict=True):
        k = int(kind[a])
        sprite, _ = _sprite(k // PHASES**2 / 8, colour, k // PHASES % PHASES / PHASES,
                            k % PHASES / PHASES)
        for x, y in xy[a:b]:
            put(sprite, x, y)  # whole pixels: a plain copy, no resampling
            paint()
    if group:
        ctx.pop_group_to_source()
        ctx.paint_with_alpha(alpha)
    ctx.restore()
    return True


def _display_vectorized(self: Camera, vmobject: Any, ctx: cairo.Context) -> Camera:
    """Camera.display_vectorized with the two shortcuts above."""
    if getattr(vmobject, "straight_pieces", False) and stroke_polylines(self, ctx, vmobject):
        return self
    if getattr(vmobject, "disc_radius", None) and stamp_discs(self, ctx, vmobject):
        return self
    return _ORIGINAL(self, vmobject, ctx)


if not getattr(Camera.display_vectorized, "_nnviz_fast", False):
    _ORIGINAL = Camera.display_vectorized
    _display_vectorized._nnviz_fast = True  # type: ignore[attr-defined]
    _display_vectorized.__wrapped__ = _ORIGINAL  # type: ignore[attr-defined]
    Camera.display_vectorized = _display_vectorized  # type: ignore[method-assign]
else:  # pragma: no cover - module reloaded
    _ORIGINAL = Camera.display_vectorized.__wrapped__  # type: ignore[attr-defined]

__all__ = ["polylines_from_pieces", "simplify", "stamp_discs", "stroke_polylines"]
