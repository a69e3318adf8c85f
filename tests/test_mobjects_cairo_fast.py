"""The camera's shortcuts for straight polylines and equal discs draw what manim's own
Bezier path would, faster; anything they do not cover is left to manim."""

from __future__ import annotations

import numpy as np
import pytest
from manim import Scene, VMobject, tempconfig
from manim.camera.camera import Camera

from nnviz.draw.mobjects import cairo_fast
from nnviz.draw.mobjects.warp_grid import PointCloud, WarpGrid, polylines_to_beziers
from nnviz.draw.patches.cameras import NNVizCamera
from nnviz.explain.warp import grid_lines
from nnviz.spec.palette import PALETTE

pytestmark = pytest.mark.stock


def frame(*mobs, fast: bool = True) -> np.ndarray:
    """RGB frame (480x270) of a scene holding `mobs`, drawn by nnviz's camera (with the
    shortcuts) or by manim's own."""

    class One(Scene):
        def construct(self) -> None:
            self.add(*mobs)

    shortcuts = []  # the members that drew themselves
    for member in (m for mob in mobs for m in mob.get_family()):
        if hasattr(member, "draw_fast"):
            def spy(camera, ctx, draw=member.draw_fast, member=member) -> bool:
                drew = draw(camera, ctx)
                shortcuts.extend([member] * drew)
                return drew

            member.draw_fast = spy

    with tempconfig({"pixel_width": 480, "pixel_height": 270, "write_to_movie": False,
                     "save_last_frame": False, "disable_caching": True,
                     "verbosity": "ERROR", "progress_bar": "none",
                     "background_color": PALETTE["background"]}):
        scene = One(camera_class=NNVizCamera if fast else Camera)
        assert type(scene.renderer.camera) is (NNVizCamera if fast else Camera)
        scene.render()
    assert bool(shortcuts) == fast  # the nnviz camera took the shortcut, manim's did not
    return np.asarray(scene.renderer.get_frame())[..., :3].astype(int)


def warped_grid() -> np.ndarray:
    lines = grid_lines((-1, 1), (-1, 1), 9, 30)
    return lines + 0.15 * np.sin(3 * lines[..., ::-1])


def test_polylines_from_pieces_splits_where_pieces_jump() -> None:
    t = np.linspace(0, 1, 5)
    lines = np.stack([np.c_[t, 0 * t], np.c_[t, t**2]])
    vertices, first = cairo_fast.polylines_from_pieces(polylines_to_beziers(lines))
    assert first.tolist() == [0, 5]
    np.testing.assert_allclose(vertices, lines.reshape(-1, 2))


def test_simplify_drops_only_vertices_on_the_chord() -> None:
    t = np.linspace(0, 1, 9)
    straight, parabola = np.c_[t, 2 * t], np.c_[t, 50 * t**2]
    vertices = np.concatenate([straight, parabola])
    kept, first = cairo_fast.simplify(vertices, np.array([0, 9]), tol=1e-6)
    lines = np.split(kept, first[1:])
    np.testing.assert_allclose(lines[0], [[0, 0], [1, 2]])  # 9 vertices on a line: 2 left
    np.testing.assert_allclose(lines[1], parabola)  # curved: nothing dropped


@pytest.mark.parametrize("opacity", [1.0, 0.35])
def test_grid_looks_like_manims_path(opacity) -> None:
    grid = WarpGrid(warped_grid(), unit=1.2, color=PALETTE["grid"], stroke_width=2,
                    stroke_opacity=opacity)
    fast, slow = frame(grid.copy()), frame(grid.copy(), fast=False)
    drawn = np.abs(slow - slow[0, 0]).max(-1) > 10
    assert drawn.sum() > 1000
    assert np.abs(fast - slow).max(-1).mean() < 0.5
    assert np.abs(fast[drawn] - slow[drawn]).mean() < 4
    # Crossings are not darker than the lines: translucent lines still blend as one path.
    assert fast.max() <= slow.max() + 3


@pytest.mark.parametrize("opacity", [1.0, 0.5])
def test_discs_look_like_manims_path(opacity) -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(-2, 2, (300, 2))
    cloud = PointCloud(X, (X[:, 0] > 0).astype(int), [PALETTE["class_a"], PALETTE["class_b"]],
                       radius=0.06, opacity=opacity)
    fast, slow = frame(cloud.copy()), frame(cloud.copy(), fast=False)
    drawn = np.abs(slow - slow[0, 0]).max(-1) > 10
    assert drawn.sum() > 300 * 4
    assert np.abs(fast[drawn] - slow[drawn]).mean() < 8
    assert (np.abs(fast - slow).max(-1) > 60).mean() < 0.002
    assert fast.max() <= slow.max() + 3  # overlaps of translucent discs: not brighter


def test_discs_of_several_sizes() -> None:
    """As a 3D camera's perspective makes them: each disc keeps its own size."""
    from nnviz.draw.mobjects.warp_grid import _disc_template, _Discs

    centres = np.array([[x, y, 0.0] for x in np.linspace(-5, 5, 9) for y in (-2.0, 1.5)])
    sizes = np.linspace(0.04, 0.2, len(centres))
    discs = _Discs(0.1, fill_color=PALETTE["class_b"], fill_opacity=1.0, stroke_width=0)
    basis = np.array([[1.0, 0, 0], [0, 1.0, 0]])
    discs.points = np.concatenate([c + _disc_template(r, basis) for c, r in
                                   zip(centres, sizes, strict=True)])
    fast, slow = frame(discs.copy()), frame(discs.copy(), fast=False)
    drawn = np.abs(slow - slow[0, 0]).max(-1) > 10
    assert np.abs(fast - slow).max(-1)[drawn].mean() < 6  # discs of 1.4 to 7 px
    assert abs(int((np.abs(fast - fast[0, 0]).max(-1) > 10).sum()) - int(drawn.sum())) \
        < 0.05 * drawn.sum()  # the same area: no disc drawn at another's size


def test_other_vmobjects_are_left_to_manim() -> None:
    filled = WarpGrid(warped_grid(), color=PALETTE["grid"]).set_fill(PALETTE["grid"], 0.5)
    assert not cairo_fast.stroke_polylines(Camera(), None, filled)  # a fill: manim's way
    plain = VMobject()
    assert not getattr(plain, "straight_pieces", False) and not getattr(plain, "disc_radius",
                                                                        None)


@pytest.mark.parametrize("share", np.linspace(0.1, 0.5, 9))
def test_bands_stroke_exactly_what_one_pass_does(share, monkeypatch) -> None:
    """The rows cut between this thread and the helper are each stroked alone, yet the
    coverage is the same, byte for byte, as stroking all rows in one pass, sharp miter
    joins near the cut included."""
    import cairo

    rng = np.random.default_rng(1)
    walks = np.cumsum(rng.normal(0, 9, (30, 40, 2)), axis=1) + [300, 200]
    x = 3.5 * np.arange(40)  # 13-degree turns: miters 8.6 half-widths long
    zigzags = np.stack([np.column_stack([x + x0, y0 + 30 * (np.arange(40) % 2)])
                        for x0 in (20, 200, 400) for y0 in np.linspace(20, 350, 25)])
    lines = np.concatenate([walks, zigzags])
    vertices = lines.reshape(-1, 2)
    first = np.arange(0, len(vertices), 40)
    style = (2.0, cairo.LineJoin.MITER, cairo.LineCap.BUTT)
    one, split = (np.zeros((400, 640), np.uint8) for _ in range(2))
    cairo_fast._stroke(cairo_fast._pen(one, 0, 600, style), vertices.ravel().tolist(),
                       [(a, a + 40) for a in first.tolist()])
    monkeypatch.setattr(cairo_fast, "_SHARE", [share])
    cairo_fast.stroke_in_bands(split, 600, vertices, first, style)
    assert (one > 0).sum() > 10_000
    np.testing.assert_array_equal(split, one)


def test_region_boxes_look_like_manims_path() -> None:
    """RegionFill's cell runs filled as line_to boxes (Cairo's fast path for them):
    the same picture as manim's curves, edges within a level or two."""
    from nnviz.draw.mobjects.warp_grid import RegionFill

    xs = np.linspace(-1, 1, 90)
    rng = np.random.default_rng(2)
    classes = (np.add.outer(xs**2, xs**2) + 0.1 * rng.normal(size=(90, 90)) > 0.5)
    region = RegionFill([PALETTE["class_a"], PALETTE["class_b"]], (0.3, -0.2, 0), 5.3,
                        opacity=0.22).set_classes(classes.astype(int))
    fast, slow = frame(region.copy()), frame(region.copy(), fast=False)
    assert (np.abs(slow - slow[0, 0]).max(-1) > 5).mean() > 0.2  # the fills are drawn
    diff = np.abs(fast - slow).max(-1)
    assert diff.max() <= 3 and diff.mean() < 0.05
