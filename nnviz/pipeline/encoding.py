"""How renders are encoded: the x264 settings a render asks manim's encoder for.

The frame hand-off that keeps the encoder from holding the GIL is a change to manim's
behaviour, so it lives with the other patches in nnviz.draw.patches.
"""

from __future__ import annotations

import os

from nnviz.core.errors import NNVizError, choices_hint

# x264 settings for a render. "fast": preset ultrafast at CRF 21. On both 1080p60
# benchmark clips (everything moving every frame) it is at least as close to a lossless
# copy as manim's own default, medium at CRF 23 (SSIM 0.989 vs 0.987 for the warp,
# 0.995 vs 0.981 for the network diagram), at about a third of the CPU time, in files
# 2.5x (weighted-sum at 720p) to 8x (the warp clip) larger. "small": medium at CRF 20,
# for a final cut where file size matters more than render time.
# Judged and not taken (2026-12-06): a constant QP instead of CRF skips x264's half-size
# analysis (0.7-1.3 ms of a 1080p frame's 4-5 ms), but no one QP fits all content: at
# qp 16 (weighted-sum as close to lossless as CRF 21) the warp clip's file doubles.
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


# Frames waiting for the encoder: manim queues 8 by default, 8 MB each at 1080p but
# 33 MB at 4K, where the queue and the camera buffers behind it were a fifth of a
# digits-network render's peak memory. The queue only smooths out frames that take
# longer to draw or to encode than the others, so a few frames suffice.
QUEUE_BYTES = 64 * 2**20


def encoder_queue_size(width: int, height: int) -> int:
    """manim's `encoder_queue_size` for frames of width x height: as many RGBA frames as
    fit in QUEUE_BYTES, between 2 and manim's default of 8 (1080p: 8; 4K: 2)."""
    return max(2, min(8, QUEUE_BYTES // (width * height * 4)))
