"""Benchmark: the Dask path against the local pool, and one long scene split over workers.

(a) A set of scenes at draft through the real `nnviz render`, `--scheduler local:2` vs
    `-j 2` (the cluster path's overhead: LocalCluster start, traces sent as data, files
    back as bytes), alternated A B B A. Target: <= 10 % overhead.
(b) One long scene rendered whole with `-j 1` vs `--split 2 -j 2` (two local workers),
    alternated, plus the same split on `--scheduler local:2`; the joined video must decode
    to the same frames (compared by each frame's MD5) as the whole one. Target: >= 1.6x.
    The first split render measures the scene's plays (a pass that skips them all);
    later ones reuse that plan, as a re-render or a split after a draft does; both are
    printed. Also the whole scene on one worker pinned to one core (taskset), against
    which the two single-core workers of the split compare like for like: an unpinned
    `-j 1` render keeps part of the second core busy with x264's threads.

Traces are trained into a fresh cache first. Prints wall and CPU times and the load
average: on a shared machine the ratios swing with the load.

    .venv/bin/python benchmarks/bench_cluster.py [--scenes a,b,...] [--long SCENE]
        [--quality 720p] [--skip-a] [--skip-b]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nnviz.pipeline.configs import build_configs
from nnviz.pipeline.traces import ensure_traces, needed_traces
from nnviz.spec.store import TraceStore

NNVIZ = str(Path(sys.executable).parent / "nnviz")
SCENES = "bent-line,fitting-a-line,four-pixel,weighted-sum,chain-rule"


def run(args: list[str], cwd: Path, cache: Path, pin: str = "") -> float:
    """One `nnviz render`, its wall time returned; its CPU time (all processes and
    threads) printed beside it, and how many cores that kept busy. `pin`: a CPU list for
    taskset, to give the render exactly those cores."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    prefix = ["taskset", "-c", pin] if pin else []
    proc = subprocess.run([*prefix, NNVIZ, "render", *args, "--cache", str(cache)], cwd=cwd,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        print(proc.stderr[-3000:])
        sys.exit(f"nnviz render {' '.join(args)} failed")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    label = (f"[cores {pin}] " if pin else "") + " ".join(args)
    print(f"  {label[:70]:<70} {wall:7.1f} s  cpu {cpu:6.1f} s ({cpu / wall:.2f} cores; "
          f"load {load:.1f} -> {os.getloadavg()[0]:.1f})", flush=True)
    return wall


def frame_digests(path: Path) -> list[str]:
    """Each decoded frame's MD5 (ffmpeg's framemd5, rgb24), streamed: a long 1080p video
    would not fit in memory as raw frames."""
    out = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "framemd5",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, text=True,
                         check=True).stdout
    return [line.rsplit(",", 1)[1].strip() for line in out.splitlines()
            if line and not line.startswith("#")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenes", default=SCENES, help="(a): comma-separated scenes")
    ap.add_argument("--long", default="four-pixel", help="(b): the scene to split")
    ap.add_argument("--quality", default="720p", help="(b): quality of the long scene")
    ap.add_argument("--skip-a", action="store_true")
    ap.add_argument("--skip-b", action="store_true")
    ap.add_argument("--quick", action="store_true",
                    help="(b): whole once, split twice; no second whole, no local:2 split")
    args = ap.parse_args()
    names = [n for n in args.scenes.split(",") if n]
    with tempfile.TemporaryDirectory(prefix="bench-cluster-") as tmp:
        root = Path(tmp)
        cache = root / "cache"
        specs = needed_traces(build_configs({n: {} for n in {*names, args.long}}).values())
        ensure_traces(specs, TraceStore(cache))
        print(f"{os.cpu_count()} CPUs; traces trained first; load {os.getloadavg()[0]:.1f}")
        if not args.skip_a:
            print(f"(a) {len(names)} scenes at draft: --scheduler local:2 vs -j 2")
            walls: dict[str, list[float]] = {"cluster": [], "pool": []}
            for i, how in enumerate(("cluster", "pool", "pool", "cluster")):
                flags = ["--scheduler", "local:2"] if how == "cluster" else ["-j", "2"]
                walls[how].append(run([*names, "--quality", "draft", *flags, "--out",
                                       str(root / f"a{i}")], root, cache))
            c, p = (sum(walls[k]) / 2 for k in ("cluster", "pool"))
            print(f"(a) local:2 {c:.1f} s vs -j 2 {p:.1f} s: overhead {100 * (c / p - 1):+.1f} %"
                  f" (target <= 10 %)")
        if not args.skip_b:
            q = ["--quality", args.quality]
            print(f"(b) {args.long} at {args.quality}: whole (-j 1) vs --split 2 -j 2")
            whole = run([args.long, *q, "-j", "1", "--out", str(root / "whole")], root, cache)
            first = run([args.long, *q, "--split", "2", "-j", "2", "--out",
                         str(root / "split")], root, cache)
            again = run([args.long, *q, "--split", "2", "-j", "2", "--out",
                         str(root / "split")], root, cache)
            whole2 = whole if args.quick else run(
                [args.long, *q, "-j", "1", "--out", str(root / "whole")], root, cache)
            dask = None if args.quick else run(
                [args.long, *q, "--split", "2", "--scheduler", "local:2", "--out",
                 str(root / "split")], root, cache)
            # one worker of one core (as on a cluster whose workers each have one), the
            # fair "1 worker" for the 2 single-core workers the split runs on here: an
            # unpinned -j 1 render also keeps part of the second core busy (x264 threads)
            one = run([args.long, *q, "-j", "1", "--out", str(root / "one-core")], root, cache,
                      pin="0") if shutil.which("taskset") else None
            ref = frame_digests(root / "whole" / args.long / args.quality / f"{args.long}.mp4")
            got = frame_digests(root / "split" / args.long / args.quality / f"{args.long}.mp4")
            w = (whole + whole2) / 2
            on_dask = f", {w / dask:.2f}x on local:2" if dask else ""
            per_worker = (f"; one single-core worker {one:.1f} s vs two: {one / again:.2f}x"
                          if one else "")
            print(f"(b) whole {w:.1f} s; split 2: {w / first:.2f}x with the planning pass, "
                  f"{w / again:.2f}x with the plan kept{on_dask}{per_worker} "
                  f"(target >= 1.6x); frames identical: {ref == got} "
                  f"({len(ref)} vs {len(got)})")


if __name__ == "__main__":
    main()
