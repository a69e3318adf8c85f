"""Per-frame cost of redrawing a training ReLU network's curve (training-a-fit panel).

Naive reference (kept on purpose): rebuild `axes.plot(f)` every frame, manim's sampled
function graph (it also rounds off the network's corners). Fast way: FunctionGraph, which
draws the network through its exact breakpoints (nnviz.pieces), so it sets a handful of
points per frame. Both redraw the same interpolated networks in this one run; the ratio
is printed.

    .venv/bin/python benchmarks/bench_relu_graph.py [--frames 300] [--width 8]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from manim import Axes

from nnviz.core import datasets
from nnviz.core.network import MLP
from nnviz.core.training import train
from nnviz.draw.mobjects.function_graph import FunctionGraph


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--frames", type=int, default=300)
    ap.add_argument("--width", type=int, default=8)
    args = ap.parse_args()
    net = MLP((1, args.width, 1), "relu", seed=0)
    trace = train(net, datasets.load("curve_1d"), "adam", steps=300, record="log:60", lr=0.05)
    axes = Axes(x_range=[-1, 1, 0.5], y_range=[-1.5, 1.5, 0.5], x_length=6, y_length=3.3)
    ts = np.linspace(0, 1, args.frames)

    start = time.perf_counter()
    for t in ts:
        frame_net = trace.net_at(t)
        axes.plot(lambda x, n=frame_net: float(n.forward(np.array([[x]]))[0, 0]),
                  x_range=[-1, 1, 0.01])
    naive = time.perf_counter() - start

    graph = FunctionGraph(axes, *trace.params_at(0.0))
    start = time.perf_counter()
    for t in ts:
        graph.set_params(*trace.params_at(t))
    fast = time.perf_counter() - start

    print(f"{args.frames} frames, 1-{args.width}-1 ReLU network")
    per = 1e3 / args.frames
    print(f"naive axes.plot rebuilt per frame: {naive:.3f} s ({naive * per:.2f} ms/frame)")
    print(f"FunctionGraph.set_params (exact):  {fast:.3f} s ({fast * per:.2f} ms/frame)")
    print(f"ratio naive/fast: {naive / fast:.1f}x")


if __name__ == "__main__":
    main()
