"""End to end through the real `nnviz` command: the fixture scenes rendered at draft
quality in parallel worker processes, checked with ffprobe; the cache is reused; a
failing or interrupted scene leaves nothing broken at a final path."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import ffmpeg
import numpy as np
import pytest

from nnviz.pipeline.export import probe

FIXTURES = Path(__file__).parent / "fixture_scenes"
NNVIZ = str(Path(sys.executable).parent / "nnviz")
FRAME = 1 / 15  # draft is 15 fps
TINY_FIT_SECONDS = 0.5 + 1.0 + 0.5 + 0.5  # the run_times in tests/fixture_scenes/tiny.py
TINY_DOTS_SECONDS = 1.0 + 0.5


def nnviz(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, NNVIZ_SCENES=str(FIXTURES))
    return subprocess.run([NNVIZ, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, **kw)


def leftovers(folder: Path) -> list[Path]:
    """Temporary files or work folders that an atomic pipeline must not leave behind."""
    return [p for p in folder.rglob("*") if ".part" in p.name or ".nnviz-work" in p.parts
            or p.name.startswith(".nnviz-probe")]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Both fixture scenes (beside the built-in ones, which --all would render too), every
    format, two workers, into a cache folder that does not exist yet."""
    root = tmp_path_factory.mktemp("render")
    cache = root / "new" / "cache" / "traces"
    proc = nnviz("render", "tiny-fit", "tiny-dots", "-j", "2", "--quality", "draft",
                 "--formats", "mp4,webm,gif,poster,html", "--cache", str(cache), cwd=root)
    return root, cache, proc


def test_render_succeeds_and_trains_once(rendered):
    root, cache, proc = rendered
    assert proc.returncode == 0, proc.stderr
    assert "traces: 1 trained, 0 cached" in proc.stderr  # tiny-dots needs no trace
    assert len(list(cache.glob("*.npz"))) == 1  # the missing cache folder was created


def test_summary_table_names_files_and_durations(rendered):
    root, _, proc = rendered
    rows = {ln.split("│")[1].strip(): ln for ln in proc.stdout.splitlines() if "│" in ln}
    assert "renders/tiny-fit/draft/tiny-fit.mp4" in rows["tiny-fit"]
    assert f"{probe(root / 'renders/tiny-fit/draft/tiny-fit.mp4').duration:.2f} s" \
        in rows["tiny-fit"]
    assert "renders/tiny-dots/draft/tiny-dots.mp4" in rows["tiny-dots"]


@pytest.mark.parametrize("scene, seconds", [("tiny-fit", TINY_FIT_SECONDS),
                                            ("tiny-dots", TINY_DOTS_SECONDS)])
def test_every_format_checked_with_ffprobe(rendered, scene, seconds):
    root, _, _ = rendered
    folder = root / "renders" / scene / "draft"
    mp4 = probe(folder / f"{scene}.mp4")
    assert (mp4.codec, mp4.pix_fmt, mp4.width, mp4.height) == ("h264", "yuv420p", 854, 480)
    assert mp4.fps == pytest.approx(15, abs=0.01)
    assert mp4.duration == pytest.approx(seconds, abs=2 * FRAME)
    webm = probe(folder / f"{scene}.webm")
    assert (webm.codec, webm.width, webm.height) == ("vp9", 854, 480)
    assert webm.duration == pytest.approx(seconds, abs=2 * FRAME)
    gif = probe(folder / f"{scene}.gif")
    assert (gif.codec, gif.width, gif.height) == ("gif", 480, 270)
    assert gif.duration == pytest.approx(seconds, abs=0.2)
    png = ffmpeg.probe(str(folder / f"{scene}.png"))["streams"][0]
    assert (png["codec_name"], png["width"], png["height"]) == ("png", 854, 480)
    html = (folder / f"{scene}.html").read_text()
    refs = re.findall(r'(?:src|poster)="([^"]+)"', html)
    assert sorted(refs) == sorted([f"{scene}.webm", f"{scene}.mp4", f"{scene}.png"])
    assert all((folder / r).is_file() for r in refs)


def test_poster_defaults_to_the_last_frame(rendered):
    root, _, _ = rendered
    folder = root / "renders" / "tiny-fit" / "draft"

    def frame(path: Path, first: bool = False, **inp) -> np.ndarray:
        """The first or the last decoded frame."""
        raw, _ = (ffmpeg.input(str(path), **inp)
                  .output("pipe:", format="rawvideo", pix_fmt="rgb24", **(
                      {"vframes": 1} if first else {}))
                  .run(capture_stdout=True, quiet=True))
        return np.frombuffer(raw, np.uint8)[-854 * 480 * 3:].reshape(480, 854, 3).astype(int)

    poster = frame(folder / "tiny-fit.png")
    last = frame(folder / "tiny-fit.mp4", sseof=-0.3)
    first = frame(folder / "tiny-fit.mp4", first=True)
    assert np.abs(poster - last).mean() < 3
    assert np.abs(poster - first).mean() > 3 * np.abs(poster - last).mean() + 1


def test_no_temporary_files_left(rendered):
    root, _, _ = rendered
    assert leftovers(root) == []


def test_second_render_does_not_train(rendered):
    """Same config again: the cached trace is used as it is (same file, not rewritten)."""
    root, cache, first = rendered
    assert first.returncode == 0
    trace = next(cache.glob("*.npz"))
    before = trace.stat()
    proc = nnviz("render", "tiny-fit", "--cache", str(cache), cwd=root)
    assert proc.returncode == 0, proc.stderr
    assert "traces: 0 trained, 1 cached" in proc.stderr
    after = trace.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert list(cache.glob("*.npz")) == [trace]


def test_retrain_writes_the_trace_again(tmp_path):
    """--retrain forces training (checked on the pipeline function; rendering adds nothing)."""
    from nnviz.pipeline.configs import resolve
    from nnviz.pipeline.traces import ensure_traces, needed_traces
    from nnviz.spec.config import build_config
    from nnviz.spec.store import TraceStore

    os.environ["NNVIZ_SCENES"] = str(FIXTURES)
    try:
        cls = resolve("tiny-fit")[1]
    finally:
        del os.environ["NNVIZ_SCENES"]
    specs = needed_traces([build_config(cls, {"steps": 5})])
    store = TraceStore(tmp_path)
    assert ensure_traces(specs, store) == (list(specs), [])
    trace = next(tmp_path.glob("*.npz"))
    inode = trace.stat().st_ino
    assert ensure_traces(specs, store) == ([], list(specs))
    assert trace.stat().st_ino == inode
    assert ensure_traces(specs, store, retrain=True) == (list(specs), [])
    assert trace.stat().st_ino != inode  # a new file, renamed into place


def test_failing_scene_is_one_line_and_keeps_the_old_file(rendered):
    """A scene that raises mid-render: one line naming it, exit 1, the earlier good video
    untouched, no temporary file anywhere; the other scene still renders."""
    root, cache, first = rendered
    assert first.returncode == 0
    good = root / "renders" / "tiny-fit" / "draft" / "tiny-fit.mp4"
    before = good.read_bytes()
    proc = nnviz("render", "tiny-fit", "tiny-dots", "--set", "fail=true", "--cache",
                 str(cache), "--out", "renders", cwd=root)
    assert proc.returncode == 1
    errors = [ln for ln in proc.stderr.splitlines() if "error" in ln]
    assert errors == ["nnviz: error: scene 'tiny-fit' failed: RuntimeError: "
                      "tiny-fit was asked to fail"]
    assert "Traceback" not in proc.stderr + proc.stdout
    assert good.read_bytes() == before
    assert leftovers(root) == []


def test_interrupted_render_leaves_no_file_at_the_final_path(tmp_path):
    """Ctrl-C while manim is writing: no video at the final path, the work folder gone."""
    cache = tmp_path / "cache"
    proc = subprocess.Popen(
        [NNVIZ, "render", "tiny-dots", "--set", "speed=0.1", "--cache", str(cache)],
        cwd=tmp_path, env=dict(os.environ, NNVIZ_SCENES=str(FIXTURES)),
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    work = tmp_path / "renders" / ".nnviz-work"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and not list(work.rglob("*.mp4")):
        time.sleep(0.1)  # wait until manim has written a partial movie file
    assert list(work.rglob("*.mp4")), "the render never started writing"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted" in err
    assert not (tmp_path / "renders" / "tiny-dots" / "draft" / "tiny-dots.mp4").exists()
    assert leftovers(tmp_path) == []


def _profile(path: Path) -> tuple[str, int]:
    """(H.264 profile, size in bytes) of a video."""
    stream = ffmpeg.probe(str(path))["streams"][0]
    return stream["profile"], path.stat().st_size


def test_encodings_fast_and_small(rendered, tmp_path):
    """The default render is x264 ultrafast (no CABAC, no B-frames: Constrained Baseline,
    which every browser plays); --encoding small is a medium-preset High-profile file of
    the same frames, smaller; a wrong name is one line listing the choices."""
    root, cache, first = rendered
    assert first.returncode == 0
    fast, fast_size = _profile(root / "renders" / "tiny-dots" / "draft" / "tiny-dots.mp4")
    assert fast == "Constrained Baseline"
    proc = nnviz("render", "tiny-dots", "--encoding", "small", "--cache", str(cache),
                 "--out", str(tmp_path), cwd=root)
    assert proc.returncode == 0, proc.stderr
    small_file = tmp_path / "tiny-dots" / "draft" / "tiny-dots.mp4"
    small, small_size = _profile(small_file)
    assert small == "High" and small_size < fast_size
    assert probe(small_file).duration == pytest.approx(TINY_DOTS_SECONDS, abs=2 * FRAME)
    bad = nnviz("render", "tiny-dots", "--encoding", "tiny", cwd=tmp_path)
    assert bad.returncode == 2 and "'fast', 'small'" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_encoder_options_leave_the_drawing_a_core():
    from nnviz.core.errors import NNVizError
    from nnviz.pipeline.encoding import encoder_options

    fast = encoder_options("fast", parallel=1)
    assert (fast["preset"], fast["crf"]) == ("ultrafast", "21")
    assert int(fast["threads"]) == max(1, (os.cpu_count() or 1) - 1)
    assert encoder_options("fast", parallel=64)["threads"] == "1"
    assert encoder_options("small") == {"preset": "medium", "crf": "20"}
    with pytest.raises(NNVizError, match="Unknown encoding 'smal'.*small"):
        encoder_options("smal")


def test_encoder_queue_holds_a_few_frames_at_any_size(tmp_path):
    """Renders queue as many frames for the encoder as fit in 64 MB (2 to 8): 8 up to
    1080p, 2 at 4K. The camera then keeps that many buffers plus three, and the video is
    the same as with manim's queue of 8."""
    from nnviz.pipeline.encoding import QUEUE_BYTES, encoder_queue_size

    sizes = {(854, 480): 8, (1920, 1080): 8, (2560, 1440): 4, (3840, 2160): 2}
    for (w, h), frames in sizes.items():
        assert encoder_queue_size(w, h) == frames
        assert frames * w * h * 4 <= QUEUE_BYTES or frames == 2
    short, _, renderer = _render_moving_scene(tmp_path / "q2", nnviz=True, queue=2)
    assert len(renderer.camera.pixel_array_to_cairo_context) <= 2 + 3
    full, _, _ = _render_moving_scene(tmp_path / "q8", nnviz=True)
    assert np.array_equal(short, full)


def _decoded_frames(path: Path) -> np.ndarray:
    import av

    with av.open(str(path)) as container:
        return np.stack([f.to_ndarray(format="rgb24") for f in container.decode(video=0)])


def _render_moving_scene(folder: Path, nnviz: bool, queue: int = 8
                         ) -> tuple[np.ndarray, np.ndarray, object]:
    """A 64x36 scene whose every frame differs, rendered as x264 sees it (threads=1,
    deterministic), with nnviz's renderer and camera or manim's own: the decoded video,
    the frames the camera drew, and the renderer."""
    from manim import Dot, Scene, Square, ValueTracker, linear, tempconfig

    from nnviz.draw.patches.cameras import NNVizCamera
    from nnviz.draw.patches.frame_handoff import Renderer

    drawn = []

    class Moving(Scene):
        def __init__(self) -> None:
            if nnviz:
                super().__init__(renderer=Renderer(camera_class=NNVizCamera),
                                 camera_class=NNVizCamera)
            else:
                super().__init__()

        def construct(self) -> None:
            u = ValueTracker(0.0)
            dot = Dot(radius=0.8, color="#e8544e").add_updater(
                lambda m: m.move_to([u.get_value(), 0.5 * u.get_value(), 0]))
            self.add(Square(3, color="#4f8fe8", fill_opacity=0.5), dot)
            self.add_updater(lambda _dt: drawn.append(self.renderer.get_frame()))
            self.play(u.animate.set_value(3.0), run_time=1.0, rate_func=linear)
            self.wait(0.2)  # a frozen frame, copied from the camera after a lent one
            self.play(u.animate.set_value(0.0), run_time=0.3, rate_func=linear)

    with tempconfig({"pixel_width": 64, "pixel_height": 36, "frame_rate": 30,
                     "media_dir": str(folder), "disable_caching": True,
                     "verbosity": "ERROR", "progress_bar": "none", "encoder_queue_size": queue,
                     "video_encoder_options": {"preset": "ultrafast", "crf": "10",
                                               "threads": "1"}}):
        scene = Moving()
        plays = []
        from nnviz.draw import patches

        assert patches.on_each_play(scene, plays.append) is nnviz
        scene.render()
        assert plays == ([1, 2, 3] if nnviz else [])
        return (_decoded_frames(scene.renderer.file_writer.movie_file_path), np.stack(drawn),
                scene.renderer)


def test_frames_reach_the_encoder_unchanged(tmp_path):
    """nnviz's hand-off (the camera's own array lent to the encoder, read in place by
    PyAV, the camera drawing into buffers the encoder gave back) encodes exactly the
    video manim's copies do, and each camera keeps only a few buffers; its renderer
    reports each play."""
    from manim.camera.camera import Camera
    from manim.renderer.cairo_renderer import CairoRenderer

    from nnviz.draw.patches import frame_handoff

    fast, fast_drawn, renderer = _render_moving_scene(tmp_path / "nnviz", nnviz=True)
    camera = renderer.camera
    assert isinstance(renderer.file_writer, frame_handoff.FileWriter)
    assert len(camera.nnviz_free) >= 1  # lent buffers came home from the encoder
    # the queue (8 frames), the one being encoded, the one kept to compare the next
    # with, the one being drawn
    assert len(camera.pixel_array_to_cairo_context) <= 11
    slow, slow_drawn, stock = _render_moving_scene(tmp_path / "manim", nnviz=False)
    assert type(stock) is CairoRenderer and type(stock.camera) is Camera
    assert len(fast) == len(slow) >= 45
    assert len({f.tobytes() for f in fast}) > 20  # the frames do differ
    np.testing.assert_array_equal(fast, slow)
    np.testing.assert_array_equal(fast_drawn, slow_drawn)
    pixels = np.random.default_rng(0).integers(0, 256, (37, 53, 4), dtype=np.uint8)
    np.testing.assert_array_equal(frame_handoff.rgba_frame(pixels[:, ::2]).to_ndarray(
        format="rgba"), pixels[:, ::2])  # rows not contiguous: copied
