"""Backpropagation against finite differences, and the worked example E = w^2."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.gradcheck import (
    central_difference,
    max_relative_error,
    numeric_grads,
    numeric_weight_grad,
)
from nnviz.core.network import MLP, Grads


def test_central_difference_of_a_known_function():
    f = lambda x: float(np.sum(x**3))  # noqa: E731
    x = np.array([1.0, -2.0, 0.5])
    assert np.allclose(central_difference(f, x), 3 * x**2, atol=1e-6)


def test_e_equals_w_squared_has_slope_minus_two_at_minus_one():
    net = MLP((1, 1), activation="identity", output_activation="identity")
    net.set_weights([np.array([[-1.0]])], [np.array([0.0])])
    X, Y = np.array([[1.0]]), np.array([[0.0]])
    err, g = net.loss_and_grads(X, Y)
    assert err == pytest.approx(1.0)
    assert g.weights[0][0, 0] == pytest.approx(-2.0)
    assert numeric_weight_grad(net, X, Y, 0, 0, 0) == pytest.approx(-2.0, abs=1e-8)


@pytest.mark.parametrize("act,out,loss", [
    ("tanh", "sigmoid", "binary_cross_entropy"),
    ("sigmoid", "sigmoid", "squared_error"),
    ("relu", "identity", "softmax_cross_entropy"),
    ("tanh", "identity", "squared_error"),
])
def test_backprop_matches_finite_differences(act, out, loss):
    rng = np.random.default_rng(3)
    net = MLP((3, 4, 2), act, out, seed=1)
    for b in net.biases:
        b[...] = rng.normal(0, 0.3, b.shape)  # keep ReLU away from its kink
    X = rng.normal(size=(7, 3))
    Y = np.eye(2)[rng.integers(0, 2, 7)]
    _, g = net.loss_and_grads(X, Y, loss)
    n = numeric_grads(net, X, Y, loss)
    assert max_relative_error(g, n) < 1e-5


def test_a_wrong_gradient_is_caught():
    net = MLP((2, 3, 1), "tanh", "sigmoid", seed=0)
    X = np.array([[0.3, -0.4], [0.9, 0.1]])
    Y = np.array([[1.0], [0.0]])
    _, g = net.loss_and_grads(X, Y)
    wrong = Grads([w.copy() for w in g.weights], [b.copy() for b in g.biases])
    wrong.weights[0][1, 0] *= 1.1
    assert max_relative_error(wrong, numeric_grads(net, X, Y)) > 0.05
