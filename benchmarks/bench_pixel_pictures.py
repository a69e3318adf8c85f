"""Sixteen 28x28 weight pictures (the hidden-layers scene): PixelImage vs PixelGrid.

The naive way, PixelGrid, draws one Cairo square per pixel: 12,544 paths a frame.
PixelImage colours the same values into one RGBA array per picture and pastes it scaled.
Both render the same frames in one run, side by side; the ratio is printed. Times are
whole renders (building the pictures included) divided by the frames rendered.

    .venv/bin/python benchmarks/bench_pixel_pictures.py [frames]
"""

from __future__ import annotations

import sys
import time

import numpy as np
from manim import Group, Scene, tempconfig

from nnviz.draw.mobjects.pixel_grid import PixelGrid
from nnviz.draw.mobjects.pixel_image import PixelImage
from nnviz.draw.patches import NNVizRendering


def pictures(kind: str) -> Group:
    rng = np.random.default_rng(0)
    make = PixelGrid if kind == "grid" else PixelImage
    pics = Group(*[make(rng.normal(size=784), (28, 28), diverging=True, width=1.3)
                   for _ in range(16)])
    return pics.arrange_in_grid(cols=8, buff=0.18)


def render(kind: str, frames: int, size: tuple[int, int]) -> float:
    class Bench(NNVizRendering, Scene):
        def construct(self):
            pics = pictures(kind)
            self.add(pics)
            # move every frame, so nothing can be cached between frames
            self.play(pics.animate.shift(0.5 * np.array([0.0, 1.0, 0.0])), run_time=frames / 15)

    with tempconfig({"pixel_width": size[0], "pixel_height": size[1], "frame_rate": 15,
                     "write_to_movie": False, "disable_caching": True, "verbosity": "ERROR",
                     "progress_bar": "none", "save_last_frame": False}):
        scene = Bench()
        start = time.perf_counter()
        scene.render()
        return (time.perf_counter() - start) / frames


def main() -> None:
    frames = int(sys.argv[1]) if len(sys.argv) > 1 else 8
    for size in ((854, 480), (1920, 1080)):
        naive = render("grid", frames, size)
        fast = render("image", frames, size)
        print(f"{size[0]}x{size[1]}: PixelGrid {naive * 1000:.0f} ms/frame, PixelImage "
              f"{fast * 1000:.0f} ms/frame, ratio {naive / fast:.1f}x")


if __name__ == "__main__":
    main()
