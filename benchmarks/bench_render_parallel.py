"""Benchmark: render every registered scene at draft quality with -j 1 and with -j 2.

The traces are trained into a fresh cache first, so only rendering (and each scene's
exports) is measured. Both runs go through the real `nnviz render` command, one after the
other in this one run, each into a fresh output folder (so both compile their LaTeX from
cold); the render times recorded by the first run are copied into the next folder, so
later runs start the longest scenes first (as any second render does). The runs alternate
-j 1, -j 2, -j 2, -j 1 (--rounds 2, the default) so that a change in the machine's load
hits both alike. Prints wall and CPU times, the
speed-up and the load average, since the machine may be shared.

    .venv/bin/python benchmarks/bench_render_parallel.py [--speed 1] [--rounds 2]
        [--scenes a,b,...]
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
from nnviz.pipeline.pool import TIMES_FILE
from nnviz.pipeline.traces import ensure_traces, needed_traces
from nnviz.spec import registry
from nnviz.spec.store import TraceStore

NNVIZ = str(Path(sys.executable).parent / "nnviz")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--speed", type=float, default=1.0, help="--set speed=... for all scenes")
    ap.add_argument("--scenes", default="", help="comma-separated subset (default: all)")
    ap.add_argument("--rounds", type=int, default=2, help="ABBA rounds of -j 1 / -j 2")
    args = ap.parse_args()

    names = [n for n in args.scenes.split(",") if n] or sorted(registry.discover())
    with tempfile.TemporaryDirectory(prefix="bench-render-") as tmp:
        root = Path(tmp)
        cache = root / "cache"
        overrides = {n: {"speed": args.speed} for n in names}
        specs = needed_traces(build_configs(overrides).values())
        t0 = time.perf_counter()
        trained, _ = ensure_traces(specs, TraceStore(cache))
        print(f"{len(names)} scenes, {len(trained)} traces pre-trained in "
              f"{time.perf_counter() - t0:.1f} s; {os.cpu_count()} CPUs")
        walls: dict[int, list[float]] = {1: [], 2: []}
        order = [j for r in range(args.rounds) for j in ((1, 2) if r % 2 == 0 else (2, 1))]
        for run, jobs in enumerate(order):
            out = root / f"renders-{run}"
            out.mkdir()
            if run:
                shutil.copy(root / f"renders-{run - 1}" / TIMES_FILE, out)
            load = os.getloadavg()[0]
            cpu0 = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            proc = subprocess.run(
                [NNVIZ, "render", *names, "--quality", "draft", "-j", str(jobs),
                 "--set", f"speed={args.speed}", "--cache", str(cache), "--out",
                 str(out)], cwd=root, capture_output=True, text=True)
            wall = time.perf_counter() - t0
            cpu1 = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (cpu1.ru_utime - cpu0.ru_utime) + (cpu1.ru_stime - cpu0.ru_stime)
            if proc.returncode != 0:
                print(proc.stderr[-2000:])
                sys.exit(f"render -j {jobs} failed")
            if "0 trained" not in proc.stderr:
                sys.exit("a trace was trained during the timed run")
            walls[jobs].append(wall)
            print(f"-j {jobs}: {wall:7.1f} s wall, {cpu:7.1f} s CPU, {cpu / wall:.2f} cores busy "
                  f"(load average before {load:.1f}, after {os.getloadavg()[0]:.1f})",
                  flush=True)
        j1, j2 = sum(walls[1]) / len(walls[1]), sum(walls[2]) / len(walls[2])
        print(f"speed-up -j 2 vs -j 1: {j1 / j2:.2f}x  (mean wall {j1:.1f} s vs {j2:.1f} s; "
              "target >= 1.7x on 2 idle cores; other processes on the machine lower it)")

if __name__ == "__main__":
    main()
