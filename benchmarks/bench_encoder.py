"""Benchmark: the encoder's floor under every scene at 1080p60, nnviz now vs an earlier
commit, side by side in one run (issue 18).

Each measurement runs in a fresh process and reports CPU time (the machine is shared:
wall time measures the share of the cores a render got), split by thread: the drawing
thread (manim's frame loop, the scene's updaters and drawing) and the encoder threads
(manim's segment jobs: PyAV's RGBA -> YUV420 conversion and x264). Per frame and per
second of video:

  empty  an nnviz-rendered scene with one dot moving across it (as bench_warp's floor: every
         frame changes, in a band of rows): a --seconds play (every frame drawn and
         encoded) and a --seconds still wait (manim writes one frame with
         repeat=n: its freeze_current_frame); "now" also splits the encoder's time into
         conversion and x264 (nnviz's SegmentEncoder converts in a method of its own)
  scene  --scenes through nnviz's worker, as `nnviz render` renders, each up to the
         animation that passes --slice seconds of video; how many of its frames were
         repeats of a still frame

"before" runs the same with nnviz and scenes/ of `--before` (a git revision, default
04b959b: before the encoder work) exported into a temporary folder first on PYTHONPATH;
now and before alternate per measurement (--rounds: now, before, before, now, ...).

    .venv/bin/python benchmarks/bench_encoder.py [--before REV] [--seconds 3]
        [--scenes weighted-sum,four-pixel] [--slice 10] [--rounds 2] [--only empty,scene]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_raster_memory import ROOT, child, export, rounds  # noqa: E402

# Shared by both children: CPU of the drawing thread and of every encoder job's thread.
PROBE = r"""
import json, sys, time
from manim.scene import scene_file_writer as sfw
ENC = {"cpu": 0.0, "frames": 0}
_listen = sfw._PartialMovieEncodeJob._listen_and_write
def _timed_listen(self):
    try:
        _listen(self)
    finally:
        ENC["cpu"] += time.thread_time()
sfw._PartialMovieEncodeJob._listen_and_write = _timed_listen
_put = sfw._PartialMovieEncodeJob.put
def _counted_put(self, repeat, frame):
    ENC["frames"] += repeat
    ENC["repeats"] = ENC.get("repeats", 0) + repeat - 1
    return _put(self, repeat, frame)
sfw._PartialMovieEncodeJob.put = _counted_put
def encoder_cpu(writer):
    writer.join_all_encode_jobs()
    return ENC["cpu"]
"""

EMPTY = PROBE + r"""
import tempfile
from manim import Dot, Scene, ValueTracker, linear, tempconfig
from nnviz.draw.patches import NNVizRendering
from nnviz.pipeline.encoding import encoder_options
from nnviz.spec.palette import PALETTE
seconds = float(sys.argv[1])
PARTS = {"conv": 0.0}
try:  # nnviz now: conversion in a method of its own
    from nnviz.draw.patches.frame_handoff import SegmentEncoder
    _conv = SegmentEncoder._converted
    def _timed_conv(self, frame):
        t = time.thread_time()
        try:
            return _conv(self, frame)
        finally:
            PARTS["conv"] += time.thread_time() - t
    SegmentEncoder._converted = _timed_conv
except (ImportError, AttributeError):
    PARTS = None
out = {}
class Empty(NNVizRendering, Scene):
    def construct(self):
        u = ValueTracker(0.0)
        dot = Dot().add_updater(lambda m: m.move_to([6 * u.get_value() - 3, 0, 0]))
        self.add(dot)
        for what, step in (("play", lambda: self.play(u.animate.set_value(1.0),
                                                      run_time=seconds, rate_func=linear)),
                           ("wait", lambda: (dot.clear_updaters(), self.wait(seconds)))):
            writer = self.renderer.file_writer
            enc0, main0, f0 = encoder_cpu(writer), time.thread_time(), ENC["frames"]
            conv0 = PARTS["conv"] if PARTS else 0.0
            step()
            main = time.thread_time() - main0
            enc = encoder_cpu(writer) - enc0
            frames = ENC["frames"] - f0
            out[what] = {"main_ms": 1000 * main / frames, "enc_ms": 1000 * enc / frames,
                         "cpu_ss": (main + enc) / seconds}
            if PARTS:
                conv = PARTS["conv"] - conv0
                out[what]["conv_ms"] = 1000 * conv / frames
                out[what]["x264_ms"] = 1000 * (enc - conv) / frames
with tempfile.TemporaryDirectory() as tmp, tempconfig({
        "pixel_width": 1920, "pixel_height": 1080, "frame_rate": 60,
        "video_encoder_options": encoder_options("fast"), "media_dir": tmp,
        "disable_caching": True, "progress_bar": "none", "verbosity": "ERROR",
        "background_color": PALETTE["background"]}):
    Empty().render()
print(json.dumps({f"{k}_{m}": v for k, d in out.items() for m, v in d.items()}))
"""

SCENE = PROBE + r"""
import resource
from pathlib import Path
from nnviz.pipeline.configs import scene_config
from nnviz.pipeline.jobs import quality, scene_jobs
from nnviz.pipeline.worker import render_job
from nnviz.spec.store import TraceStore
name, out, cache, upto = sys.argv[1:5]
(job,) = scene_jobs({name: scene_config(name, {})}, quality("1080p"), Path(out), ("mp4",),
                    None, TraceStore(cache))
if int(upto) >= 0:
    job.manim.update({"upto_animation_number": int(upto)})
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
c0, m0 = cpu(), time.thread_time()
result = render_job(job)
assert result.ok, result.error
total, main = cpu() - c0, time.thread_time() - m0
d = result.duration
print(json.dumps({"cpu_ss": total / d, "main_ss": main / d, "enc_ss": ENC["cpu"] / d,
                  "enc_ms": 1000 * ENC["cpu"] / ENC["frames"], "frames": ENC["frames"],
                  "repeats": ENC.get("repeats", 0), "video_s": d}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", default="04b959b", help="git revision to compare with")
    ap.add_argument("--seconds", type=float, default=3.0, help="empty scene: play and wait")
    ap.add_argument("--scenes", default="weighted-sum,four-pixel")
    ap.add_argument("--slice", type=float, default=10.0, help="seconds of each scene")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--only", default="empty,scene")
    args = ap.parse_args()
    only = set(args.only.split(","))
    cache = Path(os.environ.get("NNVIZ_CACHE") or "cache/traces").resolve()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        export(args.before, tmp / "before")
        paths = {"now": None, "before": str(tmp / "before")}
        run_dir = tmp / "run"
        run_dir.mkdir()
        print(f"1080p60, CPU ms per frame (drawing thread / encoder threads) and CPU-s per "
              f"second of video; now vs {args.before}, {args.rounds} round(s), "
              f"load {os.getloadavg()[0]:.1f}", flush=True)
        if "empty" in only:
            res = rounds(lambda k: child(EMPTY, [str(args.seconds)], paths[k], run_dir),
                         args.rounds, "empty")
            _table("empty scene", res, [
                ("play: drawing thread ms/frame", "play_main_ms"),
                ("play: encoder ms/frame", "play_enc_ms"),
                ("play: of which conversion / x264 (now)", ("play_conv_ms", "play_x264_ms")),
                ("play: CPU-s/s", "play_cpu_ss"),
                ("still wait: drawing thread ms/frame", "wait_main_ms"),
                ("still wait: encoder ms/frame", "wait_enc_ms"),
                ("still wait: of which conversion / x264 (now)",
                 ("wait_conv_ms", "wait_x264_ms")),
                ("still wait: CPU-s/s", "wait_cpu_ss")])
        if "scene" in only:
            sys.path.insert(0, str(ROOT / "benchmarks"))
            from bench_catalogue import slice_end

            for name in [n for n in args.scenes.split(",") if n]:
                upto, _ = slice_end(name, cache, args.slice)
                res = rounds(lambda k, name=name, upto=upto: child(
                    SCENE, [name, str(tmp / "out" / k), str(cache), str(upto)], paths[k],
                    run_dir), args.rounds, name)
                _table(f"{name} (first {res['now'].get('video_s', 0):.1f} s; "
                       f"{res['now'].get('repeats', 0):.0f} of {res['now'].get('frames', 0):.0f}"
                       " frames repeat a still)", res, [
                    ("CPU-s/s, whole render", "cpu_ss"),
                    ("CPU-s/s, drawing thread", "main_ss"),
                    ("CPU-s/s, encoder threads", "enc_ss"),
                    ("encoder ms/frame", "enc_ms")])


def _table(title: str, res: dict[str, dict], rows: list) -> None:
    print(f"\n{title}")
    print(f"  {'':46} {'before':>13} {'now':>13} {'now/before':>10}")
    for label, key in rows:
        b, n = res["before"], res["now"]
        if "error" in b or "error" in n:
            print(f"  {label:46} {b.get('error', '')[:30]} {n.get('error', '')[:30]}")
            continue
        if isinstance(key, tuple):
            cells = " / ".join(f"{n.get(k, float('nan')):.2f}" for k in key)
            print(f"  {label:46} {'-':>13} {cells:>13}")
            continue
        ratio = n[key] / b[key] if b.get(key) else float("nan")
        print(f"  {label:46} {b[key]:13.2f} {n[key]:13.2f} {ratio:10.2f}")


if __name__ == "__main__":
    main()
