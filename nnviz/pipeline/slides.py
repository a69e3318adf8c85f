"""Slides from beats: one slide per beat, playing that beat's clip once and stopping.

`make_deck` cuts each rendered video at its beats (a stream copy where every beat starts
on a key frame, as manim's renders do: each play is a segment of its own; else small
re-encoded clips) into DIR/clips/, and writes DIR/index.html, a self-contained deck that
works offline from disk: no CDN, no script from elsewhere. Arrow keys, space, Page Up/Down
and a click go forward and back, 'n' shows the beat's sentence (the speaker note).
`make_pptx` puts the same clips into a PowerPoint file (python-pptx, the 'slides' extra).
"""

from __future__ import annotations

import html
import json
import subprocess
from dataclasses import dataclass
from pathlib import Path

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.draw.beats import Beat
from nnviz.pipeline.captions import load_beats
from nnviz.pipeline.export import probe, run_ffmpeg


@dataclass(frozen=True)
class Slide:
    scene: str
    beat: Beat
    clip: Path  # relative to the deck's folder


def key_frames(video: Path) -> list[float]:
    """The times (s) of a video's key frames."""
    proc = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-skip_frame",
                           "nokey", "-show_entries", "frame=pts_time", "-of", "csv=p=0",
                           str(video)], capture_output=True, text=True)
    return [float(t) for t in proc.stdout.replace(",", " ").split() if t.strip()]


def cuts_on_key_frames(video: Path, beats: list[Beat]) -> bool:
    """Whether every beat starts within half a frame of a key frame (then its clip is a
    stream copy: no re-encoding)."""
    info = probe(video)
    keys = key_frames(video)
    half = 0.5 / (info.fps or 30)
    return bool(keys) and all(any(abs(k - b.start) <= half for k in keys) for b in beats)


def cut_clip(video: Path, start: float, end: float, dst: Path, copy: bool) -> Path:
    """The video from start to end (s) as its own mp4, written atomically."""
    with atomic_path(dst, "slide clip") as tmp:
        codecs = ["-c", "copy"] if copy else [
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-crf", "23", "-preset", "veryfast",
            "-c:a", "aac", "-b:a", "96k"]
        run_ffmpeg(["-ss", f"{start:.3f}", "-i", str(video), "-t", f"{end - start:.3f}",
                    "-map", "0:v:0", "-map", "0:a?", *codecs, "-movflags", "+faststart",
                    "-f", "mp4", str(tmp)], f"cutting a slide from '{video}'")
    return dst


def cut_slides(videos: list[Path], out_dir: Path) -> list[Slide]:
    """Every beat of every video as a clip in out_dir/clips/, in order."""
    slides: list[Slide] = []
    for video in videos:
        beats = load_beats(video)
        if not beats:
            raise NNVizError(f"'{video}' has no beats beside it ({video.stem}.beats.json): "
                             "slides are made from the beats nnviz render writes.")
        copy = cuts_on_key_frames(video, beats)
        for b in beats:
            name = f"{len(slides) + 1:02d}-{video.stem}-{b.name}.mp4"
            cut_clip(video, b.start, b.end, out_dir / "clips" / name, copy)
            slides.append(Slide(video.stem, b, Path("clips") / name))
    return slides


STYLE = """
html, body { margin: 0; height: 100%; background: #111; color: #eee;
  font: 18px/1.4 system-ui, sans-serif; }
main { position: fixed; inset: 0 0 3em 0; }
.slide { position: absolute; inset: 0; display: flex; align-items: center;
  justify-content: center; }
.slide[hidden] { display: none; }
.slide video { max-width: 100%; max-height: 100%; }
.notes { display: none; position: fixed; left: 0; right: 0; bottom: 3em; padding: .6em 1em;
  background: rgba(0,0,0,.8); font-size: 1.3em; }
body.show-notes .slide:not([hidden]) .notes { display: block; }
footer { position: fixed; left: 0; right: 0; bottom: 0; height: 3em; display: flex;
  align-items: center; gap: 1em; padding: 0 1em; color: #aaa; }
footer b { color: #eee; }
"""

SCRIPT = """
(() => {
  const slides = Array.from(document.querySelectorAll('.slide'));
  const where = document.getElementById('where');
  let at = -1, blocked = false;
  function forward() {
    if (blocked) { blocked = false; slides[at].querySelector('video').play(); }
    else show(at + 1);
  }
  function show(i) {
    i = Math.max(0, Math.min(slides.length - 1, i));
    if (i === at) return;
    if (at >= 0) { slides[at].querySelector('video').pause(); slides[at].hidden = true; }
    at = i;
    const slide = slides[at], video = slide.querySelector('video');
    slide.hidden = false;
    blocked = false;
    video.currentTime = 0;
    const playing = video.play();
    // opened from disk, a browser may refuse to play before the first key press or
    // click: that press then plays this slide instead of skipping it
    if (playing) playing.catch(() => { blocked = true; });
    where.textContent = `${at + 1} / ${slides.length} · ${slide.dataset.title}`;
    history.replaceState(null, '', '#' + (at + 1));
  }
  document.addEventListener('keydown', (e) => {
    if (['ArrowRight', 'ArrowDown', 'PageDown', ' ', 'Enter'].includes(e.key)) forward();
    else if (['ArrowLeft', 'ArrowUp', 'PageUp', 'Backspace'].includes(e.key)) show(at - 1);
    else if (e.key === 'Home') show(0);
    else if (e.key === 'End') show(slides.length - 1);
    else if (e.key === 'n' || e.key === 'N') document.body.classList.toggle('show-notes');
    else return;
    e.preventDefault();
  });
  document.addEventListener('click', (e) => {
    if (e.clientX < window.innerWidth / 5) show(at - 1); else forward();
  });
  window.deck = { show, next: forward, prev: () => show(at - 1),
                  get index() { return at; }, count: slides.length };
  show((parseInt(location.hash.slice(1), 10) || 1) - 1);
})();
"""


def deck_html(title: str, slides: list[Slide]) -> str:
    """The deck's page: every clip, its sentence as a note, styles and script inline."""
    esc = html.escape
    sections = []
    for i, s in enumerate(slides, 1):
        label = f"{s.scene} — {s.beat.name}"
        sections.append(
            f'<section class="slide" id="s{i}" data-title="{esc(label)}" hidden>\n'
            f'  <video src="{esc(s.clip.as_posix())}" preload="auto" playsinline '
            f'aria-label="{esc(s.beat.text or label)}"></video>\n'
            f'  <aside class="notes">{esc(s.beat.text)}</aside>\n</section>')
    return (f'<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<title>{esc(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n'
            f'<main aria-live="polite">\n' + "\n".join(sections) + '\n</main>\n'
            f'<footer><b>{esc(title)}</b><span id="where"></span>'
            f'<span>→ space click: next · ← back · n: notes</span></footer>\n'
            f'<script>{SCRIPT}</script>\n</body>\n</html>\n')


def make_deck(videos: list[Path], out_dir: Path, title: str) -> Path:
    """Clips of every beat and the deck's index.html in out_dir (the page last, so a
    failure leaves no deck pointing at missing clips)."""
    slides = cut_slides(videos, out_dir)
    page = out_dir / "index.html"
    with atomic_path(page, "slide deck") as tmp:
        tmp.write_text(deck_html(title, slides), encoding="utf-8")
    with atomic_path(out_dir / "slides.json", "slide list") as tmp:
        tmp.write_text(json.dumps([{"scene": s.scene, "beat": s.beat.name, "note": s.beat.text,
                                    "clip": s.clip.as_posix()} for s in slides], indent=1))
    return page


def make_pptx(videos: list[Path], out_dir: Path, title: str) -> Path:
    """A PowerPoint deck (16:9): one slide per beat with its clip embedded (its first
    frame as the poster) and its sentence as the speaker note."""
    try:
        from pptx import Presentation
        from pptx.util import Inches
    except ImportError:
        raise NNVizError("--to pptx needs python-pptx: pip install 'nnviz[slides]'.") from None
    slides = cut_slides(videos, out_dir)
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    deck.core_properties.title = title
    for s in slides:
        clip = out_dir / s.clip
        poster = clip.with_suffix(".png")
        with atomic_path(poster, "poster") as tmp:
            run_ffmpeg(["-i", str(clip), "-frames:v", "1", "-f", "image2", str(tmp)],
                       f"poster of '{clip}'")
        page = deck.slides.add_slide(deck.slide_layouts[6])  # blank
        page.shapes.add_movie(str(clip), 0, 0, deck.slide_width, deck.slide_height,
                              poster_frame_image=str(poster), mime_type="video/mp4")
        page.notes_slide.notes_text_frame.text = s.beat.text
    dst = out_dir / "slides.pptx"
    with atomic_path(dst, "PowerPoint deck") as tmp:
        deck.save(str(tmp))
    return dst
