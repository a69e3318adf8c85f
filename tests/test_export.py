"""`nnviz export`: each lecture format checked with ffprobe (through ffmpeg-python), and
every bad input. Works on a small synthetic video, so no manim render is needed."""

from __future__ import annotations

import re
from pathlib import Path

import ffmpeg
import numpy as np
import pytest
from cli_runner import run_cli as run

from nnviz.cli import main
from nnviz.pipeline.export import probe

W, H, FPS, SECONDS = 322, 182, 24, 2.0  # deliberately not a standard size



@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    """A 2 s clip whose picture changes every frame (ffmpeg's testsrc counter)."""
    path = tmp_path_factory.mktemp("src") / "clip.mov"
    (ffmpeg.input(f"testsrc=size={W}x{H}:rate={FPS}:duration={SECONDS}", f="lavfi")
     .output(str(path), vcodec="mpeg4", pix_fmt="yuv420p", q=3)
     .overwrite_output().run(quiet=True))
    return path


@pytest.fixture(scope="module")
def exported(video, tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    try:
        main(["export", str(video), "--out", str(out), "--poster-time", "1.0"])
    except SystemExit as e:
        assert e.code == 0
    return out


def frame_at(path: Path, t: float, width: int, height: int) -> np.ndarray:
    raw, _ = (ffmpeg.input(str(path), ss=t).output("pipe:", vframes=1, format="rawvideo",
                                                    pix_fmt="rgb24")
              .run(capture_stdout=True, quiet=True))
    return np.frombuffer(raw, np.uint8).reshape(height, width, 3)


def test_mp4_is_h264_yuv420p_faststart(exported):
    mp4 = exported / "clip.mp4"
    info = probe(mp4)
    assert (info.codec, info.pix_fmt) == ("h264", "yuv420p")
    assert (info.width, info.height) == (W, H)  # even sizes stay as they are
    assert info.duration == pytest.approx(SECONDS, abs=1.5 / FPS)
    atoms = top_level_atoms(mp4)
    assert atoms.index("moov") < atoms.index("mdat")  # +faststart: playable while loading


def top_level_atoms(path: Path) -> list[str]:
    data, i, names = path.read_bytes(), 0, []
    while i + 8 <= len(data):
        size = int.from_bytes(data[i:i + 4], "big")
        names.append(data[i + 4:i + 8].decode("latin-1"))
        if size == 1:
            size = int.from_bytes(data[i + 8:i + 16], "big")
        if size < 8:
            break
        i += size
    return names


def test_webm_is_vp9(exported):
    info = probe(exported / "clip.webm")
    assert (info.codec, info.pix_fmt, info.width, info.height) == ("vp9", "yuv420p", W, H)
    assert info.duration == pytest.approx(SECONDS, abs=1.5 / FPS)


def test_gif_loops_small_with_own_palette(exported):
    gif = exported / "clip.gif"
    info = probe(gif)
    assert info.codec == "gif" and info.width == W  # narrower than 480: never upscaled
    assert info.duration == pytest.approx(SECONDS, abs=0.2)
    data = gif.read_bytes()
    assert b"NETSCAPE2.0" in data  # the looping extension
    assert gif.stat().st_size < 2_000_000


def test_gif_colours_stay_close_to_the_video(exported, video):
    """Its palette (256 colours from every pixel) keeps each frame within about one level
    of the video on average; 128 colours from the changing pixels alone were 1.8 off."""
    gif, src = exported / "clip.gif", frame_at(video, 1.0, W, H).astype(int)
    assert np.abs(frame_at(gif, 1.0, W, H).astype(int) - src).mean() < 1.4


def test_poster_is_the_chosen_frame(exported, video):
    png = exported / "clip.png"
    meta = ffmpeg.probe(str(png))["streams"][0]
    assert (meta["codec_name"], meta["width"], meta["height"]) == ("png", W, H)
    poster = frame_at(png, 0, W, H).astype(int)
    at_1 = frame_at(video, 1.0, W, H).astype(int)
    at_0 = frame_at(video, 0.0, W, H).astype(int)
    assert np.abs(poster - at_1).mean() < np.abs(poster - at_0).mean() / 3


def test_html_snippet_points_at_files_that_exist(exported):
    text = (exported / "clip.html").read_text()
    # the viewer starts it (controls, no autoplay); --autoplay-loop is the muted loop
    assert re.search(r"<video [^>]*controls[^>]*playsinline", text)
    assert not re.search(r"\b(autoplay|loop|muted)\b", text)
    refs = re.findall(r'(?:src|poster)="([^"]+)"', text)
    assert set(refs) == {"clip.webm", "clip.mp4", "clip.png"}
    for ref in refs:
        assert (exported / ref).is_file()
    assert text.index("video/webm") < text.index("video/mp4")


def test_no_temporary_files_left(exported):
    names = sorted(p.name for p in exported.iterdir())
    assert names == ["clip.gif", "clip.html", "clip.mp4", "clip.png", "clip.webm"]


def test_default_poster_is_last_frame_and_odd_sizes_become_even(tmp_path, capsys):
    src = tmp_path / "odd.mp4"
    (ffmpeg.input("testsrc=size=321x181:rate=10:duration=1.5", f="lavfi")
     .output(str(src), vcodec="libx264rgb").overwrite_output().run(quiet=True))
    code, out, err = run(["export", str(src), "--to", "mp4,poster", "--out",
                          str(tmp_path / "o"), "--name", "lesson"], capsys)
    assert code == 0, err
    info = probe(tmp_path / "o" / "lesson.mp4")
    assert (info.codec, info.pix_fmt, info.width, info.height) == ("h264", "yuv420p", 320, 180)
    poster = frame_at(tmp_path / "o" / "lesson.png", 0, 321, 181).astype(int)
    last = frame_at(src, 1.4, 321, 181).astype(int)
    first = frame_at(src, 0.0, 321, 181).astype(int)
    assert np.abs(poster - last).mean() < np.abs(poster - first).mean() / 3


def test_html_alone_brings_a_playable_mp4(video, tmp_path, capsys):
    code, _, err = run(["export", str(video), "--to", "html", "--out", str(tmp_path)], capsys)
    assert code == 0, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clip.html", "clip.mp4"]


@pytest.mark.parametrize("make, message", [
    (lambda d: d / "missing.mp4", "does not exist"),
    (lambda d: (d / "notes.txt").write_text("hello") and d / "notes.txt", "is not a video"),
    (lambda d: d, "is a folder"),  # a folder
])
def test_missing_or_non_video_input(make, message, tmp_path, capsys):
    src = make(tmp_path)
    out = tmp_path / "out"
    code, _, err = run(["export", str(src), "--out", str(out)], capsys)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()


def test_a_png_is_not_a_video(exported, tmp_path, capsys):
    code, _, err = run(["export", str(exported / "clip.png"), "--out", str(tmp_path / "o")],
                       capsys)
    assert code == 2 and "is not a video" in err


def test_bad_format_and_poster_time(video, tmp_path, capsys):
    code, _, err = run(["export", str(video), "--to", "gif,wbem", "--out", str(tmp_path)],
                       capsys)
    assert code == 2 and "Did you mean 'webm'?" in err
    code, _, err = run(["export", str(video), "--to", "poster", "--poster-time", "9",
                        "--out", str(tmp_path)], capsys)
    assert code == 2 and "outside the video" in err
    assert list(tmp_path.iterdir()) == []  # nothing, not even a temporary file


def test_unwritable_output_folder(video, tmp_path, capsys):
    blocker = tmp_path / "somefile"
    blocker.write_text("x")
    code, _, err = run(["export", str(video), "--out", str(blocker / "out")], capsys)
    assert code == 2 and "Cannot write to output folder" in err
