"""How renders are encoded: x264 settings, and a faster hand-off of frames to the encoder.

manim encodes on a thread of its own while the next frame is drawn. Two things decide
how much of the machine the drawing keeps: the x264 preset (ENCODINGS) and the GIL.
manim turns each RGBA frame into a PyAV frame with ``VideoFrame.from_ndarray``, an 8 MB
copy at 1080p made while holding the GIL; whatever the drawing thread was doing without
the GIL (a matrix product, a Cairo stroke) then waits for it, a few ms per frame.
`install()` (run by nnviz.scene and nnviz.mobjects) makes that copy with numpy, which
releases the GIL (and is faster).
"""

from __future__ import annotations

import os
from fractions import Fraction

import av
import numpy as np

from .errors import NNVizError, choices_hint

# x264 settings for a render. "fast": preset ultrafast at CRF 21. On both 1080p60
# benchmark clips (everything moving every frame) it is at least as close to a lossless
# copy as manim's own default, medium at CRF 23 (SSIM 0.989 vs 0.987 for the warp,
# 0.995 vs 0.981 for the network diagram), at about a third of the CPU time, in files
# 2.5x (weighted-sum at 720p) to 8x (the warp clip) larger. "small": medium at CRF 20,
# for a final cut where file size matters more than render time.
ENCODINGS = {
    "fast": {"preset": "ultrafast", "crf": "21"},
    "small": {"preset": "medium", "crf": "20"},
}


def encoder_options(encoding: str = "fast", parallel: int = 1) -> dict[str, str]:
    """manim's `video_encoder_options` for a render. With the fast preset the encoder
    gets the cores the drawing leaves (each render draws on one core; more encoder
    threads than free cores only take turns with the drawing); medium keeps x264's own
    choice, since there the encoder is the slow part."""
    if encoding not in ENCODINGS:
        raise NNVizError(f"Unknown encoding '{encoding}'." + choices_hint(encoding,
                                                                           list(ENCODINGS)))
    options = dict(ENCODINGS[encoding])
    if encoding == "fast":
        free = (os.cpu_count() or 1) // max(parallel, 1) - 1
        options["threads"] = str(max(1, free))
    return options


def rgba_frame(pixels: np.ndarray) -> av.VideoFrame:
    """A PyAV RGBA frame holding `pixels` (h, w, 4) uint8, copied by numpy (GIL free)."""
    h, w = pixels.shape[:2]
    frame = av.VideoFrame(w, h, "rgba")
    plane = frame.planes[0]
    rows = np.frombuffer(plane, np.uint8).reshape(h, plane.line_size)
    np.copyto(rows[:, : 4 * w].reshape(h, w, 4), pixels)
    return frame


def _write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
    """manim's VideoSegmentEncoder.write_frame (0.22), building frames with rgba_frame."""
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


def install() -> None:
    """Swap in _write_frame where manim's encoder is the one it was written against."""
    try:
        from manim.scene.video_segment_encoder import VideoSegmentEncoder
    except ImportError:  # pragma: no cover - another manim: keep its own
        return
    needed = ("_validate_frame", "_operation_error", "write_frame")
    if all(hasattr(VideoSegmentEncoder, n) for n in needed) and not getattr(
            VideoSegmentEncoder.write_frame, "_nnviz", False):
        _write_frame._nnviz = True  # type: ignore[attr-defined]
        VideoSegmentEncoder.write_frame = _write_frame  # type: ignore[method-assign]

