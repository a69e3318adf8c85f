"""Rendering on a Dask cluster (`--scheduler local:2`: a LocalCluster with 2 worker
processes), end to end through the real `nnviz` command: several scenes delivered to
--out, a scene split across workers that decodes to the same frames as a single-process
render, a failing scene reported while the others are delivered, and a cancelled run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import psutil
import pytest

from nnviz.core.errors import NNVizError
from nnviz.pipeline.export import probe
from nnviz.pipeline.split import ranges

FIXTURES = Path(__file__).parent / "fixture_scenes"
NNVIZ = str(Path(sys.executable).parent / "nnviz")
FRAME = 1 / 15
TINY_FIT_SECONDS = 0.5 + 1.0 + 0.5 + 0.5  # tests/fixture_scenes/tiny.py
TINY_DOTS_SECONDS = 1.0 + 0.5

pytestmark = pytest.mark.render


def nnviz(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, NNVIZ_SCENES=str(FIXTURES), TMPDIR=str(cwd))
    return subprocess.run([NNVIZ, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300, **kw)


def frames(path: Path) -> np.ndarray:
    """Every decoded frame of a video as rgb24 (ffmpeg to raw video)."""
    info = probe(path)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, info.height, info.width, 3)


def leftovers(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if ".part" in p.name or ".nnviz-work" in p.name
            or ".concat" in p.name or "part0" in p.name or ".nnviz-shared" in p.name]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Both fixture scenes rendered on a 2-process LocalCluster."""
    root = tmp_path_factory.mktemp("cluster")
    proc = nnviz("render", "tiny-fit", "tiny-dots", "--scheduler", "local:2",
                 "--formats", "mp4,poster", cwd=root)
    return root, proc


def test_several_scenes_come_back_to_out(rendered):
    root, proc = rendered
    assert proc.returncode == 0, proc.stderr
    for scene, seconds in (("tiny-fit", TINY_FIT_SECONDS), ("tiny-dots", TINY_DOTS_SECONDS)):
        folder = root / "renders" / scene / "draft"
        info = probe(folder / f"{scene}.mp4")
        assert (info.codec, info.width, info.height) == ("h264", 854, 480)
        assert info.duration == pytest.approx(seconds, abs=2 * FRAME)
        assert (folder / f"{scene}.png").stat().st_size > 0
        assert f"renders/{scene}/draft/{scene}.mp4" in proc.stdout
    assert not leftovers(root / "renders")
    # the progress rows were fed from the cluster: both scenes reached "done"
    assert proc.stderr.count("done") >= 2


def test_split_scene_equals_a_single_process_render(tmp_path):
    """tiny-fit (4 animations: 3 plays and the final wait) rendered in one process, then
    in 3 parts on the cluster and in 2 parts on the local pool, joined without
    re-encoding: the same frames, pixel for pixel. (One test, so that the reference is
    rendered once even when xdist spreads the tests.)"""
    proc = nnviz("render", "tiny-fit", "--out", "whole", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    whole = frames(tmp_path / "whole/tiny-fit/draft/tiny-fit.mp4")
    assert len(whole) == round(TINY_FIT_SECONDS * 15)
    for how, parts in ((["--scheduler", "local:2"], 3), (["-j", "2"], 2)):
        out = tmp_path / f"split-{parts}"
        proc = nnviz("render", "tiny-fit", "--split", str(parts), *how, "--out", str(out),
                     cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        assert f"tiny-fit {parts}/{parts}" in proc.stderr  # rendered as that many parts
        joined = frames(out / "tiny-fit/draft/tiny-fit.mp4")
        assert joined.shape == whole.shape, how
        assert np.array_equal(joined, whole), how
        assert not leftovers(out)


def test_failing_scene_is_reported_and_the_others_delivered(tmp_path):
    proc = nnviz("render", "tiny-fit", "tiny-dots", "--scheduler", "local:2",
                 "--set", "fail=true", cwd=tmp_path)
    assert proc.returncode == 1
    assert "nnviz: error: scene 'tiny-fit' failed: RuntimeError: tiny-fit was asked to fail" \
        in proc.stderr
    assert "Traceback" not in proc.stderr
    assert probe(tmp_path / "renders/tiny-dots/draft/tiny-dots.mp4").duration > 0
    assert not (tmp_path / "renders/tiny-fit").exists()
    assert not leftovers(tmp_path / "renders")


def test_cancelled_run_leaves_no_output_and_closes_the_cluster(tmp_path):
    """Ctrl-C (SIGINT to the process group, as a terminal sends it) while tiny-fit is
    being rendered on a worker: exit 130, one line, no tiny-fit output and nothing
    half-written in --out (tiny-dots, short, may have been delivered whole before the
    key press), every cluster process gone."""
    env = dict(os.environ, NNVIZ_SCENES=str(FIXTURES), TMPDIR=str(tmp_path))
    proc = subprocess.Popen([NNVIZ, "render", "tiny-fit", "tiny-dots", "--scheduler",
                             "local:2", "--set", "hang=true"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    while not list(tmp_path.rglob("tiny-fit-hang-*")):  # tiny-fit is inside construct
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    cluster = psutil.Process(proc.pid).children(recursive=True)
    assert len(cluster) >= 2
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "nnviz: error: interrupted." in err
    assert "Traceback" not in err
    assert not (tmp_path / "renders/tiny-fit").exists()
    for mp4 in (tmp_path / "renders").rglob("*.mp4"):
        assert probe(mp4).duration > 0  # a whole file, not a torso
    assert not leftovers(tmp_path / "renders")
    gone, alive = psutil.wait_procs(cluster, timeout=30)
    assert not alive, [p.cmdline() for p in alive]


def test_render_process_killed_on_a_worker_is_reported_for_its_scene(tmp_path):
    """The process rendering tiny-fit on a worker is killed (out of memory, say) while it
    is inside the scene: that scene fails with one line, tiny-dots is still delivered."""
    env = dict(os.environ, NNVIZ_SCENES=str(FIXTURES), TMPDIR=str(tmp_path))
    proc = subprocess.Popen([NNVIZ, "render", "tiny-fit", "tiny-dots", "--scheduler",
                             "local:2", "--set", "hang=true"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 180
    while not (marks := list(tmp_path.rglob("tiny-fit-hang-*"))):  # inside construct
        assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
        time.sleep(0.2)
    psutil.Process(int(marks[0].name.rsplit("-", 1)[1])).kill()
    _, err = proc.communicate(timeout=240)
    assert proc.returncode == 1, err
    failed = [ln for ln in err.splitlines() if ln.startswith("nnviz: error:")]
    assert len(failed) == 1 and "scene 'tiny-fit' failed" in failed[0], err
    assert "Traceback" not in err
    assert probe(tmp_path / "renders/tiny-dots/draft/tiny-dots.mp4").duration > 0
    assert not (tmp_path / "renders/tiny-fit").exists()
    assert not leftovers(tmp_path / "renders")


def test_ranges_balance_run_time_and_cover_every_animation():
    assert ranges([0.5, 1.0, 0.5, 0.5], 2) == [(0, 1), (2, 3)]
    assert ranges([0.5, 1.0, 0.5, 0.5], 4) == [(0, 0), (1, 1), (2, 2), (3, 3)]
    assert ranges([1.0] * 3, 8) == [(0, 0), (1, 1), (2, 2)]  # no more parts than animations
    assert ranges([10.0, 0.1, 0.1, 0.1], 2) == [(0, 0), (1, 3)]
    assert ranges([0.1, 0.1, 0.1, 10.0], 2) == [(0, 2), (3, 3)]
    spans = ranges([0.3, 2.0, 0.1, 0.1, 1.0, 1.0, 0.5], 3)
    assert [a for a, _ in spans] == [0] + [b + 1 for _, b in spans[:-1]]
    assert spans[-1][1] == 6


def test_memory_store_serves_only_the_traces_it_was_sent(tmp_path):
    from nnviz.pipeline.cluster import MemoryStore
    from nnviz.spec.config import spec
    from nnviz.spec.store import run_spec

    s = spec("xor", (2, 2, 1), activation="tanh", output_activation="sigmoid",
             trainer="adam", steps=5, seed=0, record="log:5", dataset_params={"n": 20})
    other = spec("xor", (2, 3, 1), activation="tanh", output_activation="sigmoid",
                 trainer="adam", steps=5, seed=0, record="log:5", dataset_params={"n": 20})
    trace = run_spec(s)
    store = MemoryStore({s.key(): trace})
    assert store.has(s) and store.load(s) is trace
    assert not store.has(other)
    with pytest.raises(NNVizError, match="not sent to this worker"):
        store.load(other)
    assert not list(tmp_path.iterdir())


def test_bad_scheduler_is_one_line(tmp_path):
    proc = nnviz("render", "tiny-dots", "--scheduler", "local:zero", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "nnviz: error: --scheduler 'local:zero': write local:N with N a number of worker "
        "processes, e.g. local:2."]
    proc = nnviz("render", "tiny-dots", "--scheduler", "tcp://127.0.0.1:9", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.startswith("nnviz: error: Cannot reach the Dask scheduler at "
                                  "'tcp://127.0.0.1:9'")
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "renders").exists() or not list((tmp_path / "renders").rglob("*.mp4"))


def test_scheduler_without_dask_names_the_extra(monkeypatch):
    import importlib.util

    from nnviz.cli.render import check_scheduler

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "distributed" else real(name, *a))
    with pytest.raises(NNVizError, match=r"pip install 'nnviz\[cluster\]'"):
        check_scheduler("local:2")


def test_workers_write_into_a_shared_out_and_leave_no_mark(rendered):
    root, proc = rendered
    assert proc.returncode == 0, proc.stderr
    assert not list((root / "renders").rglob(".nnviz-shared-*"))


def test_a_worker_sees_out_only_with_this_runs_mark(tmp_path):
    from nnviz.pipeline.cluster import SHARE_MARK, sees_shared_out

    assert not sees_shared_out(tmp_path, "1-abc")
    (tmp_path / SHARE_MARK.format(run="1-abc")).write_text("1-abc")
    assert sees_shared_out(tmp_path, "1-abc")
    assert not sees_shared_out(tmp_path, "1-abd")  # another run's mark
    (tmp_path / SHARE_MARK.format(run="1-abd")).write_text("1-abc")
    assert not sees_shared_out(tmp_path, "1-abd")  # a mark with the wrong content


def test_files_come_back_as_bytes_when_workers_do_not_share_out(tmp_path, monkeypatch):
    from io import StringIO

    from rich.console import Console

    from nnviz.pipeline.cluster import train_and_render_cluster
    from nnviz.pipeline.configs import scene_config
    from nnviz.pipeline.export import parse_formats
    from nnviz.pipeline.jobs import quality, scene_jobs
    from nnviz.spec import registry
    from nnviz.spec.store import TraceStore

    monkeypatch.setenv("NNVIZ_SCENES", str(FIXTURES))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    registry.discover()
    cfg = scene_config("tiny-dots", {})
    store = TraceStore(tmp_path / "cache")
    out = tmp_path / "renders"
    jobs = scene_jobs({"tiny-dots": cfg}, quality("draft"), out, parse_formats("mp4"), None,
                      store, "fast")
    (result,) = train_and_render_cluster(jobs, [cfg], out, store, False,
                                         Console(file=StringIO()), "local:1", share_out=False)
    assert result.ok, result.error
    info = probe(result.files["mp4"])
    assert info.duration == pytest.approx(TINY_DOTS_SECONDS, abs=2 * FRAME)
    assert not leftovers(out) and not list(out.rglob(".nnviz-shared-*"))


def test_a_whole_render_keeps_its_plays_so_a_later_split_needs_no_planning_pass(
        tmp_path, monkeypatch):
    """A draft renders whole; a split render of the same scene and config into the same
    --out (at another quality) starts its parts from the draft's play run times."""
    import json

    from nnviz.pipeline import split
    from nnviz.pipeline.configs import scene_config
    from nnviz.pipeline.jobs import quality, scene_jobs
    from nnviz.spec import registry
    from nnviz.spec.store import TraceStore

    proc = nnviz("render", "tiny-fit", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    plans = json.loads((tmp_path / "out" / split.PLANS_FILE).read_text())
    (durations,) = plans.values()
    assert durations == pytest.approx([0.5, 1.0, 0.5, 0.5])  # tiny-fit's 3 plays and wait

    monkeypatch.setenv("NNVIZ_SCENES", str(FIXTURES))
    registry.discover()
    (job,) = scene_jobs({"tiny-fit": scene_config("tiny-fit", {})}, quality("720p"),
                        tmp_path / "out", ("mp4",), None, TraceStore(tmp_path / "cache"))

    def no_pass(*_):
        raise AssertionError("planning pass run although the plays were kept")

    monkeypatch.setattr(split, "play_durations", no_pass)
    planned = split.split_job(job, 2)
    assert [p.manim["from_animation_number"] for p in planned.parts] == [0, 2]
    assert [p.manim["upto_animation_number"] for p in planned.parts] == [1, split.NO_LIMIT]
    # another config of the scene has no kept plan: it is measured
    (other,) = scene_jobs({"tiny-fit": scene_config("tiny-fit", {"hidden": 4})},
                          quality("720p"), tmp_path / "out", ("mp4",), None,
                          TraceStore(tmp_path / "cache"))
    with pytest.raises(AssertionError, match="planning pass"):
        split.split_job(other, 2)
