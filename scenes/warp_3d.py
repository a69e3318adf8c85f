"""The bullseye needs a third dimension. A width-2 network can only bend the sheet within
the plane (its trained warp, shown), and the ring still surrounds the disk; with three
hidden neurons the network's output sum pushes the blue centre up out of the sheet, and a
flat plane separates the classes. Everything drawn comes from recorded traces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from manim import (
    DEGREES,
    DOWN,
    LEFT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    Polygon,
    Surface,
    ValueTracker,
    VGroup,
    smooth,
)

from nnviz.core.trainers import GRADIENT_TRAINERS
from nnviz.draw.mobjects import Legend, MathTex, Text
from nnviz.draw.mobjects.warp_grid import PointCloud, WarpGrid
from nnviz.draw.scene import NNVizThreeDScene, register
from nnviz.explain.homeo import layer_homotopy
from nnviz.explain.warp import check_layer, grid_lines, orient, separating_line
from nnviz.spec.config import SceneConfig, knob, spec

LIM = 1.2  # half-width of the sheet (data units)


@dataclass
class Bullseye3DConfig(SceneConfig):
    n_points: int = knob(200, "number of data points", min=20, max=2000)
    noise: float = knob(0.02, "data noise", min=0.0, max=0.3)
    narrow_tries: int = knob(5, "width-2 networks tried, seeded seed, seed+1, ...", min=1,
                             max=20)
    trainer: str = knob("adam", "trainer", choices=GRADIENT_TRAINERS)
    lr: float = knob(0.03, "learning rate", min=1e-5, max=10.0)
    steps: int = knob(150, "training steps (few: the weights stay small enough for the "
                      "warp to be read)", min=1, max=20000)
    unit: float = knob(2.0, "scene units per data unit", min=0.5, max=4.0)
    height: float = knob(0.9, "display height (data units) of the output-sum surface: the "
                         "sum is squeezed by tanh for display, its sign (the side of the "
                         "plane) is kept exactly", min=0.2, max=3.0)
    warp_time: float = knob(4.0, "seconds for the width-2 warp", min=0.5, max=20.0)
    lift_time: float = knob(3.0, "seconds for the push out of the plane", min=0.5, max=20.0)
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


def output_sum(net, pts: np.ndarray) -> np.ndarray:
    """The output neuron's weighted sum w . h + b (before the sigmoid) at each point."""
    h = np.tanh(np.asarray(pts, dtype=float) @ net.weights[0].T + net.biases[0])
    return h @ net.weights[1][0] + float(net.biases[1][0])


@register("bullseye-3d", "Width-2 networks bend the bullseye within the plane and fail; "
          "with three hidden neurons the blue centre is pushed up and a plane separates")
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
        accs = {k: tr.final_accuracy for k, tr in narrow.items()}
        best = max(accs, key=accs.get)
        self.best_narrow = accs[best]
        # the one shown warping: the most accurate whose layer is a real warp (a layer
        # that nearly flattens the plane onto a line shows no sheet at all)
        nets = {k: orient(tr.net_at(1.0)) for k, tr in narrow.items()}  # det W > 0
        warps = [k for k in nets if check_layer(nets[k].weights[0], "tanh").invertible]
        shown = max(warps or list(nets), key=accs.get)
        self.shown_narrow = shown
        net2 = nets[shown]
        self.narrow_net = net2
        wide = self.trace("width3").net_at(1.0)
        self.set_camera_orientation(phi=0, theta=-90 * DEGREES)
        left_x = -6.8  # left edge of the text column (frame coordinates)

        flat = np.column_stack([X, np.zeros(len(X))])
        cloud = PointCloud(flat, y, colors, unit=unit, radius=0.06)
        lines = grid_lines((-LIM, LIM), (-LIM, LIM), 13, 60)
        grid = WarpGrid(lines, unit=unit, color=pal["grid"], stroke_width=1.2,
                        stroke_opacity=0.6, clip=unit * 1.75)

        with self.beat("data", "A blue disk sits inside a red ring: no straight line can "
                       "separate them."):
            head = self.text("The bullseye needs a third dimension", 34).to_edge(UP, buff=0.3)
            legend = Legend([(pal["class_a"], "class A"), (pal["class_b"], "class B")],
                            kind="square", font_size=24, direction=DOWN)
            legend.move_to([left_x, 2.4, 0], aligned_edge=LEFT)
            self.fixed(head, legend)
            self.play(FadeIn(head), FadeIn(legend), run_time=self.t(0.8))
            self.play(FadeIn(grid), FadeIn(cloud), run_time=self.t(1.2))
            self.play(Indicate(cloud, scale_factor=1.05), run_time=self.t(0.8))

        # 1. width 2: the trained layer bends the sheet, within the plane
        W2, b2 = net2.weights[0], net2.biases[0]
        s = ValueTracker(0.0)

        def warp2(_m=None) -> None:
            v = s.get_value()
            grid.set_lines(layer_homotopy(lines.reshape(-1, 2), W2, b2, v).reshape(lines.shape))
            cloud.set_positions(layer_homotopy(X, W2, b2, v))

        with self.beat("narrow", "A layer of two neurons can only bend the sheet within the "
                       "plane. Here is how a trained one warps it."):
            left = VGroup(
                self.text("2 hidden neurons", 28),
                MathTex(r"h = \tanh(W x + b) \in \mathbb{R}^2", font_size=32,
                        color=pal["text"]),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.2).move_to([left_x, 0.9, 0],
                                                                 aligned_edge=LEFT)
            self.fixed(left)
            self.play(FadeIn(left), run_time=self.t(0.8))
            grid.add_updater(warp2)
            self.play(s.animate.set_value(1.0), run_time=self.t(cfg.warp_time),
                      rate_func=smooth)
            grid.remove_updater(warp2)
            warp2()
            self.narrow_warped = cloud.positions.copy()

        # how many points the layer presses against tanh's limits (|h| > 0.95)
        self.saturated = float(np.mean(np.abs(self.narrow_warped).max(axis=1) > 0.95))
        with self.beat("saturate", "Its neurons saturate: most points are pressed against "
                       "tanh's limits, the edges of the square."
                       if self.saturated > 0.5 else
                       "The square marks tanh's limits; some points are pressed against "
                       "them."):
            square = WarpGrid(np.array([[[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]]),
                              unit=unit, color=pal["muted"], stroke_width=2,
                              stroke_opacity=0.8)
            sat = self.text(f"{self.saturated:.0%} of points at\ntanh's limits (±1)", 22,
                            pal["muted"]).move_to([left_x, -0.6, 0], aligned_edge=LEFT)
            self.fixed(sat)
            self.play(FadeIn(sat), run_time=self.t(0.6))
            self.play(Create(square), run_time=self.t(1.0))

        w_out, b_out = net2.weights[1][0], float(net2.biases[1][0])
        with self.beat("narrow-line", "The ring still surrounds the disk, so no straight line "
                       f"gets them all: {accs[shown]:.0%} here, and at most "
                       f"{self.best_narrow:.0%} over {len(accs)} trained networks."):
            seg = separating_line(w_out, b_out, box=1.0, n=60)
            line2 = WarpGrid([seg] if len(seg) else [], unit=unit, color=pal["highlight"],
                             stroke_width=4)
            seeds = [f"{accs[k]:.0%}" for k in range(cfg.narrow_tries)]
            seeds_txt = "\n".join(", ".join(seeds[i:i + 3]) for i in range(0, len(seeds), 3))
            verdict2 = VGroup(
                self.text(f"{len(accs)} trained:\n{seeds_txt}", 22, pal["muted"]),
                self.text(f"this one: {accs[shown]:.0%} right", 28, pal["highlight"]),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.15).move_to([left_x, -0.6, 0],
                                                                  aligned_edge=LEFT)
            self.fixed(verdict2)
            self.play(FadeOut(sat), FadeIn(verdict2), run_time=self.t(0.6))
            self.play(Create(line2), run_time=self.t(1.5))
            self.play(Indicate(verdict2[1], color=pal["highlight"]), run_time=self.t(0.8))

        with self.beat("unbend", "Let the sheet go flat again."):
            self.play(FadeOut(line2), FadeOut(verdict2), FadeOut(left), FadeOut(square),
                      run_time=self.t(0.6))
            grid.add_updater(warp2)
            self.play(s.animate.set_value(0.0), run_time=self.t(1.5), rate_func=smooth)
            grid.remove_updater(warp2)
            warp2()

        # 2. width 3: the output sum as a height, pushing the blue centre up
        sums = output_sum(wide, X)
        grid_sums = output_sum(wide, lines.reshape(-1, 2)).reshape(lines.shape[:2])
        scale = max(float(np.abs(sums).max()) / 2.0, 1e-9)

        def shown_height(v: np.ndarray) -> np.ndarray:
            """The output sum as a display height: monotone, so its sign is exact."""
            return cfg.height * np.tanh(np.asarray(v) / scale)

        self.heights = sums
        lines3 = np.concatenate([lines, np.zeros(lines.shape[:2] + (1,))], axis=-1)
        lifted_lines = lines3.copy()
        lifted_lines[..., 2] = shown_height(grid_sums)
        lifted_pts = np.column_stack([X, shown_height(sums)])
        lift = ValueTracker(0.0)

        def camera_basis() -> np.ndarray:
            return self.camera.generate_rotation_matrix()[:2]  # current, not cached

        def push(_m=None) -> None:
            v = lift.get_value()
            grid.set_lines((1 - v) * lines3 + v * lifted_lines)
            cloud.set_positions((1 - v) * flat + v * lifted_pts, basis=camera_basis())

        with self.beat("push", "With three hidden neurons, the network's output sum can push "
                       "the blue centre up out of the sheet, like a finger from below, "
                       "while the red ring stays down."):
            right = VGroup(
                self.text("3 hidden neurons", 28),
                MathTex(r"\text{height} = w \cdot h + b", font_size=32, color=pal["text"]),
                MathTex(r"h = \tanh(W x + b) \in \mathbb{R}^3", font_size=32,
                        color=pal["muted"]),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.2).move_to([left_x, 0.9, 0],
                                                                 aligned_edge=LEFT)
            self.fixed(right)
            self.play(FadeIn(right), run_time=self.t(0.8))
            self.move_camera(phi=62 * DEGREES, theta=-60 * DEGREES,
                             frame_center=np.array([-1.55, -1.15, -0.45]), run_time=self.t(1.8))
            grid.add_updater(push)
            self.play(lift.animate.set_value(1.0), run_time=self.t(cfg.lift_time),
                      rate_func=smooth)
            grid.remove_updater(push)
            push()
            self.lifted = lifted_pts

        with self.beat("surface", "Shaded, the sheet is a hill over the disk, in blue where "
                       "the sum is positive, and a valley under the ring, in red.", hold=1.5):
            def height_at(u: float, v: float) -> np.ndarray:
                z = shown_height(output_sum(wide, np.array([[u, v]]))[0])
                return unit * np.array([u, v, z])

            surface = Surface(height_at, u_range=[-LIM, LIM], v_range=[-LIM, LIM],
                              resolution=(28, 28), fill_opacity=0.55, stroke_width=0.0)
            for face in surface:
                centre = face.get_center()
                face.set_fill(pal["class_b"] if centre[2] > 0 else pal["class_a"],
                              opacity=0.5)
            self.play(FadeIn(surface), grid.animate.set_stroke(opacity=0.25),
                      run_time=self.t(1.5))

        right_count = int(np.sum((sums > 0).astype(int) == y))
        self.plane_correct = right_count
        with self.beat("plane", f"A flat plane at height zero now separates them: "
                       f"{right_count} of {len(y)} points on the right side."):
            corners = np.array([[-LIM, -LIM, 0], [LIM, -LIM, 0], [LIM, LIM, 0],
                                [-LIM, LIM, 0]]) * unit
            plane = Polygon(*corners, stroke_color=pal["highlight"], stroke_width=2,
                            fill_color=pal["highlight"], fill_opacity=0.18)
            verdict = VGroup(
                self.text("a flat plane separates them", 26, pal["highlight"]),
                self.text(f"{right_count} of {len(y)} on the right side", 24, pal["text"]),
            ).arrange(DOWN, aligned_edge=LEFT, buff=0.15).move_to([left_x, -1.0, 0],
                                                                  aligned_edge=LEFT)
            self.fixed(verdict)
            self.play(FadeIn(verdict), run_time=self.t(0.6))
            self.play(Create(plane), run_time=self.t(1.5))
            self.play(plane.animate.set_fill(opacity=0.3), run_time=self.t(0.8))

        with self.beat("turn", "Seen from around, the centre pokes up through the plane and "
                       "the ring stays below it.", last=True):
            grid.add_updater(push)  # keep the discs facing the turning camera
            self.begin_ambient_camera_rotation(rate=0.15)
            self.wait(self.t(cfg.rotate_time))
            self.stop_ambient_camera_rotation()
            grid.remove_updater(push)
            push()
