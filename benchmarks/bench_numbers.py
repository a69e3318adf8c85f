"""Benchmark: the scenes that update numbers and formulas every frame, at 1080p60, with
nnviz's number and formula speed-ups (nnviz.draw.patches.numbers) on and off, everything
else as shipped, interleaved; wall and CPU time per second of video.

Each render is a fresh process through the same worker and encoder as `nnviz render`,
from the scene's first animation up to the one that passes `--slice` seconds of video
(as bench_catalogue.py). Per scene the order alternates after, before, before, after
(--rounds 2), so a change in the machine's load hits both alike. CPU time (all threads
of the render process and its children: the encoder's included) is the steadier figure on a shared
machine. "before" switches the speed-ups off inside the render process only
(`numbers.active`), which is manim's own DecimalNumber, MathTex and Text behaviour.

    .venv/bin/python benchmarks/bench_numbers.py [--quality 1080p] [--slice 10]
        [--rounds 2] [--scenes a,b,...]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_catalogue import slice_end

SCENES = ("bent-line", "fitting-a-line", "training-you-can-watch", "chain-rule",
          "weighted-sum")

RUNNER = r"""
import json, resource, sys, time
from pathlib import Path
from nnviz.draw.patches import numbers
from nnviz.pipeline.configs import scene_config
from nnviz.pipeline.jobs import quality, scene_jobs
from nnviz.pipeline.worker import render_job
from nnviz.spec.store import TraceStore
name, q, out, cache, upto, fast = sys.argv[1:7]
if fast == "0":
    numbers.active = lambda: False
(job,) = scene_jobs({name: scene_config(name, {})}, quality(q), Path(out), ("mp4",), None,
                    TraceStore(cache))
if int(upto) >= 0:
    job.manim["upto_animation_number"] = int(upto)
def cpu():
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))
t0, c0 = time.perf_counter(), cpu()
result = render_job(job)
print(json.dumps({"ok": result.ok, "error": result.error, "wall": time.perf_counter() - t0,
                  "cpu": cpu() - c0, "duration": result.duration}))
"""


def render(name: str, q: str, out: Path, cache: Path, upto: int, fast: bool) -> dict:
    env = dict(os.environ, OMP_NUM_THREADS="1")
    env.pop("NNVIZ_STOCK_MANIM", None)
    proc = subprocess.run([sys.executable, "-c", RUNNER, name, q, str(out), str(cache),
                           str(upto), "1" if fast else "0"], env=env, capture_output=True,
                          text=True)
    if proc.returncode != 0:
        return {"ok": False, "error": proc.stderr.strip().splitlines()[-1:]}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _per_second(runs: list[dict], key: str, duration: float) -> float:
    return sum(r[key] for r in runs) / len(runs) / duration


def main() -> None:
    from nnviz.pipeline.configs import build_configs
    from nnviz.pipeline.traces import ensure_traces, needed_traces
    from nnviz.spec.store import TraceStore

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", default="1080p")
    ap.add_argument("--slice", type=float, default=10.0,
                    help="seconds of video per scene (0: whole scenes)")
    ap.add_argument("--rounds", type=int, default=2, help="ABBA rounds of after / before")
    ap.add_argument("--scenes", default=",".join(SCENES), help="comma-separated")
    args = ap.parse_args()

    names = [n for n in args.scenes.split(",") if n]
    cache = Path(os.environ.get("NNVIZ_CACHE") or "cache/traces")
    ensure_traces(needed_traces(build_configs({n: {} for n in names}).values()),
                  TraceStore(cache))
    print(f"{len(names)} scenes at {args.quality}, slice {args.slice:g} s, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}; s of render per s of video")
    print(f"{'scene':24} {'video s':>7} {'before wall':>11} {'after wall':>10} "
          f"{'ratio':>6} {'before cpu':>10} {'after cpu':>9} {'ratio':>6}")
    with tempfile.TemporaryDirectory(prefix="bench-numbers-") as tmp:
        for name in names:
            upto, _ = slice_end(name, cache, args.slice)
            runs: dict[bool, list[dict]] = {True: [], False: []}
            order = [f for r in range(args.rounds)
                     for f in ((True, False) if r % 2 == 0 else (False, True))]
            for k, fast in enumerate(order):
                res = render(name, args.quality, Path(tmp) / f"{name}-{k}", cache, upto,
                             fast)
                if not res["ok"]:
                    print(f"{name:24} failed: {res['error']}")
                    break
                runs[fast].append(res)
            else:
                dur = runs[True][0]["duration"]
                bw, aw, bc, ac = (_per_second(runs[f], key, dur) for f, key in (
                    (False, "wall"), (True, "wall"), (False, "cpu"), (True, "cpu")))
                print(f"{name:24} {dur:7.1f} {bw:11.2f} {aw:10.2f} {bw / aw:6.2f} "
                      f"{bc:10.2f} {ac:9.2f} {bc / ac:6.2f}", flush=True)
    print(f"finished {time.strftime('%H:%M:%S')}, load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
