"""Warp of a 40x40 grid plus 2,000 data points, updated every frame, at 1080p60.

Naive reference (kept on purpose): a NumberPlane rebuilt with apply_function and one Dot
mobject per point, both in updaters. Fast way: nnviz's WarpGrid + PointCloud, whose
Bezier points are set by one vectorised numpy warp per frame. Both render the same
seconds of video side by side in this one run; the ratio is printed.

    .venv/bin/python benchmarks/bench_warp.py [--seconds 2] [--repeats 3] [--skip-naive]
"""

from __future__ import annotations

import argparse
import tempfile
import time

import numpy as np
from manim import Dot, NumberPlane, Scene, ValueTracker, VGroup, linear, tempconfig

from nnviz.core.network import MLP
from nnviz.draw.mobjects.warp_grid import PointCloud, WarpGrid
from nnviz.draw.patches import NNVizRendering
from nnviz.explain.warp import grid_lines, warp_at
from nnviz.pipeline.encoding import ENCODINGS, encoder_options

N_LINES = 40
N_POINTS = 2000
UNIT = 2.0
SAMPLES = 48  # points per grid line: the warp is smooth at this spacing


def make_net() -> MLP:
    """A fixed 2-2-2-1 tanh network with well-conditioned layers."""
    net = MLP((2, 2, 2, 1), "tanh", "sigmoid", seed=0)
    net.weights[0][...] = [[1.6, 0.7], [-0.5, 1.3]]
    net.weights[1][...] = [[1.2, -0.9], [0.8, 1.5]]
    net.biases[0][...] = [0.2, -0.3]
    net.biases[1][...] = [-0.1, 0.25]
    return net


def data(seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.5, 1.5, (N_POINTS, 2))
    return X, (X[:, 1] > np.sin(2 * X[:, 0])).astype(int)


class NaiveWarp(NNVizRendering, Scene):
    """NumberPlane rebuilt with apply_function each frame; one Dot per point."""

    seconds = 1.0

    def construct(self) -> None:
        net = make_net()
        X, y = data()
        u = ValueTracker(0.0)

        def warp_point(p: np.ndarray) -> np.ndarray:
            q = warp_at(p[None, :2] / UNIT, net, u.get_value())[0] * UNIT
            return np.array([q[0], q[1], 0.0])

        def rebuild(plane: NumberPlane) -> None:
            new = NumberPlane(x_range=(-3, 3, 6 / N_LINES), y_range=(-3, 3, 6 / N_LINES),
                              x_length=6, y_length=6, faded_line_ratio=0)
            new.prepare_for_nonlinear_transform()
            new.apply_function(warp_point)
            plane.become(new)

        plane = NumberPlane(x_range=(-3, 3, 6 / N_LINES), y_range=(-3, 3, 6 / N_LINES),
                            x_length=6, y_length=6, faded_line_ratio=0)
        plane.add_updater(rebuild)
        dots = VGroup()
        for k, (p, label) in enumerate(zip(X, y, strict=True)):
            d = Dot(np.array([p[0], p[1], 0]) * UNIT, radius=0.03,
                    color="#e8544e" if label == 0 else "#4f8fe8")
            d.add_updater(lambda m, k=k: m.move_to(warp_point(X[k] * UNIT)))
            dots.add(d)
        self.add(plane, dots)
        self.play(u.animate.set_value(6.0), run_time=self.seconds, rate_func=linear)


class FastWarp(NNVizRendering, Scene):
    """WarpGrid + PointCloud, points set from one numpy warp per frame."""

    seconds = 1.0

    def construct(self) -> None:
        net = make_net()
        X, y = data()
        u = ValueTracker(0.0)
        lines = grid_lines((-1.5, 1.5), (-1.5, 1.5), N_LINES + 1, SAMPLES)
        shape = lines.shape
        grid = WarpGrid(lines, unit=UNIT)
        cloud = PointCloud(X, y, ["#e8544e", "#4f8fe8"], unit=UNIT, radius=0.03)

        def update(_m) -> None:
            t = u.get_value()
            grid.set_lines(warp_at(lines.reshape(-1, 2), net, t).reshape(shape))
            cloud.set_positions(warp_at(X, net, t))

        grid.add_updater(update)
        self.add(grid, cloud)
        self.play(u.animate.set_value(6.0), run_time=self.seconds, rate_func=linear)


class EmptyScene(NNVizRendering, Scene):
    """The floor: one moving dot, so every frame is still drawn and encoded."""

    seconds = 1.0

    def construct(self) -> None:
        u = ValueTracker(0.0)
        dot = Dot().add_updater(lambda m: m.move_to([u.get_value(), 0, 0]))
        self.add(dot)
        self.play(u.animate.set_value(1.0), run_time=self.seconds, rate_func=linear)


def render(cls: type[Scene], seconds: float, quality: str, out: str,
           encoding: str = "fast") -> tuple[float, float]:
    """(wall, CPU) seconds to render and encode `seconds` of video, encoded as
    `nnviz render` does. CPU time counts this process's threads only."""
    cls.seconds = seconds
    with tempconfig({"quality": quality, "media_dir": out, "disable_caching": True,
                     "verbosity": "ERROR", "progress_bar": "none",
                     "output_file": cls.__name__,
                     "video_encoder_options": encoder_options(encoding)}):
        start, cpu = time.perf_counter(), time.process_time()
        cls().render()
        return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seconds", type=float, default=2.0, help="seconds of video per run")
    ap.add_argument("--quality", default="high_quality", help="manim quality (1080p60)")
    ap.add_argument("--skip-naive", action="store_true", help="only time the fast way")
    ap.add_argument("--encoding", default="fast", choices=sorted(ENCODINGS),
                    help="x264 settings, as `nnviz render --encoding`")
    ap.add_argument("--repeats", type=int, default=3,
                    help="runs of the empty scene and the fast way (median reported; the "
                         "naive way runs once)")
    args = ap.parse_args()
    runs = [("empty scene (floor: draw + encode)", EmptyScene, args.repeats),
            ("fast  (WarpGrid + PointCloud)", FastWarp, args.repeats)]
    if not args.skip_naive:
        runs.append(("naive (NumberPlane + 2000 Dots)", NaiveWarp, 1))
    res = {}
    print(f"render time per second of {args.quality} video ({args.seconds:g} s rendered each, "
          f"encoding {args.encoding}: {encoder_options(args.encoding)})")
    with tempfile.TemporaryDirectory() as out:
        for label, cls, repeats in runs:
            times = np.array([render(cls, args.seconds, args.quality, out, args.encoding)
                              for _ in range(max(1, repeats))]) / args.seconds
            wall, cpu = np.median(times, axis=0)
            res[cls] = (wall, cpu)
            spread = (f"   (wall {times[:, 0].min():.2f}-{times[:, 0].max():.2f} over "
                      f"{len(times)} runs)" if len(times) > 1 else "")
            print(f"  {label:36s} wall {wall:6.2f} s/s   cpu {cpu:6.2f} s/s{spread}")
    fast, floor = res[FastWarp], res[EmptyScene]
    print(f"fast above the floor: wall {fast[0] - floor[0]:.2f} s/s, "
          f"cpu {fast[1] - floor[1]:.2f} s/s")
    if NaiveWarp in res:
        naive = res[NaiveWarp]
        print(f"speed-up naive/fast: wall {naive[0] / fast[0]:.1f}x, cpu {naive[1] / fast[1]:.1f}x")
    print(f"target <= 1.0 s/s wall (median): {'met' if fast[0] <= 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
