"""A faster hand-off of frames from manim's camera to its encoder.

manim encodes on a thread of its own while the next frame is drawn. Two things decide
how much of the machine the drawing keeps: the x264 preset (ENCODINGS) and the GIL.
manim turns each RGBA frame into a PyAV frame with ``VideoFrame.from_ndarray``, an 8 MB
copy at 1080p made while holding the GIL; whatever the drawing thread was doing without
the GIL (a matrix product, a Cairo stroke) then waits for it, a few ms per frame.
`install()` removes both copies of a frame on
its way to x264 (RGBA -> YUV is the only pass over it left):

* the encoder hands the frame to PyAV in place: manim's writer gives the encoder
  ownership of each frame array;
* the renderer hands the camera's own pixel array to the encoder instead of a copy, and
  the camera draws the next frame into a buffer the encoder has finished with (each
  camera keeps a few). A copy cost 1-2 ms of the drawing thread per 1080p frame.

It also clears each frame to a plain background colour with a fill, which only writes,
instead of copying a whole background image in.
"""

from __future__ import annotations

from collections import deque
from fractions import Fraction
from typing import Any

import av
import numpy as np


def rgba_frame(pixels: np.ndarray) -> av.VideoFrame:
    """A PyAV RGBA frame reading `pixels` (h, w, 4) uint8 in place, which the caller
    must no longer change; a numpy copy (GIL free) where PyAV cannot wrap the array."""
    try:
        return av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
    except ValueError:  # rows not contiguous
        pass
    h, w = pixels.shape[:2]
    frame = av.VideoFrame(w, h, "rgba")
    plane = frame.planes[0]
    rows = np.frombuffer(plane, np.uint8).reshape(h, plane.line_size)
    np.copyto(rows[:, : 4 * w].reshape(h, w, 4), pixels)
    return frame


class HandedFrame(np.ndarray):
    """A camera's pixel array lent to the encoder; `home` is the camera's list of
    buffers it may draw into again, where the encoder returns it once encoded."""

    home: deque


def _render(self: Any, scene: Any, time: float, moving_mobjects: Any = None) -> None:
    """manim's CairoRenderer.render (0.22), lending the camera's pixel array to the
    encoder where a segment encoder that converts it (to YUV) will take it."""
    self.update_frame(scene, moving_mobjects)
    writer, camera = self.file_writer, self.camera
    job = getattr(writer, "_current_encode_job", None)
    lend = (not self.skip_animations and job is not None
            and not getattr(job, "failed", True)
            and getattr(getattr(writer, "video_encoder", None), "pixel_format", "rgba") != "rgba"
            and not getattr(getattr(writer, "output_spec", None), "is_image_sequence", True)
            and type(camera.pixel_array) is np.ndarray and camera.pixel_array.base is None)
    if not lend:
        self.add_frame(self.get_frame())
        return
    if not hasattr(camera, "_nnviz_free"):
        camera._nnviz_free = deque()
    frame = camera.pixel_array.view(HandedFrame)
    frame.home = camera._nnviz_free
    camera._nnviz_lent = camera.pixel_array
    self.add_frame(frame)


def _plain_colour(background: np.ndarray) -> int | None:
    """The one RGBA value (as uint32) of a plain background, else None."""
    if background.dtype != np.uint8 or background.shape[-1:] != (4,) or \
            not background.flags.c_contiguous:
        return None
    values = background.view(np.uint32)
    return int(values.flat[0]) if (values == values.flat[0]).all() else None


def _set_pixel_array(self: Any, pixel_array: Any, convert_from_floats: bool = False) -> None:
    """manim's Camera.set_pixel_array, which first trades a pixel array lent to the
    encoder for one the encoder has returned (or a new one), and clears a frame to a
    plain background with a fill (writes only) rather than a copy."""
    lent = getattr(self, "_nnviz_lent", None)
    if lent is not None and self.pixel_array is lent:
        self._nnviz_lent = None
        free = self._nnviz_free
        self.pixel_array = free.popleft() if free else np.empty_like(lent)
    background = getattr(self, "background", None)
    if pixel_array is background and not convert_from_floats and \
            getattr(self, "pixel_array", None) is not None and \
            self.pixel_array.shape == background.shape and self.pixel_array.flags.c_contiguous:
        known = getattr(self, "_nnviz_plain", None)
        if known is None or known[0] is not background:
            known = self._nnviz_plain = (background, _plain_colour(background))
        if known[1] is not None:
            self.pixel_array.view(np.uint32).fill(known[1])
            return
    _ORIGINAL["set_pixel_array"](self, pixel_array, convert_from_floats)


_ORIGINAL: dict[str, Any] = {}


def _write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
    """manim's VideoSegmentEncoder.write_frame (0.22), building frames with rgba_frame:
    manim's SceneFileWriter.write_frame gives the encoder ownership of `pixels`. A lent
    camera array goes back to its camera once PyAV has converted it."""
    self._validate_frame(pixels, repeat)
    time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
    try:
        for _ in range(repeat):
            frame = rgba_frame(pixels)
            frame.pts = self._next_pts
            frame.time_base = time_base
            self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
    except BaseException as error:
        raise self._operation_error("encode", error) from error
    if isinstance(pixels, HandedFrame) and self._stream.pix_fmt != "rgba":
        pixels.home.append(pixels.base)  # converted and sent: x264 holds its own copy


def install() -> None:
    """Swap in the three functions above where manim is the one they were written
    against (0.22's segment encoder); elsewhere keep manim's own."""
    try:
        from manim.camera.camera import Camera
        from manim.renderer.cairo_renderer import CairoRenderer
        from manim.scene.video_segment_encoder import VideoSegmentEncoder
    except ImportError:  # pragma: no cover - another manim: keep its own
        return
    needed = ("_validate_frame", "_operation_error", "write_frame")
    if not all(hasattr(VideoSegmentEncoder, n) for n in needed) or getattr(
            VideoSegmentEncoder.write_frame, "_nnviz", False):
        return
    for cls, name, new in ((VideoSegmentEncoder, "write_frame", _write_frame),
                           (CairoRenderer, "render", _render),
                           (Camera, "set_pixel_array", _set_pixel_array)):
        _ORIGINAL[name] = getattr(cls, name)
        new._nnviz = True  # type: ignore[attr-defined]
        setattr(cls, name, new)

