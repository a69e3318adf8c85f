"""Heatmaps recoloured every frame: the playground's decision region (48x48) plus twelve
neuron tiles (14x14) following a network through training, rendered at 480p15.

Naive reference (kept on purpose, below): one filled Rectangle per cell, recoloured in
place. Fast way: nnviz's Heatmap, which quantises colours into levels, merges each row's
runs of equal level, and draws each level as ONE VMobject with all its rectangles as
subpaths, so cairo pays the per-mobject overhead ~65 times per heatmap instead of per cell.
Both render the same frames side by side in this one run; the ratio is printed.

    .venv/bin/python benchmarks/bench_heatmap.py [--frames 30] [--repeats 2]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time

import numpy as np
from manim import LEFT, RIGHT, Rectangle, Scene, VGroup, tempconfig

from nnviz.core.network import MLP
from nnviz.draw.mobjects.heatmap import OVERLAP, Heatmap, diverging_rgb, grid_points
from nnviz.draw.patches import NNVizRendering


class CellHeatmap(VGroup):
    """Naive: one Rectangle per cell, fill colour written into each cell every frame."""

    def __init__(self, values: np.ndarray, width: float = 2.0, vmin: float = -1.0,
                 vmax: float = 1.0, strength: float = 1.0) -> None:
        rows, cols = values.shape
        cw = width / cols
        self.vmin, self.vmax, self.strength = vmin, vmax, strength
        proto = Rectangle(width=cw * (1 + OVERLAP), height=cw * (1 + OVERLAP),
                          stroke_width=0, fill_opacity=1.0)
        cells = []
        for r in range(rows):
            for c in range(cols):
                cell = proto.copy()
                cell.move_to(((c + 0.5) * cw - width / 2, width / 2 - (r + 0.5) * cw, 0))
                cells.append(cell)
        super().__init__(*cells)
        self.set_values(values)

    def set_values(self, values: np.ndarray) -> CellHeatmap:
        rgb = diverging_rgb(values, "#e8544e", "#4f8fe8", vmin=self.vmin, vmax=self.vmax,
                            strength=self.strength).reshape(-1, 3)
        for cell, colour in zip(self.submobjects, rgb, strict=True):
            cell.fill_rgbas = np.array([[*colour, 1.0]])
        return self


def frames_of_training(n_frames: int) -> list[MLP]:
    """A 2-6-6-1 tanh net whose weights drift smoothly (stands in for a trace)."""
    start, end = MLP((2, 6, 6, 1), "tanh", "sigmoid", seed=0), MLP((2, 6, 6, 1), "tanh",
                                                                   "sigmoid", seed=1)
    nets = []
    for t in np.linspace(0, 1, n_frames):
        net = start.copy()
        for w0, w1, w in zip(start.weights, end.weights, net.weights, strict=True):
            w[...] = (1 - t) * w0 + t * 3 * w1
        nets.append(net)
    return nets


def run(kind: str, nets: list[MLP]) -> tuple[float, float]:
    """Render the frames with one heatmap kind; returns (wall seconds, CPU seconds)."""
    make = Heatmap if kind == "fast" else CellHeatmap
    rgrid, ngrid = grid_points(48), grid_points(14)

    class Bench(NNVizRendering, Scene):
        def construct(self):
            net = nets[0]
            region = make(net.forward(rgrid)[:, 0].reshape(48, 48), width=3.4, vmin=0.0,
                          vmax=1.0, strength=0.7).shift(RIGHT * 3)
            tiles = [make(net.layer_outputs(ngrid)[li].a[:, i].reshape(14, 14), width=0.7)
                     .move_to(LEFT * (5 - 1.2 * li) + np.array([0, 2.5 - 1.0 * i, 0]))
                     for li in range(2) for i in range(6)]
            self.add(region, *tiles)
            for net in nets:
                outs = net.layer_outputs(np.vstack([rgrid, ngrid]))
                region.set_values(outs[-1].a[: 48 * 48, 0].reshape(48, 48))
                for k, tile in enumerate(tiles):
                    li, i = divmod(k, 6)
                    tile.set_values(outs[li].a[48 * 48:, i].reshape(14, 14))
                self.renderer.update_frame(self)
                self.renderer.add_frame(self.renderer.get_frame())

    with tempfile.TemporaryDirectory() as tmp, tempconfig({
            "pixel_width": 854, "pixel_height": 480, "frame_rate": 15, "media_dir": tmp,
            "write_to_movie": False, "disable_caching": True, "verbosity": "ERROR",
            "progress_bar": "none"}):
        wall, cpu = time.perf_counter(), os.times()
        Bench().render()
        cpu_end = os.times()
        return (time.perf_counter() - wall,
                (cpu_end.user + cpu_end.system) - (cpu.user + cpu.system))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=30)
    ap.add_argument("--repeats", type=int, default=2)
    args = ap.parse_args()
    nets = frames_of_training(args.frames)
    times = {"naive": [], "fast": []}
    for _ in range(args.repeats):  # interleaved, so a busy machine slows both alike
        for kind in ("naive", "fast"):
            times[kind].append(run(kind, nets))
    for kind, rows in times.items():
        wall = min(r[0] for r in rows)
        cpu = min(r[1] for r in rows)
        print(f"{kind:6s} {args.frames} frames: wall {wall:6.2f} s  cpu {cpu:6.2f} s  "
              f"({1000 * cpu / args.frames:.0f} ms/frame cpu)")
    wall_ratio = min(r[0] for r in times["naive"]) / min(r[0] for r in times["fast"])
    cpu_ratio = min(r[1] for r in times["naive"]) / min(r[1] for r in times["fast"])
    print(f"speed-up fast vs naive: wall {wall_ratio:.1f}x, cpu {cpu_ratio:.1f}x "
          f"(target >= 3x)")


if __name__ == "__main__":
    main()
