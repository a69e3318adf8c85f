"""Episodes: an ordered list of scenes (each with its overrides) joined into one video
with chapter markers, optionally with a title card before each part.

An episode file is TOML:

    title = "What is a neural network?"
    quality = "720p"            # draft | 720p | 1080p | 4k (the CLI's --quality wins)
    title_cards = true          # a card with the part's title before each part
    formats = ["mp4", "gif"]    # optional; the CLI's --formats wins

    [[part]]
    scene = "weighted-sum"      # a registered scene (see `nnviz list`)
    title = "A weighted sum"    # chapter name (default: the scene's description)
    speed = 1.5                 # any other key is an override of that scene's config
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import ffmpeg

from nnviz.core.errors import NNVizError, choices_hint
from nnviz.core.files import atomic_path
from nnviz.pipeline.captions import chapter_metadata, load_beats, shifted
from nnviz.pipeline.configs import resolve
from nnviz.pipeline.export import ExportError, probe
from nnviz.pipeline.jobs import QUALITIES, Quality, RenderJob
from nnviz.spec.config import build_config, config_fields, load_toml
from nnviz.spec.palette import PALETTE
from nnviz.spec.store import TraceStore

EPISODE_KEYS = ("title", "quality", "title_cards", "formats", "part")
PART_KEYS = ("scene", "title")


@dataclass
class Part:
    scene: str
    title: str
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass
class Episode:
    path: Path
    title: str
    quality: str
    title_cards: bool
    formats: tuple[str, ...] | None
    parts: list[Part]

    @property
    def stem(self) -> str:
        return self.path.stem


def load_episode(path: str | Path) -> Episode:
    """Read and fully validate an episode file (scenes exist, every override is valid)."""
    from nnviz.pipeline.export import parse_formats
    from nnviz.spec import registry

    path = Path(path)
    data = load_toml(path)
    where = f"Episode file '{path}'"
    for key in data:
        if key not in EPISODE_KEYS:
            raise NNVizError(f"{where}: unknown key '{key}'." + choices_hint(key, EPISODE_KEYS))
    title = data.get("title", path.stem.replace("-", " ").capitalize())
    if not isinstance(title, str):
        raise NNVizError(f"{where}: 'title' must be text, got {title!r}.")
    q = data.get("quality", "draft")
    if not isinstance(q, str) or q not in QUALITIES:
        raise NNVizError(f"{where}: unknown quality {q!r}." + choices_hint(str(q),
                                                                          list(QUALITIES)))
    cards = data.get("title_cards", False)
    if not isinstance(cards, bool):
        raise NNVizError(f"{where}: 'title_cards' must be true or false, got {cards!r}.")
    formats = None
    if "formats" in data:
        if not isinstance(data["formats"], str | list) or not all(
                isinstance(f, str) for f in data["formats"]):
            raise NNVizError(f"{where}: 'formats' must be a list of format names such as "
                             f"[\"mp4\", \"gif\"], got {data['formats']!r}.")
        try:
            formats = parse_formats(data["formats"])
        except NNVizError as e:
            raise NNVizError(f"{where}: {e}") from None
    raw_parts = data.get("part")
    if raw_parts is not None and not isinstance(raw_parts, list):
        raise NNVizError(f"{where}: 'part' must be a list of [[part]] tables, got "
                         f"{type(raw_parts).__name__} (write [[part]], not [part]).")
    if not raw_parts:
        raise NNVizError(f"{where}: no parts; add at least one [[part]] table with a scene.")
    scenes = registry.discover()
    parts = []
    for i, raw in enumerate(raw_parts, 1):
        if not isinstance(raw, dict):
            raise NNVizError(f"{where}: part {i} must be a [[part]] table, got {raw!r}.")
        if "scene" not in raw:
            raise NNVizError(f"{where}: part {i} has no 'scene' key.")
        name = raw["scene"]
        if not isinstance(name, str):
            raise NNVizError(f"{where}: part {i}: 'scene' must be one scene name as text, "
                             f"got {name!r}.")
        if name not in scenes:
            raise NNVizError(f"{where}: part {i}: unknown scene '{name}'."
                             + choices_hint(str(name), sorted(scenes)))
        overrides = {k: v for k, v in raw.items() if k not in PART_KEYS}
        try:
            build_config(scenes[name].config_class, overrides, name)
        except NNVizError as e:
            raise NNVizError(f"{where}: part {i}: {e}") from None
        part_title = raw.get("title", scenes[name].description)
        if not isinstance(part_title, str):
            raise NNVizError(f"{where}: part {i}: 'title' must be text, got {part_title!r}.")
        parts.append(Part(name, part_title, overrides))
    return Episode(path, title, q, cards, formats, parts)


def episode_jobs(ep: Episode, q: Quality, parts_dir: Path, sets: dict[str, Any],
                 store: TraceStore, work_root: Path,
                 title_cards: bool | None = None,
                 narrate: bool = False) -> tuple[list[RenderJob], list[list[int]]]:
    """Render jobs for every part (and title card), each with its validated config, and
    which jobs make up each chapter.

    --set values apply to every part whose scene has the key (checked by the caller)."""
    cards = ep.title_cards if title_cards is None else title_cards
    jobs: list[RenderJob] = []
    chapters: list[list[int]] = []

    def add(name: str, settings: dict[str, Any], stem: str, label: str,
            keys: set[str] | None = None) -> None:
        config_cls = resolve(name)[1]
        keys = set(config_fields(config_cls)) if keys is None else keys
        settings = {**settings, **{k: v for k, v in sets.items() if k in keys}}
        jobs.append(RenderJob(name, build_config(config_cls, settings, name), q.name,
                              parts_dir, stem, ("mp4",), None, store, work_root, label=label,
                              narrate=narrate))

    for i, part in enumerate(ep.parts, 1):
        members = []
        if cards:
            members.append(len(jobs))
            add("title-card", {"title": part.title, "subtitle": f"{ep.title} · part {i}"},
                f"{i:02d}-title", f"{i:02d} title card", keys={"speed"})
        members.append(len(jobs))
        add(part.scene, part.overrides, f"{i:02d}-{part.scene}", f"{i:02d} {part.scene}")
        chapters.append(members)
    return jobs, chapters


def join(videos: list[Path], chapters: list[tuple[str, list[int]]], title: str, q: Quality,
         dst: Path, work: Path) -> list[tuple[str, float, float]]:
    """Concatenate videos into dst (H.264 yuv420p, q's size and fps, re-encoded so parts of
    any codec/size/rate fit), with one chapter per (name, member video indices). When any
    part has sound, the episode has an AAC track: each part's sound (silence for a silent
    part, such as a title card) padded or cut to its picture's length.
    Returns the chapters written as (name, start, end) seconds."""
    infos = [probe(v) for v in videos]
    durations = [i.duration for i in infos]
    marks, t = [], 0.0
    for name, members in chapters:
        length = sum(durations[i] for i in members)
        marks.append((name, t, t + length))
        t += length
    meta = work / "chapters.ffmetadata"
    meta.write_text(chapter_metadata(title, marks))
    sound = any(i.has_audio for i in infos)
    streams = []
    for k, (v, info) in enumerate(zip(videos, infos, strict=True)):
        inp = ffmpeg.input(str(v))
        s = inp.video.filter("scale", q.width, q.height, force_original_aspect_ratio="decrease")
        s = s.filter("pad", q.width, q.height, "(ow-iw)/2", "(oh-ih)/2",
                     color=PALETTE["background"])
        s = s.filter("setsar", 1).filter("fps", fps=q.fps).filter("format", "yuv420p")
        streams.append(s)
        if sound:
            # silence for a silent part (nb_samples differs per part: ffmpeg-python merges
            # inputs with equal arguments into one)
            a = inp.audio if info.has_audio else ffmpeg.input(
                f"anullsrc=r=48000:cl=stereo:n={1024 + k}", f="lavfi").audio
            a = a.filter("aformat", sample_rates=48000, channel_layouts="stereo")
            streams.append(a.filter("apad").filter("atrim", duration=info.duration)
                           .filter("asetpts", "N/SR/TB"))
    joined = ffmpeg.concat(*streams, v=1, a=1 if sound else 0).node
    outs = [joined[0], joined[1]] if sound else [joined[0]]
    audio = {"acodec": "aac", "b:a": "128k"} if sound else {}
    with atomic_path(dst) as tmp:
        out = ffmpeg.output(*outs, str(tmp), f="mp4", vcodec="libx264", pix_fmt="yuv420p",
                            crf=18, preset="medium", movflags="+faststart", **audio)
        args = out.overwrite_output().global_args("-nostdin", "-loglevel", "error").compile()
        # the chapter file is an extra input that no filter uses, which ffmpeg-python cannot
        # express: add it after the other inputs, and point -map_metadata/-map_chapters at it
        at = max(i for i, a in enumerate(args) if a == "-i") + 2
        extra = len([a for a in args if a == "-i"])
        args[at:at] = ["-f", "ffmetadata", "-i", str(meta), "-map_metadata", str(extra),
                       "-map_chapters", str(extra)]
        proc = subprocess.run(args, capture_output=True)
        if proc.returncode != 0:
            lines = [ln for ln in proc.stderr.decode(errors="replace").splitlines() if ln]
            raise ExportError(f"Joining the episode failed: {lines[-1] if lines else '?'}.")
    return marks


def episode_beats(videos: list[Path], titles: dict[int, str]) -> list:
    """The episode's beats: each part's beats (read beside its video) shifted by where the
    part starts; a video without beats (a title card, index in `titles`) is one beat
    spanning it whose sentence is its title."""
    from nnviz.draw.beats import Beat

    beats, t = [], 0.0
    for i, v in enumerate(videos):
        length = probe(v).duration
        own = load_beats(v)
        if own:
            beats += shifted(own, t)
        elif i in titles:
            beats.append(Beat("title", titles[i], t, t + length))
        t += length
    return beats


def read_chapters(path: str | Path) -> list[tuple[str, float, float]]:
    """(title, start, end) of every chapter in a video, as ffprobe reads them."""
    info = ffmpeg.probe(str(path), show_chapters=None)
    return [(c.get("tags", {}).get("title", ""), float(c["start_time"]), float(c["end_time"]))
            for c in info.get("chapters", [])]
