"""The worker: one scene rendered with manim's Python API, then exported atomically.

`render_job` runs in a worker process of the pool (manim keeps global state, so each
scene gets a fresh process) or, for the Python API, in the caller's process. It writes
into a private work folder; files reach their final names only by an atomic rename.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError
from nnviz.pipeline.configs import resolve
from nnviz.pipeline.encoding import encoder_options
from nnviz.pipeline.jobs import ASSETS_DIR, Quality, RenderJob, RenderResult, quality
from nnviz.spec.config import SceneConfig
from nnviz.spec.store import TraceStore

_QUEUE: Any = None


def init_worker(queue: Any) -> None:
    """Pool initializer: status messages go to `queue`; scene files from $NNVIZ_SCENES
    are imported, so the jobs' config classes unpickle."""
    global _QUEUE
    _QUEUE = queue
    if os.environ.get("NNVIZ_SCENES"):
        from nnviz.spec import registry

        with contextlib.suppress(NNVizError):  # the parent imported them; it cannot fail here
            registry.discover()


def _report(index: int, status: str) -> None:
    if _QUEUE is not None:
        with contextlib.suppress(Exception):
            _QUEUE.put((index, status))


def render_job(job: RenderJob, index: int = 0) -> RenderResult:
    """Render one scene, then export its formats atomically.

    Never raises for a scene's own failure (the result carries the error), so one broken
    scene does not take the batch down."""
    from nnviz.pipeline.export import export, probe

    start = time.perf_counter()
    result = RenderResult(job)
    work_root = job.work
    work_root.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{job.stem}-", dir=work_root))  # parent removes root
    try:
        scene_cls, _ = resolve(job.name)
        assets = work_root.parent / ASSETS_DIR / job.name
        assets.mkdir(parents=True, exist_ok=True)
        with open(assets / ".lock", "w") as lock:
            # one render of a scene at a time uses its LaTeX/text cache (two workers never
            # compile the same formula into the same file at once)
            fcntl.flock(lock, fcntl.LOCK_EX)
            movie = _render_movie(scene_cls, job.config, job.store or TraceStore(),
                                  quality(job.quality), work, job.stem, index, assets,
                                  encoder_options(job.encoding, job.parallel), job.manim)
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


def _render_movie(scene_cls: type, cfg: SceneConfig, store: TraceStore, q: Quality,
                  work: Path, stem: str, index: int, assets: Path,
                  encoder: dict[str, str], manim: dict[str, Any] | None = None) -> Path:
    """manim renders into the private `work` folder; LaTeX and text SVGs go to `assets`,
    which outlives the render, so a re-render does not compile every formula again."""
    from manim import tempconfig

    from nnviz.draw import patches

    with tempconfig({
        "pixel_width": q.width, "pixel_height": q.height, "frame_rate": q.fps,
        "media_dir": str(work), "tex_dir": str(assets / "Tex"),
        "text_dir": str(assets / "texts"), "output_file": stem, "disable_caching": True,
        "write_to_movie": True, "save_last_frame": False,
        "progress_bar": "none", "verbosity": "ERROR", "preview": False,
        "dry_run": False, "video_encoder_options": encoder, **(manim or {}),
    }):
        scene = scene_cls(config=cfg, store=store)
        patches.on_each_play(scene, lambda n: _report(index, f"rendering: animation {n}"))
        _report(index, "rendering")
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    if not movie.is_file():
        raise NNVizError(f"manim wrote no video for scene '{stem}' (does it play anything?).")
    return movie
