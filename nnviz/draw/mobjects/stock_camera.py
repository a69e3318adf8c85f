"""Raster mobjects under manim's own camera: the same picture as nnviz's camera draws.

nnviz's camera lets a raster mobject put its pixels straight into the frame
(``draw_to_camera``). manim's own camera, which draws plain ``Scene``s and every scene
with NNVIZ_STOCK_MANIM=1, instead pastes ``get_pixel_array()`` onto the mobject's four
corners with a perspective resample (``Camera.display_image_mobject``). `for_stock_camera`
lays a raster out so that this paste, with nearest-neighbour resampling, puts every pixel
back where ``draw_to_camera`` puts it; the composite over the frame is the same
alpha-over. So the stock path is slower (a larger image, a full-frame composite), not
different.
"""

from __future__ import annotations

import numpy as np
from manim import config
from manim.camera.camera import Camera

_CAMERA: list[tuple[tuple, Camera]] = []


def config_camera() -> Camera:
    """A Camera as a stock Scene makes it from the current config (kept while the
    frame size and resolution hold): where ``get_pixel_array`` learns the pixel grid."""
    key = (config.pixel_width, config.pixel_height, float(config.frame_width),
           float(config.frame_height))
    if not _CAMERA or _CAMERA[0][0] != key:
        _CAMERA[:] = [(key, Camera())]
    return _CAMERA[0][1]


def for_stock_camera(image: np.ndarray, box: tuple[int, int, int, int],
                     corners: np.ndarray, factor: int = 2) -> np.ndarray:
    """`image` (h, w, 4 uint8), meant for the camera pixels `box` (x0, y0, w, h), as the
    image manim's camera should paste onto `corners` (UL, UR, DL, DR in subpixel
    coordinates, axis-aligned) with nearest resampling to draw `image` in `box`.

    manim samples each frame pixel at its centre; `factor` >= 2 source pixels per frame
    pixel put the source pixel it picks within a quarter pixel of that centre, so it
    picks the one this function filled for that very frame pixel."""
    x0, y0, w, h = box
    left, top = float(corners[0][0]), float(corners[0][1])
    right, bottom = float(corners[1][0]), float(corners[2][1])
    span_x, span_y = max(right - left, 1e-9), max(bottom - top, 1e-9)
    W = factor * max(int(np.ceil(span_x)), 1)
    H = factor * max(int(np.ceil(span_y)), 1)
    cols = np.floor(left + (np.arange(W) + 0.5) * span_x / W).astype(np.int64) - x0
    rows = np.floor(top + (np.arange(H) + 0.5) * span_y / H).astype(np.int64) - y0
    in_x = (cols >= 0) & (cols < min(w, image.shape[1]))
    in_y = (rows >= 0) & (rows < min(h, image.shape[0]))
    out = np.zeros((H, W, 4), dtype=np.uint8)
    out[np.ix_(in_y, in_x)] = image[np.ix_(rows[in_y], cols[in_x])]
    return out
