"""Two camera hooks that let nnviz's mobjects draw themselves the fast way.

* ``display_vectorized``: a VMobject with a ``draw_fast(camera, ctx)`` method draws
  itself when it can (WarpGrid strokes polylines, PointCloud stamps discs: see
  nnviz.draw.mobjects.cairo_fast); anything else, and anything those shortcuts do not
  cover (draw_fast returns False), goes to manim's own drawing.
* ``display_image_mobject``: a mobject with ``draw_to_camera`` (RasterNetworkDiagram,
  PixelImage) puts its raster into the frame itself.

Under a stock camera the same mobjects are drawn by manim: their points as Bezier paths,
their ``get_pixel_array()`` as an image, the same picture, only slower.
"""

from __future__ import annotations

from typing import Any

import cairo
import numpy as np


class DrawHooks:
    """Camera mixin: mobjects that can draw themselves faster do so."""

    def display_vectorized(self, vmobject: Any, ctx: cairo.Context) -> Any:
        """Camera.display_vectorized, letting mobjects that can draw themselves faster."""
        draw = getattr(vmobject, "draw_fast", None)
        if draw is not None and draw(self, ctx):
            return self
        return super().display_vectorized(vmobject, ctx)  # type: ignore[misc]

    def display_image_mobject(self, image_mobject: Any, pixel_array: np.ndarray) -> None:
        """Camera.display_image_mobject, letting raster mobjects draw themselves."""
        draw = getattr(image_mobject, "draw_to_camera", None)
        if draw is not None:
            draw(self, pixel_array)
            return
        super().display_image_mobject(image_mobject, pixel_array)  # type: ignore[misc]
