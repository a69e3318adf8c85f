"""Benchmark: the Dask path against the local pool, and one long scene split over workers.

(a) A set of scenes at draft through the real `nnviz render`, `--scheduler local:2` vs
    `-j 2` (the cluster path's overhead: LocalCluster start, traces sent as data, files
    back as bytes), alternated A B B A. Target: <= 10 % overhead.
(b) One long scene rendered whole with `-j 1` vs `--split 2 -j 2` (two local workers),
    alternated, plus the same split on `--scheduler local:2`; the joined video must decode
    to the same frames as the whole one. Target: >= 1.6x. The first split render measures
    the scene's plays (a pass that skips them all); later ones reuse that plan, as a
    re-render does; both are printed.

Traces are trained into a fresh cache first. Prints wall times and the load average: on a
shared machine the ratios swing with the load.

    .venv/bin/python benchmarks/bench_cluster.py [--scenes a,b,...] [--long SCENE]
        [--quality 720p] [--skip-a] [--skip-b]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from nnviz.pipeline.configs import build_configs
from nnviz.pipeline.export import probe
from nnviz.pipeline.traces import ensure_traces, needed_traces
from nnviz.spec.store import TraceStore

NNVIZ = str(Path(sys.executable).parent / "nnviz")
SCENES = "bent-line,fitting-a-line,four-pixel,weighted-sum,chain-rule"


def run(args: list[str], cwd: Path, cache: Path) -> float:
    load = os.getloadavg()[0]
    t0 = time.perf_counter()
    proc = subprocess.run([NNVIZ, "render", *args, "--cache", str(cache)], cwd=cwd,
                          capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stderr[-3000:])
        sys.exit(f"nnviz render {' '.join(args)} failed")
    print(f"  {' '.join(args):<70} {wall:7.1f} s  (load {load:.1f} -> "
          f"{os.getloadavg()[0]:.1f})", flush=True)
    return wall


def frames(path: Path) -> np.ndarray:
    info = probe(path)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo",
                          "-pix_fmt", "rgb24", "-"], capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, info.height, info.width, 3)


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
            ref = frames(root / "whole" / args.long / args.quality / f"{args.long}.mp4")
            got = frames(root / "split" / args.long / args.quality / f"{args.long}.mp4")
            same = ref.shape == got.shape and np.array_equal(ref, got)
            w = (whole + whole2) / 2
            on_dask = f", {w / dask:.2f}x on local:2" if dask else ""
            print(f"(b) whole {w:.1f} s; split 2: {w / first:.2f}x with the planning pass, "
                  f"{w / again:.2f}x with the plan kept{on_dask} "
                  f"(target >= 1.6x); frames identical: {same} ({len(ref)} vs {len(got)})")


if __name__ == "__main__":
    main()
