"""The Python API (nnviz.render, nnviz.scene_class): a fixture scene rendered through
each, the files checked with ffprobe."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import nnviz
from nnviz.pipeline.export import probe
from nnviz.pipeline.testing import render_scene
from nnviz.spec import registry
from nnviz.spec.store import TraceStore

FIXTURES = Path(__file__).parent / "fixture_scenes"
TINY_FIT_SECONDS = 0.5 + 1.0 + 0.5 + 0.5  # the run_times in tests/fixture_scenes/tiny.py
FRAME = 1 / 15


@pytest.fixture
def fixture_scenes(monkeypatch):
    """The test scenes (tiny-fit, tiny-dots) registered, as NNVIZ_SCENES would."""
    monkeypatch.setenv("NNVIZ_SCENES", str(FIXTURES))
    registry.discover()
    yield registry.REGISTRY


def test_import_nnviz_and_the_api_names_import_no_manim():
    code = ("import sys, nnviz; nnviz.render; nnviz.scene_class; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('manim', 'cairo')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "[]"
    assert {"render", "scene_class"} <= set(nnviz.__all__)
    with pytest.raises(AttributeError):
        nnviz.no_such_name  # noqa: B018


def test_render_returns_the_files(fixture_scenes, tmp_path):
    cache = tmp_path / "cache"
    files = nnviz.render("tiny-fit", out=tmp_path / "renders", formats=("mp4", "poster"),
                         cache=cache, hidden=2, speed="2")
    folder = tmp_path / "renders" / "tiny-fit" / "draft"
    assert files == {"mp4": folder / "tiny-fit.mp4", "poster": folder / "tiny-fit.png"}
    mp4 = probe(files["mp4"])
    assert (mp4.codec, mp4.pix_fmt, mp4.width, mp4.height) == ("h264", "yuv420p", 854, 480)
    assert mp4.fps == pytest.approx(15, abs=0.01)
    assert mp4.duration == pytest.approx(TINY_FIT_SECONDS / 2, abs=2 * FRAME)  # speed=2
    assert files["poster"].stat().st_size > 0
    cfg = fixture_scenes["tiny-fit"].config_class(hidden=2, speed=2.0)
    assert TraceStore(cache).path(cfg.traces()["main"]).is_file()  # trained into `cache`
    assert not (tmp_path / "renders" / ".nnviz-work").exists()


def test_render_mistakes_are_one_error(fixture_scenes, tmp_path):
    with pytest.raises(nnviz.NNVizError, match="no setting 'hiden'. Did you mean 'hidden'"):
        nnviz.render("tiny-fit", out=tmp_path, hiden=2)
    with pytest.raises(nnviz.NNVizError, match="Unknown scene 'tiny-fitt'"):
        nnviz.render("tiny-fitt", out=tmp_path)
    with pytest.raises(nnviz.NNVizError, match="Unknown quality 'hd'"):
        nnviz.render("tiny-fit", "hd", out=tmp_path)
    with pytest.raises(nnviz.NNVizError, match="Scene 'tiny-fit' failed: RuntimeError: "
                                               "tiny-fit was asked to fail"):
        nnviz.render("tiny-fit", out=tmp_path, cache=tmp_path / "c", fail=True)
    assert not list(tmp_path.glob("tiny-fit/**/*.mp4"))


def test_scene_class_is_configured_and_its_traces_trained(fixture_scenes, tmp_path):
    store = TraceStore(tmp_path / "cache")
    cls = nnviz.scene_class("tiny-fit", cache=store.folder, hidden=5, steps="7")
    registered = fixture_scenes["tiny-fit"].scene_class
    assert issubclass(cls, registered) and cls.__name__ == registered.__name__
    assert cls.__module__ == __name__  # found by `manim file.py` in the calling module
    assert (cls.default_config.hidden, cls.default_config.steps) == (5, 7)
    assert store.has(cls.default_config.traces()["main"])  # trained before any render
    # what `%%manim -qm TinyFit` does with it: instantiate with no config, render
    scene, _ = render_scene(cls, (64, 36))
    assert scene.cfg is cls.default_config and scene.store == store
    assert scene.trace("main").sizes == (2, 5, 1)
    with pytest.raises(nnviz.NNVizError, match="must be between 1 and 16, got 0"):
        nnviz.scene_class("tiny-fit", cache=store.folder, hidden=0)


def test_scene_class_renders_with_the_manim_command(tmp_path):
    """A file that subclasses a configured class renders with plain `manim`, knobs on."""
    (tmp_path / "my_scenes.py").write_text(textwrap.dedent(f"""
        from nnviz import scene_class


        class FastFit(scene_class("tiny-fit", cache={str(tmp_path / 'cache')!r},
                                  hidden=2, speed=2.0)):
            pass
    """))
    manim = str(Path(sys.executable).parent / "manim")
    proc = subprocess.run(
        [manim, "-ql", "--media_dir", str(tmp_path / "media"), "--disable_caching",
         "--progress_bar", "none", "my_scenes.py", "FastFit"],
        cwd=tmp_path, env=dict(os.environ, NNVIZ_SCENES=str(FIXTURES)), capture_output=True,
        text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    video = tmp_path / "media" / "videos" / "my_scenes" / "480p15" / "FastFit.mp4"
    info = probe(video)
    assert (info.codec, info.width, info.height) == ("h264", 854, 480)
    assert info.duration == pytest.approx(TINY_FIT_SECONDS / 2, abs=2 * FRAME)  # speed=2
