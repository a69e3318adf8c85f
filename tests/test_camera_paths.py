"""nnviz's cameras give Cairo every VMobject's path with paths.trace_path: the same
calls with the same numbers as manim's own Camera.set_cairo_context_path, so frames must
be byte for byte what manim draws, for every kind of shape a scene holds."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Annulus,
    Arc,
    Circle,
    Dot,
    Line,
    MathTex,
    Sphere,
    Square,
    Text,
    VGroup,
    VMobject,
    tempconfig,
)
from manim.camera.camera import Camera
from manim.camera.three_d_camera import ThreeDCamera

from nnviz.draw.mobjects.heatmap import Heatmap
from nnviz.draw.patches import paths
from nnviz.draw.patches.camera_hooks import paints_nothing
from nnviz.draw.patches.cameras import NNVizCamera, NNVizThreeDCamera
from nnviz.spec.palette import PALETTE


def draw(camera_class: type, mobs: list, **camera_kwargs: object) -> np.ndarray:
    """The RGBA frame (640x360) a camera of `camera_class` draws of `mobs`."""
    with tempconfig({"pixel_width": 640, "pixel_height": 360, "verbosity": "ERROR",
                     "background_color": PALETTE["background"]}):
        camera = camera_class(**camera_kwargs)
        camera.capture_mobjects(mobs)
        return np.array(camera.pixel_array)


def shapes() -> list:
    """Dots with an outline, hollow circles, letters (holes: several subpaths), a
    formula, an annulus, open arcs and lines, a heatmap's cells (many subpaths), a path
    whose point count is no multiple of four, one that jumps (closed, then open)."""
    rng = np.random.default_rng(3)
    dots = VGroup(*[Dot(rng.uniform(-6, 6, 3) * [1, 0.55, 0], radius=0.05,
                        color=PALETTE["class_a"], stroke_width=1.0,
                        stroke_color=PALETTE["background"]) for _ in range(80)])
    rings = VGroup(*[Circle(radius=0.05, stroke_width=1.8, color=PALETTE["class_b"])
                     .move_to(rng.uniform(-6, 6, 3) * [1, 0.55, 0]) for _ in range(30)])
    heat = Heatmap(np.sin(np.linspace(0, 9, 20 * 20)).reshape(20, 20), width=2.5,
                   low_color=PALETTE["class_a"], high_color=PALETTE["class_b"])
    odd = VMobject(stroke_width=3, color=PALETTE["positive"])
    odd.points = np.array([[0, 0, 0], [1, 1, 0], [2, 1, 0], [3, 0, 0], [3.5, -1, 0],
                           [4, -1, 0]], dtype=float) * 0.5 + [-6, -3, 0]
    jump = VMobject(stroke_width=2, color=PALETTE["negative"], fill_opacity=0.4)
    jump.points = np.concatenate([Square(0.8).points, Line(LEFT, RIGHT).points + DOWN * 2])
    return [dots, rings, heat.shift(LEFT * 3 + UP),
            Text("weights 0.25 → ok", font_size=30).to_edge(UP),
            MathTex(r"a' = \sigma(Wa + b)", font_size=40).shift(RIGHT * 3 + DOWN * 2),
            Annulus(0.3, 0.6, color=PALETTE["positive"], fill_opacity=0.6).shift(RIGHT * 4),
            Arc(1.0, 0, 4, stroke_width=4, color=PALETTE["muted"]).shift(DOWN),
            Line(LEFT * 6, RIGHT * 6, stroke_width=2), odd, jump]


def test_frames_equal_manims_byte_for_byte() -> None:
    mobs = shapes()
    ours = draw(NNVizCamera, [m.copy() for m in mobs])
    manims = draw(Camera, [m.copy() for m in mobs])
    assert (np.abs(manims.astype(int) - manims[0, 0]).max(-1) > 10).mean() > 0.05
    np.testing.assert_array_equal(ours, manims)


def test_3d_camera_frames_equal_manims() -> None:
    """ThreeDCamera projects the points first (perspective): the path is built from
    what it returns, as manim's is."""
    mobs = [Sphere(radius=1.2, resolution=(12, 12)), *shapes()[:3]]
    kwargs = {"phi": 1.1, "theta": -0.8, "focal_distance": 12.0}
    ours = draw(NNVizThreeDCamera, [m.copy() for m in mobs], **kwargs)
    manims = draw(ThreeDCamera, [m.copy() for m in mobs], **kwargs)
    np.testing.assert_array_equal(ours, manims)


def test_a_kept_path_draws_the_same_pixels() -> None:
    """The second frame of unchanged shapes takes the paths Cairo kept from the first
    (no path traced again), and is byte for byte manim's; moved shapes are traced anew."""
    from nnviz.draw.patches import camera_hooks

    mobs = shapes()
    manims = draw(Camera, [m.copy() for m in mobs])
    traced = []

    def counting(ctx, vmobject, points):  # noqa: ANN001, ANN202
        traced.append(vmobject)
        return paths.trace_path(ctx, vmobject, points)

    with tempconfig({"pixel_width": 640, "pixel_height": 360, "verbosity": "ERROR",
                     "background_color": PALETTE["background"]}):
        camera = NNVizCamera()
        original = camera_hooks.trace_path
        camera_hooks.trace_path = counting
        try:
            frames = []
            for k in range(3):
                if k == 2:
                    mobs[3].shift(0.1 * RIGHT)  # the Text moves: its glyphs are traced again
                camera.reset()
                camera.capture_mobjects(mobs)
                frames.append((np.array(camera.pixel_array), len(traced)))
                traced.clear()
        finally:
            camera_hooks.trace_path = original
    np.testing.assert_array_equal(frames[0][0], manims)
    np.testing.assert_array_equal(frames[1][0], manims)
    assert frames[0][1] > 100 and frames[1][1] == 0
    assert frames[2][1] == len(mobs[3].family_members_with_points())
    moved = draw(Camera, [m.copy() for m in mobs])
    np.testing.assert_array_equal(frames[2][0], moved)


def hidden_shapes() -> list:
    """Shapes that paint nothing (a Text faded out, a formula with opacity 0, a stroke
    with no width, a background stroke made transparent) between shapes that paint."""
    faded = Text("layer 3 flat for now", font_size=30).set_opacity(0.0)
    formula = MathTex(r"\det W \approx 0", font_size=40).shift(DOWN * 2).set_opacity(0.0)
    no_width = Square(1.0, stroke_width=0, fill_opacity=0.0, color=PALETTE["positive"])
    bg = Circle(0.8, fill_opacity=0.0, stroke_opacity=0.0).shift(LEFT * 4)
    bg.set_background_stroke(color=PALETTE["negative"], width=6, opacity=0.0)
    return [faded, formula, no_width.shift(RIGHT * 4), bg]


def test_what_paints_nothing_is_skipped_and_frames_stay_manims() -> None:
    """A hidden shape is not drawn (no path is built), and each frame, with hidden shapes
    between visible ones, is byte for byte manim's; a shape that paints anything at all
    (a background stroke, a nearly transparent fill) is drawn."""
    hidden = hidden_shapes()
    assert all(paints_nothing(m) for mob in hidden for m in mob.family_members_with_points())
    visible = shapes()
    mixed = [visible[0], *hidden[:2], *visible[1:4], *hidden[2:], *visible[4:]]
    ours = draw(NNVizCamera, [m.copy() for m in mixed])
    manims = draw(Camera, [m.copy() for m in mixed])
    np.testing.assert_array_equal(ours, manims)
    np.testing.assert_array_equal(ours, draw(Camera, [m.copy() for m in visible]))
    bg = Circle(0.8, fill_opacity=0.0, stroke_opacity=0.0)
    bg.set_background_stroke(color=PALETTE["negative"], width=6, opacity=1.0)
    faint = Square(1.0, stroke_width=0, fill_opacity=0.01)
    assert not paints_nothing(bg) and not paints_nothing(faint)
    for mob in (bg, faint):
        frame = draw(NNVizCamera, [mob.copy()])
        np.testing.assert_array_equal(frame, draw(Camera, [mob.copy()]))

    class Counting(NNVizCamera):
        calls = 0

        def set_cairo_context_path(self, ctx, vmobject):  # noqa: ANN001, ANN201
            Counting.calls += 1
            return super().set_cairo_context_path(ctx, vmobject)

    draw(Counting, [m.copy() for m in hidden])
    assert Counting.calls == 0


@pytest.mark.parametrize("n", [*range(0, 14), 33, 64])
def test_subpath_splits_are_manims(n) -> None:
    """Every count of points (four per curve, with a remainder or not), with jumps,
    near-equal anchors, NaN and infinities where manim's rule treats them specially."""
    rng = np.random.default_rng(n)
    mob = VMobject()
    for trial in range(40):
        points = np.repeat(rng.normal(size=(n, 3)).round(1), 1, axis=0)
        for k in range(3, n - 1, 4):  # most curves join up, some jump
            if rng.random() < 0.7:
                points[k + 1] = points[k] + rng.choice([0.0, 1e-7, 1e-3]) * trial % 2
        if n and trial % 5 == 0:
            points[rng.integers(n), rng.integers(2)] = rng.choice([np.nan, np.inf, -np.inf])
        expected = mob.get_subpath_split_indices_from_points(points, n_dims=2).tolist()
        assert [list(s) for s in paths.subpath_splits(mob, points)] == expected


def test_only_nnviz_cameras_take_the_hook() -> None:
    """manim's own cameras keep manim's path (the stock comparison above means something)."""
    assert Camera.set_cairo_context_path is not NNVizCamera.set_cairo_context_path
    assert ThreeDCamera.set_cairo_context_path is not NNVizThreeDCamera.set_cairo_context_path
