"""One long scene rendered in parts on several workers, joined without re-encoding.

manim renders each play() (a wait() is a play too) into its own partial movie, and its
config can skip animations: with ``from_animation_number = a`` and
``upto_animation_number = b`` a render plays animations ``a..b`` (both included, counted
from 0) into the movie; the earlier ones are only begun and finished, never drawn, which
rebuilds every mobject's state exactly as a full render leaves it; at ``b + 1`` the scene
ends early. So the parts of a scene, rendered anywhere, hold exactly the frames of a full
render's animations, each part's partial movies starting on a key frame; ffmpeg's concat
demuxer joins them with ``-c copy`` (no re-encoding), and the joined video decodes to the
same frames as a single-process render (tests/test_cluster.py compares them pixel for
pixel).

The parts are balanced by run time (frames), measured by a pass over the scene that skips
every animation (the scene's construct only, nothing drawn or encoded), which costs about
as much as the scene's construct; the run times are kept in --out (.nnviz-split-plans.json,
by scene, config and source file), so a re-render (a palette change, another quality)
starts the parts at once.
"""

from __future__ import annotations

import contextlib
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.pipeline.formulas import private_assets
from nnviz.pipeline.jobs import WORK_DIR, RenderJob, RenderResult, quality
from nnviz.spec.store import TraceStore

NO_LIMIT = -1  # manim's upto_animation_number for "to the end"
PLANS_FILE = ".nnviz-split-plans.json"  # in --out: each scene's play run times, by config


def _plan_key(job: RenderJob) -> str:
    """The scene, its config and its source file's version: what its plays depend on."""
    import hashlib
    import inspect

    from nnviz.pipeline.configs import resolve

    source = Path(inspect.getfile(resolve(job.name)[0]))
    stamp = source.stat().st_mtime_ns if source.is_file() else 0
    digest = hashlib.sha256(f"{job.config!r}|{source}|{stamp}".encode()).hexdigest()[:16]
    return f"{job.name}@{digest}"


def _load_plans(job: RenderJob) -> tuple[Path, dict]:
    import json

    plans_file = job.work.parent / PLANS_FILE
    try:
        plans = json.loads(plans_file.read_text())
    except (OSError, ValueError):
        plans = {}
    return plans_file, plans if isinstance(plans, dict) else {}


def remember_plays(job: RenderJob, durations: list[float]) -> None:
    """Keep the run times of a scene's plays in --out, by scene, config and source, for
    the next split render of it. Every whole render calls this (nnviz.pipeline.worker),
    so a scene drafted first is split at 1080p or 4K without a planning pass."""
    import json

    if not durations:
        return
    plans_file, plans = _load_plans(job)
    plans[_plan_key(job)] = [round(float(d), 6) for d in durations]
    with contextlib.suppress(OSError, NNVizError), atomic_path(plans_file) as tmp:
        tmp.write_text(json.dumps(plans, indent=1, sort_keys=True))


def planned_durations(job: RenderJob, store: TraceStore | None = None) -> list[float]:
    """The scene's play run times: from the last render of the same scene, config and
    source into this --out (whole or split, any quality), else measured now by
    `play_durations`."""
    _, plans = _load_plans(job)
    kept = plans.get(_plan_key(job))
    if isinstance(kept, list) and kept and all(isinstance(d, (int, float)) for d in kept):
        return [float(d) for d in kept]
    durations = play_durations(job, store)
    remember_plays(job, durations)
    return durations


def play_durations(job: RenderJob, store: TraceStore | None = None) -> list[float]:
    """The run time of every play of the job's scene, in order, from a pass that skips
    all of them (construct runs, nothing is drawn or written). Its LaTeX and text go to
    the machine's formula cache, so the parts find them compiled."""
    import shutil
    import tempfile

    from manim import tempconfig

    from nnviz.pipeline.configs import resolve

    scene_cls, _ = resolve(job.name)
    durations: list[float] = []
    job.work.mkdir(parents=True, exist_ok=True)
    media = Path(tempfile.mkdtemp(prefix=f"{job.stem}-plan-", dir=job.work))
    try:
        q = quality(job.quality)  # the parts' size: their texts are laid out for it
        with private_assets(media / "formulas", (q.width, q.height)) as dirs, tempconfig({
            "pixel_width": q.width, "pixel_height": q.height,
            "dry_run": True, "write_to_movie": False, "save_last_frame": False,
            "from_animation_number": 1 << 30, "upto_animation_number": NO_LIMIT,
            "media_dir": str(media), **dirs, "disable_caching": True,
            "progress_bar": "none", "verbosity": "ERROR", "preview": False,
        }):
            scene = scene_cls(config=job.config, store=store or job.store or TraceStore())
            renderer = scene.renderer
            play = renderer.play

            def counting_play(s, *args, **kwargs):  # observes each play's run time
                play(s, *args, **kwargs)
                durations.append(float(s.duration))

            renderer.play = counting_play
            scene.render()
    finally:
        shutil.rmtree(media, ignore_errors=True)
    return durations


def ranges(durations: list[float], n: int) -> list[tuple[int, int]]:
    """Split animations 0..len-1 into at most n contiguous (first, last) ranges of about
    equal run time (each range at least one animation)."""
    count = len(durations)
    n = max(1, min(n, count))
    total = sum(durations) or float(count)
    weights = durations if sum(durations) else [1.0] * count
    cuts, acc = [], 0.0
    for i, d in enumerate(weights[:-1]):
        acc += d
        # cut after animation i when the running total passes the next k/n mark, leaving
        # enough animations for the remaining ranges
        if len(cuts) < n - 1 and acc >= total * (len(cuts) + 1) / n and \
                count - (i + 1) >= n - 1 - len(cuts):
            cuts.append(i)
    # too few cuts (one huge animation): add cuts at the end so there are n ranges
    while len(cuts) < n - 1:
        free = [i for i in range(count - 1) if i not in cuts]
        cuts.append(free[-1])
        cuts.sort()
    starts = [0] + [c + 1 for c in cuts]
    ends = cuts + [count - 1]
    return list(zip(starts, ends, strict=True))


@dataclass
class SplitScene:
    """A scene rendered as parts: the job it replaces and its part jobs."""

    job: RenderJob
    parts: list[RenderJob]
    plan_seconds: float = 0.0


def split_job(job: RenderJob, n: int, store: TraceStore | None = None) -> SplitScene:
    """Plan the parts of a job's scene: one render job per range of its animations, each
    writing its mp4 into the job's work folder (the last part runs to the scene's end)."""

    start = time.perf_counter()
    spans = ranges(planned_durations(job, store), n)
    folder = job.work / f"split-{job.stem}"
    parts = []
    for k, (first, last) in enumerate(spans):
        upto = NO_LIMIT if k == len(spans) - 1 else last
        # the parts find what the planning pass compiled in the machine's formula cache
        work_root = folder / f"p{k:02d}" / WORK_DIR
        parts.append(replace(job, out_dir=folder, work_root=work_root,
                             stem=f"{job.stem}.part{k:02d}",
                             formats=("mp4",), poster_time=None,
                             label=f"{job.label} {k + 1}/{len(spans)}",
                             manim={**job.manim, "from_animation_number": first,
                                    "upto_animation_number": upto}))
    return SplitScene(job, parts, time.perf_counter() - start)


def concat(movies: list[Path], dst: Path) -> Path:
    """Join mp4s of the same stream settings into dst without re-encoding (ffmpeg's concat
    demuxer, -c copy)."""
    listing = dst.parent / f".{dst.stem}.concat.txt"
    listing.parent.mkdir(parents=True, exist_ok=True)
    listing.write_text("".join(f"file '{m.resolve()}'\n" for m in movies))
    try:
        with atomic_path(dst) as tmp:
            proc = subprocess.run(
                ["ffmpeg", "-nostdin", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
                 "-i", str(listing), "-c", "copy", "-movflags", "+faststart", str(tmp)],
                capture_output=True)
            if proc.returncode != 0:
                lines = [ln for ln in proc.stderr.decode(errors="replace").splitlines() if ln]
                raise NNVizError(f"Joining the parts of '{dst.stem}' failed: "
                                 f"{lines[-1] if lines else '?'}.")
    finally:
        listing.unlink(missing_ok=True)
    return dst


def join_parts(split: SplitScene, results: list[RenderResult],
               on_status: Callable[[str], None] | None = None) -> RenderResult:
    """The scene's result from its parts' results: the parts joined (copy), then exported
    to the job's formats like any render. A failed part fails the scene."""
    from nnviz.draw.beats import read_beats, write_beats
    from nnviz.pipeline.export import Lecture, export, probe

    job = split.job
    result = RenderResult(job, seconds=split.plan_seconds + max(
        (r.seconds for r in results), default=0.0))
    failed = [r for r in results if not r.ok]
    if failed:
        result.error = f"part {failed[0].job.label}: {failed[0].error}"
        result.traceback = failed[0].traceback
    else:
        start = time.perf_counter()
        folder = split.parts[0].out_dir
        joined = folder / f"{job.stem}.joined.mp4"
        try:
            if on_status:
                on_status("joining parts")
            if any(probe(r.files["mp4"]).has_audio for r in results):
                # each part would carry the sounds of its own range at the scene's times
                raise NNVizError(f"scene '{job.name}' adds sound, which a split render "
                                 "cannot place: render it whole (drop --split).")
            concat([r.files["mp4"] for r in results], joined)
            if on_status:
                on_status("exporting")
            result.duration = probe(joined).duration
            # the last part ran the whole construct (the others end early), so its beats
            # are the scene's, timed as in a full render
            beats = read_beats(results[-1].files["beats"]) if "beats" in results[-1].files \
                else []
            if beats:
                result.files["beats"] = job.out_dir / f"{job.stem}.beats.json"
                write_beats(result.files["beats"], beats, job.name, result.duration)
            result.files.update(export(joined, job.formats, job.out_dir, job.stem,
                                       job.poster_time, lecture=Lecture(
                                           beats or None, title=job.title,
                                           autoplay_loop=job.autoplay_loop)))
        except NNVizError as e:
            result.error = str(e)
        result.seconds += time.perf_counter() - start
    import shutil

    shutil.rmtree(split.parts[0].out_dir, ignore_errors=True)
    return result


def expand(jobs: list[RenderJob], n: int, store: TraceStore | None = None
           ) -> tuple[list[RenderJob], Callable[[list[RenderResult]], list[RenderResult]]]:
    """The jobs the workers render when every scene is split into up to n parts (n = 1:
    the jobs themselves), and the function that turns their results back into one result
    per scene (parts joined and exported). A scene whose plan fails is failed up front."""
    if n <= 1:
        return jobs, lambda results: results
    work: list[RenderJob] = []
    plan: list[SplitScene | RenderResult] = []
    for job in jobs:
        try:
            split = split_job(job, n, store)
        except (Exception, SystemExit) as e:  # noqa: BLE001 - the scene fails, not the batch
            import traceback

            why = str(e) if isinstance(e, NNVizError) else f"{type(e).__name__}: {e}"
            plan.append(RenderResult(job, error=why, traceback=traceback.format_exc()))
            continue
        plan.append(split)
        work.extend(split.parts)

    def assemble(results: list[RenderResult]) -> list[RenderResult]:
        out, at = [], 0
        for item in plan:
            if isinstance(item, RenderResult):
                out.append(item)
                continue
            count = len(item.parts)
            out.append(join_parts(item, results[at:at + count]))
            at += count
        for job in jobs:
            with contextlib.suppress(OSError):
                job.work.rmdir()
        return out

    return work, assemble
