"""Benchmark: every scene of the catalogue at 1080p60, nnviz as it ships vs stock manim
drawing (NNVIZ_STOCK_MANIM=1), interleaved, with traces and formulas warm.

Each scene is rendered from its first animation up to the one that passes `--slice`
seconds of video (0: the whole scene), in a fresh process per render, through the same
worker and encoder as `nnviz render` (formats: mp4 only). Per scene the order alternates
nnviz, stock, stock, nnviz (--rounds 2), so a change in the machine's load hits both
alike. Prints each scene's seconds of render per second of video for both, their ratio,
and the catalogue's totals, in wall time and in CPU time of the render process (all its
threads, the encoder's too): on a shared machine the wall time measures the share of the
cores a render got, the CPU time what it costs; the load average is printed per scene.
The targets of issue 18 are <= 1.0 s/s in total (-j 2 on 2 cores: about <= 2 CPU-s per
second of video) and no scene above 1.5 s/s. A render that fails is reported with its
error and the run exits non-zero; nothing is skipped.

`--jobs N` then measures the target as a user meets it: the same slices rendered N at a
time (as `nnviz render --all -j N` does), the whole catalogue with nnviz, then with stock
drawing, then nnviz again (one number per pass: wall seconds of the pass per second of
video, and each scene's own wall s/s while it shared the machine).

    .venv/bin/python benchmarks/bench_catalogue.py [--quality 1080p] [--slice 10]
        [--rounds 2] [--scenes a,b,...] [--jobs 2] [--only-jobs]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

RUNNER = r"""
import json, resource, sys, time
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
def cpu():
    return sum(r.ru_utime + r.ru_stime for r in (resource.getrusage(resource.RUSAGE_SELF),
                                                  resource.getrusage(resource.RUSAGE_CHILDREN)))
t0, c0 = time.perf_counter(), cpu()
result = render_job(job)
print(json.dumps({"ok": result.ok, "error": result.error, "traceback": result.traceback,
                  "seconds": time.perf_counter() - t0, "cpu": cpu() - c0,
                  "duration": result.duration}))
"""


class RenderFailed(RuntimeError):
    """A render of the benchmark failed: its numbers would be meaningless, so the run says so."""


def render(name: str, q: str, out: Path, cache: Path, upto: int, stock: bool) -> dict:
    """One render in a fresh process: wall and CPU seconds of `render_job` alone (CPU over
    all of the process's threads, the encoder's included, and its children), video length."""
    env = dict(os.environ, NNVIZ_STOCK_MANIM="1" if stock else "0", OMP_NUM_THREADS="1")
    proc = subprocess.run([sys.executable, "-c", RUNNER, name, q, str(out), str(cache),
                           str(upto)], env=env, capture_output=True, text=True)
    which = "stock" if stock else "nnviz"
    if proc.returncode != 0:
        raise RenderFailed(f"{name} ({which}): exit {proc.returncode}\n{proc.stderr[-3000:]}")
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    if not res["ok"] or res["duration"] <= 0:
        raise RenderFailed(f"{name} ({which}): {res['error']}\n{res['traceback'] or ''}")
    return res


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
    ap.add_argument("--jobs", type=int, default=0,
                    help="also render the whole catalogue N slices at a time (0: not)")
    ap.add_argument("--only-jobs", action="store_true",
                    help="skip the per-scene table, run only the --jobs passes")
    args = ap.parse_args()
    if args.only_jobs and args.jobs < 1:
        sys.exit("--only-jobs needs --jobs N (N >= 1)")

    entries = registry.discover()
    names = [n for n in args.scenes.split(",") if n] or sorted(
        n for n, e in entries.items() if e.source == "built-in")
    unknown = [n for n in names if n not in entries]
    if unknown:
        sys.exit(f"unknown scenes: {', '.join(unknown)} (see `nnviz list`)")
    cache = Path(os.environ.get("NNVIZ_CACHE") or "cache/traces")
    ensure_traces(needed_traces(build_configs({n: {} for n in names}).values()),
                  TraceStore(cache))
    print(f"{len(names)} scenes at {args.quality}, slice {args.slice:g} s, "
          f"{os.cpu_count()} CPUs, load {load()}; s/s = seconds of render per second of "
          "video, wall and CPU (all threads of the render process)")
    ends = {name: slice_end(name, cache, args.slice) for name in names}
    uptos = {name: upto for name, (upto, _) in ends.items()}
    failures: list[str] = []
    if not args.only_jobs:
        failures += per_scene(names, uptos, args, cache)
    if args.jobs:
        longest_first = sorted(names, key=lambda n: -ends[n][1])
        failures += in_parallel(longest_first, uptos, args, cache)
    if failures:
        sys.exit(f"FAILED: {len(failures)} renders did not finish: {', '.join(failures)}")


def per_scene(names: list[str], uptos: dict[str, int], args: argparse.Namespace,
              cache: Path) -> list[str]:
    """One scene at a time, nnviz and stock alternated: the per-scene table."""
    print(f"{'scene':24} {'video':>6} | {'nnviz wall':>10} {'cpu':>5} | {'stock wall':>10} "
          f"{'cpu':>5} | {'ratio wall':>10} {'cpu':>5} | load")
    totals = {(stock, kind): 0.0 for stock in (False, True) for kind in ("seconds", "cpu")}
    video_total = 0.0
    rows: list[tuple[str, float, float]] = []
    failures: list[str] = []
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-") as tmp:
        for name in names:
            upto = uptos[name]
            runs: dict[bool, list[dict]] = {False: [], True: []}
            order = [s for r in range(args.rounds)
                     for s in ((False, True) if r % 2 == 0 else (True, False))]
            try:
                for k, stock in enumerate(order):
                    runs[stock].append(render(name, args.quality, Path(tmp) / f"{k}", cache,
                                              upto, stock))
            except RenderFailed as e:
                print(f"{name:24} FAILED: {e}", flush=True)
                failures.append(name)
                continue
            duration = runs[False][0]["duration"]
            if any(abs(r["duration"] - duration) > 0.05 for r in runs[True] + runs[False]):
                print(f"{name:24} FAILED: videos of different lengths: "
                      f"{[r['duration'] for r in runs[False] + runs[True]]}", flush=True)
                failures.append(name)
                continue
            mean = {(stock, kind): sum(r[kind] for r in runs[stock]) / len(runs[stock])
                    for stock in (False, True) for kind in ("seconds", "cpu")}
            per = {key: value / duration for key, value in mean.items()}
            print(f"{name:24} {duration:6.1f} | {per[False, 'seconds']:10.2f} "
                  f"{per[False, 'cpu']:5.2f} | {per[True, 'seconds']:10.2f} "
                  f"{per[True, 'cpu']:5.2f} | "
                  f"{mean[False, 'seconds'] / mean[True, 'seconds']:10.2f} "
                  f"{mean[False, 'cpu'] / mean[True, 'cpu']:5.2f} | {load()}", flush=True)
            for key, value in mean.items():
                totals[key] += value
            video_total += duration
            rows.append((name, per[False, "seconds"], per[False, "cpu"]))
    if video_total:
        t = {key: value / video_total for key, value in totals.items()}
        print(f"{'total':24} {video_total:6.1f} | {t[False, 'seconds']:10.2f} "
              f"{t[False, 'cpu']:5.2f} | {t[True, 'seconds']:10.2f} {t[True, 'cpu']:5.2f} | "
              f"{totals[False, 'seconds'] / totals[True, 'seconds']:10.2f} "
              f"{totals[False, 'cpu'] / totals[True, 'cpu']:5.2f} | {load()}")
        wall = max(rows, key=lambda r: r[1])
        cpu = max(rows, key=lambda r: r[2])
        print(f"slowest with nnviz: {wall[0]} {wall[1]:.2f} s/s wall, {cpu[0]} {cpu[2]:.2f} "
              "CPU-s/s (targets, -j 2 on 2 cores: total <= 1.0 s/s, i.e. about <= 2 CPU-s/s; "
              f"every scene <= 1.5 s/s); finished {time.strftime('%H:%M:%S')}")
    return failures


def in_parallel(order: list[str], uptos: dict[str, int], args: argparse.Namespace,
                cache: Path) -> list[str]:
    """The catalogue as `nnviz render --all -j N` renders it: N slices at a time, longest
    first; passes nnviz, stock, nnviz. Prints each pass's wall time per second of video
    (the issue's total) and its slowest scene's own wall s/s."""
    failures: list[str] = []
    print(f"\nthe catalogue {args.jobs} at a time (wall of the pass / video; slowest scene's "
          "own wall s/s while sharing the machine)")
    with tempfile.TemporaryDirectory(prefix="bench-catalogue-jobs-") as tmp:
        for k, stock in enumerate((False, True, False)):
            which = "stock" if stock else "nnviz"

            def one(name: str, stock: bool = stock, k: int = k, which: str = which
                    ) -> dict | str:
                try:
                    return render(name, args.quality, Path(tmp) / f"{k}-{name}", cache,
                                  uptos[name], stock)
                except RenderFailed as e:
                    print(f"{name:24} FAILED ({which}): {e}", flush=True)
                    return name
            t0 = time.perf_counter()
            with ThreadPoolExecutor(args.jobs) as pool:
                results = dict(zip(order, pool.map(one, order), strict=True))
            wall = time.perf_counter() - t0
            done = {n: r for n, r in results.items() if isinstance(r, dict)}
            failures += [f"{n} ({which})" for n, r in results.items() if isinstance(r, str)]
            video = sum(r["duration"] for r in done.values())
            cpu = sum(r["cpu"] for r in done.values())
            if not video:
                continue
            slowest = max(done, key=lambda n: done[n]["seconds"] / done[n]["duration"])
            print(f"{which:6} -j {args.jobs}: {wall:7.1f} s for {video:6.1f} s of video = "
                  f"{wall / video:.2f} s/s (CPU {cpu / video:.2f} CPU-s/s); slowest scene "
                  f"{slowest} {done[slowest]['seconds'] / done[slowest]['duration']:.2f} s/s; "
                  f"load {load()}; {time.strftime('%H:%M:%S')}", flush=True)
    print("targets: total <= 1.0 s/s, no scene above 1.5 s/s")
    return failures


def load() -> str:
    """The machine's 1-minute load average: on a shared machine it says how much of the
    wall time was the machine's, not nnviz's."""
    return f"{os.getloadavg()[0]:.1f}"


if __name__ == "__main__":
    main()
