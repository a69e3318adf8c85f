"""The bullseye needs a third dimension: width-2 networks fail on it (best of several
seeds, measured), a width-3 network lifts the plane into 3D where a plane separates
the classes. Everything drawn comes from recorded traces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DL,
    DOWN,
    LEFT,
    UL,
    UP,
    Create,
    FadeIn,
    FadeOut,
    MathTex,
    Polygon,
    Text,
    ValueTracker,
    VGroup,
    smooth,
)

from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects.warp_grid import PointCloud, WarpGrid
from nnviz.draw.scene import NNVizThreeDScene, register
from nnviz.explain.warp import decision_boundary, grid_lines, plane_in_cube
from nnviz.spec.config import SceneConfig, knob, spec


@dataclass
class Bullseye3DConfig(SceneConfig):
    n_points: int = knob(200, "number of data points", min=20, max=2000)
    noise: float = knob(0.02, "data noise", min=0.0, max=0.3)
    narrow_tries: int = knob(5, "width-2 networks tried, seeded seed, seed+1, ...", min=1,
                             max=20)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.05, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(400, "training steps", min=1, max=20000)
    unit: float = knob(2.0, "scene units per data unit", min=0.5, max=4.0)
    lift_time: float = knob(4.0, "seconds for the lift into 3D", min=0.5, max=20.0)
    rotate_time: float = knob(5.0, "seconds of camera turning at the end", min=0.0, max=30.0)

    def _spec(self, width: int, k: int = 0):
        """A network of that width with weights seeded seed + k, on the data seeded seed."""
        return spec("bullseye", (2, width, 1), activation="tanh", output_activation="sigmoid",
                    trainer=self.trainer, steps=self.steps, seed=self.seed + k, record="log:20",
                    trainer_params={} if self.trainer == "lbfgs" else {"lr": self.lr},
                    dataset_params={"n": self.n_points, "noise": self.noise},
                    data_seed=self.seed)

    def traces(self):
        out = {f"width2_{k}": self._spec(2, k) for k in range(self.narrow_tries)}
        out["width3"] = self._spec(3)
        return out


@register("bullseye-3d", "Width-2 networks fail on the bullseye; a width-3 network lifts the "
          "plane into 3D where a plane separates the classes")
class Bullseye3D(NNVizThreeDScene):
    Config = Bullseye3DConfig

    def fixed(self, *mobs) -> None:
        for m in mobs:
            m.set_z_index(10)
        self.add_fixed_in_frame_mobjects(*mobs)

    def text(self, s: str, size: int = 28, color: str | None = None) -> Text:
        return Text(s, font_size=size, color=color or self.palette["text"])

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        data, _ = self.trace_data("width3")
        X, y = data.X, data.y
        unit = cfg.unit
        colors = [pal["class_a"], pal["class_b"]]
        narrow = {k: self.trace(f"width2_{k}") for k in range(cfg.narrow_tries)}
        accs = {s: tr.final_accuracy for s, tr in narrow.items()}
        best = max(accs, key=accs.get)
        self.best_narrow = accs[best]
        wide = self.trace("width3").net_at(1.0)
        self.set_camera_orientation(phi=0, theta=-90 * DEGREES)

        head = self.text("The bullseye needs a third dimension", 34).to_edge(UP, buff=0.3)
        self.fixed(head)
        flat = np.column_stack([X, np.zeros(len(X))])
        cloud = PointCloud(flat, y, colors, unit=unit, radius=0.06)
        lines = grid_lines((-1.2, 1.2), (-1.2, 1.2), 13, 60)
        lines3 = np.concatenate([lines, np.zeros(lines.shape[:2] + (1,))], axis=-1)
        grid = WarpGrid(lines3, unit=unit, color=pal["grid"], stroke_width=1.2,
                        stroke_opacity=0.6)
        self.play(FadeIn(grid), FadeIn(cloud), run_time=self.t(1.0))

        # 1. width 2: the best of several seeds still fails
        net2 = narrow[best].net_at(1.0)
        curves = [np.column_stack([c, np.zeros(len(c))])
                  for c in decision_boundary(net2, (-1.2, 1.2), (-1.2, 1.2), n=120)]
        boundary = WarpGrid(curves, unit=unit, color=pal["highlight"], stroke_width=4)
        seeds_txt = ",  ".join(f"{accs[k]:.0%}" for k in range(cfg.narrow_tries))
        left = VGroup(
            self.text("width 2 (2-2-1)", 30),
            self.text(f"{len(accs)} seeds: {seeds_txt}", 24, pal["muted"]),
            self.text(f"best: {accs[best]:.0%} right", 28, pal["highlight"]),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_corner(UL, buff=0.4).shift(DOWN * 0.7)
        self.fixed(left)
        self.play(Create(boundary), FadeIn(left), run_time=self.t(1.5))
        self.wait(self.t(2.0))

        # 2. width 3: lift the plane into the cube of hidden activations
        W, b = wide.weights[0], wide.biases[0]
        hid = np.tanh(X @ W.T + b)
        hid_grid = np.tanh(lines.reshape(-1, 2) @ W.T + b).reshape(lines.shape[:2] + (3,))
        self.lifted = hid
        right = VGroup(
            self.text("width 3 (2-3-1)", 30),
            self.text("push your finger behind\nthe red zone", 26, pal["muted"]),
            MathTex(r"h = \tanh(W x + b) \in \mathbb{R}^3", font_size=32, color=pal["text"]),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_corner(DL, buff=0.4)
        self.play(FadeOut(boundary), FadeOut(left), run_time=self.t(0.6))
        self.fixed(right)
        self.play(FadeIn(right), run_time=self.t(0.6))
        self.move_camera(phi=65 * DEGREES, theta=-50 * DEGREES, run_time=self.t(2.0))
        s = ValueTracker(0.0)

        def camera_basis() -> np.ndarray:
            return self.camera.generate_rotation_matrix()[:2]  # current, not cached

        def lift(_m=None) -> None:
            v = s.get_value()
            grid.set_lines((1 - v) * lines3 + v * hid_grid)
            cloud.set_positions((1 - v) * flat + v * hid, basis=camera_basis())

        # the cube (-1, 1)^3 that tanh squeezes everything into
        corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)])
        edges = [np.array([corners[i], corners[j]]) for i in range(8) for j in range(i + 1, 8)
                 if np.sum(corners[i] != corners[j]) == 1]
        cube = WarpGrid(edges, unit=unit, color=pal["muted"], stroke_width=1.5,
                        stroke_opacity=0.5)
        grid.add_updater(lift)
        self.play(s.animate.set_value(1.0), Create(cube), run_time=self.t(cfg.lift_time),
                  rate_func=smooth)

        # 3. the output neuron's plane separates the classes
        w2, b2 = wide.weights[1][0], float(wide.biases[1][0])
        poly = plane_in_cube(w2, b2, 1.0)
        right_count = int(np.sum((hid @ w2 + b2 > 0).astype(int) == y))
        self.plane_correct = right_count
        plane = Polygon(*(unit * poly), stroke_color=pal["highlight"], stroke_width=2,
                        fill_color=pal["highlight"], fill_opacity=0.25)
        verdict = VGroup(
            self.text("a plane separates them", 28, pal["highlight"]),
            self.text(f"{right_count} of {len(y)} on the right side", 24, pal["text"]),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.15).to_corner(UL, buff=0.4).shift(DOWN * 0.7)
        self.fixed(verdict)
        self.play(Create(plane), FadeIn(verdict), run_time=self.t(1.5))
        self.begin_ambient_camera_rotation(rate=0.25)
        self.wait(self.t(cfg.rotate_time))
        self.stop_ambient_camera_rotation()
        grid.remove_updater(lift)
        lift()  # face the discs to where the camera ended up
