"""Lecture outputs made from beats (issue 17): captions and chapters, sound and scratch
narration, episodes, split renders, slide decks; checked with ffprobe and in a real
headless Chromium (tests/browser.py)."""

from __future__ import annotations

import json
import math
import os
import shutil
import struct
import subprocess
import sys
import time
import wave
from pathlib import Path

import pytest
from browser import open_page, serve

from nnviz.draw.beats import read_beats
from nnviz.pipeline.captions import cue_count

FIXTURES = Path(__file__).parent / "fixture_scenes"
NNVIZ = str(Path(sys.executable).parent / "nnviz")
SCENE = "tiny-lecture"
pytestmark = pytest.mark.render


def nnviz(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, NNVIZ_SCENES=str(FIXTURES))
    return subprocess.run([NNVIZ, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


def streams(path: Path) -> dict[str, str]:
    """codec_type -> codec_name of a file's streams (ffprobe)."""
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries",
                          "stream=codec_type,codec_name", "-of", "json", str(path)],
                         capture_output=True, text=True, check=True).stdout
    return {s["codec_type"]: s["codec_name"] for s in json.loads(out)["streams"]}


def duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                          "-of", "csv=p=0", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return float(out)


def chapters(path: Path) -> list[str]:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_chapters", "-of", "json",
                          str(path)], capture_output=True, text=True, check=True).stdout
    return [c["tags"]["title"] for c in json.loads(out)["chapters"]]


def tone(path: Path, seconds: float = 1.0, rate: int = 22050) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i
                                                                           / rate)))
                               for i in range(int(seconds * rate))))
    return path


def needs_espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.fail("espeak-ng is needed for the narration tests and is not installed: run "
                    "'make setup' or 'sudo apt-get install espeak-ng'.", pytrace=False)


@pytest.fixture(scope="module")
def scene(tmp_path_factory):
    """tiny-lecture with a sound, every format."""
    root = tmp_path_factory.mktemp("lecture")
    sound = tone(root / "tone.wav")
    proc = nnviz("render", SCENE, "-q", "draft", "--formats", "mp4,webm,gif,poster,html",
                 "--set", f"sound={sound}", "--out", "renders", cwd=root)
    assert proc.returncode == 0, proc.stderr
    return root / "renders" / SCENE / "draft"


def test_a_render_writes_captions_and_chapters_from_its_beats(scene):
    beats = read_beats(scene / f"{SCENE}.beats.json")
    assert len(beats) == 3
    for name in (f"{SCENE}.vtt", f"{SCENE}.chapters.vtt"):
        assert cue_count(scene / name) == len(beats)
    srt = (scene / f"{SCENE}.srt").read_text()
    assert srt.count(" --> ") == len(beats) and beats[1].text in srt
    assert chapters(scene / f"{SCENE}.mp4") == ["Circle", "Words", "Square"]
    assert beats[-1].end == pytest.approx(duration(scene / f"{SCENE}.mp4"), abs=0.1)


def test_a_scenes_sound_survives_every_export(scene):
    assert streams(scene / f"{SCENE}.mp4") == {"video": "h264", "audio": "aac",
                                               "data": "bin_data"}  # data: the chapters
    assert streams(scene / f"{SCENE}.webm") == {"video": "vp9", "audio": "opus"}
    assert "audio" not in streams(scene / f"{SCENE}.gif")


def test_the_snippet_has_tracks_a_title_and_waits_for_the_viewer(scene):
    text = (scene / f"{SCENE}.html").read_text()
    assert '<track kind="captions" src="tiny-lecture.vtt"' in text and " default>" in text
    assert '<track kind="chapters" src="tiny-lecture.chapters.vtt"' in text
    assert 'aria-label="test fixture: three beats with sentences"' in text
    assert "autoplay" not in text and "loop" not in text


def test_the_gif_is_small(scene):
    gif, webm = scene / f"{SCENE}.gif", scene / f"{SCENE}.webm"
    assert gif.stat().st_size < 400_000
    assert streams(gif)["video"] == "gif"
    assert webm.stat().st_size > 0


def test_the_snippet_plays_with_its_captions_in_chromium(scene, tmp_path):
    page_file = scene / "page.html"
    page_file.write_text("<!doctype html><html><body>" + (scene / f"{SCENE}.html").read_text()
                         + "</body></html>")
    with serve(scene) as base, open_page(f"{base}/page.html") as page:
        got = page.eval("""(async () => {
          const v = document.querySelector('video');
          const [captions, marks] = v.textTracks;
          marks.mode = 'hidden';
          for (let i = 0; i < 100 && !(captions.cues?.length && marks.cues?.length); i++)
            await new Promise(r => setTimeout(r, 100));
          await v.play();
          await new Promise(r => setTimeout(r, 1200));
          return {kinds: [captions.kind, marks.kind], mode: captions.mode,
                  cues: captions.cues.length, chapters: marks.cues.length,
                  time: v.currentTime, ready: v.readyState, src: v.currentSrc,
                  label: v.getAttribute('aria-label'), poster: v.poster};
        })()""")
    assert got["kinds"] == ["captions", "chapters"] and got["mode"] == "showing"
    assert got["cues"] == got["chapters"] == 3
    assert got["time"] > 0.5 and got["ready"] >= 3 and got["src"].endswith(".webm")
    assert got["poster"].endswith(".png") and got["label"]


def test_autoplay_loop_is_a_choice(tmp_path, scene):
    proc = nnviz("export", str(scene / f"{SCENE}.mp4"), "--to", "html", "--out",
                 str(tmp_path), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    # nnviz export finds the beats beside the video: the snippet gets its tracks
    text = (tmp_path / f"{SCENE}.html").read_text()
    assert "autoplay" not in text and 'kind="captions"' in text
    assert cue_count(tmp_path / f"{SCENE}.vtt") == 3
    proc = nnviz("export", str(scene / f"{SCENE}.mp4"), "--to", "html", "--autoplay-loop",
                 "--out", str(tmp_path / "loop"), cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "autoplay loop muted" in (tmp_path / "loop" / f"{SCENE}.html").read_text()


def test_narration_times_each_beat_by_its_sentence(tmp_path, scene):
    needs_espeak()
    proc = nnviz("render", SCENE, "-q", "draft", "--narrate", "--out", "r", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "r" / SCENE / "draft"
    beats = read_beats(folder / f"{SCENE}.beats.json")
    plain = read_beats(scene / f"{SCENE}.beats.json")
    assert all(b.spoken > 0.5 for b in beats)
    assert all(b.duration >= b.spoken - 1 / 15 for b in beats)
    # the long sentence is spoken for longer than the beat's reading time: the beat grew
    assert beats[2].duration > plain[2].duration + 1
    assert streams(folder / f"{SCENE}.mp4")["audio"] == "aac"
    assert duration(folder / f"{SCENE}.mp4") == pytest.approx(beats[-1].end, abs=0.1)


def test_without_the_speech_engine_narrate_says_how_to_install_it(tmp_path):
    env = dict(os.environ, NNVIZ_SCENES=str(FIXTURES), PATH=str(Path(sys.executable).parent))
    proc = subprocess.run([NNVIZ, "render", SCENE, "--narrate", "--out", "r"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "apt-get install espeak-ng" in proc.stderr
    assert not (tmp_path / "r").exists()


def test_an_episode_merges_captions_sound_and_chapters(tmp_path):
    (tmp_path / "ep.toml").write_text(
        'title = "Tiny"\nquality = "draft"\ntitle_cards = true\n'
        f'[[part]]\nscene = "{SCENE}"\ntitle = "First"\n'
        f'[[part]]\nscene = "{SCENE}"\ntitle = "Second"\nspeed = 2.0\n')
    needs_espeak()
    proc = nnviz("episode", "ep.toml", "--narrate", "--formats", "mp4,webm,html", "--out", "r",
                 cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "r" / "ep" / "draft"
    beats = read_beats(folder / "ep.beats.json")
    assert [b.name for b in beats] == ["title", "circle", "words", "square"] * 2
    assert cue_count(folder / "ep.vtt") == len(beats)
    assert cue_count(folder / "ep.chapters.vtt") == 2
    assert chapters(folder / "ep.mp4") == ["First", "Second"]
    assert streams(folder / "ep.mp4")["audio"] == "aac"
    assert streams(folder / "ep.webm")["audio"] == "opus"
    # the second part's captions start where it starts: after the first part and its card
    part = read_beats(folder / "parts" / f"02-{SCENE}.beats.json")
    first = duration(folder / "parts" / "01-title.mp4") + duration(
        folder / "parts" / f"01-{SCENE}.mp4") + duration(folder / "parts" / "02-title.mp4")
    assert beats[5].start == pytest.approx(first + part[0].start, abs=0.05)
    assert beats[-1].end == pytest.approx(duration(folder / "ep.mp4"), abs=0.1)


def test_a_split_render_carries_the_beats(tmp_path):
    proc = nnviz("render", SCENE, "-q", "draft", "--split", "2", "--formats", "mp4,html",
                 "--out", "r", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "r" / SCENE / "draft"
    assert cue_count(folder / f"{SCENE}.vtt") == len(read_beats(folder / f"{SCENE}.beats.json"))
    assert 'kind="captions"' in (folder / f"{SCENE}.html").read_text()


def test_a_split_render_of_a_scene_with_sound_is_refused_in_one_line(tmp_path):
    sound = tone(tmp_path / "tone.wav")
    proc = nnviz("render", SCENE, "-q", "draft", "--split", "2", "--set", f"sound={sound}",
                 "--out", "r", cwd=tmp_path)
    assert proc.returncode == 1
    assert "adds sound" in proc.stderr and "drop --split" in proc.stderr
    assert not list((tmp_path / "r").glob(f"{SCENE}/draft/*"))


def test_a_cluster_render_brings_back_beats_and_captions(tmp_path):
    pytest.importorskip("distributed", reason="Dask is in the dev extra")
    proc = nnviz("render", SCENE, "-q", "draft", "--scheduler", "local:1", "--formats",
                 "mp4,html", "--out", "r", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    folder = tmp_path / "r" / SCENE / "draft"
    beats = read_beats(folder / f"{SCENE}.beats.json")
    assert cue_count(folder / f"{SCENE}.vtt") == len(beats) == 3
    assert (folder / f"{SCENE}.srt").is_file() and (folder / f"{SCENE}.chapters.vtt").is_file()
    assert 'kind="captions"' in (folder / f"{SCENE}.html").read_text()


def test_slides_play_each_beat_and_advance_in_chromium(scene, tmp_path):
    proc = nnviz("slides", str(scene / f"{SCENE}.mp4"), "--out", "deck", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    deck = tmp_path / "deck"
    clips = sorted((deck / "clips").glob("*.mp4"))
    beats = read_beats(scene / f"{SCENE}.beats.json")
    assert len(clips) == len(beats)
    for clip, beat in zip(clips, beats, strict=True):
        assert duration(clip) == pytest.approx(beat.duration, abs=0.15)
    page_text = (deck / "index.html").read_text()
    assert "http" not in page_text.replace("http-equiv", "")  # offline: nothing fetched
    state = ("(() => { const s = document.querySelector('.slide:not([hidden])');"
             " const v = s.querySelector('video'); return {index: deck.index, id: s.id,"
             " time: v.currentTime, paused: v.paused, src: v.currentSrc,"
             " note: s.querySelector('.notes').textContent}; })()")
    with serve(deck) as base, open_page(f"{base}/index.html") as page:
        first = page.eval(state)
        assert first["index"] == 0 and first["src"].endswith(clips[0].name)
        page.key("ArrowRight")
        time.sleep(0.8)
        second = page.eval(state)
        assert second["index"] == 1 and second["src"].endswith(clips[1].name)
        assert second["time"] > 0.2 and not second["paused"]  # the next clip plays
        assert second["note"] == beats[1].text
        page.key(" ")
        time.sleep(0.3)
        assert page.eval(state)["index"] == 2
        page.key("ArrowLeft")
        time.sleep(0.3)
        assert page.eval(state)["index"] == 1
        page.click(900, 300)  # a click advances too; on the left fifth it goes back
        time.sleep(0.3)
        assert page.eval(state)["index"] == 2
        page.click(50, 300)
        time.sleep(0.3)
        assert page.eval(state)["index"] == 1
        page.key("ArrowRight")
        page.key("n")
        assert page.eval("document.body.classList.contains('show-notes')")
        page.eval("new Promise(r => { const v = document.querySelector("
                  "'.slide:not([hidden]) video'); v.ended ? r() : v.onended = r; "
                  "setTimeout(r, 8000); })")
        time.sleep(0.5)
        end = page.eval(state)  # played to its end and stopped there: no loop
        assert end["paused"] and end["time"] == pytest.approx(duration(clips[2]), abs=0.2)


def test_the_deck_works_from_disk_and_the_first_press_plays_the_first_slide(scene, tmp_path):
    """Opened from a file (offline, no server) a browser refuses to play before the first
    gesture: that key press plays the first slide instead of skipping it."""
    proc = nnviz("slides", str(scene / f"{SCENE}.mp4"), "--out", "deck", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    state = ("(() => { const v = document.querySelector('.slide:not([hidden]) video');"
             " return {index: deck.index, time: v.currentTime, paused: v.paused,"
             " ready: v.readyState}; })()")
    with open_page((tmp_path / "deck" / "index.html").as_uri(), autoplay=False) as page:
        time.sleep(0.5)
        before = page.eval(state)
        page.key("ArrowRight")
        time.sleep(0.6)
        after = page.eval(state)
        page.key("ArrowRight")
        time.sleep(0.6)
        then = page.eval(state)
    assert before["index"] == 0 and before["ready"] >= 1
    if before["paused"]:  # refused: the press played slide 1
        assert after["index"] == 0 and not after["paused"] and after["time"] > 0.2
        assert then["index"] == 1
    else:  # this browser let it play: the press advanced
        assert after["index"] == 1
    assert not then["paused"]


def test_slides_to_pptx_embed_the_clips_and_notes(scene, tmp_path):
    pptx = pytest.importorskip("pptx", reason="python-pptx is in the dev extra")
    proc = nnviz("slides", str(scene / f"{SCENE}.mp4"), "--to", "pptx", "--out", "deck",
                 cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    deck = pptx.Presentation(str(tmp_path / "deck" / "slides.pptx"))
    beats = read_beats(scene / f"{SCENE}.beats.json")
    assert len(deck.slides) == len(beats)
    for slide, beat in zip(deck.slides, beats, strict=True):
        assert slide.notes_slide.notes_text_frame.text == beat.text
        assert any(s.shape_type == 16 or "movie" in s.name.lower() or
                   s.element.xpath(".//a:videoFile") for s in slide.shapes)


def test_slides_of_something_unknown_is_one_line(tmp_path):
    proc = nnviz("slides", "no-such-scene", "--out", "deck", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "no-such-scene" in proc.stderr
    assert "Traceback" not in proc.stderr and not (tmp_path / "deck").exists()
