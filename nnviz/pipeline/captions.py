"""Captions and chapters from beats: what a narrated lecture shows as text.

Each beat's sentence is one caption cue, timed by the beat's start and end in the video;
`<stem>.vtt` (WebVTT, for browsers) and `<stem>.srt` (SubRip, for players and editors) are
written through `webvtt-py` and `srt`. Chapters are WebVTT cues too
(`<stem>.chapters.vtt`, `<track kind="chapters">`) and an ffmetadata file for an mp4's
chapter markers. An episode shifts each part's beats by where the part starts
(`shifted`), so its captions are the parts' captions, in order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.draw.beats import Beat, read_beats

Chapter = tuple[str, float, float]  # (title, start s, end s)


def beats_beside(video: Path) -> Path:
    """Where a render keeps a video's beats: <stem>.beats.json beside it."""
    return video.with_name(f"{video.stem}.beats.json")


def load_beats(video: Path) -> list[Beat] | None:
    """The beats written beside `video`, or None when there are none; a broken file is
    one clear error."""
    path = beats_beside(Path(video))
    if not path.is_file():
        return None
    try:
        return read_beats(path)
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise NNVizError(f"Beats file '{path}' is not readable ({e}): render the scene "
                         "again to write it anew.") from None


def shifted(beats: list[Beat], offset: float) -> list[Beat]:
    """The beats moved `offset` seconds later (a part's beats inside an episode)."""
    return [replace(b, start=b.start + offset, end=b.end + offset) for b in beats]


def _cues(beats: list[Beat], duration: float | None) -> list[tuple[float, float, str]]:
    """(start, end, text) per beat with a sentence, clipped to the video's length."""
    cues = []
    for b in beats:
        end = min(b.end, duration) if duration else b.end
        if b.text.strip() and end > b.start:
            cues.append((max(b.start, 0.0), end, " ".join(b.text.split())))
    return cues


def _stamp(seconds: float) -> str:
    ms = round(seconds * 1000)
    return f"{ms // 3_600_000:02d}:{ms // 60_000 % 60:02d}:{ms // 1000 % 60:02d}.{ms % 1000:03d}"


def write_vtt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    """A WebVTT file of (start, end, text) cues, written atomically."""
    import webvtt

    vtt = webvtt.WebVTT()
    for start, end, text in cues:
        vtt.captions.append(webvtt.Caption(_stamp(start), _stamp(end), text))
    with atomic_path(path, "captions") as tmp:
        tmp.write_text(vtt.content, encoding="utf-8")
    return path


def write_srt(path: Path, cues: list[tuple[float, float, str]]) -> Path:
    """A SubRip file of (start, end, text) cues, written atomically."""
    import srt

    subs = [srt.Subtitle(i, dt.timedelta(seconds=round(s, 3)), dt.timedelta(seconds=round(e, 3)),
                         text) for i, (s, e, text) in enumerate(cues, 1)]
    with atomic_path(path, "captions") as tmp:
        tmp.write_text(srt.compose(subs), encoding="utf-8")
    return path


def beat_chapters(beats: list[Beat]) -> list[Chapter]:
    """One chapter per beat of a scene, titled by its name ('weighted-sum' -> 'Weighted
    sum')."""
    return [(b.name.replace("-", " ").replace("_", " ").capitalize(), b.start, b.end)
            for b in beats]


def write_captions(beats: list[Beat], out_dir: Path, stem: str, duration: float | None,
                   chapters: list[Chapter] | None = None) -> dict[str, Path]:
    """<stem>.vtt, <stem>.srt and <stem>.chapters.vtt in out_dir; format key -> path."""
    cues = _cues(beats, duration)
    marks = beat_chapters(beats) if chapters is None else chapters
    return {
        "vtt": write_vtt(out_dir / f"{stem}.vtt", cues),
        "srt": write_srt(out_dir / f"{stem}.srt", cues),
        "chapters": write_vtt(out_dir / f"{stem}.chapters.vtt",
                              [(s, min(e, duration) if duration else e, t)
                               for t, s, e in marks]),
    }


def _meta_escape(text: str) -> str:
    for ch in ("\\", "=", ";", "#", "\n"):
        text = text.replace(ch, "\\" + ch)
    return text


def chapter_metadata(title: str, chapters: list[Chapter]) -> str:
    """An ffmetadata file: the video's title and one [CHAPTER] per (name, start, end) s."""
    lines = [";FFMETADATA1", f"title={_meta_escape(title)}", ""]
    for name, start, end in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(start * 1000)}",
                  f"END={round(end * 1000)}", f"title={_meta_escape(name)}", ""]
    return "\n".join(lines)


def cue_count(path: Path) -> int:
    """How many cues a WebVTT file holds (for checks and tests)."""
    import webvtt

    return len(webvtt.read(str(path)).captions)
