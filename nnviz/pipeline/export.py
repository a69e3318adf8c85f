"""Lecture exports of a rendered video, through ffmpeg-python driving the real ffmpeg.

A lecturer needs an mp4 that plays everywhere (H.264, yuv420p, +faststart), a webm
(VP9), a small looping GIF for slides, a poster frame and an HTML snippet for a course
page. Every file is written under a temporary name in its final folder and renamed into
place, so an interrupted export never leaves a broken file at the final path.
"""

from __future__ import annotations

import html
import os
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ffmpeg

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path, check_regular_file

FORMATS = ("mp4", "webm", "gif", "poster", "html")
EXTENSIONS = {"mp4": "mp4", "webm": "webm", "gif": "gif", "poster": "png", "html": "html"}
GIF_WIDTH = 480  # a slide-sized GIF (a third of a 1440 px wide slide); never upscaled
GIF_FPS = 10


class ExportError(NNVizError):
    """ffmpeg could not read or write a video."""


@dataclass(frozen=True)
class VideoInfo:
    """What ffprobe says about a video's first video stream."""

    codec: str
    pix_fmt: str
    width: int
    height: int
    fps: float
    duration: float
    has_audio: bool
    audio_codec: str = ""


def parse_formats(text: str | list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """'mp4,gif' -> ('mp4', 'gif'), in canonical order; an unknown one is a user error."""
    from nnviz.core.errors import choices_hint

    items = text.split(",") if isinstance(text, str) else list(text)
    chosen = [i.strip().lower() for i in items if i.strip()]
    if not chosen:
        raise NNVizError(f"No export format given. Valid choices: {', '.join(FORMATS)}.")
    for item in chosen:
        if item not in FORMATS:
            raise NNVizError(f"Unknown export format '{item}'." + choices_hint(item, FORMATS))
    return tuple(f for f in FORMATS if f in chosen)


def _ffmpeg_message(err: ffmpeg.Error) -> str:
    """The last meaningful line of ffmpeg's stderr (its actual complaint)."""
    lines = [ln.strip() for ln in (err.stderr or b"").decode(errors="replace").splitlines()]
    lines = [ln for ln in lines if ln]
    return lines[-1] if lines else "ffmpeg failed"


def probe(path: str | os.PathLike) -> VideoInfo:
    """ffprobe a video; a missing file or a non-video is one clear error."""
    path = Path(path)
    check_regular_file(path, "Video", ExportError)  # a FIFO would block ffprobe forever
    try:
        info = ffmpeg.probe(str(path))
    except ffmpeg.Error as e:
        why = _ffmpeg_message(e)
        raise ExportError(f"'{path}' is not a video ffmpeg can read: {why}.") from None
    video = [s for s in info.get("streams", []) if s.get("codec_type") == "video"]
    fmt = info.get("format", {})
    fmt_name = fmt.get("format_name", "")
    if not video or fmt_name.endswith("_pipe") or fmt_name in ("image2", "tty"):
        raise ExportError(f"'{path}' is not a video (ffprobe finds format '{fmt_name}').")
    s = video[0]
    num, _, den = s.get("avg_frame_rate", "0/1").partition("/")
    fps = float(num) / float(den) if float(den or 0) else 0.0
    duration = float(s.get("duration") or fmt.get("duration") or 0.0)
    return VideoInfo(
        codec=s.get("codec_name", ""),
        pix_fmt=s.get("pix_fmt", ""),
        width=int(s.get("width", 0)),
        height=int(s.get("height", 0)),
        fps=fps,
        duration=duration,
        has_audio=any(st.get("codec_type") == "audio" for st in info.get("streams", [])),
        audio_codec=next((st.get("codec_name", "") for st in info.get("streams", [])
                          if st.get("codec_type") == "audio"), ""),
    )


def _run(stream, what: str) -> None:
    try:
        stream.overwrite_output().global_args("-nostdin", "-loglevel", "error").run(
            capture_stdout=True, capture_stderr=True)
    except ffmpeg.Error as e:
        raise ExportError(f"{what} failed: {_ffmpeg_message(e)}.") from None


def run_ffmpeg(args: list[str], what: str) -> None:
    """Run ffmpeg with `args` (after the binary's name and the quiet flags); a failure is
    one line with ffmpeg's own complaint."""
    proc = subprocess.run(["ffmpeg", "-nostdin", "-loglevel", "error", "-y", *args],
                          capture_output=True)
    if proc.returncode != 0:
        lines = [ln for ln in proc.stderr.decode(errors="replace").splitlines() if ln.strip()]
        raise ExportError(f"{what} failed: {lines[-1].strip() if lines else 'ffmpeg failed'}.")


def to_mp4(src: Path, dst: Path, remux_if_possible: bool = True,
           chapters: str | None = None) -> Path:
    """H.264 / yuv420p / +faststart mp4 with the source's sound as AAC. A video that is
    already H.264 yuv420p (manim's output) is only remuxed, so the picture is not
    re-encoded twice. `chapters`: an ffmetadata text whose chapters become the mp4's
    chapter markers."""
    info = probe(src)
    with atomic_path(dst) as tmp:
        args = ["-i", str(src)]
        meta = tmp.with_name(tmp.name + ".ffmeta")
        if chapters:
            meta.write_text(chapters, encoding="utf-8")
            args += ["-f", "ffmetadata", "-i", str(meta), "-map_metadata", "1",
                     "-map_chapters", "1"]
        args += ["-map", "0:v:0"]
        if remux_if_possible and info.codec == "h264" and info.pix_fmt == "yuv420p":
            args += ["-c:v", "copy"]
        else:
            args += ["-vf", "scale=trunc(iw/2)*2:trunc(ih/2)*2", "-c:v", "libx264",
                     "-pix_fmt", "yuv420p", "-crf", "20", "-preset", "medium"]
        if info.has_audio:
            args += ["-map", "0:a:0"] + (["-c:a", "copy"] if info.audio_codec == "aac"
                                         else ["-c:a", "aac", "-b:a", "128k"])
        try:
            run_ffmpeg([*args, "-movflags", "+faststart", "-f", "mp4", str(tmp)],
                       f"mp4 export of '{src}'")
        finally:
            meta.unlink(missing_ok=True)
    return dst


def to_webm(src: Path, dst: Path) -> Path:
    """VP9 webm (libvpx-vp9, constant quality) with the sound as Opus, for browsers that
    prefer open codecs."""
    info = probe(src)
    with atomic_path(dst) as tmp:
        inp = ffmpeg.input(str(src))
        v = inp.video.filter("scale", "trunc(iw/2)*2", "trunc(ih/2)*2")
        streams = [v, inp.audio] if info.has_audio else [v]
        audio = {"acodec": "libopus", "b:a": "96k"} if info.has_audio else {}
        out = ffmpeg.output(*streams, str(tmp), f="webm", vcodec="libvpx-vp9",
                            pix_fmt="yuv420p", crf=34, **audio,
                            **{"b:v": 0, "row-mt": 1, "deadline": "good", "cpu-used": 4})
        _run(out, f"webm export of '{src}'")
    return dst


def to_gif(src: Path, dst: Path, width: int = GIF_WIDTH, fps: int = GIF_FPS) -> Path:
    """A looping GIF with a palette generated from the video itself (palettegen /
    paletteuse), scaled down to a slide-friendly width at a modest frame rate.

    The palette has GIF's full 256 colours, chosen from every pixel of the clip (not only
    the ones that change): with 128 colours from the changing pixels, a static legend's
    yellow came out orange in training-you-can-watch. Ordered (Bayer) dithering at scale 5
    keeps flat areas flat, which is what LZW compresses; frames are stored as rectangles
    of what changed."""
    info = probe(src)
    w = min(width, info.width)
    with atomic_path(dst) as tmp:
        v = ffmpeg.input(str(src)).video.filter("fps", fps=min(fps, info.fps or fps))
        v = v.filter("scale", w, -2, flags="lanczos")
        split = v.split()
        palette = split[0].filter("palettegen", stats_mode="full", max_colors=256)
        gif = ffmpeg.filter([split[1], palette], "paletteuse", dither="bayer", bayer_scale=5,
                            diff_mode="rectangle")
        _run(gif.output(str(tmp), f="gif", loop=0), f"gif export of '{src}'")
    return dst


def to_poster(src: Path, dst: Path, at: float | None = None) -> Path:
    """A PNG still: the frame at `at` seconds, or the last frame (the finished picture)."""
    info = probe(src)
    check_poster_time(at, info.duration)
    with atomic_path(dst) as tmp:
        if at is None:
            # decode the final half second and keep overwriting one image: the last frame
            inp = ffmpeg.input(str(src), sseof=-min(0.5, max(info.duration, 0.01)))
            out = inp.video.output(str(tmp), f="image2", vcodec="png", update=1)
        else:
            out = ffmpeg.input(str(src), ss=at).video.output(
                str(tmp), f="image2", vcodec="png", vframes=1)
        _run(out, f"poster export of '{src}'")
        if tmp.stat().st_size == 0:
            raise ExportError(f"No frame found in '{src}' for the poster.")
    return dst


def check_stem(stem: str) -> str:
    """A file name stem that stays inside the output folder: no path separators, no '..',
    not empty (--name ../../x or /abs/x would write elsewhere)."""
    if not stem.strip(" .") or any(c in stem for c in ("/", "\\", "\0")) or ".." in stem:
        raise NNVizError(f"Bad file name '{stem}': give a plain name without '/' or '..', "
                         "e.g. --name lesson1 (use --out for the folder).")
    return stem


def check_poster_time(at: float | None, duration: float) -> None:
    """One line unless the poster time is a finite time within the video (NaN fails too)."""
    if at is not None and not 0 <= at <= duration:
        raise NNVizError(f"Poster time {at} s is outside the video ({duration:.2f} s long): "
                         f"give --poster-time between 0 and {duration:.2f}.")


def html_snippet(stem: str, width: int, height: int, sources: dict[str, str],
                 poster: str | None, tracks: dict[str, str] | None = None,
                 title: str | None = None, autoplay_loop: bool = False) -> str:
    """A <video> tag (webm first, mp4 fallback) with relative paths, for a course page:
    captions (on by default) and chapters as <track>s, a title and an aria-label. It
    waits for the viewer's play (controls, no autoplay) unless `autoplay_loop` (muted,
    looping, playing at once: a silent illustration beside a text)."""
    label = html.escape(title or stem)
    play = "autoplay loop muted " if autoplay_loop else ""
    attrs = f'controls {play}playsinline preload="metadata" width="{width}" ' \
            f'height="{height}" style="max-width: 100%; height: auto;" ' \
            f'title="{label}" aria-label="{label}"'
    if poster:
        attrs += f' poster="{html.escape(poster)}"'
    lines = [f"<!-- nnviz: {html.escape(stem)} -->", f"<video {attrs}>"]
    for fmt in ("webm", "mp4"):
        if fmt in sources:
            lines.append(f'  <source src="{html.escape(sources[fmt])}" type="video/{fmt}">')
    tracks = tracks or {}
    if "vtt" in tracks:
        lines.append(f'  <track kind="captions" src="{html.escape(tracks["vtt"])}" '
                     'srclang="en" label="English" default>')
    if "chapters" in tracks:
        lines.append(f'  <track kind="chapters" src="{html.escape(tracks["chapters"])}" '
                     'srclang="en" label="Chapters">')
    fallback = sources.get("mp4") or sources.get("webm")
    lines.append(f'  Your browser cannot play this video; <a href="{html.escape(fallback)}">'
                 f"download it</a>.")
    lines.append("</video>")
    return "\n".join(lines) + "\n"


def to_html(dst: Path, sources: dict[str, Path], poster: Path | None, width: int,
            height: int, tracks: dict[str, Path] | None = None, title: str | None = None,
            autoplay_loop: bool = False) -> Path:
    """Write the HTML snippet; `sources`, `poster` and `tracks` must sit beside `dst` or
    below it."""
    rel = {k: os.path.relpath(v, dst.parent) for k, v in sources.items()}
    poster_rel = os.path.relpath(poster, dst.parent) if poster else None
    track_rel = {k: os.path.relpath(v, dst.parent) for k, v in (tracks or {}).items()}
    with atomic_path(dst) as tmp:
        tmp.write_text(html_snippet(dst.stem, width, height, rel, poster_rel, track_rel,
                                    title, autoplay_loop))
    return dst


@dataclass(frozen=True)
class Lecture:
    """What a lecture export adds to the video: its beats (captions, chapters), the
    chapters when they are not one per beat (an episode's parts), a title for the mp4's
    metadata and the snippet, and whether the snippet autoplays in a muted loop."""

    beats: list | None = None
    chapters: list[tuple[str, float, float]] | None = None
    title: str | None = None
    autoplay_loop: bool = False


def export(src: Path, formats: tuple[str, ...], out_dir: Path, stem: str | None = None,
           poster_time: float | None = None,
           on_step: Callable[[str], None] | None = None,
           lecture: Lecture | None = None) -> dict[str, Path]:
    """Write every requested format of `src` as out_dir/<stem>.<ext>; returns format -> path.

    html needs something to play, so asking for it also writes the mp4 (if neither mp4
    nor webm was asked for). With `lecture.beats`, captions (<stem>.vtt, .srt) and
    chapters (<stem>.chapters.vtt, and the mp4's chapter markers) are written first."""
    from nnviz.pipeline.captions import beat_chapters, chapter_metadata, write_captions

    src, out_dir = Path(src), Path(out_dir)
    info = probe(src)
    stem = check_stem(stem) if stem is not None else src.stem
    lecture = lecture or Lecture()
    wanted = list(formats)
    if "poster" in wanted:  # before any file is written, not after the mp4 is published
        check_poster_time(poster_time, info.duration)
    if "html" in wanted and "mp4" not in wanted and "webm" not in wanted:
        wanted.insert(0, "mp4")
    paths: dict[str, Path] = {}
    marks = lecture.chapters
    if lecture.beats:
        marks = beat_chapters(lecture.beats) if marks is None else marks
        paths.update(write_captions(lecture.beats, out_dir, stem, info.duration, marks))
    meta = chapter_metadata(lecture.title or stem, marks) if marks else None
    for fmt in FORMATS:
        if fmt not in wanted:
            continue
        if on_step:
            on_step(fmt)
        dst = out_dir / f"{stem}.{EXTENSIONS[fmt]}"
        if fmt == "mp4":
            paths[fmt] = to_mp4(src, dst, chapters=meta)
        elif fmt == "webm":
            paths[fmt] = to_webm(src, dst)
        elif fmt == "gif":
            paths[fmt] = to_gif(src, dst)
        elif fmt == "poster":
            paths[fmt] = to_poster(src, dst, poster_time)
        elif fmt == "html":
            sources = {k: paths[k] for k in ("webm", "mp4") if k in paths}
            tracks = {k: paths[k] for k in ("vtt", "chapters") if k in paths}
            paths[fmt] = to_html(dst, sources, paths.get("poster"), info.width, info.height,
                                 tracks, lecture.title, lecture.autoplay_loop)
    return paths
