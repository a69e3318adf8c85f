"""nnviz.explain.homeo and nnviz.explain.separable: a layer's warp stays a homeomorphism
all the way, a tear does not, and the best line / best cut are what exhaustive search says."""

from __future__ import annotations

import numpy as np

from nnviz.explain.homeo import jacobian_dets, layer_homotopy, neighbour_gap, tear
from nnviz.explain.separable import best_cut_accuracy, best_line_accuracy

W = np.array([[2.0, -1.0], [0.5, 3.0]])
B = np.array([0.3, -0.2])


def test_the_homotopy_runs_from_the_identity_to_the_layer():
    pts = np.random.default_rng(0).uniform(-1, 1, (50, 2))
    np.testing.assert_allclose(layer_homotopy(pts, W, B, 0.0), pts)
    np.testing.assert_allclose(layer_homotopy(pts, W, B, 1.0), np.tanh(pts @ W.T + B))


def test_the_homotopy_never_folds_and_its_jacobian_is_right():
    pts = np.random.default_rng(1).uniform(-1.2, 1.2, (200, 2))
    for s in np.linspace(0, 1, 21):
        assert jacobian_dets(W, B, pts, s).min() > 0
    # finite differences at one time
    s, h, p = 0.6, 1e-6, pts[:5]
    cols = [(layer_homotopy(p + h * e, W, B, s) - layer_homotopy(p - h * e, W, B, s)) / (2 * h)
            for e in np.eye(2)]
    J = np.stack(cols, axis=-1)
    np.testing.assert_allclose(np.linalg.det(J), jacobian_dets(W, B, p, s), rtol=1e-5)


def test_a_tear_separates_neighbours_a_warp_does_not():
    pair = np.array([[-0.01, 0.2], [0.01, 0.2]])
    assert neighbour_gap(pair, tear(pair, 1.0)) > 20
    assert neighbour_gap(pair, layer_homotopy(pair, W, B, 1.0)) < 5


def test_best_line_and_best_cut():
    X = np.array([[0, 0], [1, 0], [0, 1], [1, 1], [0.5, 0.5]], dtype=float)
    y = np.array([0, 1, 1, 0, 0])  # xor-like: no line gets all five
    assert best_line_accuracy(X, y) == 0.8
    assert best_line_accuracy(X[:2], y[:2]) == 1.0
    x = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    acc, cut = best_cut_accuracy(x, np.array([0, 0, 1, 1, 0]))
    assert acc == 0.8 and -0.5 < cut < 0.0
