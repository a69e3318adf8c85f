"""A faster hand-off of frames from manim's camera to its encoder.

manim encodes on a thread of its own while the next frame is drawn. Two things decide
how much of the machine the drawing keeps: the x264 preset (ENCODINGS) and the GIL.
manim turns each RGBA frame into a PyAV frame with ``VideoFrame.from_ndarray``, an 8 MB
copy at 1080p made while holding the GIL; whatever the drawing thread was doing without
the GIL (a matrix product, a Cairo stroke) then waits for it, a few ms per frame.
The classes here remove both copies of a frame on its way to x264 (RGBA -> YUV is the
only pass over it left):

* `SegmentEncoder` hands the frame to PyAV in place: manim's writer gives the encoder
  ownership of each frame array; `FileWriter` makes its segments with it;
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


class SegmentEncoder(VideoSegmentEncoder):
    """manim's segment encoder (0.22) building frames with rgba_frame (no GIL-held copy):
    manim's SceneFileWriter.write_frame gives the encoder ownership of `pixels`. A lent
    camera array goes back to its camera once PyAV has converted it.

    A frame written with ``repeat=n`` (a still wait: manim's freeze_current_frame) is
    converted to the stream's pixel format once and the same converted frame is sent n
    times; PyAV would convert it again for every copy (4 ms a 1080p frame, as much as
    x264's own work on a still frame). x264 reads the same pixels either way, so the
    video is the same byte for byte."""

    _reformatter: VideoReformatter | None = None

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = self._converted(rgba_frame(pixels))
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error
        if isinstance(pixels, HandedFrame) and self._stream.pix_fmt != "rgba":
            pixels.home.append(pixels.base)  # converted and sent: x264 holds its own copy

    def _converted(self, frame: av.VideoFrame) -> av.VideoFrame:
        """`frame` in the stream's pixel format and size, converted as PyAV's encoder
        would (its reformat call, one reusable swscale context); as is if it already is."""
        codec = self._stream.codec_context
        if frame.format.name == codec.format.name and \
                (frame.width, frame.height) == (codec.width, codec.height):
            return frame
        if self._reformatter is None:
            self._reformatter = VideoReformatter()
        return self._reformatter.reformat(frame, codec.width, codec.height, codec.format,
                                          threads=codec.thread_count)


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
