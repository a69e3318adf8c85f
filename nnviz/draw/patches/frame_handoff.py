"""A faster hand-off of frames from manim's camera to its encoder.

manim encodes on a thread of its own while the next frame is drawn. Two things decide
how much of the machine the drawing keeps: the x264 preset (ENCODINGS) and the GIL.
manim turns each RGBA frame into a PyAV frame with ``VideoFrame.from_ndarray``, an 8 MB
copy at 1080p made while holding the GIL; whatever the drawing thread was doing without
the GIL (a matrix product, a Cairo stroke) then waits for it, a few ms per frame.
The classes here remove both copies of a frame on its way to x264, and most of the
RGBA -> YUV conversion left:

* `SegmentEncoder` hands the frame to PyAV in place (manim's writer gives the encoder
  ownership of each frame array) and converts only what changed: a still wait's frame
  once, not once per copy, and a drawn frame only in the rows that differ from the
  frame before; `FileWriter` makes its segments with it;
* `Renderer` hands the camera's own pixel array to the encoder instead of a copy, and
  a `HandoffCamera` draws the next frame into a buffer the encoder has finished with
  (each camera keeps a few). A copy cost 1-2 ms of the drawing thread per 1080p frame.

The camera also clears each frame to a plain background colour with a fill, which only
writes, instead of copying a whole background image in. `Renderer` also calls its
`on_play` hook after each play (the worker's progress line), and before each play lets
the glyphs it will copy forget their SVG source (svg_sources).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from av.video.reformatter import VideoReformatter
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from nnviz.draw.patches.svg_sources import drop_svg_sources, play_mobjects


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


def _planes(frame: av.VideoFrame) -> list[np.ndarray]:
    """The planes of a PyAV frame as (rows, width) uint8 arrays over its own memory."""
    return [np.frombuffer(p, np.uint8).reshape(p.height, p.line_size)[:, :p.width]
            for p in frame.planes]


class SegmentEncoder(VideoSegmentEncoder):
    """manim's segment encoder (0.22) building frames with rgba_frame (no GIL-held copy):
    manim's SceneFileWriter.write_frame gives the encoder ownership of `pixels`. A lent
    camera array goes back to its camera once the next frame has been converted.

    The RGBA -> YUV420 conversion (swscale through PyAV, about 4 ms a 1080p frame, as
    much as x264's own work on it) is done only where it is needed:

    * a frame written with ``repeat=n`` (a still wait: manim's freeze_current_frame) is
      converted once and the same YUV frame sent n times (PyAV converted every copy);
    * otherwise only the rows that differ from the previous frame are converted, into
      the previous YUV frame (x264 copied it when it was sent): most frames of a scene
      change a band of rows (a formula fading in, a moving dot; 12 % of the rows on
      average in weighted-sum); a frame that changes almost everywhere (a warp) is
      converted whole without the full comparison.

    swscale's vertical chroma filter reads a neighbouring row pair, so the rows a change
    touches are widened by a pair and converted with a margin: the YUV is the very one
    a whole conversion gives (tests), and x264 makes the same video byte for byte."""

    _reformatter: VideoReformatter | None = None
    _previous: np.ndarray | None = None  # the last frame written, kept to compare with
    _yuv: av.VideoFrame | None = None  # its conversion

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = self._converted(pixels)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
        self._keep(pixels)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self._keep(None)

    def abort(self) -> None:
        try:
            super().abort()
        finally:
            self._keep(None)

    def _keep(self, pixels: np.ndarray | None) -> None:
        """Keep `pixels` to compare the next frame with; the frame kept before goes back
        to its camera (converted and sent: x264 holds its own copy)."""
        old, self._previous = self._previous, pixels
        if isinstance(old, HandedFrame) and old is not pixels:
            old.home.append(old.base)

    def _converted(self, pixels: np.ndarray) -> av.VideoFrame:
        """`pixels` in the stream's pixel format, as PyAV's encoder would convert them."""
        codec = self._stream.codec_context
        if codec.format.name != "yuv420p" or codec.height % 2 or codec.width % 2:
            return self._whole(pixels)  # not a format converted by rows here
        previous, yuv = self._previous, self._yuv
        if previous is None or yuv is None or previous.shape != pixels.shape:
            return self._whole(pixels)
        h = pixels.shape[0]
        old, new = previous.reshape(h, -1).view(np.uint64), pixels.reshape(h, -1).view(np.uint64)
        if (old[::8] != new[::8]).any(axis=1).mean() > 0.6:
            return self._whole(pixels)  # changes almost everywhere: no full comparison
        rows = (old != new).any(axis=1)
        pairs = rows[0::2] | rows[1::2]  # one chroma row per pair of rows
        if not pairs.any():
            return yuv  # the same picture
        pairs[1:] |= pairs[:-1].copy()  # the chroma filter reads the neighbouring pair
        pairs[:-1] |= pairs[1:].copy()
        edges = np.flatnonzero(np.diff(pairs.astype(np.int8), prepend=0, append=0))
        planes = _planes(yuv)
        for start, stop in zip(edges[0::2].tolist(), edges[1::2].tolist(), strict=True):
            self._convert_band(pixels, planes, start, stop)
        return yuv

    def _whole(self, pixels: np.ndarray) -> av.VideoFrame:
        frame = rgba_frame(pixels)
        codec = self._stream.codec_context
        if frame.format.name == codec.format.name and \
                (frame.width, frame.height) == (codec.width, codec.height):
            return frame
        if self._reformatter is None:
            self._reformatter = VideoReformatter()
        self._yuv = self._reformatter.reformat(frame, codec.width, codec.height, codec.format,
                                               threads=codec.thread_count)
        return self._yuv

    def _convert_band(self, pixels: np.ndarray, planes: list[np.ndarray], start: int,
                      stop: int) -> None:
        """Convert row pairs [start, stop) of `pixels` into `planes`: rows 2*start to
        2*stop, with a margin of a row pair each side (where the frame has one), the
        band's height rounded up to a multiple of 8 rows (few swscale contexts)."""
        h = pixels.shape[0]
        top = max(2 * start - _MARGIN, 0)
        height = -(-(min(2 * stop + _MARGIN, h) - top) // 8) * 8
        if top + height > h:  # even: h is, and so is the height
            top = max(h - height, 0)
        bottom = min(top + height, h)
        band = rgba_frame(pixels[top:bottom])
        out = self._band_reformatter(bottom - top).reformat(
            band, band.width, band.height, "yuv420p",
            threads=self._stream.codec_context.thread_count)
        y, u, v = _planes(out)
        skip, n = start - top // 2, stop - start
        planes[0][2 * start:2 * stop] = y[2 * skip:2 * (skip + n)]
        planes[1][start:stop] = u[skip:skip + n]
        planes[2][start:stop] = v[skip:skip + n]

    def _band_reformatter(self, height: int) -> VideoReformatter:
        """One swscale context per band height (a context set up again for every new
        size costs more than a small band's conversion); at most 32 are kept."""
        bands = self.__dict__.setdefault("_bands", {})
        reformatter = bands.pop(height, None) or VideoReformatter()
        bands[height] = reformatter
        if len(bands) > 32:
            del bands[next(iter(bands))]
        return reformatter


_MARGIN = 2  # rows converted beyond a band each side (one chroma row pair)


class FileWriter(SceneFileWriter):
    """manim's file writer, encoding its video segments with SegmentEncoder."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)
        return SegmentEncoder(target=target, spec=self.video_encoder)


def _plain_colour(background: np.ndarray) -> int | None:
    """The one RGBA value (as uint32) of a plain background, else None."""
    if background.dtype != np.uint8 or background.shape[-1:] != (4,) or \
            not background.flags.c_contiguous:
        return None
    values = background.view(np.uint32)
    return int(values.flat[0]) if (values == values.flat[0]).all() else None


class HandoffCamera:
    """Camera mixin: draws each frame into a buffer the encoder has given back (the
    renderer lends the camera's array), and clears to a plain background with a fill."""

    _nnviz_lent: np.ndarray | None = None
    _nnviz_plain: tuple[np.ndarray, int | None] | None = None

    def set_pixel_array(self, pixel_array: Any, convert_from_floats: bool = False) -> None:
        """manim's Camera.set_pixel_array, which first trades a pixel array lent to the
        encoder for one the encoder has returned (or a new one), and clears a frame to a
        plain background with a fill (writes only) rather than a copy."""
        lent = self._nnviz_lent
        if lent is not None and self.pixel_array is lent:
            self._nnviz_lent = None
            free = self.nnviz_free
            self.pixel_array = free.popleft() if free else np.empty_like(lent)
        background = getattr(self, "background", None)
        if pixel_array is background and not convert_from_floats and \
                getattr(self, "pixel_array", None) is not None and \
                self.pixel_array.shape == background.shape and \
                self.pixel_array.flags.c_contiguous:
            known = self._nnviz_plain
            if known is None or known[0] is not background:
                known = self._nnviz_plain = (background, _plain_colour(background))
            if known[1] is not None:
                self.pixel_array.view(np.uint32).fill(known[1])
                return
        super().set_pixel_array(pixel_array, convert_from_floats)  # type: ignore[misc]

    @property
    def nnviz_free(self) -> deque:
        """Buffers the encoder has finished with, for the camera to draw into again."""
        if "_nnviz_free" not in self.__dict__:
            self._nnviz_free: deque = deque()
        return self._nnviz_free

    def lend(self) -> HandedFrame:
        """The camera's pixel array, lent to the encoder until it comes home."""
        frame = self.pixel_array.view(HandedFrame)
        frame.home = self.nnviz_free
        self._nnviz_lent = self.pixel_array
        return frame


class Renderer(CairoRenderer):
    """manim's CairoRenderer lending the camera's pixel array to the encoder, with a hook
    `on_play(num_plays)` called after each play (and wait); glyphs a play copies drop
    their SVG source first (svg_sources)."""

    def __init__(self, file_writer_class: type[SceneFileWriter] = FileWriter,
                 camera_class: type | None = None, skip_animations: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(file_writer_class=file_writer_class, camera_class=camera_class,
                         skip_animations=skip_animations, **kwargs)
        self.on_play: Callable[[int], None] | None = None

    def play(self, scene: Any, *args: Any, **kwargs: Any) -> None:
        drop_svg_sources([*scene.mobjects, *play_mobjects(args)])  # cheaper copies
        super().play(scene, *args, **kwargs)
        if self.on_play is not None:
            self.on_play(self.num_plays)

    def render(self, scene: Any, time: float, moving_mobjects: Iterable[Any] | None = None
               ) -> None:
        """CairoRenderer.render (0.22), lending the camera's pixel array to the encoder
        where a segment encoder that converts it (to YUV) will take it."""
        self.update_frame(scene, moving_mobjects)
        if self._lends():
            self.add_frame(self.camera.lend())
        else:
            self.add_frame(self.get_frame())

    def _lends(self) -> bool:
        writer, camera = self.file_writer, self.camera
        job = getattr(writer, "_current_encode_job", None)
        pixels = camera.pixel_array
        return (not self.skip_animations and isinstance(camera, HandoffCamera)
                and isinstance(writer, FileWriter) and job is not None
                and isinstance(job.encoder, SegmentEncoder) and not job.failed
                and writer.video_encoder is not None
                and writer.video_encoder.pixel_format != "rgba"
                and not writer.output_spec.is_image_sequence
                and type(pixels) is np.ndarray and pixels.base is None)
