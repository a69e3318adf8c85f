"""Warp scenes: what they draw equals the core's numbers, and their last frames match
the stored control frames (tests/control_frames/warp-*.npz)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from nnviz.explain.homeo import jacobian_dets, split_at, tear
from nnviz.explain.separable import best_line_accuracy
from nnviz.explain.warp import (
    check_network,
    grid_lines,
    hidden_outputs,
    max_jump,
    orient,
    orient_signs,
    resign,
    saturation,
    separating_line,
    smallest_det_along,
    warp_at,
)
from nnviz.pipeline.testing import assert_matches_control, render_scene
from nnviz.spec import registry
from nnviz.spec.config import build_config, planar_params, spec
from nnviz.spec.store import TraceStore

WARP_SCENES = ["line-not-enough", "warp-layers", "spirals-untangled", "bullseye-3d",
               "line-1d-lift", "too-few-neurons", "warp-training", "shallow-vs-deep",
               "warp-or-tear"]


_RENDERED: dict[tuple, tuple] = {}


def render_instance(scene: str, **overrides: Any):
    """(the rendered scene instance, to inspect what it drew; its last frame); each scene
    renders once per test run."""
    key = (scene, tuple(sorted(overrides.items())))
    if key not in _RENDERED:
        _RENDERED[key] = render_scene(scene, **overrides)
    return _RENDERED[key]


def points(scene, name: str = "main"):
    """The data trace `name` of a rendered scene was trained on, straight from the store."""
    return TraceStore().data(scene.cfg.traces()[name])[0]


@pytest.mark.parametrize("name", WARP_SCENES)
def test_last_frame_matches_control(name, control_frame):
    _, frame = render_instance(name)
    assert_matches_control(frame, control_frame(f"warp-{name}"))


def test_warp_layers_draws_the_layer_outputs_and_the_boundary():
    scene, _ = render_instance("warp-layers")
    cfg = scene.cfg
    trained = TraceStore().load(cfg.traces()["main"]).net_at(1.0)
    net = orient(trained)  # drawn re-signed: every layer det W > 0, the same function
    X = points(scene).X
    np.testing.assert_allclose(net.forward(X), trained.forward(X), atol=1e-12)
    assert all(np.linalg.det(W) > 0 for W in net.weights[:-1])
    lim = cfg.window
    grid = grid_lines((-lim, lim), (-lim, lim), cfg.grid_lines, 120)
    flat = grid.reshape(-1, 2)
    outs, gouts = net.layer_outputs(X), net.layer_outputs(flat)
    snaps = {name: (pts, lines) for name, pts, lines in scene.snapshots}
    for k in range(net.n_layers - 1):
        a_in = X if k == 0 else outs[k - 1].a
        g_in = flat if k == 0 else gouts[k - 1].a
        expected = {
            "linear": (a_in @ net.weights[k].T, g_in @ net.weights[k].T),
            "shift": (outs[k].z, gouts[k].z),
            "squash": (outs[k].a, gouts[k].a),
        }
        for stage, (pts, lines) in expected.items():
            drawn_pts, drawn_lines = snaps[f"layer {k + 1} {stage}"]
            np.testing.assert_allclose(drawn_pts, pts, atol=1e-12)
            np.testing.assert_allclose(drawn_lines.reshape(-1, 2), lines, atol=1e-12)
    # no tears: along every drawn grid line, neighbours stay as close as the layer's
    # Lipschitz bound allows (|W| times the input spacing; tanh' <= 1)
    spacing = max_jump(grid)
    lip = 1.0
    for k in range(net.n_layers - 1):
        lip *= max(1.0, np.linalg.norm(net.weights[k], 2))
        for stage in ("linear", "shift", "squash"):
            assert max_jump(snaps[f"layer {k + 1} {stage}"][1]) <= lip * spacing * 1.001
    # back at the input plane after carrying the line back
    np.testing.assert_allclose(snaps["input"][0], X, atol=1e-9)
    # the carried-back line lies on the computed decision boundary
    assert scene.boundary_gap < 0.01


def test_non_invertible_layer_is_flagged_not_warped():
    # seed 0 trained for 300 steps squeezes layer 2 almost onto a line (cond ~ 1000)
    scene, _ = render_instance("warp-layers", seed=0, steps=300)
    names = [name for name, _, _ in scene.snapshots]
    assert any(n.startswith("layer 1") for n in names)
    assert not any(n.startswith("layer 2") for n in names)
    assert "input" not in names  # nothing carried back through a fold


def test_the_carried_line_keeps_beads_on_the_boundary_and_the_zoom_its_digits():
    import sys

    scene, _ = render_instance("spirals-untangled")
    beads_on = sys.modules[type(scene).__module__].beads_on
    net, cfg, src = scene.net, scene.cfg, scene.bead_sources
    assert len(src) >= 20
    assert np.abs(src).max() <= cfg.window + 1e-9
    # every bead is a point of the decision boundary: in the last hidden space it lies on
    # the output's straight line (so carrying it back is carrying the line back)
    w, b = net.weights[-1][0], float(net.biases[-1][0])
    gap = np.abs(hidden_outputs(net, src)[-1] @ w + b) / np.hypot(*w)
    assert gap.max() < 0.01
    # why they are drawn: the layers saturate, so in the last hidden space the beads (the
    # boundary in the window) sit in clusters at the line's ends, which together cover
    # under 1 % of the line's length across the square
    along = np.sort(hidden_outputs(net, src)[-1] @ np.array([-w[1], w[0]]) / np.hypot(*w))
    steps = np.diff(along)
    length = np.ptp(separating_line(w, b, box=1.0, n=50), axis=0)
    assert steps[steps < 0.02].sum() < 0.01 * np.hypot(*length)
    # beads_on: the polyline's own vertices, about `spacing` apart, both ends kept
    run = np.column_stack([np.linspace(0.0, 2.0, 201), np.zeros(201)])
    beads = beads_on([run], spacing=0.3)
    np.testing.assert_allclose(beads[[0, -1]], run[[0, -1]])
    assert all((run == bead).all(axis=1).any() for bead in beads)
    assert np.diff(beads[:, 0]).max() <= 0.3 + 1e-9 and len(beads) == 8
    # a stage held at x0.04 says so (one decimal would show x0.0)
    scene.zoom.set_view(cfg.window / 0.04)
    assert scene.zoom.number.get_value() == pytest.approx(0.04)
    assert scene.zoom.number.num_decimal_places == 2
    scene.zoom.set_view(cfg.window)


def test_spirals_are_untangled_by_width_two_layers():
    scene, _ = render_instance("spirals-untangled")
    cfg = scene.cfg
    assert cfg.turns >= 1.5  # wound enough that one layer cannot untangle them
    tr = TraceStore().load(cfg.traces()["main"])
    assert set(tr.sizes[1:-1]) == {2} and len(tr.sizes) >= 5
    assert tr.final_accuracy >= 0.97
    assert scene.boundary_gap < 0.01


@pytest.mark.parametrize("name", ["warp-layers", "spirals-untangled"])
def test_warps_never_flatten_and_keep_the_function(name):
    scene, _ = render_instance(name)
    cfg = scene.cfg
    trained = TraceStore().load(cfg.traces()["main"]).net_at(1.0)
    X = points(scene).X
    assert scene.net.weights[0].shape == (2, 2)
    np.testing.assert_allclose(scene.net.forward(X), trained.forward(X), atol=1e-12)
    np.testing.assert_allclose(scene.net.forward(X), orient(trained).forward(X), atol=1e-12)
    # every animated linear stage (identity -> W_k along the drawn path) stays invertible
    for W in scene.net.weights[:-1]:
        assert np.linalg.det(W) > 0
        assert smallest_det_along(W, cfg.path) >= 0.5 * min(1.0, np.linalg.det(W))
    # the saturation said on screen after each squash is the layer's, from the core
    outs = scene.net.layer_outputs(X)
    np.testing.assert_allclose(scene.saturations, [saturation(o.a) for o in outs[:-1]])
    # the zoom is held while each stage plays, and that one zoom shows every point of it
    assert len(scene.zooms) == 3 * (scene.net.n_layers - 1)
    for k in range(scene.net.n_layers - 1):
        for j in range(3):
            name, start, end = scene.zooms[3 * k + j]
            assert start == end
            for s in np.linspace(0.0, 1.0, 5):
                shown = warp_at(X, scene.net, 3 * k + j + s, cfg.path)
                assert np.abs(shown).max() <= start


def test_spirals_say_in_one_beat_which_deeper_layers_saturate():
    import sys

    scene, _ = render_instance("spirals-untangled")
    SATURATES = sys.modules[type(scene).__module__].SATURATES  # noqa: N806
    X = points(scene).X
    # the grid covers the data, not the empty plane around it
    assert np.abs(X).max() <= scene.cfg.window
    sats = [saturation(a) for a in hidden_outputs(scene.net, X)[1:]]
    deeper = [b for b in scene.beats if b.name.startswith("layers")]
    n = scene.net.n_layers - 1
    assert [b.name for b in deeper] == [f"layers{scene.detail + 1}-{n}"]
    said = [k + 1 for k, s in enumerate(sats) if k >= scene.detail and s > SATURATES]
    assert said  # the trained layers do saturate: the narration has to say so
    words = (f"layer {said[0]} saturates" if len(said) == 1 else
             f"layers {', '.join(map(str, said[:-1]))} and {said[-1]} saturate")
    assert words in deeper[0].text


def _trained(n_layers: int, seed: int, steps: int = 6000, turns: float = 1.5):
    s = spec("spirals", (2, *([2] * n_layers), 1), activation="tanh",
             output_activation="sigmoid", trainer="adam", steps=steps, seed=seed,
             record="log:40", trainer_params={"lr": 0.03},
             dataset_params=planar_params("spirals", 200, turns, 0.02, seed))
    return TraceStore().load(s)


def test_one_width_two_layer_cannot_separate_the_spirals_and_six_can():
    scene, _ = render_instance("shallow-vs-deep")
    assert scene.accuracies["shallow"] < 0.85 and scene.accuracies["deep"] >= 0.97
    # not just this seed: one hidden layer of 2 stays far from separating them
    assert max(_trained(1, seed).final_accuracy for seed in range(5)) < 0.85
    # the spirals scene draws the very same deep network and data
    spirals = registry.get("spirals-untangled").config_class()
    assert spirals.traces()["main"] == scene.cfg.traces()["deep"]


def test_shallow_vs_deep_panels_are_the_layer_outputs():
    scene, _ = render_instance("shallow-vs-deep")
    X = TraceStore().data(scene.cfg.traces()["deep"])[0].X
    for key, net in scene.nets.items():
        trained = TraceStore().load(scene.cfg.traces()[key]).net_at(1.0)
        np.testing.assert_allclose(net.forward(X), trained.forward(X), atol=1e-12)
        assert all(np.linalg.det(W) > 0 for W in net.weights[:-1])
        for drawn, want in zip(scene.pictures[key], hidden_outputs(net, X), strict=True):
            np.testing.assert_allclose(drawn, want, atol=1e-12)
        np.testing.assert_allclose(scene.saturations[key],
                                   [saturation(a) for a in hidden_outputs(net, X)[1:]])


def test_line_not_enough_counts_the_misclassified():
    scene, _ = render_instance("line-not-enough")
    net = TraceStore().load(scene.cfg.traces()["main"]).net_at(1.0)
    data = points(scene)
    side = (data.X @ net.weights[0][0] + net.biases[0][0] > 0).astype(int)
    np.testing.assert_array_equal(scene.wrong, np.nonzero(side != data.y)[0])
    # the curves weave: no line gets 80 %, the trained one is no better than the best
    assert 0.7 <= scene.best_line <= 0.8
    assert scene.best_line == best_line_accuracy(data.X, data.y)
    assert 0.65 <= scene.accuracy <= scene.best_line


def test_line_not_enough_draws_the_line_once():
    """The line is drawn by one Create, not shown before it (it is not in the panel)."""
    from nnviz.draw.mobjects.warp_grid import WarpPanel
    scene, _ = render_instance("line-not-enough")
    panel = next(m for m in scene.mobjects if isinstance(m, WarpPanel))
    assert not panel.curves  # the line lives outside the panel


def _jacobians_positive_along(W, b, lim: float = 1.2) -> float:
    """The smallest Jacobian determinant of the layer homotopy over a grid and all times."""
    g = np.linspace(-lim, lim, 41)
    pts = np.column_stack([a.ravel() for a in np.meshgrid(g, g)])
    return min(float(jacobian_dets(W, b, pts, s).min()) for s in np.linspace(0, 1, 41))


def test_bullseye_lift_separates_and_width_two_does_not():
    scene, _ = render_instance("bullseye-3d")
    cfg = scene.cfg
    assert scene.plane_correct == cfg.n_points  # the plane separates every point
    assert scene.best_narrow < 1.0  # no width-2 seed gets them all
    data = points(scene, "width3")
    net = TraceStore().load(cfg.traces()["width3"]).net_at(1.0)
    sums = net.layer_outputs(data.X)[-1].z[:, 0]
    np.testing.assert_allclose(scene.heights, sums)
    # the blue centre is what is pushed up, the red ring stays down
    assert (np.sign(scene.lifted[:, 2]) == np.where(data.y == 1, 1, -1)).all()
    # the width-2 warp shown is the trained layer, re-signed, moved without flattening
    shown = TraceStore().load(cfg.traces()[f"width2_{scene.shown_narrow}"]).net_at(1.0)
    np.testing.assert_allclose(scene.narrow_net.forward(data.X), shown.forward(data.X),
                               atol=1e-12)
    W, b = scene.narrow_net.weights[0], scene.narrow_net.biases[0]
    assert smallest_det_along(W, "polar") > 0.5
    assert _jacobians_positive_along(W, b) > 0
    np.testing.assert_allclose(scene.narrow_warped, np.tanh(data.X @ W.T + b))
    h = np.tanh(data.X @ W.T + b)
    assert scene.saturated == np.mean(np.abs(h).max(axis=1) > 0.95)


def test_warp_or_tear_keeps_neighbours_and_tears_them_apart():
    scene, _ = render_instance("warp-or-tear")
    cfg = scene.cfg
    W, b = scene.layer
    trained = TraceStore().load(cfg.traces()["main"]).net_at(1.0)
    net = orient(trained)
    np.testing.assert_allclose(W, net.weights[0])
    X = points(scene).X
    np.testing.assert_allclose(net.forward(X), trained.forward(X), atol=1e-12)
    assert np.linalg.det(W) > 0 and smallest_det_along(W, "polar") > 0.5
    assert _jacobians_positive_along(W, b) > 0  # a homeomorphism at every moment
    gap = float(np.linalg.norm(scene.pair[1] - scene.pair[0]))
    assert scene.warped_gap < 5 * gap  # still neighbours
    assert scene.torn_gap > 5 * gap  # torn apart


def test_tear_pieces_join_until_torn():
    lines = grid_lines((-1.2, 1.2), (-1.2, 1.2), 13, 40)
    pieces = split_at(lines, (1.0, 0.0), 0.05)
    assert max(max_jump(p[None]) for p in pieces) < 0.1
    torn = [tear(p, 1.0, offset=0.05) for p in pieces]
    assert max(max_jump(p[None]) for p in torn) < 0.1  # each piece moves as one
    ends = {tuple(np.round(p[-1], 6)) for p in pieces} & {tuple(np.round(p[0], 6))
                                                           for p in pieces}
    assert ends  # pieces meet on the cut before the tear


def test_line_1d_lift_is_the_hidden_layer():
    scene, _ = render_instance("line-1d-lift")
    net = TraceStore().load(scene.cfg.traces()["main"]).net_at(1.0)
    x = points(scene).X
    np.testing.assert_allclose(scene.lifted, net.layer_outputs(x)[0].a)
    assert scene.best_cut < 1.0 == np.mean(net.predict(x) == points(scene).y)
    # the lift is readable: the hidden layer is not pressed into tanh's flat ends
    assert np.abs(net.weights[0]).max() < 3.5


def test_warp_training_ends_at_the_trained_last_hidden_layer():
    scene, _ = render_instance("warp-training")
    trace = TraceStore().load(scene.cfg.traces()["main"])
    net = trace.net_at(1.0)
    X = points(scene).X
    # one set of signs for the whole run, the final network's: no jump between frames
    signs = orient_signs(net)
    assert all(np.array_equal(a, b) for a, b in zip(scene.signs, signs, strict=True))
    shown = resign(net, signs)
    np.testing.assert_allclose(scene.last_hidden, shown.layer_outputs(X)[-2].a)
    # the saturation said at the end is the last hidden layer's, from the core
    assert scene.saturation == saturation(shown.layer_outputs(X)[-2].a) > 0.5
    end = next(b for b in scene.beats if b.name == "end")
    assert "saturates" in end.text
    for v in np.linspace(0.0, 1.0, 7):
        at = trace.net_at(v, "record")
        np.testing.assert_allclose(resign(at, signs).forward(X), at.forward(X), atol=1e-12)
    # a layer flagged as flat on screen really is nearly singular at that moment
    for v, k in scene.flags[:20]:
        assert not check_network(resign(trace.net_at(v, "record"), signs))[k].invertible


def test_too_few_neurons_fails_where_enough_succeeds():
    scene, _ = render_instance("too-few-neurons")
    assert scene.final_accuracy["few"] < 0.95 <= scene.final_accuracy["enough"]


def test_hidden_widths_other_than_two_are_a_clear_error():
    from nnviz.core.errors import NNVizError

    with pytest.raises(NNVizError, match="widths of 2"):
        build_config(registry.get("warp-layers").config_class, {"hidden": "2,3"}, "warp-layers")


def test_sigmoid_hidden_layers_also_carry_the_line_back():
    # sigmoid squashes into (0, 1)^2, so the line is clipped to that square, not (-1, 1)^2
    scene, _ = render_instance("warp-layers", activation="sigmoid", steps=200, seed=0,
                               lr=0.05)
    names = [n for n, _, _ in scene.snapshots]
    assert names[-1] == "input"
    assert scene.boundary_gap < 0.01
