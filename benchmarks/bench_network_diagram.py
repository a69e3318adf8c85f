"""Benchmark: a 784-16-16-10 diagram with all 12,960 edges restyled every frame.

Renders, side by side in one run, the same clip (a digits network training: edge colours,
widths and opacities and neuron brightness follow a recorded trace) three ways at
1080p60 and prints seconds of render per second of video:

  naive   one manim Line per edge and one Circle per neuron, set_stroke/set_fill in an
          updater (the reference; rendered on a shorter clip and normalised per second)
  raster  RasterNetworkDiagram.set_state in an updater
  empty   the same scene with nothing in it: the encoder's floor on this machine

Run:  .venv/bin/python benchmarks/bench_network_diagram.py [--seconds 1] [--naive-seconds 0.1]
      [--quality 1080p60] [--stills DIR]   (--stills also saves a frame of each for a look)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np
from manim import Circle, Line, Scene, ValueTracker, VGroup, linear, tempconfig

from nnviz.core import datasets
from nnviz.core.network import MLP
from nnviz.core.trace import Trace
from nnviz.core.training import train
from nnviz.draw.mobjects.network import layout_network
from nnviz.draw.mobjects.raster.colour import rgb_to_hex
from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram
from nnviz.draw.patches import NNVizRendering
from nnviz.pipeline.encoding import ENCODINGS, encoder_options
from nnviz.spec.palette import PALETTE, blend

SIZES = (784, 16, 16, 10)
STYLE = dict(width=12.0, height=7.0, input_grid=True, activation_range=(0.0, 1.0),
             max_width=(1.0, 3.0, 3.0), min_width=0.3, max_opacity=(0.55, 1.0, 1.0),
             min_opacity=(0.03, 0.1, 0.1))
QUALITIES = {"1080p60": (1920, 1080, 60), "720p30": (1280, 720, 30), "480p15": (854, 480, 15)}


def make_trace(steps: int = 16) -> tuple[Trace, np.ndarray]:
    """A short real training run of the digits network, and one input image."""
    data = datasets.load("digits28")
    net = MLP(SIZES, activation="sigmoid", output_activation="sigmoid", seed=0)
    trace = train(net, data, "adam", steps=steps, record=1, lr=0.03)
    return trace, data.X[0]


_NETS: dict[int, MLP] = {}


def state_at(trace: Trace, x: np.ndarray, t: float):
    """Weights, biases and every layer's activations for image x at t in [0, 1]."""
    weights, biases = trace.params_at(t)
    net = _NETS.setdefault(id(trace), trace.network()).set_weights(weights, biases)
    acts = [x, *[o.a[0] for o in net.layer_outputs(x)]]
    return weights, biases, acts


class _Bench(NNVizRendering, Scene):
    trace: Trace
    image: np.ndarray
    scales: tuple[float, ...]  # per layer, the largest |w| over the whole trace
    seconds: float = 1.0
    setup_time = 0.0
    anim_time = 0.0
    anim_cpu = 0.0

    def build(self):
        return None

    def construct(self) -> None:
        t0 = time.perf_counter()
        mob = self.build()
        tracker = ValueTracker(0.0)
        if mob is not None:
            mob.add_updater(lambda m: self.restyle(m, tracker.get_value()))
            self.add(mob)
        t1, c1 = time.perf_counter(), time.process_time()
        self.play(tracker.animate.set_value(1.0), run_time=self.seconds, rate_func=linear)
        t2, c2 = time.perf_counter(), time.process_time()
        cls = type(self)
        cls.setup_time, cls.anim_time, cls.anim_cpu = t1 - t0, t2 - t1, c2 - c1

    def restyle(self, mob, t: float) -> None:
        raise NotImplementedError


class NaiveBench(_Bench):
    """The reference: one Line per edge and one Circle per neuron, restyled with
    set_stroke/set_fill every frame (what a first manim attempt does)."""

    def build(self):
        lay = layout_network(SIZES, STYLE["width"], STYLE["height"],
                             input_grid=STYLE["input_grid"])
        self.lines = []
        for li in range(len(SIZES) - 1):
            P, Q = lay.positions[li], lay.positions[li + 1]
            self.lines.append([Line(P[i], Q[j]) for j in range(len(Q)) for i in range(len(P))])
        self.circles = [[Circle(radius=lay.radius[li], stroke_width=1.5,
                                stroke_color=PALETTE["neuron_stroke"]).move_to(p)
                         for p in lay.positions[li]] for li in range(len(SIZES))]
        return VGroup(*[VGroup(*ls) for ls in self.lines],
                      *[VGroup(*cs) for cs in self.circles])

    def restyle(self, mob, t: float) -> None:
        weights, _, acts = state_at(self.trace, self.image, t)
        for li, W in enumerate(weights):
            scale = self.scales[li]
            max_w, min_w = STYLE["max_width"][li], STYLE["min_width"]
            max_o, min_o = STYLE["max_opacity"][li], STYLE["min_opacity"][li]
            for line, w in zip(self.lines[li], W.ravel(), strict=True):
                s = min(abs(w) / scale, 1.0)
                line.set_stroke(PALETTE["positive"] if w >= 0 else PALETTE["negative"],
                                width=min_w + (max_w - min_w) * s,
                                opacity=min_o + (max_o - min_o) * s)
        for li, a in enumerate(acts):
            rgb = blend(PALETTE["neuron_off"], PALETTE["neuron_on"], a)
            for circle, c in zip(self.circles[li], rgb, strict=True):
                circle.set_fill(rgb_to_hex(c), opacity=1.0)


class RasterBench(_Bench):
    """RasterNetworkDiagram restyled from the trace every frame."""

    def build(self):
        w, b, a = state_at(self.trace, self.image, 0.0)
        diagram = RasterNetworkDiagram(SIZES, w, b, a, weight_scale=self.scales, **STYLE)
        diagram.geometry(self.camera)  # rasterise the geometry now (setup, not per frame)
        return diagram

    def restyle(self, mob, t: float) -> None:
        w, b, a = state_at(self.trace, self.image, t)
        mob.set_state(w, b, a)


class EmptyBench(_Bench):
    """Nothing on screen: what writing and encoding the frames alone costs."""

    def restyle(self, mob, t: float) -> None:  # pragma: no cover - never called
        pass


def run(cls: type[_Bench], seconds: float, quality: str, media: Path,
        still: Path | None = None, encoding: str = "fast") -> dict[str, float]:
    """Render `cls` for `seconds` of video, encoded as `nnviz render` does; return
    timings per second of video."""
    pw, ph, fps = QUALITIES[quality]
    cls.seconds = seconds
    with tempconfig({"pixel_width": pw, "pixel_height": ph, "frame_rate": fps,
                     "video_encoder_options": encoder_options(encoding),
                     "media_dir": str(media), "disable_caching": True,
                     "progress_bar": "none", "verbosity": "ERROR",
                     "background_color": PALETTE["background"]}):
        scene = cls()
        t0 = time.perf_counter()
        scene.render()
        total = time.perf_counter() - t0
        if still is not None:
            from PIL import Image

            Image.fromarray(np.asarray(scene.renderer.get_frame())[..., :3]).save(still)
    return {"total": total / seconds, "anim": cls.anim_time / seconds,
            "cpu": cls.anim_cpu / seconds, "setup": cls.setup_time,
            "frames": round(seconds * fps)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="clip length for raster/empty")
    ap.add_argument("--naive-seconds", type=float, default=0.1,
                    help="clip length for the naive reference (normalised per second)")
    ap.add_argument("--quality", default="1080p60", choices=sorted(QUALITIES))
    ap.add_argument("--stills", type=Path, default=None, help="save a frame of each here")
    ap.add_argument("--encoding", default="fast", choices=sorted(ENCODINGS),
                    help="x264 settings, as `nnviz render --encoding`")
    args = ap.parse_args()

    trace, image = make_trace()
    # One scale per layer for the whole clip (as a training playback should have: weights
    # visibly grow), the largest |w| the layer reaches in the trace.
    scales = tuple(float(np.abs(W).max()) for W in trace.weights)
    for cls in (NaiveBench, RasterBench, EmptyBench):
        cls.trace, cls.image, cls.scales = trace, image, scales
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, cls, secs in (("empty", EmptyBench, args.seconds),
                                ("raster", RasterBench, args.seconds),
                                ("naive", NaiveBench, args.naive_seconds)):
            still = None
            if args.stills:
                args.stills.mkdir(parents=True, exist_ok=True)
                still = args.stills / f"{name}.png"
            results[name] = run(cls, secs, args.quality, Path(tmp), still, args.encoding)
            r = results[name]
            print(f"{name:>6}: {r['anim']:7.2f} s of render per s of video while animating "
                  f"({r['cpu']:.2f} s CPU; {r['frames']} frames), whole render incl. setup "
                  f"{r['total']:.2f} s per s, setup {r['setup']:.2f} s", flush=True)
    n, f, e = results["naive"], results["raster"], results["empty"]
    print(f"\n{args.quality}, 784-16-16-10, all 12,960 edges restyled every frame "
          f"(encoding {args.encoding}: {encoder_options(args.encoding)}):")
    print(f"  naive  {n['anim']:.2f} s per s of video;  raster {f['anim']:.2f} s per s "
          f"(encoder floor {e['anim']:.2f})")
    print(f"  ratio naive / raster = {n['anim'] / f['anim']:.1f}x wall, "
          f"{n['cpu'] / f['cpu']:.1f}x CPU (whole renders incl. setup: "
          f"{n['total'] / f['total']:.1f}x)")
    print(f"  diagram's own cost above the floor: naive {n['anim'] - e['anim']:.2f}, raster "
          f"{f['anim'] - e['anim']:.2f} s per s "
          f"-> {(n['anim'] - e['anim']) / max(f['anim'] - e['anim'], 1e-9):.1f}x")


if __name__ == "__main__":
    main()
