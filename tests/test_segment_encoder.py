"""nnviz's segment encoder (nnviz.draw.patches.frame_handoff) writes the same video as
manim's own, including frames written with ``repeat`` (a still wait), which it converts
to YUV once instead of once per copy."""

from __future__ import annotations

import json
import subprocess
from collections import deque
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from nnviz.draw.patches.frame_handoff import HandedFrame, SegmentEncoder, _planes

W, H = 96, 64


def _spec(options: dict[str, str]) -> VideoEncoderSpec:
    return VideoEncoderSpec(container_format="mp4", codec="libx264", pixel_format="yuv420p",
                            width=W, height=H, frame_rate=Fraction(30),
                            options=tuple(sorted(options.items())))


def _frames() -> list[np.ndarray]:
    """Four distinct RGBA frames: soft gradients with a moving square (x264 codes them
    with real residuals, not all skips)."""
    y, x = np.mgrid[0:H, 0:W]
    frames = []
    for k in range(4):
        f = np.empty((H, W, 4), np.uint8)
        f[..., 0] = (x * 255 // W + 40 * k) % 256
        f[..., 1] = y * 255 // H
        f[..., 2] = (x + y + 17 * k) % 256
        f[..., 3] = 255
        f[10 + 5 * k:30 + 5 * k, 20 + 9 * k:44 + 9 * k] = (232, 84, 78, 255)
        frames.append(f)
    return frames


def _packets(path: Path) -> list[tuple[int, bytes]]:
    with av.open(str(path)) as container:
        return [(p.pts, bytes(p)) for p in container.demux(video=0) if p.size]


def _decoded(path: Path) -> np.ndarray:
    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def _probe(path: Path) -> dict:
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-count_frames",
                          "-show_entries", "stream=codec_name,pix_fmt,profile,width,height,"
                          "r_frame_rate,nb_read_frames", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)["streams"][0]


class _Spy:
    """A PyAV stream that records the frames it is given to encode."""

    def __init__(self, stream: av.video.stream.VideoStream) -> None:
        self._inner = stream
        self.frames: list[tuple[int, str | None]] = []
        self._keep: list[av.VideoFrame] = []

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)

    def encode(self, frame: av.VideoFrame | None = None) -> list[av.Packet]:
        if frame is not None:
            self._keep.append(frame)  # ids stay unique while the test runs
        self.frames.append((id(frame), frame.format.name if frame is not None else None))
        return self._inner.encode(frame)


def test_repeated_frames_encode_as_manims_own_encoder(tmp_path):
    """Frames with repeat > 1 (some lent by a camera) give the very packets manim's
    encoder gives, which converts every copy; lent arrays come home once."""
    spec = _spec({"preset": "ultrafast", "crf": "21", "threads": "1"})
    frames = _frames()
    plan = [(frames[0], 1), (frames[1], 7), (frames[2], 1), (frames[3], 4), (frames[0], 2)]
    home: deque = deque()
    ours = SegmentEncoder(target=tmp_path / "nnviz.mp4", spec=spec)
    sent = _Spy(ours._stream)
    ours._stream = sent
    theirs = VideoSegmentEncoder(target=tmp_path / "manim.mp4", spec=spec)
    for i, (pixels, repeat) in enumerate(plan):
        mine = pixels.copy()
        if i % 2:  # a camera's array lent to the encoder
            mine = mine.view(HandedFrame)
            mine.home = home
        ours.write_frame(mine, repeat=repeat)
        theirs.write_frame(pixels.copy(), repeat=repeat)
    ours.finish()
    theirs.finish()
    assert len(home) == 2  # each lent array came back, once
    # x264 got YUV frames PyAV need not convert again
    assert [fmt for _, fmt in sent.frames if fmt] == ["yuv420p"] * 15
    ours_packets, theirs_packets = _packets(tmp_path / "nnviz.mp4"), _packets(
        tmp_path / "manim.mp4")
    assert len(ours_packets) == sum(r for _, r in plan) == 15
    assert ours_packets == theirs_packets
    assert (tmp_path / "nnviz.mp4").read_bytes() == (tmp_path / "manim.mp4").read_bytes()
    decoded = _decoded(tmp_path / "nnviz.mp4")
    expected = np.concatenate([[p[..., :3]] * r for p, r in plan])
    assert decoded.shape == expected.shape
    assert np.abs(decoded.astype(int) - expected).mean() < 3  # and it is the picture
    probe = _probe(tmp_path / "nnviz.mp4")
    assert probe["codec_name"] == "h264" and probe["pix_fmt"] == "yuv420p"
    assert probe["profile"] == "Constrained Baseline"
    assert (probe["width"], probe["height"], probe["r_frame_rate"]) == (W, H, "30/1")
    assert int(probe["nb_read_frames"]) == 15


def _changes() -> list[np.ndarray]:
    """RGBA frames of noise (every pixel's conversion shows) changed in bands: rows at
    odd and even offsets, the first and last row, two bands at once, an unchanged frame,
    a frame changed everywhere, one changed in most of its sampled rows."""
    rng = np.random.default_rng(7)
    w, h = 320, 180
    frame = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    frame[..., 3] = 255
    frames = [frame]

    def changed(*bands: tuple[int, int]) -> np.ndarray:
        f = frames[-1].copy()
        for top, bottom in bands:
            f[top:bottom, 10:200, :3] = rng.integers(0, 256, (bottom - top, 190, 3))
        return f

    for bands in [((37, 41),), ((0, 1),), ((h - 1, h),), ((5, 6), (120, 151)), (),
                  ((64, 66),), ((1, 2), (178, 179)), ((30, 170),)]:
        frames.append(changed(*bands))
    everywhere = rng.integers(0, 256, (h, w, 4), dtype=np.uint8)
    everywhere[..., 3] = 255
    frames += [everywhere, changed((90, 91)), changed((0, 150))]
    return frames


@pytest.mark.parametrize("threads", ["1", "3"])
def test_frames_converted_by_changed_rows_are_whole_conversions(tmp_path, threads):
    """Each frame converted from the rows that changed since the previous one (into the
    previous frame's YUV) is, plane for plane, the YUV a whole conversion gives; and
    the video is byte for byte what manim's own encoder writes, also with x264's frame
    threads (x264 copies a frame when it is sent, so changing it afterwards is safe)."""
    from av.video.reformatter import VideoReformatter

    frames = _changes()
    h, w = frames[0].shape[:2]
    spec = VideoEncoderSpec(container_format="mp4", codec="libx264", pixel_format="yuv420p",
                            width=w, height=h, frame_rate=Fraction(30),
                            options=(("crf", "21"), ("preset", "ultrafast"), ("threads", threads)))
    ours = SegmentEncoder(target=tmp_path / "nnviz.mp4", spec=spec)
    theirs = VideoSegmentEncoder(target=tmp_path / "manim.mp4", spec=spec)
    home: deque = deque()
    banded = []
    wrapped = ours._convert_band

    def convert_band(*args: object) -> None:
        banded.append(args[2:])
        wrapped(*args)

    ours._convert_band = convert_band
    for i, pixels in enumerate(frames):
        mine = pixels.copy().view(HandedFrame)
        mine.home = home
        ours.write_frame(mine)
        theirs.write_frame(pixels.copy())
        whole = VideoReformatter().reformat(av.VideoFrame.from_ndarray(pixels, format="rgba"),
                                            w, h, "yuv420p", threads=1)
        got = [p.copy() for p in _planes(ours._yuv)]
        for plane, (a, b) in enumerate(zip(got, _planes(whole), strict=True)):
            assert np.array_equal(a, b), f"frame {i}, plane {plane}"
        assert len(home) == i  # the frame before came home, this one is kept
    ours.finish()
    theirs.finish()
    assert len(home) == len(frames)
    assert banded, "no frame went through the band conversion"
    assert len(banded) < 2 * len(frames)
    assert (tmp_path / "nnviz.mp4").read_bytes() == (tmp_path / "manim.mp4").read_bytes()
    assert int(_probe(tmp_path / "nnviz.mp4")["nb_read_frames"]) == len(frames)
