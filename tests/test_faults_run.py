"""Faults while running: a real `nnviz render` killed (SIGINT, SIGTERM, SIGKILL) while it
trains, renders and exports; a full disk; corrupt cache entries and assets.

Each case checks what a user would: no process left running, nothing new at a final path
after the kill, the next run sweeps what was left and succeeds."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from nnviz.core.errors import NNVizError

FIXTURES = Path(__file__).parent / "fixture_scenes"
NNVIZ = str(Path(sys.executable).parent / "nnviz")

SLOW_SCENE = '''
from dataclasses import dataclass

from .tiny import TinyFit, TinyFitConfig

from nnviz.draw.scene import register
from nnviz.spec.config import knob, spec


@dataclass
class SlowFitConfig(TinyFitConfig):
    big_steps: int = knob(3000, "training steps of the slow trace", min=1, max=100000)

    def traces(self):
        return {"main": spec("xor", (2, 64, 64, 1), activation="tanh",
                             output_activation="sigmoid", trainer="adam", steps=self.big_steps,
                             seed=self.seed, record="log:10", trainer_params={"lr": 0.01},
                             dataset_params={"n": 4000})}


@register("slow-fit", "test fixture: tiny-fit with a trace that takes seconds to train")
class SlowFit(TinyFit):
    Config = SlowFitConfig
'''


@pytest.fixture(scope="module")
def scenes(tmp_path_factory) -> Path:
    """The fixture scenes plus `slow-fit`, whose training takes long enough to be killed."""
    folder = tmp_path_factory.mktemp("scenes")
    shutil.copy(FIXTURES / "tiny.py", folder / "tiny.py")
    (folder / "slow.py").write_text(SLOW_SCENE)
    return folder


def env_for(scenes: Path) -> dict[str, str]:
    return dict(os.environ, NNVIZ_SCENES=str(scenes), OMP_NUM_THREADS="1",
                OPENBLAS_NUM_THREADS="1")


def nnviz(scenes: Path, *args: str, cwd: Path, formulas: Path | None = None
          ) -> subprocess.CompletedProcess:
    env = env_for(scenes)
    if formulas is not None:  # a formula cache of the test's own
        env["NNVIZ_FORMULA_CACHE"] = str(formulas)
    return subprocess.run([NNVIZ, *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=300)


def leftovers(folder: Path) -> list[Path]:
    """Temporary files and work folders a finished or swept run must not leave behind."""
    return [p for p in folder.rglob("*") if ".part" in p.name or ".nnviz-work" in p.parts
            or p.name.startswith(".nnviz-probe")]


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(ppid, state, pgid) of a live process, None when it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2:].split()
    return int(fields[1]), fields[0], int(fields[2])


def running(pid: int) -> bool:
    st = _stat(pid)
    return st is not None and st[1] not in ("Z", "X")


def descendants(pid: int) -> set[int]:
    """Every live process below `pid` (workers, and the tools they run)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (st := _stat(int(entry.name))):
            children.setdefault(st[0], []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def in_groups(groups: set[int]) -> set[int]:
    """Live processes whose process group is one of `groups`."""
    return {int(e.name) for e in Path("/proc").iterdir()
            if e.name.isdigit() and (st := _stat(int(e.name))) and st[2] in groups
            and st[1] not in ("Z", "X")}


def snapshot(folder: Path) -> dict[Path, tuple[int, int]]:
    """Published files (not temporary ones) with their inode and mtime."""
    return {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in folder.rglob("*")
            if p.is_file() and not p.name.startswith(".") and ".nnviz" not in str(p)}


def wait_for(check, timeout: float = 120.0, what: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


MOMENTS = {
    # moment: (arguments, the sign that the moment has come)
    "training": (["slow-fit"], lambda root: list((root / "cache").glob("*.lock"))),
    "rendering": (["tiny-dots", "--set", "speed=0.1"],
                  lambda root: list((root / "renders" / ".nnviz-work").rglob("*.mp4"))),
    "export": (["tiny-dots", "--set", "speed=0.5", "--formats", "mp4,webm,gif"],
               lambda root: list((root / "renders" / "tiny-dots").rglob(".*.part.*"))),
}


@pytest.mark.render
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL],
                         ids=["SIGINT", "SIGTERM", "SIGKILL"])
@pytest.mark.parametrize("moment", list(MOMENTS))
def test_killed_render_stops_everything_and_the_next_run_sweeps(scenes, tmp_path, moment, sig):
    args, started = MOMENTS[moment]
    proc = subprocess.Popen([NNVIZ, "render", *args, "--cache", "cache"], cwd=tmp_path,
                            env=env_for(scenes), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        wait_for(lambda: started(tmp_path) or proc.poll() is not None, what=moment)
        assert proc.poll() is None, proc.communicate()
        if moment == "training":
            time.sleep(0.3)
        below = descendants(proc.pid)
        before = snapshot(tmp_path / "renders")
        proc.send_signal(sig)  # the main process only, as `kill PID` does
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    wait_for(lambda: not any(running(p) for p in below), timeout=10,
             what="the workers to stop")
    assert in_groups(below | {proc.pid}) == set()
    if sig == signal.SIGKILL:
        assert proc.returncode == -signal.SIGKILL
    else:
        code, word = (130, "interrupted") if sig == signal.SIGINT else (143, "terminated")
        assert proc.returncode == code, err
        assert err.strip().splitlines()[-1] == f"nnviz: error: {word}."
        assert "Traceback" not in err
        assert leftovers(tmp_path) == []  # it cleaned up after itself
    time.sleep(1.0)  # an orphan would publish now (it did, ~13 s after the kill)
    assert snapshot(tmp_path / "renders") == before
    again = nnviz(scenes, "render", "tiny-dots", "--cache", "cache", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert leftovers(tmp_path) == []
    assert (tmp_path / "renders" / "tiny-dots" / "draft" / "tiny-dots.mp4").stat().st_size


# --- sweeping and the work folder, in-process -----------------------------------------------

def _dead_pid() -> int:
    p = subprocess.Popen(["true"])
    p.wait()
    return p.pid


def test_sweep_removes_only_what_dead_processes_left(tmp_path):
    import fcntl

    from nnviz.pipeline.cleanup import sweep, work_folder

    out, cache = tmp_path / "renders", tmp_path / "cache"
    work = out / ".nnviz-work"
    dead = _dead_pid()
    gone = work / f"tiny-dots-{dead}-abc123"
    gone.mkdir(parents=True)
    (gone / ".lock").touch()
    (gone / "partial.mp4").write_bytes(b"x")
    young = work / f"tiny-fit-{os.getpid()}-def456"  # a live owner, not locked yet
    young.mkdir()
    final = out / "tiny-dots" / "draft"
    final.mkdir(parents=True)
    stale = final / f".tiny-dots.mp4.{dead}.k2j_x9.part.mp4"
    live = final / f".tiny-dots.webm.{os.getpid()}.a1b2c3.part.webm"
    cache.mkdir()
    stale_trace = cache / f".abc.npz.{dead}.zz9.part.npz"
    for f in (stale, live, stale_trace):
        f.write_bytes(b"half")
    with work_folder(work, "busy") as busy:
        old = time.time() - 3600
        os.utime(busy, (old, old))  # old, but its lock is held
        os.utime(young, (time.time(), time.time()))
        removed = sweep(out, cache)
        assert busy.is_dir()
        with open(busy / ".lock") as fh, pytest.raises(OSError):
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    assert sorted(removed) == sorted([gone, stale, stale_trace])
    assert young.is_dir() and live.is_file()
    assert not busy.exists()


def test_work_root_removed_by_another_render_is_made_again(tmp_path, monkeypatch):
    """Another process removes the empty .nnviz-work between our mkdir and mkdtemp."""
    import tempfile

    from nnviz.pipeline import cleanup

    root = tmp_path / ".nnviz-work"
    real = tempfile.mkdtemp
    calls = []

    def racing(*a, **kw):
        calls.append(1)
        if len(calls) == 1:
            root.rmdir()  # the other render finished and removed the empty root
        return real(*a, **kw)

    monkeypatch.setattr(cleanup.tempfile, "mkdtemp", racing)
    with cleanup.work_folder(root, "scene") as work:
        assert work.is_dir() and work.parent == root and (work / ".lock").is_file()
    assert len(calls) == 2 and not root.exists()


def test_many_renders_share_the_work_root(tmp_path):
    from nnviz.pipeline.cleanup import work_folder

    root, errors = tmp_path / ".nnviz-work", []

    def render() -> None:
        try:
            for _ in range(100):
                with work_folder(root, "s") as w:
                    (w / "f").write_bytes(b"x")
        except Exception as e:  # noqa: BLE001 - collected for the assert
            errors.append(e)

    threads = [threading.Thread(target=render) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and not root.exists()


# --- disks and caches ------------------------------------------------------------------------

@contextlib.contextmanager
def tmpfs(folder: Path, size: str):
    """A small tmpfs at `folder` (root only); yields False when it cannot be mounted."""
    folder.mkdir(parents=True, exist_ok=True)
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                        capture_output=True).returncode == 0
    try:
        yield ok
    finally:
        if ok:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)


def fill(folder: Path) -> Path:
    """Fill the disk under `folder` to the last byte; returns the filler file."""
    filler = folder / "filler"
    with open(filler, "wb", buffering=0) as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0" * 65536)
    with open(filler, "ab", buffering=0) as fh, contextlib.suppress(OSError):
        while True:
            fh.write(b"\0")
    return filler


@pytest.mark.render
def test_full_disk_is_one_line_and_the_next_run_works(scenes, tmp_path):
    """The output folder (renders, assets, work files) on a full tmpfs: the render fails with
    one line saying "disk full", leaves nothing behind, and works once there is space. The
    trace cache on a full disk: one line, nothing half-written."""
    disk = tmp_path / "disk"
    with tmpfs(disk, "8m") as mounted:
        if not mounted:  # no mount here (not root): the same fault, injected in-process
            return _full_disk_injected(tmp_path)
        filler = fill(disk)
        cache = tmp_path / "cache"
        proc = nnviz(scenes, "render", "tiny-fit", "--out", str(disk / "renders"),
                     "--cache", str(cache), cwd=tmp_path, formulas=disk / "formulas")
        assert proc.returncode == 1, proc.stderr
        lines = [ln for ln in proc.stderr.splitlines() if "error" in ln]
        assert len(lines) == 1 and "disk full" in lines[0], proc.stderr
        assert "Traceback" not in proc.stderr
        assert leftovers(disk) == []
        assert not (disk / "renders" / "tiny-fit" / "draft" / "tiny-fit.mp4").exists()
        full_cache = nnviz(scenes, "render", "tiny-fit", "--cache", str(disk / "c2"),
                           "--set", "steps=41", cwd=tmp_path)
        assert full_cache.returncode == 2
        assert "disk full" in full_cache.stderr and "Traceback" not in full_cache.stderr
        assert leftovers(disk) == []
        filler.unlink()
        again = nnviz(scenes, "render", "tiny-fit", "--out", str(disk / "renders"),
                      "--cache", str(cache), cwd=tmp_path, formulas=disk / "formulas")
        assert again.returncode == 0, again.stderr
        assert (disk / "renders" / "tiny-fit" / "draft" / "tiny-fit.mp4").stat().st_size
        svgs = list((disk / "formulas").rglob("*.svg"))
        assert svgs and all(s.stat().st_size for s in svgs)


def _full_disk_injected(tmp_path: Path) -> None:
    test_enospc_while_saving_a_trace_is_one_line(tmp_path, pytest.MonkeyPatch())


def test_enospc_while_saving_a_trace_is_one_line(tmp_path, monkeypatch):
    import zipfile

    from nnviz.spec.config import spec
    from nnviz.spec.store import TraceStore

    s = spec("xor", (2, 3, 1), steps=5, dataset_params={"n": 20})

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    with pytest.raises(NNVizError, match=r"^Cannot save trace in '.*': disk full"):
        TraceStore(tmp_path).ensure(s)
    assert [p.name for p in tmp_path.iterdir() if p.suffix != ".lock"] == []


def test_enospc_in_a_render_says_disk_full(tmp_path, monkeypatch):
    """ENOSPC anywhere in a render (here: while exporting) is one line naming the folder."""
    from nnviz.pipeline import export, worker
    from nnviz.pipeline.jobs import RenderJob
    from nnviz.spec.config import SceneConfig

    def full(*a, **kw):
        raise OSError(errno.ENOSPC, "No space left on device", "x.mp4")

    monkeypatch.setattr(export, "export", full)
    monkeypatch.setattr(worker, "_render_movie", lambda *a, **kw: (tmp_path / "m.mp4", []))
    monkeypatch.setattr(worker, "resolve", lambda name: (object, None))
    job = RenderJob("tiny-dots", SceneConfig(), "draft", tmp_path / "out" / "tiny-dots",
                    "tiny-dots", work_root=tmp_path / "out" / ".nnviz-work")
    result = worker.render_job(job)
    assert result.error == (f"disk full: no space left for '{tmp_path / 'out'}' "
                            "(free some space and render again).")
    assert leftovers(tmp_path) == []


def test_trace_path_taken_by_a_folder_is_one_line(scenes, tmp_path):
    from nnviz.spec.store import TraceStore

    os.environ["NNVIZ_SCENES"] = str(scenes)
    try:
        from nnviz.pipeline.configs import resolve
        from nnviz.pipeline.traces import needed_traces
        from nnviz.spec.config import build_config

        specs = needed_traces([build_config(resolve("tiny-fit")[1], {})])
    finally:
        del os.environ["NNVIZ_SCENES"]
    path = TraceStore(tmp_path / "cache").path(next(iter(specs.values())))
    path.mkdir(parents=True)
    proc = nnviz(scenes, "render", "tiny-fit", "--cache", "cache", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        f"nnviz: error: Cannot store a trace at 'cache/{path.name}': "
        "something that is not a file is in the way (remove it).")
    assert "Traceback" not in proc.stderr and path.is_dir()


def test_corrupt_cache_entry_is_trained_again(tmp_path, capsys):
    from nnviz.pipeline.traces import ensure_traces
    from nnviz.spec.config import spec
    from nnviz.spec.store import TraceStore

    a = spec("xor", (2, 3, 1), steps=5, dataset_params={"n": 20})
    b = spec("xor", (2, 4, 1), steps=5, dataset_params={"n": 20})
    store = TraceStore(tmp_path)
    specs = {a.key(): a}
    assert ensure_traces(specs, store) == ([a.key()], [])
    good = store.path(a).read_bytes()
    store.path(a).write_bytes(good[: len(good) // 2])  # truncated
    assert store.problem(a)
    assert ensure_traces(specs, store) == ([a.key()], [])
    assert "is unusable" in capsys.readouterr().err
    assert store.problem(a) is None
    store.ensure(b)
    shutil.copy(store.path(b), store.path(a))  # another spec's trace under this key
    assert store.problem(a) == "it was trained for another spec"
    assert store.ensure(a) == (store.path(a), True)
    assert ensure_traces(specs, store) == ([], [a.key()])


def test_empty_nnviz_cache_means_unset(tmp_path, monkeypatch):
    from nnviz.spec.store import TraceStore

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("NNVIZ_CACHE", "")
    assert TraceStore().folder == tmp_path / "cache" / "traces"


@pytest.mark.parametrize("text", ["[1, 2]", '{"tiny-dots@draft": "slow"}', "nul", '"x"',
                                  '{"a": NaN, "b": true}'])
def test_render_times_file_that_is_not_a_dict_of_numbers_is_ignored(tmp_path, text):
    from nnviz.pipeline.pool import TIMES_FILE, _load_times, _save_times

    (tmp_path / TIMES_FILE).write_text(text)
    assert _load_times(tmp_path) == {}
    _save_times(tmp_path, [])
    assert _load_times(tmp_path) == {} and (tmp_path / TIMES_FILE).read_text() == "{}"


def test_only_whole_formulas_reach_the_cache_and_broken_ones_leave_it(tmp_path):
    from nnviz.pipeline.formulas import publish, seed

    whole = '<svg xmlns="http://www.w3.org/2000/svg"><path d="M0 0"/></svg>\n'
    private, cache = tmp_path / "private", tmp_path / "cache"
    (private / "Tex").mkdir(parents=True)
    (private / "Tex" / "good.svg").write_text(whole)
    (private / "Tex" / "empty.svg").touch()
    (private / "Tex" / "cut.svg").write_text(whole[:30])
    assert [p.name for p in publish(private, cache)] == ["good.svg"]
    assert (cache / "Tex" / "good.svg").read_text() == whole
    (cache / "texts-1920x1080").mkdir()  # texts are cached per pixel size
    (cache / "texts-1920x1080" / "cut.svg").write_text(whole[:30])  # damaged in the cache
    fresh = tmp_path / "fresh"
    assert seed(fresh, cache) == 1
    assert (fresh / "Tex" / "good.svg").read_text() == whole
    assert not (cache / "texts-1920x1080" / "cut.svg").exists()
    assert not list((fresh / "texts").glob("*.svg"))


@pytest.mark.render
def test_corrupt_trace_and_asset_recover_in_the_next_render(scenes, tmp_path):
    """After a good render: the cached trace truncated, the text SVGs emptied or cut, the
    render-times file garbage. The next render says it trains again and succeeds."""
    formulas = tmp_path / "formulas"
    first = nnviz(scenes, "render", "tiny-fit", "--cache", "cache", cwd=tmp_path,
                  formulas=formulas)
    assert first.returncode == 0, first.stderr
    trace = next((tmp_path / "cache").glob("*.npz"))
    trace.write_bytes(trace.read_bytes()[:100])
    svgs = list(formulas.rglob("*.svg"))
    assert svgs
    for i, svg in enumerate(svgs):
        svg.write_bytes(b"" if i % 2 == 0 else svg.read_bytes()[:20])
    (tmp_path / "renders" / ".nnviz-render-times.json").write_text("[1, 2, 3]")
    again = nnviz(scenes, "render", "tiny-fit", "--cache", "cache", cwd=tmp_path,
                  formulas=formulas)
    assert again.returncode == 0, again.stderr
    assert "is unusable" in again.stderr and "training it again" in again.stderr
    assert "traces: 1 trained, 0 cached" in again.stderr
    assert all(s.stat().st_size > 20 for s in svgs)
    assert "tiny-fit@draft" in (tmp_path / "renders" / ".nnviz-render-times.json").read_text()


@pytest.mark.render
def test_killed_episode_stops_its_workers_and_the_next_run_sweeps(scenes, tmp_path):
    """`nnviz episode` killed with SIGKILL while a part renders: the part's worker stops,
    nothing is published, the next run sweeps and joins the episode."""
    (tmp_path / "ep.toml").write_text('title = "Dots"\ntitle_cards = false\n\n'
                                      '[[part]]\nscene = "tiny-dots"\ntitle = "Dots"\n')
    proc = subprocess.Popen([NNVIZ, "episode", "ep.toml", "--set", "speed=0.1", "--cache",
                             "cache"], cwd=tmp_path, env=env_for(scenes),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    work = tmp_path / "renders" / ".nnviz-work"
    try:
        wait_for(lambda: list(work.rglob("*.mp4")) or proc.poll() is not None, what="a part")
        assert proc.poll() is None
        below = descendants(proc.pid)
        assert below
        proc.kill()
        proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    wait_for(lambda: not any(running(p) for p in below), timeout=10, what="the workers")
    time.sleep(1.0)
    assert snapshot(tmp_path / "renders") == {}
    assert leftovers(tmp_path)  # the killed run could not clean up ...
    again = nnviz(scenes, "episode", "ep.toml", "--cache", "cache", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert leftovers(tmp_path) == []  # ... the next one did
    assert (tmp_path / "renders" / "ep" / "draft" / "ep.mp4").stat().st_size
