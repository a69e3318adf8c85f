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
    output_grid,
    output_threshold,
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


def contour_by_dicts(xs: np.ndarray, ys: np.ndarray, values: np.ndarray,
            level: float) -> list[np.ndarray]:
    """contour as it was first written (dicts of edge tuples, one cell at a time): the
    reference the vectorised one must equal, point for point and chain for chain."""
    v = np.asarray(values, dtype=float) - level
    ny, nx = v.shape
    above = v > 0

    def crossing(j0: int, i0: int, j1: int, i1: int) -> np.ndarray:
        a, b = v[j0, i0], v[j1, i1]
        t = a / (a - b)
        return np.array([xs[i0] + t * (xs[i1] - xs[i0]), ys[j0] + t * (ys[j1] - ys[j0])])

    # edges are keyed ('h', j, i): (j,i)-(j,i+1); ('v', j, i): (j,i)-(j+1,i)
    neighbours: dict[tuple, list[tuple]] = {}
    points: dict[tuple, np.ndarray] = {}

    def link(e1: tuple, e2: tuple) -> None:
        neighbours.setdefault(e1, []).append(e2)
        neighbours.setdefault(e2, []).append(e1)

    corners = above[:-1, :-1] * 1 + above[:-1, 1:] * 2 + above[1:, 1:] * 4 + above[1:, :-1] * 8
    for j, i in zip(*np.nonzero((corners != 0) & (corners != 15)), strict=True):
        bottom, right, top, left = ("h", j, i), ("v", j, i + 1), ("h", j + 1, i), ("v", j, i)
        edges = [e for e, crossed in (
            (bottom, above[j, i] != above[j, i + 1]),
            (right, above[j, i + 1] != above[j + 1, i + 1]),
            (top, above[j + 1, i] != above[j + 1, i + 1]),
            (left, above[j, i] != above[j + 1, i]),
        ) if crossed]
        for e in edges:
            if e not in points:
                kind, jj, ii = e
                points[e] = crossing(jj, ii, jj, ii + 1) if kind == "h" else crossing(
                    jj, ii, jj + 1, ii)
        if len(edges) == 2:
            link(*edges)
        else:  # saddle: decide by the centre value
            centre = v[j : j + 2, i : i + 2].mean() > 0
            if centre == above[j, i]:
                link(bottom, right)
                link(top, left)
            else:
                link(bottom, left)
                link(top, right)
    # walk the chains: open ones from their ends first, then closed loops
    seen: set[tuple] = set()
    lines = []
    starts = [e for e, nb in neighbours.items() if len(nb) == 1] + list(neighbours)
    for start in starts:
        if start in seen:
            continue
        chain, prev, cur = [start], None, start
        seen.add(start)
        while True:
            nxt = [e for e in neighbours[cur] if e != prev and e not in seen]
            if not nxt:
                if len(chain) > 2 and start in neighbours[cur] and prev is not None:
                    chain.append(start)  # closed loop
                break
            prev, cur = cur, nxt[0]
            seen.add(cur)
            chain.append(cur)
        if len(chain) >= 2:
            lines.append(np.array([points[e] for e in chain]))
    return lines



def fields() -> list[tuple[np.ndarray, np.ndarray, np.ndarray, float]]:
    """Fields with open curves, closed loops, many pieces, saddles (a checkerboard of
    signs), values exactly on the level, a constant field and a trained network's output."""
    rng = np.random.default_rng(7)
    xs, ys = np.linspace(-1.2, 1.2, 90), np.linspace(-1.0, 1.3, 70)
    gx, gy = np.meshgrid(xs, ys)
    out = [(xs, ys, gx**2 + gy**2, 0.25), (xs, ys, gx + 0.1 * gy, 0.2),
           (xs, ys, np.sin(5 * gx) * np.cos(4 * gy), 0.0),
           (xs, ys, np.sin(5 * gx) * np.cos(4 * gy), 0.3),
           (xs[:9], ys[:9], rng.choice([-1.0, 0.0, 1.0], size=(9, 9)), 0.0),
           (xs[:6], ys[:5], (np.indices((5, 6)).sum(axis=0) % 2) * 2.0 - 1.0, 0.0),
           (xs, ys, np.ones_like(gx), 0.5), (xs, ys, rng.normal(size=gx.shape), 0.0)]
    return out


def test_contour_equals_the_first_marching_squares():
    for xs, ys, values, level in fields():
        new, old = contour(xs, ys, values, level), contour_by_dicts(xs, ys, values, level)
        assert len(new) == len(old)
        for a, b in zip(new, old, strict=True):
            np.testing.assert_array_equal(a, b)
    net = MLP((2, 3, 3, 1), "tanh", "sigmoid", seed=4)
    xs, ys, values = output_grid(net, (-1.2, 1.2), (-1.2, 1.2), 90)
    level = output_threshold(net)
    for a, b in zip(contour(xs, ys, values, level), contour_by_dicts(xs, ys, values, level),
                    strict=True):
        np.testing.assert_array_equal(a, b)


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


def test_refined_boundary_maps_onto_the_output_line_and_covers_the_boundary():
    from nnviz.explain.warp import decision_boundary, hidden_outputs, refine_boundary

    data = datasets.load("spirals", n=120, turns=1.0, seed=1)
    net = MLP((2, 2, 2, 2, 1), "tanh", "sigmoid", seed=1)
    train(net, data, "adam", steps=1500, lr=0.05)
    lim, n = (-2.0, 2.0), 200
    coarse = decision_boundary(net, lim, lim, n=n)
    fine = refine_boundary(net, coarse, step=3 * 4.0 / (n - 1))
    assert fine
    w, b = net.weights[-1][0], float(net.biases[-1][0])
    for c in fine:
        np.testing.assert_allclose(hidden_outputs(net, c)[-1] @ w + b, 0.0, atol=1e-9)
    # nothing of the boundary is lost: every coarse point has a refined one nearby
    assert distance_to_curves(np.concatenate(coarse), fine).max() < 3 * 4.0 / (n - 1)
