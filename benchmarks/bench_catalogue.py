"""Benchmark: every scene of the catalogue at 1080p60, nnviz as it ships vs stock manim
drawing (NNVIZ_STOCK_MANIM=1), interleaved, with traces and formulas warm.

Each scene is rendered from its first animation up to the one that passes `--slice`
seconds of video (0: the whole scene), in a fresh process per render, through the same
worker and encoder as `nnviz render` (formats: mp4 only). Per scene the order alternates
nnviz, stock, stock, nnviz (--rounds 2), so a change in the machine's load hits both
alike. Prints each scene's seconds of render per second of video for both, their ratio,
and the catalogue's totals; the targets of issue 18 are <= 1.0 s/s in total and no scene
above 1.5 s/s.

    .venv/bin/python benchmarks/bench_catalogue.py [--quality 1080p] [--slice 10]
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

RUNNER = r"""
import json, sys, time
from pathlib import Path
from nnviz.pipeline.configs import scene_config
from nnviz.pipeline.jobs import quality, scene_jobs
from nnviz.pipeline.worker import render_job
from nnviz.spec.store import TraceStore
name, q, out, cache, upto = sys.argv[1:6]
manim = {} if int(upto) < 0 else {"upto_animation_number": int(upto)}
(job,) = scene_jobs({name: scene_config(name, {})}, quality(q), Path(out), ("mp4",), None,
                    TraceStore(cache))
job.manim.update(manim)
t0 = time.perf_counter()
result = render_job(job)
print(json.dumps({"ok": result.ok, "error": result.error, "seconds": time.perf_counter() - t0,
                  "duration": result.duration}))
"""


def render(name: str, q: str, out: Path, cache: Path, upto: int, stock: bool) -> dict:
    env = dict(os.environ, NNVIZ_STOCK_MANIM="1" if stock else "0", OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", RUNNER, name, q, str(out), str(cache),
                           str(upto)], env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        return {"ok": False, "error": proc.stderr.strip().splitlines()[-1:], "seconds": 0.0,
                "duration": 0.0}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def slice_end(name: str, cache: Path, seconds: float) -> tuple[int, float]:
    """The last animation index within the first `seconds` of video (-1: all), and the
    video length it covers; from a pass that draws nothing (it also warms the formulas)."""
    from nnviz.pipeline.configs import scene_config
    from nnviz.pipeline.jobs import quality, scene_jobs
    from nnviz.pipeline.split import play_durations
    from nnviz.spec.store import TraceStore

    with tempfile.TemporaryDirectory() as tmp:
        (job,) = scene_jobs({name: scene_config(name, {})}, quality("draft"), Path(tmp),
                            ("mp4",), None, TraceStore(cache))
        durations = play_durations(job)
    if seconds <= 0 or sum(durations) <= seconds:
        return -1, sum(durations)
    total = 0.0
    for i, d in enumerate(durations):
        total += d
        if total >= seconds:
            return i, total
    return -1, total


def main() -> None:
    from nnviz.pipeline.configs import build_configs
    from nnviz.pipeline.traces import ensure_traces, needed_traces
    from nnviz.spec import registry
    from nnviz.spec.store import TraceStore

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quality", default="1080p")
    ap.add_argument("--slice", type=float, default=10.0,
                    help="seconds of video per scene (0: whole scenes)")
    ap.add_argument("--rounds", type=int, default=2, help="ABBA rounds of nnviz / stock")
    ap.add_argument("--scenes", default="", help="comma-separated subset (default: all)")
    args = ap.parse_args()

    entries = registry.discover()
    names = [n for n in args.scenes.split(",") if n] or sorted(
        n for n, e in entries.items() if e.source == "built-in")
    cache = Path(os.environ.get("NNVIZ_CACHE") or "cache/traces")
    ensure_traces(needed_traces(build_configs({n: {} for n in names}).values()),
                  TraceStore(cache))
    print(f"{len(names)} scenes at {args.quality}, slice {args.slice:g} s, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    print(f"{'scene':26} {'video s':>8} {'nnviz s/s':>10} {'stock s/s':>10} {'ratio':>6}")
    totals = {False: 0.0, True: 0.0}
    video_total = 0.0
    worst = (0.0, "")
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as tmp:
        for name in names:
            upto, _ = slice_end(name, cache, args.slice)
            times: dict[bool, list[float]] = {False: [], True: []}
            duration = 0.0
            order = [s for r in range(args.rounds)
                     for s in ((False, True) if r % 2 == 0 else (True, False))]
            for k, stock in enumerate(order):
                res = render(name, args.quality, Path(tmp) / f"{k}", cache, upto, stock)
                if not res["ok"]:
                    print(f"{name:26} failed: {res['error']}")
                    break
                times[stock].append(res["seconds"])
                duration = res["duration"]
            else:
                ours = sum(times[False]) / len(times[False]) / duration
                theirs = sum(times[True]) / len(times[True]) / duration
                print(f"{name:26} {duration:8.1f} {ours:10.2f} {theirs:10.2f} "
                      f"{ours / theirs:6.2f}", flush=True)
                totals[False] += ours * duration
                totals[True] += theirs * duration
                video_total += duration
                worst = max(worst, (ours, name))
    if video_total:
        print(f"{'total':26} {video_total:8.1f} {totals[False] / video_total:10.2f} "
              f"{totals[True] / video_total:10.2f} {totals[False] / totals[True]:6.2f}")
        print(f"slowest with nnviz: {worst[1]} {worst[0]:.2f} s/s (target: total <= 1.0, "
              f"every scene <= 1.5); finished {time.strftime('%H:%M:%S')}")


if __name__ == "__main__":
    main()
