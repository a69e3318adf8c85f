"""A picture of a 2D array as one crisp raster image: the fast twin of PixelGrid.

PixelGrid draws one Square per pixel (784 Cairo paths for a 28x28 digit); sixteen weight
pictures are 12,544 paths a frame. PixelImage colours the same values with the same maps
(``pixel_rgb``) into one RGBA array and pastes it, scaled with nearest-neighbour pixels,
straight into the frame. It can be moved, scaled, faded and transformed like any
ImageMobject, but not rotated.

nnviz's camera (nnviz.draw.patches) lets it paste itself (``draw_to_camera``); manim's own
camera (plain Scenes, NNVIZ_STOCK_MANIM=1) draws the same picture from
``get_pixel_array()`` (see stock_camera). manim 0.22's own ImageMobject drawing needs
Pillow < 13 (``Image.fromarray`` with a mode), which pyproject pins.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, ImageMobject, config
from PIL import Image

from nnviz.draw.mobjects.pixel_grid import DIVERGING, SEQUENTIAL, _as_grid, pixel_rgb
from nnviz.draw.mobjects.stock_camera import config_camera, for_stock_camera


def image_rgba(values: np.ndarray | Sequence[float], shape: tuple[int, int] | None = None,
               value_range: tuple[float, float] | None = None,
               colors: Sequence[str] | None = None, diverging: bool = False) -> np.ndarray:
    """RGBA uint8 pixels of `values`, coloured as PixelGrid colours them (pure numpy)."""
    grid = _as_grid(values, shape)
    colors = tuple(colors) if colors is not None else (DIVERGING if diverging else SEQUENTIAL)
    if value_range is None:
        if len(colors) == 3:
            m = float(np.abs(grid).max()) or 1.0
            value_range = (-m, m)
        else:
            value_range = (0.0, 1.0)
    rgb = pixel_rgb(grid, value_range, colors)
    rgba = np.concatenate([rgb, np.ones((*grid.shape, 1))], axis=2)
    return np.round(rgba * 255).astype(np.uint8)


class PixelImage(ImageMobject):
    """`values` (2D, or flat with `shape`; square by default) as a picture `width` wide.

    Colours: a (low, high) ramp over value_range (default 0..1), or with ``diverging=True``
    the weight map red -> black -> green over +-max|values|, exactly as PixelGrid.
    """

    def __init__(self, values: np.ndarray | Sequence[float],
                 shape: tuple[int, int] | None = None, *,
                 value_range: tuple[float, float] | None = None,
                 colors: Sequence[str] | None = None, diverging: bool = False,
                 width: float = 3.0, **kwargs) -> None:
        kwargs.setdefault("resampling_algorithm", Image.Resampling.NEAREST)  # manim's camera
        super().__init__(image_rgba(values, shape, value_range, colors, diverging), **kwargs)
        self.scale_to_fit_width(width)

    def placed(self, camera) -> tuple[tuple[int, int, int, int], np.ndarray] | None:
        """(box (x, y, w, h) in camera pixels, RGBA image for it): the picture
        nearest-scaled to its on-screen box and cropped to the frame; None off-screen."""
        ul, _, _, dr = camera.points_to_subpixel_coords(self, self.points)
        x0, y0 = int(round(ul[0])), int(round(ul[1]))
        x1, y1 = int(round(dr[0])), int(round(dr[1]))
        cx0, cy0 = max(x0, 0), max(y0, 0)
        cx1, cy1 = min(x1, camera.pixel_width), min(y1, camera.pixel_height)
        if x1 <= x0 or y1 <= y0 or cx1 <= cx0 or cy1 <= cy0:
            return None
        img = Image.fromarray(np.ascontiguousarray(self.pixel_array)).resize(
            (x1 - x0, y1 - y0), Image.Resampling.NEAREST)
        img = img.crop((cx0 - x0, cy0 - y0, cx1 - x0, cy1 - y0))
        return (cx0, cy0, cx1 - cx0, cy1 - cy0), np.asarray(img)

    def draw_to_camera(self, camera, pixel_array: np.ndarray) -> None:
        """Paste the picture, nearest-scaled to its on-screen box, over the frame."""
        placed = self.placed(camera)
        if placed is None:
            return
        (x, y, w, h), img = placed
        region = pixel_array[y:y + h, x:x + w]
        under = Image.fromarray(np.ascontiguousarray(region))
        region[...] = np.asarray(Image.alpha_composite(under, Image.fromarray(img)))

    def get_pixel_array(self) -> np.ndarray:
        """What manim's own camera pastes onto the corners (nearest): the picture laid
        out so that it lands where draw_to_camera puts it (see stock_camera)."""
        camera = config_camera()
        placed = self.placed(camera)
        if placed is None:
            return np.zeros((2, 2, 4), dtype=np.uint8)
        return for_stock_camera(placed[1], placed[0],
                                camera.points_to_subpixel_coords(self, self.points))

    def reset_points(self) -> PixelImage:
        """ImageMobject's, sized from the picture itself (get_pixel_array is laid out for
        the camera)."""
        self.points = np.array([UP + LEFT, UP + RIGHT, DOWN + LEFT, DOWN + RIGHT])
        self.center()
        h, w = self.pixel_array.shape[:2]
        height = h / self.scale_to_resolution * config["frame_height"]
        self.stretch_to_fit_height(height)
        self.stretch_to_fit_width(height * w / h)
        return self
