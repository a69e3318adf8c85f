"""Camera hooks that let nnviz's mobjects draw themselves the fast way, and every other
VMobject's path reach Cairo with less Python.

* ``display_vectorized``: a VMobject that paints nothing (fill, stroke and background
  stroke all of opacity 0, or of width 0) is skipped: manim builds its path and fills
  and strokes it with a transparent colour, which leaves every pixel as it was, and
  scenes keep hidden labels and flags (opacity 0) on screen to fade them in and out
  (warp-training's six layer flags were 200 of its 250 shapes a frame). A VMobject
  with a ``draw_fast(camera, ctx)`` method draws itself when it can (WarpGrid strokes
  polylines, PointCloud stamps discs: see nnviz.draw.mobjects.cairo_fast); anything
  else, and anything those shortcuts do not cover (draw_fast returns False), goes to
  manim's own drawing.
* ``display_image_mobject``: a mobject with ``draw_to_camera`` (RasterNetworkDiagram,
  PixelImage) puts its raster into the frame itself.
* ``set_cairo_context_path``: any VMobject's path is given to Cairo by
  ``patches.paths.trace_path``, the same calls with the same numbers as manim's (so the
  same pixels) at less Python per shape: frames of many small shapes (dots, letters,
  heatmap cells) spent a third of their time there.

Under a stock camera the same mobjects are drawn by manim: their points as Bezier paths,
their ``get_pixel_array()`` as an image, the same picture, only slower.
"""

from __future__ import annotations

from typing import Any

import cairo
import numpy as np

from nnviz.draw.patches.paths import trace_path

# the last path given to Cairo for each VMobject (by id): its points through the camera,
# the context's matrix, and Cairo's copy of the path in device space. A reused id with
# other points or another matrix does not match, so a stale entry is never used.
_KEPT_PATHS: dict[int, tuple[np.ndarray, tuple[float, ...], Any]] = {}
_MAX_KEPT = 20_000


def _in_device_space(ctx: cairo.Context, call: Any, *args: Any) -> Any:
    """`call` with the identity matrix: Cairo keeps paths in device space (fixed point),
    and copies them out and back in exactly there, so the kept path is the same path."""
    ctx.save()
    ctx.identity_matrix()
    try:
        return call(*args)
    finally:
        ctx.restore()


def paints_nothing(vmobject: Any) -> bool:
    """True when manim's drawing of `vmobject` (background stroke, fill, stroke: Cairo's
    OVER with the given colours) cannot change a pixel: every colour it would use is fully
    transparent, or the stroke has no width. Cairo's OVER with alpha 0 leaves the
    destination exactly as it was, so skipping it gives the same frame bit for bit."""
    if vmobject.get_fill_rgbas()[:, 3].any():
        return False
    for background in (False, True):
        if vmobject.get_stroke_width(background) != 0 and \
                vmobject.get_stroke_rgbas(background)[:, 3].any():
            return False
    return True


class DrawHooks:
    """Camera mixin: mobjects that can draw themselves faster do so."""

    def display_vectorized(self, vmobject: Any, ctx: cairo.Context) -> Any:
        """Camera.display_vectorized, skipping what paints nothing and letting mobjects
        that can draw themselves faster."""
        if paints_nothing(vmobject):
            return self
        draw = getattr(vmobject, "draw_fast", None)
        if draw is not None and draw(self, ctx):
            return self
        return super().display_vectorized(vmobject, ctx)  # type: ignore[misc]

    def set_cairo_context_path(self, ctx: cairo.Context, vmobject: Any) -> Any:
        """Camera.set_cairo_context_path (manim 0.22), through trace_path; a shape whose
        points did not change since the last frame (a label redrawn because something
        before it moves) gets the path Cairo kept from then."""
        if vmobject.n_points_per_cubic_curve != 4:
            return super().set_cairo_context_path(ctx, vmobject)  # type: ignore[misc]
        points = self.transform_points_pre_display(vmobject, vmobject.points)  # type: ignore[attr-defined]
        if len(points):
            kept = _KEPT_PATHS.get(id(vmobject))
            matrix = tuple(ctx.get_matrix())
            if kept is not None and kept[1] == matrix and kept[0].shape == points.shape \
                    and np.array_equal(kept[0], points):
                ctx.new_path()
                _in_device_space(ctx, ctx.append_path, kept[2])
                return self
            trace_path(ctx, vmobject, points)
            if len(_KEPT_PATHS) >= _MAX_KEPT:
                _KEPT_PATHS.clear()
            _KEPT_PATHS[id(vmobject)] = (points.copy(), matrix,
                                         _in_device_space(ctx, ctx.copy_path))
        return self

    def display_image_mobject(self, image_mobject: Any, pixel_array: np.ndarray) -> None:
        """Camera.display_image_mobject, letting raster mobjects draw themselves."""
        draw = getattr(image_mobject, "draw_to_camera", None)
        if draw is not None:
            draw(self, pixel_array)
            return
        super().display_image_mobject(image_mobject, pixel_array)  # type: ignore[misc]
