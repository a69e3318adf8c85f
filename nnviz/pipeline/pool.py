"""The pool: render jobs in parallel worker processes, longest first, with live status.

Each scene renders in a fresh spawned process (manim keeps global state, so none leaks
between scenes). The last render time of every scene is kept in the output folder so
that the next batch starts the long scenes first and the workers finish together.
"""

from __future__ import annotations

import contextlib
import json
import math
import multiprocessing as mp
import os
import signal
import sys
import traceback
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.pipeline.cleanup import sweep
from nnviz.pipeline.jobs import RenderJob, RenderResult
from nnviz.pipeline.worker import init_worker, render_job

_QUIET_TRACKER = "ignore:resource_tracker:UserWarning"
TIMES_FILE = ".nnviz-render-times.json"  # last render time per scene, to start long ones first


def quiet_resource_tracker() -> None:
    """multiprocessing's resource tracker (started with this process's -W options) unlinks
    the semaphores of a process killed mid-render itself; its warning that it did so, after
    an interrupted run's one line, is noise."""
    if _QUIET_TRACKER not in sys.warnoptions:
        sys.warnoptions.append(_QUIET_TRACKER)


def _load_times(out: Path) -> dict[str, float]:
    """The last render times; a missing, unreadable or foreign file counts as none (and is
    rewritten after this batch)."""
    try:
        times = json.loads((out / TIMES_FILE).read_text())
    except (OSError, ValueError):
        return {}
    if not isinstance(times, dict):
        return {}
    return {k: float(v) for k, v in times.items()
            if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)}


def _save_times(out: Path, results: list[RenderResult]) -> None:
    times = _load_times(out)
    for r in results:
        if r.ok:
            times[f"{r.job.name}@{r.job.quality}"] = round(r.seconds, 2)
    with contextlib.suppress(OSError, NNVizError), atomic_path(out / TIMES_FILE) as tmp:
        tmp.write_text(json.dumps(times, indent=1, sort_keys=True))


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
    quiet_resource_tracker()
    status_in, queue = ctx.Pipe(duplex=False)  # no semaphores: a killed worker leaks none
    results: dict[int, RenderResult] = {}
    pool = ProcessPoolExecutor(max_workers=max(1, n_jobs), mp_context=ctx,
                               initializer=init_worker, initargs=(queue, os.getpid()),
                               max_tasks_per_child=1)
    try:
        futures = {pool.submit(render_job, jobs[i], i): i for i in order}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            _drain(status_in, on_status)
            for fut in done:
                i = futures[fut]
                try:
                    results[i] = fut.result()
                except Exception as e:  # noqa: BLE001 - a worker died (e.g. killed)
                    results[i] = RenderResult(jobs[i], error=f"worker process failed: {e}",
                                              traceback=traceback.format_exc())
                if on_done:
                    on_done(i, results[i])
        _drain(status_in, on_status)
    except BaseException:
        stop_workers(pool)  # Ctrl-C or SIGTERM: do not wait for the running renders
        sweep(out)
        raise
    else:
        pool.shutdown(wait=True)
    finally:
        queue.close()
        status_in.close()
        for job in jobs:
            with contextlib.suppress(OSError):
                job.work.rmdir()
    ordered = [results[i] for i in range(len(jobs))]
    _save_times(out, ordered)
    return ordered


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Kill the running workers with everything they started (each leads its own process
    group), then cancel what has not started and reap them, so none publishes a file
    later. The shutdown does not wait for renders: there are none left."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for p in processes:
        with contextlib.suppress(OSError, ValueError):
            if p.pid:
                os.killpg(p.pid, signal.SIGKILL)
        with contextlib.suppress(OSError, ValueError):
            p.kill()
    pool.shutdown(wait=True, cancel_futures=True)


def _drain(status: Any, on_status: Callable[[int, str], None] | None) -> None:
    """Pass on the status messages the workers sent (each is one small atomic pipe write)."""
    with contextlib.suppress(OSError, EOFError, ValueError):
        while status.poll():
            index, message = status.recv()
            if on_status:
                on_status(index, message)
