"""Two camera hooks that let nnviz's mobjects draw themselves the fast way.

* ``display_vectorized``: a VMobject with a ``draw_fast(camera, ctx)`` method draws
  itself when it can (WarpGrid strokes polylines, PointCloud stamps discs: see
  nnviz.draw.mobjects.cairo_fast); anything else, and anything those shortcuts do not
  cover (draw_fast returns False), goes to manim's own drawing.
* ``display_image_mobject``: a mobject with ``draw_to_camera`` (RasterNetworkDiagram,
  PixelImage) puts its raster into the frame itself.
"""

from __future__ import annotations

from typing import Any

import cairo
import numpy as np

_ORIGINAL: dict[str, Any] = {}


def _display_vectorized(self: Any, vmobject: Any, ctx: cairo.Context) -> Any:
    """Camera.display_vectorized, letting mobjects that can draw themselves faster."""
    draw = getattr(vmobject, "draw_fast", None)
    if draw is not None and draw(self, ctx):
        return self
    return _ORIGINAL["display_vectorized"](self, vmobject, ctx)


def _display_image_mobject(self: Any, image_mobject: Any, pixel_array: np.ndarray) -> None:
    """Camera.display_image_mobject, letting raster mobjects draw themselves."""
    draw = getattr(image_mobject, "draw_to_camera", None)
    if draw is not None:
        draw(self, pixel_array)
        return
    _ORIGINAL["display_image_mobject"](self, image_mobject, pixel_array)


def install() -> None:
    from manim.camera.camera import Camera

    for name, new in (("display_vectorized", _display_vectorized),
                      ("display_image_mobject", _display_image_mobject)):
        if getattr(getattr(Camera, name), "_nnviz", False):
            continue
        _ORIGINAL[name] = getattr(Camera, name)
        new._nnviz = True  # type: ignore[attr-defined]
        setattr(Camera, name, new)
