"""The warp core against the network and the mathematics."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core import datasets
from nnviz.core.network import MLP
from nnviz.core.training import train
from nnviz.explain.warp import (
    NonInvertibleLayer,
    apply_stage,
    boundary_pulled_back,
    check_layer,
    check_network,
    clip_polyline,
    contour,
    decision_boundary,
    distance_to_curves,
    grid_lines,
    hidden_outputs,
    invert_layer,
    layer_stages,
    linear_path,
    max_jump,
    orient,
    pull_back,
    separating_line,
    smallest_det_along,
    warp_at,
)


def fixed_net() -> MLP:
    net = MLP((2, 2, 2, 1), "tanh", "sigmoid", seed=0)
    net.weights[0][...] = [[1.6, 0.7], [-0.5, 1.3]]
    net.weights[1][...] = [[1.2, -0.9], [0.8, 1.5]]
    net.weights[2][...] = [[2.0, -1.5]]
    net.biases[0][...] = [0.2, -0.3]
    net.biases[1][...] = [-0.1, 0.25]
    net.biases[2][...] = [0.3]
    return net


@pytest.fixture(scope="module")
def trained() -> MLP:
    data = datasets.load("two_curves", n=200)
    net = MLP((2, 2, 2, 1), "tanh", "sigmoid", seed=3)
    train(net, data, "adam", steps=150, lr=0.05)
    return net


def test_stages_end_at_the_layer_outputs():
    net = fixed_net()
    X = np.random.default_rng(0).uniform(-1.5, 1.5, (50, 2))
    outs = net.layer_outputs(X)
    lin, shift, squash = layer_stages(X, net.weights[0], net.biases[0], "tanh")
    np.testing.assert_allclose(lin, X @ net.weights[0].T)
    np.testing.assert_allclose(shift, outs[0].z)
    np.testing.assert_allclose(squash, outs[0].a)
    # warp_at walks through all stages of all hidden layers
    np.testing.assert_allclose(warp_at(X, net, 0.0), X)
    np.testing.assert_allclose(warp_at(X, net, 3.0), outs[0].a)
    np.testing.assert_allclose(warp_at(X, net, 4.0), outs[0].a @ net.weights[1].T)
    np.testing.assert_allclose(warp_at(X, net, 6.0), outs[1].a)
    np.testing.assert_allclose(warp_at(X, net, 99.0), outs[1].a)
    hid = hidden_outputs(net, X)
    assert len(hid) == 3
    np.testing.assert_allclose(hid[2], outs[1].a)


def test_stage_interpolation_is_a_blend():
    W, b = np.array([[2.0, 1.0], [0.0, 1.0]]), np.array([0.5, -0.5])
    p = np.array([[1.0, 2.0]])
    np.testing.assert_allclose(linear_path(W, 0.0), np.eye(2))
    np.testing.assert_allclose(linear_path(W, 1.0), W)
    np.testing.assert_allclose(linear_path(W, 0.5), 0.5 * (np.eye(2) + W))
    np.testing.assert_allclose(apply_stage(p, W, b, "tanh", "shift", 0.5), p @ W.T + 0.5 * b)
    z = p @ W.T + b
    np.testing.assert_allclose(apply_stage(p, W, b, "tanh", "squash", 0.25),
                               0.75 * z + 0.25 * np.tanh(z))


@pytest.mark.parametrize("W", [
    [[1.5, 0.3], [-0.4, 0.8]],  # det > 0
    [[0.3, 1.2], [1.1, 0.2]],  # det < 0: needs a flip
])
def test_polar_path_ends_at_w_and_stays_invertible_when_det_positive(W):
    W = np.array(W)
    np.testing.assert_allclose(linear_path(W, 0.0, "polar"), np.eye(2), atol=1e-12)
    np.testing.assert_allclose(linear_path(W, 1.0, "polar"), W, atol=1e-12)
    dets = [np.linalg.det(linear_path(W, s, "polar")) for s in np.linspace(0, 1, 101)]
    if np.linalg.det(W) > 0:
        assert min(dets) > 0.1


def test_invertibility_checks_flag_bad_layers():
    assert check_layer(np.array([[1.0, 0.2], [0.1, 1.0]]), "tanh").invertible
    singular = check_layer(np.array([[1.0, 2.0], [2.0, 4.0]]), "tanh")
    assert not singular.invertible and "collapses" in singular.reason
    nearly = check_layer(np.array([[4.0, 2.33], [4.86, 2.79]]), "tanh")  # det ~ -0.04
    assert not nearly.invertible
    assert not check_layer(np.ones((3, 2)), "tanh").invertible
    assert not check_layer(np.eye(2), "relu").invertible
    net = fixed_net()
    assert all(c.invertible for c in check_network(net))
    net.weights[1][...] = [[1.0, 2.0], [2.0, 4.0]]
    checks = check_network(net)
    assert checks[0].invertible and not checks[1].invertible
    with pytest.raises(NonInvertibleLayer, match="Layer 2 is not a warp"):
        pull_back(np.zeros((1, 2)), net)


def test_inverse_maps_points_back():
    net = fixed_net()
    X = np.random.default_rng(1).uniform(-2, 2, (200, 2))
    outs = net.layer_outputs(X)
    np.testing.assert_allclose(invert_layer(outs[0].a, net.weights[0], net.biases[0], "tanh"),
                               X, atol=1e-9)
    np.testing.assert_allclose(pull_back(outs[1].a, net), X, atol=1e-8)
    np.testing.assert_allclose(pull_back(outs[0].a, net, layer=0), X, atol=1e-9)


def test_grid_lines_stay_unbroken():
    net = fixed_net()
    lines = grid_lines((-2, 2), (-2, 2), 21, 200)
    spacing = max_jump(lines)
    for u in np.linspace(0, 6, 25):
        warped = warp_at(lines.reshape(-1, 2), net, u).reshape(lines.shape)
        # the warp is Lipschitz with constant at most prod(|W|) (tanh' <= 1)
        lip = np.prod([max(1.0, np.linalg.norm(W, 2)) for W in net.weights[:2]])
        assert max_jump(warped) <= lip * spacing * 1.01
    # and a tear is detected: swap two halves of a line
    torn = lines.copy()
    torn[0, 100:] += 1.0
    assert max_jump(torn) > 10 * spacing


def test_separating_line_is_on_the_line_and_in_the_box():
    w, b = np.array([1.0, -2.0]), 0.3
    pts = separating_line(w, b, box=1.0, n=300)
    assert len(pts) >= 300
    np.testing.assert_allclose(pts @ w + b, 0, atol=1e-12)
    assert np.abs(pts).max() <= 1.0 + 1e-12
    assert len(separating_line(np.array([1.0, 0.0]), 5.0)) == 0  # misses the square


def test_contour_of_a_circle():
    xs = ys = np.linspace(-1, 1, 81)
    gx, gy = np.meshgrid(xs, ys)
    curves = contour(xs, ys, gx**2 + gy**2, 0.25)
    assert len(curves) == 1
    r = np.hypot(*curves[0].T)
    np.testing.assert_allclose(r, 0.5, atol=2e-3)
    np.testing.assert_allclose(curves[0][0], curves[0][-1])  # closed loop
    open_curves = contour(xs, ys, gx + 0.1 * gy, 0.2)  # a line crossing the box: open
    assert len(open_curves) == 1 and len(open_curves[0]) > 50


def test_boundary_carried_back_is_the_computed_boundary(trained):
    net = trained  # seed 3: both hidden layers well conditioned
    assert all(c.invertible for c in check_network(net))
    back = boundary_pulled_back(net, n=800)
    runs = clip_polyline(back, (-1.5, 1.5), (-1.5, 1.5))
    assert runs
    pts = np.concatenate(runs)
    # points carried back give the threshold output
    np.testing.assert_allclose(net.forward(pts)[:, 0], 0.5, atol=1e-6)
    # and lie on the marching-squares boundary
    computed = decision_boundary(net, (-1.5, 1.5), (-1.5, 1.5), n=200)
    assert distance_to_curves(pts, computed).max() < 0.01
    # and vice versa, the computed boundary lies on the carried-back curve
    inner = np.concatenate(computed)
    assert distance_to_curves(inner, runs).max() < 0.01


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_orient_keeps_the_function_and_makes_every_layer_turn_no_sheet_over(activation):
    net = MLP((2, 2, 2, 2, 1), activation, "sigmoid", seed=3)
    for W in net.weights[:-1]:  # make two hidden layers reflections
        W[0] *= -1.0 if np.linalg.det(W) > 0 else 1.0
    assert all(np.linalg.det(W) < 0 for W in net.weights[:-1])
    oriented = orient(net)
    X = np.random.default_rng(0).uniform(-2, 2, (200, 2))
    np.testing.assert_allclose(oriented.forward(X), net.forward(X), atol=1e-12)
    assert all(np.linalg.det(W) > 0 for W in oriented.weights[:-1])


def test_polar_path_of_an_oriented_layer_never_flattens_while_linear_does():
    W = np.array([[0.2, 1.4], [1.1, -0.3]])  # det < 0: a reflection
    assert smallest_det_along(W, "linear") < 1e-2  # the straight blend crosses det = 0
    net = MLP((2, 2, 1), "tanh", "sigmoid").set_weights([W, np.ones((1, 2))],
                                                        [np.zeros(2), np.zeros(1)])
    Wo = orient(net).weights[0]
    assert smallest_det_along(Wo, "polar") >= 0.5 * min(1.0, abs(np.linalg.det(W)))


@pytest.mark.parametrize("scene", ["warp-layers", "spirals-untangled"])
def test_warp_scenes_animate_only_invertible_linear_stages(scene):
    from nnviz.spec import registry
    from nnviz.spec.store import TraceStore

    entry = registry.get(scene)
    cfg = entry.config_class()
    net = orient(TraceStore().load(cfg.traces()["main"]).net_at(1.0))
    assert cfg.path == "polar"
    for W in net.weights[:-1]:
        det = abs(np.linalg.det(W))
        assert smallest_det_along(W, cfg.path) >= 0.2 * min(1.0, det)
