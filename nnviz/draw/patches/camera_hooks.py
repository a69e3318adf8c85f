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
        """Camera.set_cairo_context_path (manim 0.22), through trace_path."""
        if vmobject.n_points_per_cubic_curve != 4:
            return super().set_cairo_context_path(ctx, vmobject)  # type: ignore[misc]
        points = self.transform_points_pre_display(vmobject, vmobject.points)  # type: ignore[attr-defined]
        if len(points):
            trace_path(ctx, vmobject, points)
        return self

    def display_image_mobject(self, image_mobject: Any, pixel_array: np.ndarray) -> None:
        """Camera.display_image_mobject, letting raster mobjects draw themselves."""
        draw = getattr(image_mobject, "draw_to_camera", None)
        if draw is not None:
            draw(self, pixel_array)
            return
        super().display_image_mobject(image_mobject, pixel_array)  # type: ignore[misc]
