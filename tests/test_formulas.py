"""The machine's formula cache (nnviz.pipeline.formulas): a render into a fresh output
folder pays no LaTeX that an earlier render compiled, and renders running at once share
the cache without breaking each other."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.pipeline.export import probe

pytestmark = pytest.mark.render
NNVIZ = str(Path(sys.executable).parent / "nnviz")

SCENE = '''
from manim import FadeIn, MathTex, VGroup, DOWN
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob
from dataclasses import dataclass

@dataclass
class TexDemoConfig(SceneConfig):
    n: int = knob(3, "formulas", min=1, max=9)

@register("tex-demo", "test: a few LaTeX formulas")
class TexDemo(NNVizScene):
    Config = TexDemoConfig
    def construct(self):
        rows = VGroup(*[MathTex(rf"\\sigma(w_{{{k}}} x + b) = {k}") for k in range(self.cfg.n)])
        self.play(FadeIn(rows.arrange(DOWN)), run_time=0.5)
'''


def run(tmp: Path, out: str, formulas: Path, path: str | None = None, *sets: str):
    env = dict(os.environ, NNVIZ_SCENES=str(tmp / "scenes"), NNVIZ_FORMULA_CACHE=str(formulas),
               NNVIZ_CACHE=str(tmp / "traces"))
    if path is not None:
        env["PATH"] = path
    return subprocess.run([NNVIZ, "render", "tex-demo", "--out", out, *sets], cwd=tmp,
                          env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path):
    (tmp_path / "scenes").mkdir()
    (tmp_path / "scenes" / "tex_demo.py").write_text(SCENE)
    bare = tmp_path / "bin"  # ffmpeg and ffprobe, but no LaTeX
    bare.mkdir()
    for tool in ("ffmpeg", "ffprobe"):
        (bare / tool).symlink_to(shutil.which(tool))
    return tmp_path, str(bare)


def test_a_fresh_output_folder_pays_no_latex_compiled_before(project):
    tmp, bare = project
    formulas = tmp / "formulas"
    first = run(tmp, "out-a", formulas)
    assert first.returncode == 0, first.stderr
    assert len(list((formulas).rglob("Tex/*.svg"))) >= 3
    # without LaTeX on PATH, a render into another folder works only from the cache ...
    second = run(tmp, "out-b", formulas, bare)
    assert second.returncode == 0, second.stderr
    assert probe(tmp / "out-b/tex-demo/draft/tex-demo.mp4").duration > 0
    # ... and a formula not in the cache does need LaTeX (the check above can fail)
    third = run(tmp, "out-c", formulas, bare, "--set", "n=4")
    assert third.returncode != 0
    assert "Traceback" not in third.stderr


def test_renders_at_once_share_the_cache(project):
    tmp, _ = project
    formulas = tmp / "formulas"
    env = dict(os.environ, NNVIZ_SCENES=str(tmp / "scenes"), NNVIZ_FORMULA_CACHE=str(formulas),
               NNVIZ_CACHE=str(tmp / "traces"))
    procs = [subprocess.Popen([NNVIZ, "render", "tex-demo", "--out", f"o{i}", "--set",
                               "n=6"], cwd=tmp, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(3)]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    svgs = list(formulas.rglob("*.svg"))
    assert len(list(formulas.rglob("Tex/*.svg"))) >= 6
    assert not [p for p in formulas.rglob("*") if p.name.startswith(".")]  # no temporaries
    assert all(s.read_bytes().rstrip().endswith(b"</svg>") for s in svgs)


def test_texts_are_cached_per_pixel_size(tmp_path):
    """manim lays a text out on a canvas of the render's size but names its SVG without
    the size: a small render's text must never be reused by a large one."""
    from manim import Text

    from nnviz.pipeline.formulas import cache_root
    from nnviz.pipeline.testing import render_scene

    os.environ["NNVIZ_FORMULA_CACHE"] = str(tmp_path)
    try:
        class Words(__import__("manim").Scene):
            def construct(self):
                self.add(Text("a line of words wider than a tiny canvas", font_size=40))

        render_scene(Words, (96, 54))
        render_scene(Words, (480, 270))
        root = cache_root()
        small, large = root / "texts-96x54", root / "texts-480x270"
        assert [p.name for p in small.glob("*.svg")] == [p.name for p in large.glob("*.svg")]
        (name,) = [p.name for p in small.glob("*.svg")]
        assert (small / name).read_bytes() != (large / name).read_bytes()
    finally:
        del os.environ["NNVIZ_FORMULA_CACHE"]
