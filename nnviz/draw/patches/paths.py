"""Every VMobject's path handed to Cairo as manim 0.22 hands it, with less Python around
the calls: nnviz's cameras (camera_hooks) use `trace_path` in place of manim's
``Camera.set_cairo_context_path``. Same Cairo calls, same numbers, same pixels
(tests/test_camera_paths.py)."""

from __future__ import annotations

from typing import Any

import cairo
import numpy as np


def subpath_splits(vmobject: Any, points: np.ndarray) -> list[tuple[int, int]]:
    """The [start, end) point ranges of `points`' subpaths, split where a curve's end is
    not (np.isclose, x and y only) the next one's start: manim 0.22's
    ``get_subpath_split_indices_from_points(points, n_dims=2)``, with fewer numpy calls
    for the usual shape of one closed path (a dot, a letter's outline, a rectangle)."""
    n = len(points)
    if n < 4:
        return []
    if n == 4:
        return [(0, n)]
    xy = points[:, :2]
    ends, starts = xy[3:n - 1:4], xy[4:n:4]  # each curve's end, the next curve's start
    with np.errstate(invalid="ignore"):
        diffs = np.abs(ends - starts)
        close = diffs <= vmobject.tolerance_for_point_equality + 1e-5 * np.abs(starts)
        finite = np.isfinite(diffs)
        if not finite.all():  # NaN is never close; infinities only when equal
            close &= finite
            close |= ends == starts
    split = np.flatnonzero(~close.all(axis=1))
    if len(split) == 0:
        return [(0, n)]
    cuts = [0, *(4 * (split + 1)).tolist(), n]
    return list(zip(cuts[:-1], cuts[1:], strict=True))


def trace_path(ctx: cairo.Context, vmobject: Any, points: np.ndarray) -> None:
    """Put `points` (a VMobject's cubic pieces, already through the camera) into `ctx` as
    its path, with the very Cairo calls, in the same order and with the same numbers, as
    manim 0.22's ``Camera.set_cairo_context_path``: the same pixels. Only the Python
    around them is cheaper: the coordinates become Python floats in one ``tolist``
    (manim reads six numpy scalars per curve) and the subpath splits take fewer numpy
    calls, which matters for the hundreds of small shapes (dots, letters, cells) a
    frame can hold."""
    ctx.new_path()
    splits = subpath_splits(vmobject, points)
    if not splits:
        return
    whole = len(points) // 4 * 4
    quads = points[:whole, :2].reshape(-1, 8).tolist()  # per curve x0, y0, ..., x3, y3
    move_to, curve_to = ctx.move_to, ctx.curve_to
    new_sub_path, close_path = ctx.new_sub_path, ctx.close_path
    equal = vmobject.consider_points_equals_2d
    for a, b in splits:
        if b - a < 4:
            continue
        new_sub_path()
        first = quads[a // 4]
        move_to(first[0], first[1])
        for _, _, x1, y1, x2, y2, x3, y3 in quads[a // 4: a // 4 + (b - a) // 4]:
            curve_to(x1, y1, x2, y2, x3, y3)
        if equal(points[a], points[b - 1]):
            close_path()


__all__ = ["subpath_splits", "trace_path"]
