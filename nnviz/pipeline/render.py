"""The render pipeline: validated configs -> cached traces -> scenes rendered in parallel
processes -> videos and lecture exports at renders/<scene>/<quality>/<scene>.<ext>.

The order matters for the people who use it: every config value of every requested scene
is checked before anything trains or renders (a typo costs one line, not a half-finished
batch); every trace is trained at most once, up front, into the shared cache; each scene
then renders in its own process (manim keeps global state), writes into a private work
folder, and its files reach their final names only by an atomic rename.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import multiprocessing as mp
import os
import shutil
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError, choices_hint
from nnviz.pipeline.encoding import ENCODINGS, encoder_options  # noqa: F401  (part of this API)
from nnviz.spec import store as cache
from nnviz.spec.config import SceneConfig, TraceSpec, build_config, config_fields, load_toml


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
TIMES_FILE = ".nnviz-render-times.json"  # last render time per scene, to start long ones first

# Scenes that ship inside the package (not listed by `nnviz list`), e.g. episode title cards.
BUILTIN_SCENES = {"title-card": ("nnviz.draw.title_card", "TitleCard")}


def quality(name: str) -> Quality:
    if name not in QUALITIES:
        raise NNVizError(f"Unknown quality '{name}'." + choices_hint(name, list(QUALITIES)))
    return QUALITIES[name]


def resolve(name: str) -> tuple[type, type[SceneConfig]]:
    """(scene class, config class) of a registered or built-in scene."""
    if name in BUILTIN_SCENES:
        import importlib

        module, cls_name = BUILTIN_SCENES[name]
        cls = getattr(importlib.import_module(module), cls_name)
        return cls, cls.Config
    from nnviz.spec import registry

    entry = registry.get(name)
    return entry.scene_class, entry.config_class


# -- configs --------------------------------------------------------------------------------

def scene_names(names: Iterable[str], all_scenes: bool) -> list[str]:
    """The scenes to render, checked against the registry (unknown -> one line + suggestion)."""
    from nnviz.spec import registry

    names = list(dict.fromkeys(names))
    if all_scenes and names:
        raise NNVizError("Give scene names or --all, not both.")
    if all_scenes:
        found = sorted(registry.discover())
        if not found:
            raise NNVizError(f"No scenes are registered in '{registry.scenes_dir()}'.")
        return found
    if not names:
        raise NNVizError("Name at least one scene to render, or use --all (see 'nnviz list').")
    for name in names:
        registry.get(name)
    return names


def scene_keys(name: str) -> set[str]:
    """The setting names scene `name` accepts."""
    return set(config_fields(resolve(name)[1]))


def config_file_overrides(path: str | Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """Per-scene overrides from a TOML file: top-level keys are shared (applied to every
    scene that has them), [scene-name] tables are for that scene. Every table and key is
    checked, also for scenes not being rendered now, so a typo never passes silently."""
    from nnviz.spec import registry

    data = load_toml(path)
    registered = registry.discover()
    shared = {k: v for k, v in data.items() if not isinstance(v, dict)}
    tables = {k: v for k, v in data.items() if isinstance(v, dict)}
    where = f"Config file '{path}'"
    for table, values in tables.items():
        if table not in registered:
            raise NNVizError(f"{where}: there is no scene '{table}' for table [{table}]."
                             + choices_hint(table, sorted(registered)))
        try:
            build_config(registered[table].config_class, values, table)
        except NNVizError as e:
            raise NNVizError(f"{where}: {e}") from None
    all_keys = sorted(set().union(*(scene_keys(n) for n in registered)) if registered else set())
    for key in shared:
        if key not in all_keys:
            raise NNVizError(f"{where}: no scene has a setting '{key}'."
                             + choices_hint(key, all_keys))
    out = {}
    for name in names:
        keys = scene_keys(name)
        values = {k: v for k, v in shared.items() if k in keys}
        values.update(tables.get(name, {}))
        out[name] = values
    return out


def apply_sets(sets: dict[str, Any], names: list[str],
               overrides: dict[str, dict[str, Any]]) -> None:
    """--set key=value goes to every requested scene that has the key; a key none of them
    has is an error (reported as the first scene's, with its close matches)."""
    for key, value in sets.items():
        having = [n for n in names if key in scene_keys(n)]
        if not having:
            build_config(resolve(names[0])[1], {key: value}, names[0])  # raises, with hint
        for n in having:
            overrides.setdefault(n, {})[key] = value


def build_configs(overrides: dict[str, dict[str, Any]]) -> dict[str, SceneConfig]:
    """Validate every scene's overrides (all of them, before any work starts)."""
    return {name: build_config(resolve(name)[1], values, name)
            for name, values in overrides.items()}


def check_writable(folder: Path, what: str) -> Path:
    """Create `folder` if needed and prove we can write in it; otherwise one line."""
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".nnviz-probe-"):
            pass
    except OSError as e:
        reason = e.strerror or str(e)
        raise NNVizError(f"Cannot write to {what} '{folder}': {reason}.") from None
    return folder


# -- traces ---------------------------------------------------------------------------------

def needed_traces(configs: Iterable[SceneConfig]) -> dict[str, TraceSpec]:
    """Every trace the configs read, once each (two scenes may share one)."""
    specs: dict[str, TraceSpec] = {}
    for cfg in configs:
        for s in cfg.traces().values():
            specs.setdefault(s.key(), s)
    return specs


def ensure_traces(specs: dict[str, TraceSpec], cache_dir: Path, retrain: bool = False,
                  ui: Any = None) -> tuple[list[str], list[str]]:
    """Train what the cache lacks (or everything, with retrain); (trained, cached) keys."""
    trained, cached = [], []
    for key, s in specs.items():
        if not retrain and cache.trace_path(s, cache_dir).is_file():
            cached.append(key)
            continue
        progress = ui.training(s.label(), s.steps) if ui else None
        try:
            _, did_train = cache.ensure(s, cache_dir, retrain=retrain, progress=progress)
        finally:
            if ui:
                ui.training_done(s.label())
        (trained if did_train else cached).append(key)
    return trained, cached


# -- rendering ------------------------------------------------------------------------------

@dataclass
class RenderJob:
    """One scene to render: everything a worker process needs (picklable)."""

    name: str
    config: dict[str, Any]
    quality: str
    out_dir: Path
    stem: str
    formats: tuple[str, ...] = ("mp4",)
    poster_time: float | None = None
    cache_dir: Path | None = None
    work_root: Path | None = None
    label: str = ""
    encoding: str = "fast"
    parallel: int = 1  # renders running at once (set by run_jobs), for encoder threads

    def __post_init__(self) -> None:
        self.label = self.label or self.name


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


_QUEUE: Any = None


def _init_worker(queue: Any) -> None:
    global _QUEUE
    _QUEUE = queue


def _report(index: int, status: str) -> None:
    if _QUEUE is not None:
        with contextlib.suppress(Exception):
            _QUEUE.put((index, status))


def render_job(job: RenderJob, index: int = 0) -> RenderResult:
    """Render one scene with manim's Python API, then export its formats atomically.

    Runs inside a worker process; never raises for a scene's own failure (the result
    carries the error), so one broken scene does not take the batch down."""
    from nnviz.pipeline.export import export, probe

    start = time.perf_counter()
    result = RenderResult(job)
    work_root = Path(job.work_root or job.out_dir / WORK_DIR)
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{job.stem}-", dir=work_root))  # parent removes root
    try:
        if job.cache_dir:
            os.environ["NNVIZ_CACHE"] = str(job.cache_dir)
        scene_cls, config_cls = resolve(job.name)
        cfg = build_config(config_cls, job.config, job.name)
        assets = work_root.parent / ASSETS_DIR / job.name
        assets.mkdir(parents=True, exist_ok=True)
        with open(assets / ".lock", "w") as lock:
            # one render of a scene at a time uses its LaTeX/text cache (two workers never
            # compile the same formula into the same file at once)
            fcntl.flock(lock, fcntl.LOCK_EX)
            movie = _render_movie(scene_cls, cfg, quality(job.quality), work, job.stem,
                                  index, assets, encoder_options(job.encoding, job.parallel))
        _report(index, "exporting")
        result.files = export(movie, job.formats, job.out_dir, job.stem, job.poster_time,
                              on_step=lambda fmt: _report(index, f"exporting {fmt}"))
        result.duration = probe(movie).duration
    except (Exception, SystemExit) as e:  # noqa: BLE001 - reported per scene, not raised
        result.error = str(e) if isinstance(e, NNVizError) else f"{type(e).__name__}: {e}"
        result.traceback = traceback.format_exc()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    result.seconds = time.perf_counter() - start
    return result


def _render_movie(scene_cls: type, cfg: SceneConfig, q: Quality, work: Path, stem: str,
                  index: int, assets: Path, encoder: dict[str, str]) -> Path:
    """manim renders into the private `work` folder; LaTeX and text SVGs go to `assets`,
    which outlives the render, so a re-render does not compile every formula again."""
    from manim import tempconfig

    from nnviz.draw import patches
    from nnviz.draw.scene import use_config

    use_config(scene_cls, cfg)
    try:
        with tempconfig({
            "pixel_width": q.width, "pixel_height": q.height, "frame_rate": q.fps,
            "media_dir": str(work), "tex_dir": str(assets / "Tex"),
            "text_dir": str(assets / "texts"), "output_file": stem, "disable_caching": True,
            "write_to_movie": True, "save_last_frame": False,
            "progress_bar": "none", "verbosity": "ERROR", "preview": False,
            "dry_run": False, "video_encoder_options": encoder,
        }):
            scene = scene_cls()
            patches.on_each_play(scene, lambda n: _report(index, f"rendering: animation {n}"))
            _report(index, "rendering")
            scene.render()
            movie = Path(scene.renderer.file_writer.movie_file_path)
    finally:
        use_config(scene_cls, None)
    if not movie.is_file():
        raise NNVizError(f"manim wrote no video for scene '{stem}' (does it play anything?).")
    return movie


def _load_times(out: Path) -> dict[str, float]:
    try:
        return json.loads((out / TIMES_FILE).read_text())
    except (OSError, ValueError):
        return {}


def _save_times(out: Path, results: list[RenderResult]) -> None:
    times = _load_times(out)
    for r in results:
        if r.ok:
            times[f"{r.job.name}@{r.job.quality}"] = round(r.seconds, 2)
    with contextlib.suppress(OSError):
        tmp = out / f"{TIMES_FILE}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps(times, indent=1, sort_keys=True))
        os.replace(tmp, out / TIMES_FILE)


def run_jobs(jobs: list[RenderJob], n_jobs: int, out: Path,
             on_status: Callable[[int, str], None] | None = None,
             on_done: Callable[[int, RenderResult], None] | None = None) -> list[RenderResult]:
    """Render jobs in up to n_jobs fresh worker processes (spawned, one scene each, so no
    manim state leaks between scenes). Scenes that took longest last time start first, so
    that two workers finish together. Returns results in job order."""
    times = _load_times(out)
    order = sorted(range(len(jobs)),
                   key=lambda i: -times.get(f"{jobs[i].name}@{jobs[i].quality}", 1e9))
    for job in jobs:
        job.parallel = max(1, min(n_jobs, len(jobs)))
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    results: dict[int, RenderResult] = {}
    pool = ProcessPoolExecutor(max_workers=max(1, n_jobs), mp_context=ctx,
                               initializer=_init_worker, initargs=(queue,),
                               max_tasks_per_child=1)
    try:
        futures = {pool.submit(render_job, jobs[i], i): i for i in order}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(queue, on_status)
            for fut in done:
                i = futures[fut]
                try:
                    results[i] = fut.result()
                except Exception as e:  # noqa: BLE001 - a worker died (e.g. killed)
                    results[i] = RenderResult(jobs[i], error=f"worker process failed: {e}",
                                              traceback=traceback.format_exc())
                if on_done:
                    on_done(i, results[i])
        _drain(queue, on_status)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        queue.close()
        for job in jobs:
            with contextlib.suppress(OSError):
                Path(job.work_root or job.out_dir / WORK_DIR).rmdir()
    ordered = [results[i] for i in range(len(jobs))]
    _save_times(out, ordered)
    return ordered


def _drain(queue: Any, on_status: Callable[[int, str], None] | None) -> None:
    import queue as queue_mod

    while True:
        try:
            index, status = queue.get_nowait()
        except (queue_mod.Empty, OSError, ValueError):
            return
        if on_status:
            on_status(index, status)


def scene_jobs(configs: dict[str, SceneConfig], overrides: dict[str, dict[str, Any]],
               q: Quality, out: Path, formats: tuple[str, ...], poster_time: float | None,
               cache_dir: Path, encoding: str = "fast") -> list[RenderJob]:
    """One job per scene, writing renders/<scene>/<quality>/<scene>.<ext>."""
    return [RenderJob(name, dict(overrides.get(name, {})), q.name, out / name / q.name, name,
                      formats, poster_time, cache_dir, out / WORK_DIR, encoding=encoding)
            for name in configs]


def resolve_cache_dir(cache_dir: str | Path | None) -> Path:
    """--cache, else $NNVIZ_CACHE, else ./cache/traces; created now if missing."""
    folder = Path(cache_dir) if cache_dir else cache.default_cache_dir()
    return check_writable(folder, "trace cache folder")


def train_and_render(jobs: list[RenderJob], configs: Iterable[SceneConfig], out: Path,
                     cache_dir: Path, retrain: bool, n_jobs: int, console: Any) -> list[
                         RenderResult]:
    """The shared back half of `render` and `episode`: fill the trace cache (reporting
    trained vs cached), then render every job with a progress row each."""
    from nnviz.pipeline.progress import RenderProgress, TrainingProgress

    specs = needed_traces(configs)
    with TrainingProgress(console) as ui:
        trained, cached = ensure_traces(specs, cache_dir, retrain, ui)
    console.print(f"traces: {len(trained)} trained, {len(cached)} cached "
                  f"(cache: {cache_dir})")
    with RenderProgress(console, [j.label for j in jobs]) as board:
        return run_jobs(jobs, n_jobs, out, on_status=board.status, on_done=board.done)


def report_failures(results: list[RenderResult], console: Any, verbose: bool) -> int:
    """One line per failed scene (traceback only with --verbose); the exit code."""
    failed = [r for r in results if not r.ok]
    for r in failed:
        if verbose and r.traceback:
            console.print(r.traceback, markup=False, highlight=False)
        console.print(f"nnviz: error: scene '{r.job.label}' failed: {r.error}",
                      markup=False, highlight=False)
    return 1 if failed else 0
