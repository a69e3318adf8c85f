"""Episodes: parts rendered and joined with chapters named after the parts; the shipped
episode files name real scenes with valid overrides; bad episode files are one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.core.errors import NNVizError
from nnviz.pipeline.captions import chapter_metadata
from nnviz.pipeline.episode import load_episode, read_chapters
from nnviz.pipeline.export import probe

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).parent / "fixture_scenes"
NNVIZ = str(Path(sys.executable).parent / "nnviz")
FRAME = 1 / 15

EPISODE = """
title = "Tiny episode"
quality = "720p"
title_cards = true
formats = ["mp4", "gif"]

[[part]]
scene = "tiny-fit"
title = "Fitting = learning; a tiny net"
hidden = 4

[[part]]
scene = "tiny-dots"
title = "Some dots"
dots = 5
"""


@pytest.fixture(scope="module")
def episode(tmp_path_factory):
    root = tmp_path_factory.mktemp("episode")
    (root / "tiny.toml").write_text(EPISODE)
    proc = subprocess.run(
        [NNVIZ, "episode", "tiny.toml", "--quality", "draft", "-j", "2", "--set", "speed=2",
         "--formats", "mp4,poster"],
        cwd=root, env=dict(os.environ, NNVIZ_SCENES=str(FIXTURES)), capture_output=True,
        text=True, timeout=300)
    return root, proc


def test_episode_renders(episode):
    root, proc = episode
    assert proc.returncode == 0, proc.stderr
    folder = root / "renders" / "tiny" / "draft"
    # captions and chapters: the title cards' titles (these fixture scenes have no beats)
    assert sorted(p.name for p in folder.iterdir()) == [
        "parts", "tiny.beats.json", "tiny.chapters.vtt", "tiny.mp4", "tiny.png", "tiny.srt",
        "tiny.vtt"]
    assert sorted(p.name for p in (folder / "parts").iterdir()) == [
        "01-tiny-fit.mp4", "01-title.mp4", "02-tiny-dots.mp4", "02-title.mp4"]
    assert not (root / "renders" / ".nnviz-work").exists()


def test_joined_video_is_uniform_and_as_long_as_its_parts(episode):
    root, _ = episode
    folder = root / "renders" / "tiny" / "draft"
    parts = sorted((folder / "parts").glob("*.mp4"))
    info = probe(folder / "tiny.mp4")
    assert (info.codec, info.pix_fmt, info.width, info.height) == ("h264", "yuv420p", 854, 480)
    assert info.fps == pytest.approx(15, abs=0.01)
    assert info.duration == pytest.approx(sum(probe(p).duration for p in parts), abs=2 * FRAME)


def test_chapters_are_named_after_the_parts_and_start_where_they_start(episode):
    root, _ = episode
    folder = root / "renders" / "tiny" / "draft"
    d = {p.stem: probe(p).duration for p in (folder / "parts").glob("*.mp4")}
    chapters = read_chapters(folder / "tiny.mp4")
    assert [c[0] for c in chapters] == ["Fitting = learning; a tiny net", "Some dots"]
    first_len = d["01-title"] + d["01-tiny-fit"]
    assert chapters[0][1] == pytest.approx(0, abs=1e-3)
    assert chapters[0][2] == pytest.approx(first_len, abs=FRAME)
    assert chapters[1][1] == pytest.approx(first_len, abs=FRAME)
    assert chapters[1][2] == pytest.approx(first_len + d["02-title"] + d["02-tiny-dots"],
                                           abs=2 * FRAME)
    # --set speed=2 reached the parts: tiny-dots plays 1.5 s at speed 1
    assert d["02-tiny-dots"] == pytest.approx(0.75, abs=2 * FRAME)


def test_chapter_metadata_escapes_special_characters():
    text = chapter_metadata("A=B; C#", [("x=1;#\\", 0.0, 1.5)])
    assert "title=A\\=B\\; C\\#" in text
    assert "START=0\nEND=1500\ntitle=x\\=1\\;\\#\\\\" in text


@pytest.mark.parametrize("path", sorted((ROOT / "episodes").glob("*.toml")),
                         ids=lambda p: p.stem)
def test_shipped_episode_names_registered_scenes_with_valid_overrides(path, monkeypatch):
    monkeypatch.delenv("NNVIZ_SCENES", raising=False)
    ep = load_episode(path)  # raises NNVizError naming the first unknown scene or bad key
    assert ep.parts and ep.title


def test_four_shipped_episodes():
    names = sorted(p.stem for p in (ROOT / "episodes").glob("*.toml"))
    assert names == ["how-deep-networks-learn", "networks-warp-space", "relu-fits-anything",
                     "what-is-a-neural-network"]


BAD = {
    "unknown scene": ('[[part]]\nscene = "tiny-fitt"\n', "part 1: unknown scene 'tiny-fitt'. "
                                                        "Did you mean 'tiny-fit'?"),
    "bad override": ('[[part]]\nscene = "tiny-fit"\nhiden = 3\n',
                     "part 1: Scene 'tiny-fit' has no setting 'hiden'. Did you mean 'hidden'?"),
    "out of range": ('[[part]]\nscene = "tiny-dots"\n[[part]]\nscene = "tiny-dots"\ndots = 0\n',
                     "part 2: Setting 'dots' of scene 'tiny-dots' must be between 1 and 12"),
    "unknown key": ('titel = "x"\n[[part]]\nscene = "tiny-dots"\n',
                    "unknown key 'titel'. Did you mean 'title'?"),
    "no parts": ('title = "x"\n', "no parts"),
    "part without scene": ('[[part]]\ntitle = "x"\n', "part 1 has no 'scene' key"),
    "bad quality": ('quality = "1080"\n[[part]]\nscene = "tiny-dots"\n',
                    "Did you mean '1080p'?"),
    "bad format": ('formats = ["mp4", "gift"]\n[[part]]\nscene = "tiny-dots"\n',
                   "Did you mean 'gif'?"),
    "toml error": ('[[part]\nscene = "tiny-dots"\n', "is not valid TOML"),
}


@pytest.mark.parametrize("text, message", BAD.values(), ids=BAD.keys())
def test_bad_episode_file(text, message, tmp_path, monkeypatch):
    monkeypatch.setenv("NNVIZ_SCENES", str(FIXTURES))
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(NNVizError) as err:
        load_episode(path)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_bad_episode_on_the_command_line(tmp_path, monkeypatch, capsys):
    from nnviz.cli import main

    monkeypatch.setenv("NNVIZ_SCENES", str(FIXTURES))
    path = tmp_path / "ep.toml"
    path.write_text('[[part]]\nscene = "tiny-dots"\n')
    for args, message in [([str(tmp_path / "missing.toml")], "does not exist"),
                          ([str(path), "--set", "dot=3"], "Did you mean 'dots'?"),
                          ([str(path), "--set", "dots=30"], "between 1 and 12")]:
        with pytest.raises(SystemExit) as exit_:
            main(["episode", *args, "--out", str(tmp_path / "out")])
        err = capsys.readouterr().err
        assert exit_.value.code == 2 and message in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()
