"""Rendering on a Dask cluster (`--scheduler ADDRESS`, or `local:N` for a LocalCluster).

Past one machine nnviz runs on Dask distributed (the optional extra ``nnviz[cluster]``)
instead of a queue of its own. What travels is data, never a shared folder:

- traces are trained once, on the client's trace store; the missing ones are trained as
  cluster tasks when there are several, saved to the client's store, and scattered to the
  workers, where each scene reads them from a `MemoryStore`;
- each scene is one task; on its worker it renders in a fresh spawned process through
  the local pool's own `run_jobs` / `render_job` (manim keeps global state, so no two
  scenes share a process), into a private temporary folder;
- the rendered files come back to the client as bytes and are written to ``--out``
  atomically, as local renders are.

A scene that fails, or whose worker dies, is one failed result; the others are still
delivered. Ctrl-C cancels the run's tasks (``client.cancel``) and closes a LocalCluster.
Progress rows are fed by the workers' events (``Worker.log_event`` -> client topic).
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import pickle
import shutil
import tempfile
import traceback
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.core.trace import Trace
from nnviz.pipeline.jobs import WORK_DIR, RenderJob, RenderResult
from nnviz.spec.config import SceneConfig, TraceSpec
from nnviz.spec.store import TraceStore, run_spec

INSTALL_HINT = "--scheduler needs Dask distributed: pip install 'nnviz[cluster]'."


class MemoryStore(TraceStore):
    """A trace store that serves traces it was given (sent to a worker as data); it never
    trains and never touches a folder."""

    def __init__(self, traces: dict[str, Trace]) -> None:
        super().__init__(Path("<memory>"))
        self.traces = dict(traces)

    def __repr__(self) -> str:
        return f"MemoryStore({sorted(self.traces)})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, MemoryStore) and other.traces.keys() == self.traces.keys()

    def __hash__(self) -> int:
        return hash(tuple(sorted(self.traces)))

    def has(self, spec: TraceSpec) -> bool:
        return spec.key() in self.traces

    def ensure(self, spec: TraceSpec, retrain: bool = False,
               progress: Any = None) -> tuple[Path, bool]:
        raise NNVizError(f"A MemoryStore cannot store or train traces ({spec.label()}).")

    def load(self, spec: TraceSpec) -> Trace:
        try:
            return self.traces[spec.key()]
        except KeyError:
            raise NNVizError(f"Trace {spec.label()} was not sent to this worker.") from None


def parse_scheduler(address: str) -> tuple[str, int | None]:
    """'local:N' -> ('local', N); 'local' -> ('local', cores); anything else is a scheduler
    address for distributed.Client (e.g. tcp://host:8786)."""
    if address == "local" or address.startswith("local:"):
        count = address.partition(":")[2] or str(os.cpu_count() or 1)
        if not count.isdigit() or int(count) < 1:
            raise NNVizError(f"--scheduler {address!r}: write local:N with N a number of "
                             "worker processes, e.g. local:2.")
        return "local", int(count)
    return address, None


@contextlib.contextmanager
def _workers_ignore_ctrl_c() -> Iterator[None]:
    """Worker processes started in this block ignore SIGINT (an ignored signal stays
    ignored in a spawned child, and neither Python nor asyncio then installs its own
    handler). A terminal's Ctrl-C reaches the whole process group; only the client
    should act on it, cancelling the tasks and closing the cluster, instead of every
    worker dying with a KeyboardInterrupt traceback of its own."""
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    before = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@contextlib.contextmanager
def connect(address: str) -> Iterator[Any]:
    """A distributed.Client for `address` ('local:N' starts a LocalCluster with N worker
    processes of one thread each, closed on the way out, Ctrl-C included)."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise NNVizError(INSTALL_HINT) from None
    import logging

    target, workers = parse_scheduler(address)
    for name in ("distributed", "bokeh", "tornado"):  # the scheduler's chatter, not ours
        logging.getLogger(name).setLevel(logging.ERROR)
    cluster = None
    try:
        if workers is not None:
            from nnviz.pipeline.pool import quiet_resource_tracker

            quiet_resource_tracker()
            with dask.config.set({"distributed.worker.daemon": False}), _workers_ignore_ctrl_c():
                cluster = LocalCluster(n_workers=workers, processes=True, threads_per_worker=1,
                                       dashboard_address=None, silence_logs=logging.CRITICAL)
            client = Client(cluster)
        else:
            client = Client(target, timeout="10s")
    except (OSError, TimeoutError) as e:
        if cluster is not None:
            cluster.close()
        raise NNVizError(f"Cannot reach the Dask scheduler at '{address}': {e}") from None
    try:
        yield client
    finally:
        with contextlib.suppress(Exception):
            client.close()
        if cluster is not None:
            with contextlib.suppress(Exception):
                cluster.close()


# --- on the workers --------------------------------------------------------------------

def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _worker_root() -> Path:
    """Where a worker renders (its machine's temporary folder); LaTeX/text SVGs stay in
    its .nnviz-assets between renders, as they do in --out locally. Private folders are
    named after the worker's process id: those of a worker that is gone (killed while it
    rendered, e.g. when a cancelled LocalCluster closed) are removed here."""
    root = Path(tempfile.gettempdir()) / "nnviz-cluster"
    root.mkdir(parents=True, exist_ok=True)
    for folder in root.iterdir():
        pid = folder.name.removeprefix(WORK_DIR + "-").partition("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)
    return root


def _discover() -> None:
    """Import the scene files ($NNVIZ_SCENES), so that the jobs' config classes unpickle."""
    if os.environ.get("NNVIZ_SCENES"):
        from nnviz.spec import registry

        with contextlib.suppress(NNVizError):
            registry.discover()


def _emit(topic: str, index: int, status: str) -> None:
    with contextlib.suppress(Exception):
        from distributed import get_worker

        get_worker().log_event(topic, (index, status))


# written by the client into each output folder, read by workers; named after the
# client's pid, so a sweep removes the marks of a killed client (cleanup.sweep)
SHARE_MARK = ".nnviz-shared-{run}"


def sees_shared_out(out_dir: Path, run: str) -> bool:
    """Whether this worker sees the client's output folder (a shared file system mounted at
    the same path): the client's mark for this run is there, with this run's name in it."""
    mark = out_dir / SHARE_MARK.format(run=run)
    try:
        return mark.read_text() == run
    except OSError:
        return False


class _RunGone(Exception):
    """The client's mark vanished while a file was being copied: the run was cancelled."""


def _publish_shared(files: dict[str, Path], out_dir: Path,
                    run: str) -> dict[str, tuple[str, None]]:
    """The rendered files moved into the shared output folder, each atomically (copied to a
    hidden temporary name there, then renamed): nothing goes back over the network. The
    client's mark is checked again just before each rename, so a run cancelled (Ctrl-C)
    while this worker was still rendering leaves nothing in --out."""
    shipped: dict[str, tuple[str, None]] = {}
    try:
        for fmt, path in files.items():
            with atomic_path(out_dir / path.name, f"{fmt} file") as tmp:
                shutil.copyfile(path, tmp)
                if not sees_shared_out(out_dir, run):
                    raise _RunGone
            shipped[fmt] = (path.name, None)
    except _RunGone:  # the copy is removed (atomic_path); nobody waits for the rest
        pass
    return shipped


def render_task(blob: bytes, index: int, topic: str, traces: dict[str, Trace],
                run: str = "") -> dict[str, Any]:
    """One scene on a worker: rendered in a fresh spawned process by the local pool, in a
    private folder. Its files are written straight into --out when this worker sees it
    (a shared path), else returned as bytes for the client to write."""
    from nnviz.pipeline.pool import run_jobs

    _discover()
    job: RenderJob = pickle.loads(blob)
    shared_out = job.out_dir if run and sees_shared_out(job.out_dir, run) else None
    # a Dask worker process is daemonic by default, and a daemonic process may not start
    # the fresh process each scene renders in; the render process ends with its scene
    mp.current_process()._config["daemon"] = False  # type: ignore[attr-defined]
    root = _worker_root()
    private = Path(tempfile.mkdtemp(prefix=f"{os.getpid()}-{job.stem}-", dir=root))
    try:
        work_root = root / f"{WORK_DIR}-{private.name}"
        job = replace(job, out_dir=private / "out", work_root=work_root,
                      store=MemoryStore(traces))
        _emit(topic, index, "started")
        result = run_jobs([job], 1, private,
                          on_status=lambda _, status: _emit(topic, index, status))[0]
        if shared_out is not None and result.ok:
            files = _publish_shared(result.files, shared_out, run)
        else:
            files = {fmt: (p.name, p.read_bytes()) for fmt, p in result.files.items()}
        return {"files": files,
                "seconds": result.seconds, "duration": result.duration,
                "error": result.error, "traceback": result.traceback}
    finally:
        shutil.rmtree(private, ignore_errors=True)
        shutil.rmtree(root / f"{WORK_DIR}-{private.name}", ignore_errors=True)


# --- on the client ---------------------------------------------------------------------

def train_traces(client: Any, specs: dict[str, TraceSpec], store: TraceStore, retrain: bool,
                 ui: Any = None) -> tuple[dict[str, Trace], list[str], list[str]]:
    """Every trace the scenes read, trained once: cached ones come from the client's store,
    missing ones are trained (as cluster tasks when there are several) and saved to it.
    Returns (traces by key, trained keys, cached keys)."""
    traces: dict[str, Trace] = {}
    missing = []
    for key, s in specs.items():
        if not retrain and store.has(s):
            traces[key] = Trace.load(store.path(s))
        else:
            missing.append(key)
    for key in missing:
        if ui:
            ui.training(specs[key].label(), specs[key].steps)
    if len(missing) > 1:
        futures = {key: client.submit(run_spec, specs[key], pure=False, key=f"train-{key}")
                   for key in missing}
        try:
            from distributed import as_completed

            for fut in as_completed(list(futures.values())):
                key = next(k for k, f in futures.items() if f.key == fut.key)
                traces[key] = fut.result()
                if ui:
                    ui.training_done(specs[key].label())
        except BaseException:
            client.cancel(list(futures.values()), force=True)
            raise
    elif missing:
        traces[missing[0]] = run_spec(specs[missing[0]])
        if ui:
            ui.training_done(specs[missing[0]].label())
    for key in missing:
        traces[key].save(store.path(specs[key]))
    cached = [k for k in specs if k not in missing]
    return traces, missing, cached


def _deliver(job: RenderJob, payload: dict[str, Any]) -> RenderResult:
    """The worker's files written to the job's folder on the client, atomically (or, when
    the worker wrote them into a shared --out itself, checked to be there)."""
    result = RenderResult(job, seconds=payload["seconds"], duration=payload["duration"],
                          error=payload["error"], traceback=payload["traceback"])
    try:
        for fmt, (name, data) in payload["files"].items():
            if data is None:
                if not (job.out_dir / name).is_file():
                    raise NNVizError(f"The worker wrote '{name}' to the shared output folder, "
                                     f"but '{job.out_dir}' here does not have it.")
            else:
                with atomic_path(job.out_dir / name, f"{fmt} file") as tmp:
                    tmp.write_bytes(data)
            result.files[fmt] = job.out_dir / name
    except NNVizError as e:
        result.error = str(e)
    return result


def _unmark(marks: list[Path]) -> None:
    for mark in marks:
        with contextlib.suppress(OSError):
            mark.unlink()


def run_on_cluster(client: Any, jobs: list[RenderJob], traces: dict[str, Trace],
                   out: Path | None = None,
                   on_status: Callable[[int, str], None] | None = None,
                   on_done: Callable[[int, RenderResult], None] | None = None,
                   share_out: bool = True) -> list[RenderResult]:
    """Render every job as a cluster task (longest last time first); results in job order.
    Workers that see an output folder (a shared path, tested with a mark file; skipped
    with share_out=False) write the files there; others send them back as bytes.
    Ctrl-C (or any error here) cancels the tasks still pending or running."""
    from distributed import as_completed

    from nnviz.pipeline.pool import _load_times, _save_times

    run = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    marks, made = [], []
    if share_out:
        for folder in sorted({job.out_dir for job in jobs}):
            mark = folder / SHARE_MARK.format(run=run)
            with contextlib.suppress(OSError):
                made += [f for f in (folder, *folder.parents) if not f.exists()]
                folder.mkdir(parents=True, exist_ok=True)
                mark.write_text(run)
                marks.append(mark)
    topic = f"nnviz-progress-{run}"
    if on_status:
        client.subscribe_topic(topic, lambda event: on_status(*event[1]))
    sent = client.scatter(traces) if traces else {}
    times = _load_times(out) if out else {}
    futures = []
    for i, job in enumerate(jobs):
        needed = {s.key(): sent[s.key()] for s in job.config.traces().values()}
        blob = pickle.dumps(replace(job, store=None))
        futures.append(client.submit(
            render_task, blob, i, topic, needed, run if share_out else "", pure=False,
            key=f"render-{job.stem}-{run}-{i}",
            priority=int(times.get(f"{job.name}@{job.quality}", 1e6))))
    index = {f.key: i for i, f in enumerate(futures)}
    results: dict[int, RenderResult] = {}
    try:
        for fut in as_completed(futures):
            i = index[fut.key]
            try:
                results[i] = _deliver(jobs[i], fut.result())
            except Exception as e:  # noqa: BLE001 - a worker died or the task failed there
                why = ("its Dask worker died" if type(e).__name__ == "KilledWorker"
                       else f"{type(e).__name__}: {e}")
                results[i] = RenderResult(jobs[i], error=f"cluster task failed: {why}",
                                          traceback=traceback.format_exc())
            if on_done:
                on_done(i, results[i])
    except BaseException:
        _unmark(marks)  # first: a worker still rendering must not publish after this
        client.cancel(futures, force=True)
        raise
    finally:
        _unmark(marks)
        for folder in sorted(made, key=lambda f: -len(f.parts)):  # those no file went into
            with contextlib.suppress(OSError):
                folder.rmdir()
        if on_status:
            with contextlib.suppress(Exception):
                client.unsubscribe_topic(topic)
    ordered = [results[i] for i in range(len(jobs))]
    if out:
        _save_times(out, ordered)
    return ordered


def train_and_render_cluster(jobs: list[RenderJob], configs: Iterable[SceneConfig],
                             out: Path, store: TraceStore, retrain: bool, console: Any,
                             address: str, split: int = 1, share_out: bool = True
                             ) -> list[RenderResult]:
    """`train_and_render` on a Dask cluster: traces once, scenes (or their parts) as
    tasks, files back to the client; the same progress rows as local renders."""
    from nnviz.pipeline.progress import RenderProgress, TrainingProgress
    from nnviz.pipeline.split import expand
    from nnviz.pipeline.traces import needed_traces

    specs = needed_traces(configs)
    with connect(address) as client:
        with TrainingProgress(console) as ui:
            traces, trained, cached = train_traces(client, specs, store, retrain, ui)
        console.print(f"traces: {len(trained)} trained, {len(cached)} cached "
                      f"(cache: {store.folder}; sent to the cluster's workers)")
        work, assemble = expand(jobs, split, store)
        with RenderProgress(console, [j.label for j in work]) as board:
            results = run_on_cluster(client, work, traces, out, board.status, board.done,
                                     share_out)
    return assemble(results)
