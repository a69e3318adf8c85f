"""What a render is, as plain picklable values: qualities, render jobs and their results,
and where their files go (renders/<scene>/<quality>/<scene>.<ext>)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError, choices_hint
from nnviz.spec.config import SceneConfig
from nnviz.spec.store import TraceStore


@dataclass(frozen=True)
class Quality:
    name: str
    width: int
    height: int
    fps: int


QUALITIES = {
    "draft": Quality("draft", 854, 480, 15),
    "720p": Quality("720p", 1280, 720, 30),
    "1080p": Quality("1080p", 1920, 1080, 60),
    "4k": Quality("4k", 3840, 2160, 60),
}

WORK_DIR = ".nnviz-work"  # inside --out; private, removed after each render
ASSETS_DIR = ".nnviz-assets"  # inside --out; manim's LaTeX/text SVGs per scene, kept


def quality(name: str) -> Quality:
    if name not in QUALITIES:
        raise NNVizError(f"Unknown quality '{name}'." + choices_hint(name, list(QUALITIES)))
    return QUALITIES[name]


@dataclass
class RenderJob:
    """One scene to render: everything a worker process needs (picklable). The config is
    the validated config object itself, so a worker never parses or checks settings."""

    name: str
    config: SceneConfig
    quality: str
    out_dir: Path
    stem: str
    formats: tuple[str, ...] = ("mp4",)
    poster_time: float | None = None
    store: TraceStore | None = None
    work_root: Path | None = None
    label: str = ""
    encoding: str = "fast"
    parallel: int = 1  # renders running at once (set by run_jobs), for encoder threads
    # manim config for this render only: a part of a split scene sets its animation range
    # (from_animation_number / upto_animation_number), see nnviz.pipeline.split
    manim: dict[str, Any] = field(default_factory=dict)
    narrate: bool = False  # scratch narration of the beats' sentences (nnviz.pipeline.narration)
    title: str | None = None  # the video's title (mp4 metadata, the HTML snippet)
    autoplay_loop: bool = False  # the HTML snippet plays at once, muted, looping

    def __post_init__(self) -> None:
        self.label = self.label or self.name

    @property
    def work(self) -> Path:
        """The private folder its files are made in (removed when renders finish)."""
        return Path(self.work_root or self.out_dir / WORK_DIR)


@dataclass
class RenderResult:
    job: RenderJob
    files: dict[str, Path] = field(default_factory=dict)
    seconds: float = 0.0
    duration: float | None = None
    error: str | None = None
    traceback: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def scene_jobs(configs: dict[str, SceneConfig], q: Quality, out: Path,
               formats: tuple[str, ...], poster_time: float | None, store: TraceStore,
               encoding: str = "fast", narrate: bool = False,
               autoplay_loop: bool = False) -> list[RenderJob]:
    """One job per scene, writing renders/<scene>/<quality>/<scene>.<ext>."""
    from nnviz.spec import registry

    scenes = registry.discover()
    return [RenderJob(name, cfg, q.name, out / name / q.name, name, formats, poster_time,
                      store, out / WORK_DIR, encoding=encoding, narrate=narrate,
                      title=scenes[name].description if name in scenes else None,
                      autoplay_loop=autoplay_loop)
            for name, cfg in configs.items()]
