"""The back half of `nnviz render` and `nnviz episode`: validated configs -> cached
traces -> scenes rendered in parallel processes -> videos and lecture exports at
renders/<scene>/<quality>/<scene>.<ext>, with progress on the console.

The steps live in their own modules: configs (gathering and validating settings), traces
(filling the trace store), jobs (what a render is), worker (one scene rendered and
exported) and pool (parallel workers).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from nnviz.pipeline.cleanup import sweep
from nnviz.pipeline.jobs import RenderJob, RenderResult
from nnviz.pipeline.pool import run_jobs
from nnviz.pipeline.traces import ensure_traces, needed_traces
from nnviz.spec.config import SceneConfig
from nnviz.spec.store import TraceStore


def train_and_render(jobs: list[RenderJob], configs: Iterable[SceneConfig], out: Path,
                     store: TraceStore, retrain: bool, n_jobs: int,
                     console: Any, scheduler: str | None = None,
                     split: int = 1) -> list[RenderResult]:
    """Fill the trace store (reporting trained vs cached), then render every job with a
    progress row each: in local worker processes, or on the Dask cluster at `scheduler`
    (nnviz.pipeline.cluster). With split > 1 each scene renders in up to that many parts
    (nnviz.pipeline.split), joined afterwards."""
    from nnviz.pipeline.progress import RenderProgress, TrainingProgress
    from nnviz.pipeline.split import expand

    if scheduler:
        from nnviz.pipeline.cluster import train_and_render_cluster

        return train_and_render_cluster(jobs, configs, out, store, retrain, console,
                                        scheduler, split)

    sweep(out, store.folder)  # what killed runs left (their owners are gone)
    specs = needed_traces(configs)
    with TrainingProgress(console) as ui:
        trained, cached = ensure_traces(specs, store, retrain, ui)
    console.print(f"traces: {len(trained)} trained, {len(cached)} cached "
                  f"(cache: {store.folder})")
    work, assemble = expand(jobs, split, store)
    with RenderProgress(console, [j.label for j in work]) as board:
        results = run_jobs(work, n_jobs, out, on_status=board.status, on_done=board.done)
    return assemble(results)


def report_failures(results: list[RenderResult], console: Any, verbose: bool) -> int:
    """One line per failed scene (traceback only with --verbose); the exit code."""
    failed = [r for r in results if not r.ok]
    for r in failed:
        if verbose and r.traceback:
            console.print(r.traceback, markup=False, highlight=False)
        console.print(f"nnviz: error: scene '{r.job.label}' failed: {r.error}",
                      markup=False, highlight=False)
    return 1 if failed else 0
