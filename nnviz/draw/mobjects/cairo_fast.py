"""Faster Cairo drawing: the shapes a warp draws thousands of (polylines, discs, region
boxes), and a cheaper way to hand any VMobject's path to Cairo.

manim hands Cairo every piece of a VMobject as a cubic Bezier and fills or strokes the
whole path at once. For a warped 40x40 grid (3,900 straight pieces) and 2,000 data
points that is most of a 1080p frame's time: Cairo flattens each "curve" again, and its
scan converter walks every crossing line of the grid on every row. The shortcuts draw
the same picture (tests/test_mobjects_cairo_fast.py, test_camera_paths.py compare them
with manim's):

* A VMobject whose pieces are straight (``straight_pieces = True``: WarpGrid) is stroked
  through its anchors with ``line_to``, one polyline at a time, vertices closer than
  0.03 px to a straight run dropped, as coverage into an A8 canvas that is then painted
  once at the stroke's opacity, so crossings still look like one path (no bright dots
  where translucent lines cross).
* A VMobject made of circles (``disc_radius`` set: PointCloud's colour groups) is drawn
  by stamping an anti-aliased disc's coverage, rendered once per size and quarter-pixel
  place by Cairo itself, at each centre with numpy, into the same kind of A8 canvas,
  instead of filling 2,000 four-curve circles.
* A VMobject of closed straight boxes (RegionFill's cell runs) is filled as ``line_to``
  polygons, which Cairo fills by its fast path for boxes instead of its general scan
  converter (edges within a level or two of manim's).
* Any other VMobject's path goes to Cairo through `patches.paths.trace_path`: manim's own calls with
  manim's numbers (the same pixels), with less Python per shape.

All read the points through the camera (``transform_points_pre_display``), so moves,
fades and the 3D camera's projection work as for any VMobject; anything these do not
cover (gradients, background strokes, fills on a polyline) falls back to manim's way.
nnviz.draw.patches routes the camera's display_vectorized and path here.
"""

from __future__ import annotations

import os
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import cairo
import numpy as np
from manim.camera.camera import CAP_STYLE_MAP, LINE_JOIN_MAP, Camera

_SPRITES: dict[tuple[int, int, int, int], np.ndarray] = {}


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
    Cairo's own 0.1 px flattening tolerance, so the stroke looks the same. Stops early
    where a pass drops under a quarter of what it judged: curves keep most vertices."""
    for _ in range(passes):
        n = len(vertices)
        starts = np.zeros(n, dtype=np.int64)
        starts[first] = 1
        line = np.cumsum(starts) - 1
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
        if len(drop) < len(inner) / 4:
            break
    return vertices, first


_COVERAGE = threading.local()  # each drawing thread's A8 canvas, grown as needed


def coverage_canvas(width: int, height: int) -> tuple[cairo.ImageSurface, np.ndarray]:
    """An A8 surface at least `width` x `height`, its top-left corner of that size
    cleared, and a numpy view of its bytes to write into (`_paint_coverage` then tells
    Cairo). Kept between frames: allocating and clearing a whole 1080p group surface
    per frame cost more than the strokes on slow stages."""
    surf, data = getattr(_COVERAGE, "canvas", (None, None))
    if surf is None or surf.get_width() < width or surf.get_height() < height:
        w = max(width, surf.get_width() if surf else 0)
        h = max(height, surf.get_height() if surf else 0)
        surf = cairo.ImageSurface(cairo.FORMAT_A8, w, h)
        data = np.ndarray((h, surf.get_stride()), np.uint8, surf.get_data())
        _COVERAGE.canvas = surf, data
    else:
        surf.flush()
        data[:height, :width] = 0
        surf.mark_dirty()
    return surf, data


def _pen(data: np.ndarray, top: int, width: int, style: tuple) -> cairo.Context:
    """A Cairo context drawing coverage into the A8 rows `data`, which are rows `top`
    onwards of the canvas, with the stroke's (width, join, cap)."""
    surf = cairo.ImageSurface.create_for_data(memoryview(data), cairo.FORMAT_A8, width,
                                              len(data), data.shape[1])
    pen = cairo.Context(surf)
    pen.translate(0, -top)  # whole pixels: the same coverage as drawing the whole canvas
    pen.set_line_width(style[0])
    pen.set_line_join(style[1])
    pen.set_line_cap(style[2])
    return pen


def _stroke(pen: cairo.Context, flat: list[float], spans: list) -> None:
    """Stroke the polylines through vertices a to b - 1 for (a, b) in `spans`, from the
    flat coordinates x0, y0, x1, ... (floats, which Python's garbage collector does not
    track: a list per vertex cost more in collections than the strokes' Python loop),
    one at a time: Cairo's scan converter then never sees crossings, and releases the
    GIL while it strokes."""
    move, line_to, stroke = pen.move_to, pen.line_to, pen.stroke
    for a, b in spans:
        coords = iter(flat[2 * a: 2 * b])
        move(next(coords), next(coords))
        for x, y in zip(coords, coords, strict=True):
            line_to(x, y)
        stroke()
    pen.get_target().finish()


_HELPER: dict[int, ThreadPoolExecutor] = {}  # by process: a fork has no helper thread
_SHARE = [1 / 3]  # the helper's share of the rows' work, tuned as frames go by


def stroke_in_bands(data: np.ndarray, width: int, vertices: np.ndarray, first: np.ndarray,
                    style: tuple) -> None:
    """Stroke polylines (pixel coordinates) as coverage into the A8 rows `data`. On a
    machine with a spare core the rows are cut in two bands, stroked at once by this
    thread and a helper. Each band is its own memory, so the two never touch the same
    pixel and the result is the same as one pass. The cut follows the work (rows crossed
    by each line) and moves, frame by frame, until both bands finish together: on two
    cores the helper shares its core with the encoder."""
    flat = vertices.ravel().tolist()
    ends = [*first[1:].tolist(), len(vertices)]
    spans = list(zip(first.tolist(), ends, strict=True))
    if (os.cpu_count() or 1) < 2 or len(data) < 128 or len(spans) < 8:
        _stroke(_pen(data, 0, width, style), flat, spans)
        return
    margin = 5 * style[0] + 2  # a miter reaches 10 half-widths (cairo's limit) past a vertex
    top = np.minimum.reduceat(vertices[:, 1], first) - margin
    bottom = np.maximum.reduceat(vertices[:, 1], first) + margin
    rows = np.zeros(len(data) + 1)
    np.add.at(rows, np.clip(top, 0, len(data)).astype(int), 1.0)
    np.add.at(rows, np.clip(bottom, 0, len(data)).astype(int), -1.0)
    work = np.cumsum(np.cumsum(rows)[:-1])
    cut = int(np.clip(np.searchsorted(work, work[-1] * (1 - _SHARE[0])), 1, len(data) - 1))
    upper = [spans[k] for k in np.flatnonzero(top < cut).tolist()]
    lower = [spans[k] for k in np.flatnonzero(bottom >= cut).tolist()]
    pool = _HELPER.get(os.getpid())
    if pool is None:
        pool = _HELPER[os.getpid()] = ThreadPoolExecutor(1, thread_name_prefix="nnviz-stroke")
    pens = _pen(data[:cut], 0, width, style), _pen(data[cut:], cut, width, style)
    helper = pool.submit(_stroke, pens[1], flat, lower)
    try:
        _stroke(pens[0], flat, upper)
    finally:
        step = 0.02 if helper.done() else -0.02
        _SHARE[0] = min(0.5, max(0.1, _SHARE[0] + step))
        helper.result()


def _clip_in_pixels(ctx: cairo.Context) -> tuple[float, float, float, float]:
    """The frame's clip box (x0, y0, x1, y1) in pixels."""
    ctx.save()
    ctx.identity_matrix()
    box = ctx.clip_extents()
    ctx.restore()
    return box


def _paint_coverage(ctx: cairo.Context, canvas: cairo.ImageSurface, corner: np.ndarray,
                    box: tuple[float, float, float, float], rgba: np.ndarray) -> None:
    """Paint the coverage canvas (written by numpy or other surfaces), its top-left at
    pixel `corner`, in colour `rgba`, inside the pixel box (x0, y0, x1, y1)."""
    canvas.mark_dirty()
    x_a, y_a, x_b, y_b = box
    ctx.save()
    ctx.identity_matrix()
    ctx.new_path()
    ctx.rectangle(x_a, y_a, x_b - x_a, y_b - y_a)  # whole pixels: Cairo's fast box clip
    ctx.clip()
    ctx.set_source_rgba(*rgba[2::-1], float(rgba[3]))  # cairo's BGRA order
    ctx.mask_surface(canvas, float(corner[0]), float(corner[1]))
    ctx.restore()


def stroke_polylines(camera: Camera, ctx: cairo.Context, vmobject: Any) -> bool:
    """Stroke a VMobject of straight pieces line by line; False if not applicable.

    The lines are stroked, one polyline at a time, as coverage into an A8 canvas the
    size of their box, then that coverage is painted once in the stroke's colour and
    opacity: overlapping lines of one translucent grid still look like one path, and
    the strokes write a quarter of the bytes they would write to the frame."""
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
    c_a, d_a, c_b, d_b = _clip_in_pixels(ctx)
    x_a, y_a = np.maximum(np.floor(vertices.min(axis=0) - lw - 1), [c_a, d_a]).astype(int)
    x_b, y_b = np.minimum(np.ceil(vertices.max(axis=0) + lw + 1), [c_b, d_b]).astype(int)
    if x_b <= x_a or y_b <= y_a:
        return True
    canvas, data = coverage_canvas(x_b - x_a, y_b - y_a)
    style = (lw, LINE_JOIN_MAP[vmobject.joint_type], CAP_STYLE_MAP[vmobject.cap_style])
    stroke_in_bands(data[: y_b - y_a], x_b - x_a, vertices - [x_a, y_a], first, style)
    _paint_coverage(ctx, canvas, np.array([x_a, y_a]), (x_a, y_a, x_b, y_b), rgbas[0])
    return True


def disc_sprite(eighths: int, phase_x: int, phase_y: int, half: int) -> np.ndarray:
    """The coverage (2 half, 2 half) uint8 of a disc `eighths`/8 px in radius whose
    centre lies (phase_x, phase_y)/PHASES of a pixel past the sprite's middle, drawn
    by Cairo once and kept."""
    key = (eighths, phase_x, phase_y, half)
    if key not in _SPRITES:
        if len(_SPRITES) > 4096:
            _SPRITES.clear()
        surf = cairo.ImageSurface(cairo.FORMAT_A8, 2 * half, 2 * half)
        c = cairo.Context(surf)
        c.arc(half + phase_x / PHASES, half + phase_y / PHASES, eighths / 8, 0, 2 * np.pi)
        c.fill()
        surf.flush()
        rows = np.ndarray((2 * half, surf.get_stride()), np.uint8, surf.get_data())
        _SPRITES[key] = rows[:, : 2 * half].copy()
    return _SPRITES[key]


PHASES = 4  # sub-pixel places of a disc's centre, per axis: Cairo draws each one exactly


def stamp_discs(camera: Camera, ctx: cairo.Context, vmobject: Any) -> bool:
    """Draw a VMobject of circles (16 points each) by stamping disc coverage sprites,
    one per size and sub-pixel place, into an A8 canvas with numpy (overlaps keep the
    larger coverage), then painting that coverage once in the fill colour."""
    if vmobject.get_stroke_width() > 0 and vmobject.get_stroke_opacity() > 0:
        return False
    rgbas = camera.get_fill_rgbas(vmobject)
    if len(rgbas) != 1:
        return False
    points = camera.transform_points_pre_display(vmobject, vmobject.points)
    if len(points) < 16 or rgbas[0][3] <= 0:
        return True
    whole = len(points) // 16 * 16
    east, west = points[0:whole:16, :2], points[8:whole:16, :2]
    centres = (east + west) / 2  # a circle's first and ninth control points are opposite
    xx, yx, xy, yy, x0, y0 = ctx.get_matrix()
    px = centres @ np.array([[xx, yx], [xy, yy]]) + [x0, y0]
    # Radii in pixels, to an eighth of one: in 3D, perspective makes far discs smaller.
    eighths = np.round(np.hypot(*(east - centres).T) * abs(xx) * 8).astype(np.int64)
    half = int(np.ceil(eighths.max() / 8)) + 1  # room for the centre's phase and the AA
    cell = np.round(px * PHASES).astype(np.int64)  # centres to 1/PHASES of a pixel
    corner = cell // PHASES - half  # each sprite's top-left pixel
    c_a, d_a, c_b, d_b = _clip_in_pixels(ctx)
    seen = np.all((corner < [c_b, d_b]) & (corner + 2 * half > [c_a, d_a]), axis=1)
    if not seen.any():
        return True
    corner, cell, eighths = corner[seen], cell[seen], eighths[seen]
    lo = corner.min(axis=0)
    size = corner.max(axis=0) + 2 * half - lo
    canvas, data = coverage_canvas(int(size[0]), int(size[1]))
    kind = (eighths * PHASES + cell[:, 0] % PHASES) * PHASES + cell[:, 1] % PHASES
    kinds, which = np.unique(kind, return_inverse=True)
    sprites = np.stack([disc_sprite(int(k) // PHASES**2, int(k) // PHASES % PHASES,
                                    int(k) % PHASES, half) for k in kinds]).reshape(len(kinds), -1)
    used = np.flatnonzero(sprites.any(axis=0))  # the box's corners stay empty: skip them
    stride = data.shape[1]
    box = (np.arange(2 * half)[:, None] * stride + np.arange(2 * half)).ravel()[used]
    start = (corner[:, 1] - lo[1]) * stride + corner[:, 0] - lo[0]
    np.maximum.at(data.reshape(-1), (start[:, None] + box).ravel(),
                  sprites[:, used][which.ravel()].ravel())
    x_a, y_a = np.maximum(lo, np.ceil([c_a, d_a]))
    x_b, y_b = np.minimum(lo + size, np.floor([c_b, d_b]))
    _paint_coverage(ctx, canvas, lo, (x_a, y_a, x_b, y_b), rgbas[0])
    return True


def fill_boxes(camera: Camera, ctx: cairo.Context, vmobject: Any) -> bool:
    """Fill a VMobject made only of closed four-piece straight boxes (RegionFill's cell
    runs) as polygons of ``line_to``; False if not applicable. Straight cubic pieces are
    the same outline, but Cairo fills a path with curves through its general scan
    converter; axis-aligned lines take its fast path for boxes (the edges' anti-aliasing
    may differ by a level or two)."""
    if vmobject.get_stroke_width() > 0 and vmobject.get_stroke_opacity() > 0:
        return False
    if vmobject.get_stroke_width(background=True) > 0:
        return False
    rgbas = camera.get_fill_rgbas(vmobject)
    points = vmobject.points
    if len(rgbas) != 1 or len(points) % 16:
        return False
    points = camera.transform_points_pre_display(vmobject, points)
    if len(points) < 16 or rgbas[0][3] <= 0:
        return True
    ctx.new_path()
    move_to, line_to, close_path = ctx.move_to, ctx.line_to, ctx.close_path
    for x0, y0, x1, y1, x2, y2, x3, y3 in points[::4, :2].reshape(-1, 8).tolist():
        move_to(x0, y0)
        line_to(x1, y1)
        line_to(x2, y2)
        line_to(x3, y3)
        close_path()
    ctx.set_source_rgba(*rgbas[0][2::-1], float(rgbas[0][3]))
    ctx.fill()
    return True


__all__ = ["fill_boxes", "polylines_from_pieces", "simplify", "stamp_discs", "stroke_polylines"]
