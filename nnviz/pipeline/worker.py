"""The worker: one scene rendered with manim's Python API, then exported atomically.

`render_job` runs in a worker process of the pool (manim keeps global state, so each
scene gets a fresh process) or, for the Python API, in the caller's process. It writes
into a private work folder; files reach their final names only by an atomic rename.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError
from nnviz.core.files import disk_full
from nnviz.draw.beats import Beat, write_beats
from nnviz.pipeline.cleanup import work_folder
from nnviz.pipeline.configs import resolve
from nnviz.pipeline.encoding import encoder_options, encoder_queue_size
from nnviz.pipeline.formulas import private_assets
from nnviz.pipeline.jobs import Quality, RenderJob, RenderResult, quality
from nnviz.spec.config import SceneConfig
from nnviz.spec.store import TraceStore

_QUEUE: Any = None


def init_worker(queue: Any, parent: int | None = None) -> None:
    """Pool initializer: status messages go to `queue` (the write end of a pipe); the scene
    folders (project, $NNVIZ_SCENES, --scenes) become importable, so the jobs' config
    classes unpickle. The worker dies with its parent (`parent`, the pid of the process
    that runs the pool), children and all."""
    global _QUEUE
    _QUEUE = queue
    if parent is not None:
        die_with_parent(parent)
    from nnviz.spec import registry

    with contextlib.suppress(NNVizError):  # the parent checked them; it cannot fail here
        registry.install_folders()


def _die(*_: object) -> None:
    """Kill this worker's process group (the worker, and the ffmpeg and LaTeX it runs) at
    once: nothing it was making may reach a final path. The next run sweeps its files."""
    with contextlib.suppress(OSError):
        os.killpg(os.getpgrp(), signal.SIGKILL)
    os._exit(143)


def die_with_parent(parent: int) -> None:
    """Make this process (a render worker) stop when `parent` dies or asks it to (SIGTERM).

    The worker leads its own process group, so killing the group also stops the tools it
    started, and Ctrl-C in a terminal reaches only the parent, which stops the workers
    itself. On Linux the kernel sends SIGTERM when the parent dies (PR_SET_PDEATHSIG, even
    after SIGKILL); a thread watching the parent's pid is the fallback elsewhere."""
    with contextlib.suppress(OSError):
        os.setpgrp()
    signal.signal(signal.SIGTERM, _die)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C stops
    if sys.platform.startswith("linux"):
        with contextlib.suppress(Exception):
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    if os.getppid() != parent:  # it died before the signal was armed
        _die()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        _die()

    threading.Thread(target=watch, name="nnviz-parent-watch", daemon=True).start()


def _report(index: int, status: str) -> None:
    if _QUEUE is not None:
        with contextlib.suppress(Exception):
            _QUEUE.send((index, status))


def render_job(job: RenderJob, index: int = 0) -> RenderResult:
    """Render one scene, then export its formats atomically.

    Never raises for a scene's own failure (the result carries the error), so one broken
    scene does not take the batch down."""
    from nnviz.pipeline.export import Lecture, export, probe
    from nnviz.pipeline.narration import VOICE_DIR, Voice

    start = time.perf_counter()
    result = RenderResult(job)
    try:
        with work_folder(job.work, job.stem) as work:
            scene_cls, _ = resolve(job.name)
            # LaTeX and text SVGs: a private folder seeded from (and published to) the
            # machine's formula cache, so no render compiles what another already did
            voice = Voice(job.work.parent / VOICE_DIR) if job.narrate else None
            q = quality(job.quality)
            plays: list[float] = []
            with private_assets(work / "formulas", (q.width, q.height)) as dirs:
                movie, beats = _render_movie(scene_cls, job.config, job.store or TraceStore(),
                                             q, work, job.stem, index, dirs,
                                             encoder_options(job.encoding, job.parallel),
                                             job.manim, voice, plays)
            if not {"from_animation_number", "upto_animation_number"} & job.manim.keys() \
                    and not job.narrate:  # every play ran, at the scene's own timing
                from nnviz.pipeline.split import remember_plays

                remember_plays(job, plays)
            _report(index, "exporting")
            lecture = Lecture(beats=beats or None, title=job.title,
                              autoplay_loop=job.autoplay_loop)
            result.files = export(movie, job.formats, job.out_dir, job.stem, job.poster_time,
                                  on_step=lambda fmt: _report(index, f"exporting {fmt}"),
                                  lecture=lecture)
            result.duration = probe(movie).duration
            if beats:  # what captions, chapters and slides are made from
                result.files["beats"] = job.out_dir / f"{job.stem}.beats.json"
                write_beats(result.files["beats"], beats, job.name, result.duration)
    except (Exception, SystemExit) as e:  # noqa: BLE001 - reported per scene, not raised
        result.traceback = traceback.format_exc()
        if disk_full(e) or _no_space(job.out_dir):
            result.error = (f"disk full: no space left for '{job.work.parent}' "
                            "(free some space and render again).")
        else:
            result.error = str(e) if isinstance(e, NNVizError) else f"{type(e).__name__}: {e}"
    result.seconds = time.perf_counter() - start
    return result


def _no_space(folder: Path) -> bool:
    """Whether the disk under `folder` is (nearly) full: manim's text and LaTeX tools may
    fail on a full disk with errors that never say so."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    try:
        return shutil.disk_usage(folder).free < 1 << 20
    except OSError:
        return False


@contextlib.contextmanager
def _quiet_manim():
    """PyAV's logger at ERROR for the block: when manim muxes a scene's sound into its
    movie it passes options PyAV does not use, and PyAV warns about them every time."""
    import logging

    av_log = logging.getLogger("av")
    level = av_log.level
    av_log.setLevel(logging.ERROR)
    try:
        yield
    finally:
        av_log.setLevel(level)


def _render_movie(scene_cls: type, cfg: SceneConfig, store: TraceStore, q: Quality,
                  work: Path, stem: str, index: int, assets: dict[str, str],
                  encoder: dict[str, str], manim: dict[str, Any] | None = None,
                  voice: Any = None, plays: list[float] | None = None
                  ) -> tuple[Path, list[Beat]]:
    """manim renders into the private `work` folder; LaTeX and text SVGs go to the
    folders `assets` names (tex_dir, text_dir: see pipeline.formulas). `voice`: the
    narration hook the scene's beats call (BeatsMixin.voice). `plays`, when given, gets
    the run time of each play (manim's animation numbers), for split renders' plans."""
    from manim import tempconfig

    from nnviz.draw import patches

    with tempconfig({
        "pixel_width": q.width, "pixel_height": q.height, "frame_rate": q.fps,
        "media_dir": str(work), **assets, "output_file": stem, "disable_caching": True,
        "write_to_movie": True, "save_last_frame": False,
        "progress_bar": "none", "verbosity": "ERROR", "preview": False,
        "dry_run": False, "video_encoder_options": encoder,
        "encoder_queue_size": encoder_queue_size(q.width, q.height), **(manim or {}),
    }):
        scene = scene_cls(config=cfg, store=store)
        if voice is not None:  # narration: each beat speaks its sentence (BeatsMixin.voice)
            scene.voice = voice
        patches.on_each_play(scene, lambda n: _report(index, f"rendering: animation {n}"))
        if plays is not None:
            play = scene.renderer.play

            def timed_play(s: Any, *args: Any, **kwargs: Any) -> None:
                play(s, *args, **kwargs)
                plays.append(float(s.duration))

            scene.renderer.play = timed_play
        _report(index, "rendering")
        with _quiet_manim():
            scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    if not movie.is_file():
        raise NNVizError(f"manim wrote no video for scene '{stem}' (does it play anything?).")
    return movie, list(getattr(scene, "beats", []))
