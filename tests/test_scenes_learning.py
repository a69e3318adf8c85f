"""Issue-8 scenes: every derivative shown equals the core's gradient and the finite
difference; the heatmaps are the network's outputs on the grid; last frames match."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from nnviz.core import datasets
from nnviz.core.gradcheck import max_relative_error, numeric_grads
from nnviz.pipeline.testing import assert_matches_control, render_last_frame, render_scene
from nnviz.spec import registry
from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore


def _module(name: str):
    return sys.modules[registry.get(name).scene_class.__module__]


# -- gradient-valley ----------------------------------------------------------------------
def test_valley_slope_at_minus_one_is_minus_two():
    mod = _module("gradient-valley")
    assert mod.valley_error(-1.0) == pytest.approx(1.0)
    core, fd = mod.valley_slope(-1.0)
    assert core == pytest.approx(-2.0)
    assert fd == pytest.approx(-2.0, abs=1e-6)


@pytest.mark.parametrize("lr", [0.05, 0.3, 1.05])
def test_valley_hops_follow_the_math(lr):
    mod = _module("gradient-valley")
    path = mod.descend(-1.0, lr, 6)
    expected = [-1.0 * (1 - 2 * lr) ** k for k in range(7)]
    np.testing.assert_allclose(path, expected, rtol=1e-12)
    assert abs(mod.descend(-1.0, 1.05, 6)[-1]) > 1.0  # too large: it climbs out


def test_valley_surface_path_lies_on_the_surface():
    """The neuron has only w and b, so the recorded loss is the surface's height."""
    mod = _module("gradient-valley")
    cfg = build_config(mod.GradientValleyConfig, {}, "gradient-valley")
    trace = TraceStore().load(cfg.traces()["surface"])
    assert trace.sizes == (1, 1)
    data = datasets.load(cfg.surface_dataset, seed=cfg.seed)
    for i in (0, trace.n_records // 2, -1):
        net = trace.network().set_weights(*trace.record(i))
        assert net.loss(data.X, data.targets(net)) == pytest.approx(trace.loss[i])
    assert trace.loss[-1] < trace.loss[0]


# -- chain-rule ---------------------------------------------------------------------------
@pytest.mark.parametrize("x,w1,w2", [(1.5, 0.8, -1.2), (-0.5, 0.8, -1.2), (2.0, -0.3, 0.7)])
def test_chain_rule_product_is_the_core_gradient(x, w1, w2):
    core, fd = _module("chain-rule").chain_gradient(x, w1, w2)
    assert core == pytest.approx(x * w2)
    assert fd == pytest.approx(x * w2, abs=1e-6)


def test_building_block_slopes():
    mod = _module("chain-rule")
    s, ds, fd = mod.local_slope("sigmoid", 0.5)
    assert s == pytest.approx(1 / (1 + np.exp(-0.5)))
    assert ds == pytest.approx(s * (1 - s))
    assert fd == pytest.approx(ds, abs=1e-8)
    assert mod.local_slope("relu", 1.3)[1:] == pytest.approx((1.0, 1.0))
    assert mod.local_slope("relu", -0.7)[1:] == pytest.approx((0.0, 0.0))


# -- backprop ----------------------------------------------------------------------------
def test_backprop_scene_gradients_match_finite_differences_and_the_step_helps():
    mod = _module("backprop")
    cfg = build_config(mod.BackpropConfig, {}, "backprop")
    trace = TraceStore().load(cfg.traces()["main"])
    data = datasets.load(cfg.dataset, n=40, seed=cfg.seed)
    net = trace.net_at(cfg.at)
    X, Y = data.X[:1], data.targets(net)[:1]
    E, g = net.loss_and_grads(X, Y, "squared_error")
    assert max_relative_error(g, numeric_grads(net, X, Y, "squared_error")) < 1e-5
    after = net.copy()
    for W, b, gw, gb in zip(after.weights, after.biases, g.weights, g.biases, strict=True):
        W -= cfg.lr * gw
        b -= cfg.lr * gb
    assert after.loss(X, Y, "squared_error") < E


# -- truth-and-error ---------------------------------------------------------------------
def test_truth_and_error_numbers():
    mod = _module("truth-and-error")
    cfg = build_config(mod.TruthAndErrorConfig, {}, "truth-and-error")
    trace = TraceStore().load(cfg.traces()["main"])
    data = datasets.load("four_pixel", n=8)
    x, truth = data.X[cfg.image], np.eye(4)[data.y[cfg.image]]
    answer, err, total = mod.answer_and_error(trace.net_at(1.0), x, truth)
    np.testing.assert_allclose(err, np.abs(truth - answer))
    assert total == pytest.approx(err.sum())
    assert total < mod.answer_and_error(trace.net_at(0.0), x, truth)[2]  # training helped
    assert answer.argmax() == data.y[cfg.image]


# -- training-you-can-watch --------------------------------------------------------------
def test_playground_heatmaps_are_the_trained_networks_outputs():
    overrides = {"dataset": "xor", "hidden": "3", "steps": "60", "resolution": "10",
                 "neuron_resolution": "5", "activation": "relu"}
    scene, _ = render_scene("training-you-can-watch", (320, 180), **overrides)
    shown = scene.shown
    mod = _module("training-you-can-watch")
    cfg = build_config(mod.PlaygroundConfig, overrides, "training-you-can-watch")
    trained = TraceStore().load(cfg.traces()["main"]).net_at(1.0)
    out = trained.forward(shown["region_grid"])[:, 0].reshape(10, 10)
    np.testing.assert_allclose(shown["region"].values, out, atol=1e-12)
    hidden = trained.layer_outputs(shown["tile_grid"])[0].a
    for i, tile in enumerate(shown["tiles"][1]):
        np.testing.assert_allclose(tile.values, hidden[:, i].reshape(5, 5), atol=1e-12)
    # the colours drawn are those values' colours (quantised to the heatmap's levels)
    region = shown["region"]
    assert np.abs(region.cell_colours() - region.colours(out)).max() <= 1.0 / region.levels


# -- graphical regression -----------------------------------------------------------------
SCENES = {
    "truth-and-error": {},
    "gradient-valley": {},
    "chain-rule": {},
    "backprop": {},
    "training-you-can-watch": {},
}


@pytest.mark.render
@pytest.mark.parametrize("name", list(SCENES))
def test_last_frame_matches_control(name, control_frame):
    frame = render_last_frame(name, **SCENES[name])
    assert_matches_control(frame, control_frame(name))
