"""Benchmark: the raster network diagram's memory and set-up, nnviz now vs an earlier
commit (issue 18), side by side in one run.

Three measurements, each in a fresh process (peak = that process's maximum resident set):

  setup  a 784-128-10 RasterNetworkDiagram (inputs as a grid, random weights) rasterised
         at 1080p: set-up seconds (wall and CPU) and peak MB. Target: <= 5 s.
  scene  digits-network at 4K, animations --slice FROM:TO (default 20:25, 9 s of video:
         the big diagram's last flow, then the cross-fade to the second diagram; `0:` is
         the whole scene) through nnviz's worker, as `nnviz render` renders: peak MB and
         s/s (wall and CPU). Target: <= 1.5 GB over the whole scene.
  play   bench_network_diagram's clip (784-16-16-10, all 12,960 edges restyled every
         frame) at 1080p60: s of render per s of video, beside an empty scene. Target:
         <= 2 s/s.

"before" runs the same measurements with nnviz and scenes/ taken from `--before` (a git
revision, default 04b959b: one compact copy of F, before the build's heap and rasteriser
work; 3344225 is the last commit with the row-major + edge-major coverage),
exported into a temporary folder put first on PYTHONPATH. The two alternate per
measurement (now, before), so a change in the machine's load hits both alike.

    .venv/bin/python benchmarks/bench_raster_memory.py [--before REV] [--slice 20:25]
        [--only setup,scene,play] [--scene-sides now,before] [--seconds 2] [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Callable
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETUP = r"""
import json, resource, sys, time
import numpy as np
from manim import tempconfig
from manim.camera.camera import Camera
from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram
sizes = (784, 128, 10)
rng = np.random.default_rng(0)
W = [rng.normal(0, 1, (b, a)) for a, b in zip(sizes[:-1], sizes[1:])]
with tempconfig({"pixel_width": 1920, "pixel_height": 1080}):
    cam = Camera()
    d = RasterNetworkDiagram(sizes, W, input_grid=True, width=12, height=7,
                             max_width=(1.0, 3.0))
    t0, c0 = time.perf_counter(), time.process_time()
    geo = d.geometry(cam)
    d.raster(cam)
    t1, c1 = time.perf_counter(), time.process_time()
entries = sum(m.nnz for c in geo.chunks for m in c[2:])
print(json.dumps({"setup": t1 - t0, "cpu": c1 - c0, "entries": entries,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

SCENE = r"""
import json, resource, sys, time
from pathlib import Path
from nnviz.pipeline.configs import scene_config
from nnviz.pipeline.jobs import quality, scene_jobs
from nnviz.pipeline.worker import render_job
from nnviz.spec.store import TraceStore
name, q, out, cache, lo, hi = sys.argv[1:7]
(job,) = scene_jobs({name: scene_config(name, {})}, quality(q), Path(out), ("mp4",), None,
                    TraceStore(cache))
job.manim.update({"from_animation_number": int(lo or 0)})
if hi:
    job.manim.update({"upto_animation_number": int(hi)})
t0, c0 = time.perf_counter(), time.process_time()
result = render_job(job)
print(json.dumps({"ok": result.ok, "error": result.error, "seconds": time.perf_counter() - t0,
                  "cpu": time.process_time() - c0, "duration": result.duration,
                  "peak": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

PLAY = r"""
import json, sys, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import numpy as np
import bench_network_diagram as b
seconds = float(sys.argv[2])
trace, image = b.make_trace()
scales = tuple(float(np.abs(W).max()) for W in trace.weights)
for cls in (b.RasterBench, b.EmptyBench):
    cls.trace, cls.image, cls.scales = trace, image, scales
with tempfile.TemporaryDirectory() as tmp:
    r = b.run(b.RasterBench, seconds, "1080p60", Path(tmp))
    e = b.run(b.EmptyBench, seconds, "1080p60", Path(tmp))
print(json.dumps({"raster": r["anim"], "cpu": r["cpu"], "empty": e["anim"],
                  "setup": r["setup"]}))
"""


def child(code: str, args: list[str], pythonpath: str | None, cwd: Path) -> dict:
    """Run `code` in a fresh interpreter (in `cwd`, which `-c` puts first on sys.path: not
    the repository, or "before" would import today's nnviz); its last output line, parsed."""
    env = dict(os.environ)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath + os.pathsep + env.get("PYTHONPATH", "")
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True,
                          text=True, cwd=cwd)
    if proc.returncode != 0:
        return {"error": (proc.stderr.strip().splitlines() or ["?"])[-1]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def rounds(measure: Callable[[str], dict], n: int, label: str) -> dict[str, dict]:
    """`measure` ("now" / "before") in alternating order over n rounds, each result
    printed; per side, the mean of every number (an error, if any run failed)."""
    got: dict[str, list[dict]] = {"now": [], "before": []}
    for r in range(n):
        for k in (("now", "before") if r % 2 == 0 else ("before", "now")):
            res = measure(k)
            print(f"{label}  {k:6}: {res}", flush=True)
            got[k].append(res)
    out = {}
    for k, runs in got.items():
        bad = [x for x in runs if x.get("error")]
        out[k] = bad[0] if bad else {key: sum(x[key] for x in runs) / len(runs)
                                     for key in runs[0]}
    return out


def export(rev: str, dest: Path) -> None:
    """nnviz/ of git revision `rev` written into `dest`, with its scenes/ as nnviz.scenes
    (where the installed package has them)."""
    data = subprocess.run(["git", "archive", "--format=tar", rev, "nnviz", "scenes"],
                          cwd=ROOT, capture_output=True, check=True).stdout
    with tarfile.open(fileobj=BytesIO(data)) as tar:
        tar.extractall(dest, filter="data")
    (dest / "scenes").rename(dest / "nnviz" / "scenes")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="04b959b", help="git revision to compare with")
    ap.add_argument("--slice", default="20:25", help="digits-network animations FROM:TO")
    ap.add_argument("--only", default="setup,scene,play")
    ap.add_argument("--scene-sides", default="now,before",
                    help="scene: which sides to render (the whole scene at 4K takes minutes)")
    ap.add_argument("--seconds", type=float, default=2.0, help="play: clip length")
    ap.add_argument("--rounds", type=int, default=1,
                    help="setup and play: rounds (now, before), (before, now), ...; means")
    args = ap.parse_args()
    only = set(args.only.split(","))
    lo, hi = args.slice.split(":")
    cache = Path(os.environ.get("NNVIZ_CACHE") or "cache/traces").resolve()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT,
                          capture_output=True, text=True).stdout.strip()
    print(f"now: {head} (+ working tree), before: {args.before}; {os.cpu_count()} CPUs, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    rows: list[tuple[str, dict, dict]] = []
    with tempfile.TemporaryDirectory(prefix="bench-raster-") as tmp:
        old = Path(tmp) / "before"
        export(args.before, old)
        runs = {"now": None, "before": str(old)}
        if "setup" in only:
            res = rounds(lambda k: child(SETUP, [], runs[k], Path(tmp)), args.rounds,
                         "setup 784-128-10 1080p")
            rows.append(("setup", res["now"], res["before"]))
        if "scene" in only:
            res = {}
            for k, p in runs.items():
                if k not in args.scene_sides.split(","):
                    res[k] = {"error": "not run (--scene-sides)"}
                    continue
                out = Path(tmp) / f"out-{k}"
                res[k] = child(SCENE, ["digits-network", "4k", str(out), str(cache), lo, hi], p,
                               Path(tmp))
                print(f"digits-network 4K {args.slice} {k:6}: {res[k]}", flush=True)
            rows.append(("scene", res["now"], res["before"]))
        if "play" in only:
            res = rounds(lambda k: child(PLAY, [str(ROOT / "benchmarks"), str(args.seconds)],
                                         runs[k], Path(tmp)), args.rounds,
                         f"play 1080p60 {args.seconds:g} s")
            rows.append(("play", res["now"], res["before"]))

    print(f"\n{'measurement':44} {'now':>12} {'before':>12}  target")
    for name, now, before in rows:
        if name == "scene" and not now.get("error") and before.get("error"):
            print(f"{'digits-network 4K ' + args.slice + ', peak MB':44} {now['peak']:12.0f}"
                  f" {'-':>12}  <= 1500")
            print(f"{'digits-network 4K ' + args.slice + ', s/s (CPU s/s)':44} "
                  f"{now['seconds'] / now['duration']:5.2f} ({now['cpu'] / now['duration']:5.2f})")
            continue
        if now.get("error") or before.get("error"):
            print(f"{name}: failed: now {now.get('error')}, before {before.get('error')}")
            continue
        if name == "setup":
            print(f"{'784-128-10 set-up at 1080p, s (CPU s)':44} "
                  f"{now['setup']:5.1f} ({now['cpu']:4.1f}) {before['setup']:5.1f} "
                  f"({before['cpu']:4.1f})  <= 5 s")
            print(f"{'784-128-10 set-up, peak MB':44} {now['peak']:12.0f} "
                  f"{before['peak']:12.0f}")
            print(f"{'784-128-10 coverage entries, millions':44} {now['entries'] / 1e6:12.1f} "
                  f"{before['entries'] / 1e6:12.1f}")
        elif name == "scene":
            print(f"{'digits-network 4K ' + args.slice + ', peak MB':44} {now['peak']:12.0f} "
                  f"{before['peak']:12.0f}  <= 1500")
            print(f"{'digits-network 4K ' + args.slice + ', s/s (CPU s/s)':44} "
                  f"{now['seconds'] / now['duration']:5.2f} ({now['cpu'] / now['duration']:5.2f})"
                  f" {before['seconds'] / before['duration']:5.2f} "
                  f"({before['cpu'] / before['duration']:5.2f})")
        else:
            print(f"{'diagram clip 1080p60, s/s (empty scene)':44} "
                  f"{now['raster']:5.2f} ({now['empty']:4.2f}) {before['raster']:5.2f} "
                  f"({before['empty']:4.2f})  <= 2 s/s")
            print(f"{'diagram clip 1080p60, CPU s/s of the process':44} {now['cpu']:12.2f} "
                  f"{before['cpu']:12.2f}")
    print(f"finished {time.strftime('%H:%M:%S')}")


if __name__ == "__main__":
    main()
