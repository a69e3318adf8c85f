"""Issue-8 scenes: every derivative shown equals the core's gradient and the finite
difference; the heatmaps are the network's outputs on the grid; last frames match."""

from __future__ import annotations

import sys

import numpy as np
import pytest

from nnviz.core import datasets
from nnviz.core.gradcheck import numeric_grads
from nnviz.pipeline.testing import assert_matches_control, render_last_frame, render_scene
from nnviz.spec import registry
from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore


def _module(name: str):
    return sys.modules[registry.get(name).scene_class.__module__]


# -- gradient-valley and valley-dimensions: the camera network's valley -------------------
def _camera_of(mod, cfg_class, name):
    cfg = build_config(cfg_class, {}, name)
    spec = cfg.traces()["camera"]
    store = TraceStore()
    return cfg, store.load(spec), store.data(spec)[0]


def test_toy_valley_slope_at_minus_one_is_minus_two():
    mod = _module("gradient-valley")
    assert mod.toy_error(-1.0) == pytest.approx(1.0)
    assert mod.toy_slope(-1.0) == pytest.approx(-2.0)
    # +1 in weight along the tangent: -2 in error; the curve itself bends back up
    assert mod.toy_error(-1.0) + mod.toy_slope(-1.0) * 1.0 == pytest.approx(-1.0)


@pytest.mark.parametrize("k", [1, 2])
def test_camera_valley_is_the_networks_error_and_slope(k):
    """The valley is the trained camera network's error with k weights moved; its slopes
    are the core's backprop, equal to finite differences; the descent follows them."""
    mod = _module("gradient-valley")
    cfg, trace, data = _camera_of(mod, mod.GradientValleyConfig, "gradient-valley")
    valley, start = mod.camera_valley(cfg, trace, data, k)
    net = trace.net_at(1.0)
    assert valley.error(valley.home) == pytest.approx(trace.loss[-1], rel=1e-9)
    assert len(valley.picks) == k and len(set(valley.picks)) == k
    np.testing.assert_allclose(np.abs(start - valley.home), cfg.push)
    h = 1e-6
    for p in (start, valley.home + 0.3):
        fd = [(valley.error(p + h * e) - valley.error(p - h * e)) / (2 * h)
              for e in np.eye(k)]
        np.testing.assert_allclose(valley.slope(p), fd, atol=1e-7)
    path = valley.descend(start, cfg.descent_lr, cfg.roll_steps if k == 2 else cfg.hops)
    for a, b in zip(path[:-1], path[1:], strict=True):
        np.testing.assert_allclose(b, a - cfg.descent_lr * valley.slope(a), rtol=1e-12)
    heights = [valley.error(p) for p in path]
    assert heights[-1] < 0.1 * heights[0]  # it reaches the valley floor
    assert all(b <= a + 1e-12 for a, b in zip(heights, heights[1:], strict=False))
    # the other weights are the trained network's
    moved = valley.net.copy()
    for (li, j, i) in valley.picks:
        moved.weights[li][j, i] = net.weights[li][j, i]
    for a, b in zip(moved.weights, net.weights, strict=True):
        np.testing.assert_array_equal(a, b)


def test_valley_dimensions_slope_is_one_number_per_parameter():
    mod = _module("valley-dimensions")
    cfg, trace, data = _camera_of(mod, mod.ValleyDimensionsConfig, "valley-dimensions")
    net = trace.net_at(0.0)
    Y = data.targets(net)
    e0, g = mod.full_slope(net, data.X, Y)
    assert g.shape == (net.n_params,) == (58,)
    assert e0 == pytest.approx(trace.loss[0])
    fd = net.flat_grads(numeric_grads(net, data.X, Y, "squared_error"))
    np.testing.assert_allclose(g, fd, atol=1e-7)
    assert mod.step_against(net, data.X, Y, cfg.step_lr) < e0
    assert sum(n for _, n in mod.param_groups(net)) == net.n_params


# -- the camera network's slopes (chain-rule, backprop, why-backprop) --------------------
def _camera(name: str, **overrides):
    mod = _module(name)
    cfg = build_config(registry.get(name).config_class, overrides, name)
    store = TraceStore()
    spec = cfg.traces()["camera"]
    data, _ = store.data(spec)
    return mod, cfg, store.load(spec), data


def _total_error(net, x, truth) -> float:
    return float(((truth - net.forward(x[None, :])[0]) ** 2).sum())


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


@pytest.mark.parametrize("image", [7, 2])
@pytest.mark.parametrize("activation", ["tanh", "relu"])
def test_camera_path_slopes_multiply_to_the_gradient(image, activation):
    """The path's product is the core's slope through that answer alone, and by finite
    differences; the answers' paths add up to the whole dE/dw1."""
    from nnviz.scenes import camera_grads

    from nnviz.core.gradcheck import central_difference

    _, cfg, trace, data = _camera("chain-rule", activation=activation, image=str(image))
    net = trace.net_at(cfg.at)
    x, truth = camera_grads.example(data, image)
    p = camera_grads.best_path(net, x, truth)
    assert p.product == pytest.approx(camera_grads.path_gradient(net, x, truth, p.i, p.j, p.m),
                                      rel=1e-9, abs=1e-12)
    answer = net.forward(x[None, :])[0]

    def e_through(w: np.ndarray, m: int) -> float:
        other = net.copy()
        other.weights[0][p.j, p.i] = w[0]
        a = other.forward(x[None, :])[0]
        return float((truth[m] - a[m]) ** 2)

    w0 = np.array([net.weights[0][p.j, p.i]])
    per = [float(central_difference(lambda w, m=m: e_through(w, m), w0)[0])
           for m in range(net.sizes[2])]
    assert per[p.m] == pytest.approx(p.product, abs=1e-7)
    paths = [camera_grads.path_gradient(net, x, truth, p.i, p.j, m) for m in range(4)]
    np.testing.assert_allclose(paths, per, atol=1e-7)
    _, _, g = camera_grads.deltas(net, x, truth)
    assert sum(paths) == pytest.approx(g[0][p.j, p.i], abs=1e-12)
    assert answer.shape == (4,)


def test_backprop_deltas_match_finite_differences_and_the_step_helps():
    mod, cfg, trace, data = _camera("backprop")
    from nnviz.scenes import camera_grads

    net = trace.net_at(cfg.at)
    x, truth = camera_grads.example(data, cfg.image)
    E, d, g = camera_grads.deltas(net, x, truth)
    assert pytest.approx(_total_error(net, x, truth)) == E
    fd = numeric_grads(net, x[None, :], truth[None, :], "squared_error")
    for got, want in zip(g + d, fd.weights + fd.biases, strict=True):
        np.testing.assert_allclose(got, want, atol=1e-6)
    after = mod.step_down(net, g, d, cfg.step_lr)
    assert _total_error(after, x, truth) < E


def test_why_backprop_counts_come_from_the_sizes():
    from nnviz.scenes import camera_grads

    from nnviz.core.network import MLP

    c = camera_grads.Costs((784, 16, 16, 10))
    assert c.params == MLP((784, 16, 16, 10)).n_params == 13002
    assert c.forward == 784 * 16 + 16 * 16 + 16 * 10
    assert c.backward == c.forward + 16 * 16 + 16 * 10  # deltas carried back past layer 1
    assert c.nudging == 13003 * c.forward
    assert 1.9 < c.backprop / c.forward < 2.2  # "about the cost of two forward passes"
    mod, cfg, trace, data = _camera("why-backprop")
    net = trace.net_at(cfg.at)
    x, truth = camera_grads.example(data, cfg.image)
    p = camera_grads.best_path(net, x, truth)
    E2 = mod.nudged_error(net, x, truth, p.j, p.i, 1e-6)
    _, _, g = camera_grads.deltas(net, x, truth)
    assert (E2 - _total_error(net, x, truth)) / 1e-6 == pytest.approx(g[0][p.j, p.i],
                                                                        abs=1e-4)


def test_camera_training_error_is_the_episodes_error():
    """The recorded loss is E (sum over the four answers) averaged over the eight images,
    and the trained network answers every image right."""
    _, cfg, trace, data = _camera("camera-training")
    for t in (0.0, 1.0):
        net = trace.net_at(t)
        mean_e = np.mean([_total_error(net, data.X[k], np.eye(4)[data.y[k]])
                          for k in range(data.n_samples)])
        assert mean_e == pytest.approx(trace.loss[0 if t == 0.0 else -1], rel=1e-9)
    assert (trace.net_at(1.0).predict(data.X) == data.y).all()
    assert trace.loss[-1] < 0.05 * trace.loss[0]


# -- truth-and-error ---------------------------------------------------------------------
def test_truth_and_error_numbers():
    mod = _module("truth-and-error")
    cfg = build_config(mod.TruthAndErrorConfig, {}, "truth-and-error")
    trace = TraceStore().load(cfg.traces()["camera"])
    data = datasets.load("four_pixel", n=8)
    x, truth = data.X[cfg.image], np.eye(4)[data.y[cfg.image]]
    answer, err, total = mod.answer_and_error(trace.net_at(1.0), x, truth)
    np.testing.assert_allclose(err, (truth - answer) ** 2)
    assert total == pytest.approx(err.sum())
    assert total < mod.answer_and_error(trace.net_at(0.0), x, truth)[2]  # training helped
    assert answer.argmax() == data.y[cfg.image]
    Y = np.eye(4)[data.y]
    for t in (0.0, 1.0):
        net = trace.net_at(t)
        assert mod.mean_error(net, data.X, Y) == pytest.approx(net.loss(data.X, Y))


@pytest.mark.parametrize("err", [np.array([0.3811, 0.3850, 0.0729, 0.1079]),
                                 np.array([0.00002, 0.00104, 0.00138, 0.00117]),
                                 np.array([0.125, 0.125, 0.125, 0.125])])
def test_shown_errors_add_up_to_the_shown_total(err):
    mod = _module("truth-and-error")
    d = mod.shown_digits(err)
    cells = [round(float(e), d) for e in err]
    assert round(sum(cells), d) == mod.shown_total(err, d) == round(float(err.sum()), d)


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
    "valley-dimensions": {},
    "chain-rule": {},
    "backprop": {},
    "why-backprop": {},
    "camera-training": {},
    "training-you-can-watch": {},
}


@pytest.mark.render
@pytest.mark.parametrize("name", list(SCENES))
def test_last_frame_matches_control(name, control_frame):
    frame = render_last_frame(name, **SCENES[name])
    assert_matches_control(frame, control_frame(name))
