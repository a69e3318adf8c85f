"""Backpropagation against finite differences, and the worked examples of the videos."""

from __future__ import annotations

import itertools
import zlib

import numpy as np
import pytest
from scipy.optimize import approx_fprime

from nnviz import ACTIVATIONS, LOSSES, MLP

HIDDEN = sorted(ACTIVATIONS)
ARCHITECTURES = [(1, 1), (2, 3, 2), (3, 4, 5, 2), (4, 2, 3, 3, 1)]


def _valid_outputs(loss: str) -> list[str]:
    if loss == "softmax_cross_entropy":
        return ["identity"]
    if loss == "binary_cross_entropy":
        return ["sigmoid"]
    return sorted(ACTIVATIONS)


COMBOS = [
    (hidden, out, loss)
    for loss in sorted(LOSSES)
    for hidden, out in itertools.product(HIDDEN, _valid_outputs(loss))
]


def _problem(sizes, loss: str, seed: int):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, (7, sizes[0]))
    n_out = sizes[-1]
    if loss == "softmax_cross_entropy":
        Y = np.eye(n_out)[rng.integers(0, n_out, 7)]
    elif loss == "binary_cross_entropy":
        Y = rng.uniform(0.0, 1.0, (7, n_out))  # soft targets exercise the whole formula
    else:
        Y = rng.normal(0.0, 1.0, (7, n_out))
    return X, Y


def _numeric_grad(net: MLP, X, Y, loss: str) -> np.ndarray:
    theta = net.get_params()

    def f(p: np.ndarray) -> float:
        net.set_params(p)
        return net.loss(X, Y, loss)

    g = approx_fprime(theta, f, 1e-6)
    net.set_params(theta)
    # central differences where scipy's forward differences are too coarse
    central = np.empty_like(theta)
    for i in range(theta.size):
        e = np.zeros_like(theta)
        e[i] = 1e-6
        central[i] = (f(theta + e) - f(theta - e)) / 2e-6
    net.set_params(theta)
    assert np.allclose(g, central, rtol=1e-3, atol=1e-4)
    return central


@pytest.mark.parametrize(("hidden", "out", "loss"), COMBOS)
@pytest.mark.parametrize("sizes", ARCHITECTURES, ids=lambda s: "-".join(map(str, s)))
def test_backprop_matches_finite_differences(sizes, hidden, out, loss):
    if loss == "softmax_cross_entropy" and sizes[-1] == 1:
        sizes = (*sizes[:-1], 3)  # softmax over one output is constant
    seed = zlib.crc32(repr((sizes, hidden, out, loss)).encode())
    net = MLP(sizes, activation=hidden, output_activation=out, seed=seed % 1000)
    # move biases away from 0 so no ReLU sits exactly on its kink
    rng = np.random.default_rng(seed)
    for b in net.biases:
        b[...] = rng.normal(0.0, 0.5, b.shape)
    X, Y = _problem(sizes, loss, seed)
    value, grads = net.loss_and_grads(X, Y, loss)
    assert value == pytest.approx(net.loss(X, Y, loss))
    for W, gW, b, gb in zip(net.weights, grads.weights, net.biases, grads.biases, strict=True):
        assert gW.shape == W.shape and gb.shape == b.shape
    analytic = net.flat_grads(grads)
    numeric = _numeric_grad(net, X, Y, loss)
    assert np.allclose(analytic, numeric, rtol=1e-4, atol=1e-6), np.abs(analytic - numeric).max()


def test_check_grad_on_a_deep_net():
    """scipy.optimize.check_grad agrees on a deeper net with mixed widths."""
    from scipy.optimize import check_grad

    net = MLP((3, 6, 5, 4, 2), activation="tanh", output_activation="sigmoid", seed=3)
    X, Y = _problem(net.sizes, "binary_cross_entropy", 3)

    def f(p):
        net.set_params(p)
        return net.loss(X, Y, "binary_cross_entropy")

    def g(p):
        net.set_params(p)
        return net.flat_grads(net.loss_and_grads(X, Y, "binary_cross_entropy")[1])

    theta = net.get_params()
    err = check_grad(f, g, theta, epsilon=1e-7)
    assert err < 1e-5 * max(1.0, float(np.linalg.norm(g(theta))))


def test_bce_gradient_survives_a_saturated_sigmoid():
    """A confidently wrong sigmoid output still gets the gradient (a - y), not 0."""
    net = MLP((1, 1), activation="tanh", output_activation="sigmoid", seed=0)
    net.weights[0][...] = 50.0  # z = 50: sigmoid is 1.0 in floating point
    net.biases[0][...] = 0.0
    value, grads = net.loss_and_grads(np.array([[1.0]]), np.array([[0.0]]), "binary_cross_entropy")
    assert value == pytest.approx(50.0)  # -log(1 - sigmoid(50)) = log(1 + e^50), about 50
    assert grads.weights[0][0, 0] == pytest.approx(1.0, rel=1e-6)


def test_softmax_ce_needs_identity_output():
    from nnviz import NNVizError

    net = MLP((2, 3), output_activation="sigmoid")
    with pytest.raises(NNVizError, match="identity"):
        net.loss_and_grads(np.zeros((1, 2)), np.eye(3)[:1], "softmax_cross_entropy")


# -- worked examples -------------------------------------------------------------------


def test_slope_of_w_squared_at_minus_one_is_minus_two():
    """E = w^2: a 1-1 identity net y = w x, x = 1, target 0, squared error -> E = w^2."""
    net = MLP((1, 1), activation="identity", output_activation="identity")
    net.weights[0][...] = -1.0
    net.biases[0][...] = 0.0
    value, grads = net.loss_and_grads(np.array([[1.0]]), np.array([[0.0]]), "squared_error")
    assert value == pytest.approx(1.0)  # (-1)^2
    assert grads.weights[0][0, 0] == pytest.approx(-2.0)  # dE/dw = 2w = -2
    assert grads.biases[0][0] == pytest.approx(-2.0)


@pytest.mark.parametrize(("x", "w1", "w2"), [(1.5, 0.7, -2.0), (-3.0, 2.0, 0.25), (2.0, -1.0, 4.0)])
def test_chain_rule_y_times_w2(x, w1, w2):
    """y = x w1 and E = y w2, so dE/dw1 = x w2 (and dE/dw2 = y).

    A 1-1-1 identity net with zero biases computes out = w2 (w1 x); the absolute error
    against a target far below keeps |out - target| = out - target, so dE/dout = 1 and
    E equals y w2 up to a constant.
    """
    net = MLP((1, 1, 1), activation="identity", output_activation="identity")
    net.weights[0][...] = w1
    net.weights[1][...] = w2
    for b in net.biases:
        b[...] = 0.0
    target = -1e6  # out - target > 0 for these values, so E = out - target
    value, grads = net.loss_and_grads(np.array([[x]]), np.array([[target]]), "absolute_error")
    y = x * w1
    assert value == pytest.approx(y * w2 - target)
    assert grads.weights[0][0, 0] == pytest.approx(x * w2)
    assert grads.weights[1][0, 0] == pytest.approx(y)


def test_784_16_16_10_has_13002_parameters():
    net = MLP((784, 16, 16, 10), activation="sigmoid")
    assert net.n_params == 13_002
    assert net.get_params().size == 13_002
    assert [w.shape for w in net.weights] == [(16, 784), (16, 16), (10, 16)]
    assert [b.shape for b in net.biases] == [(16,), (16,), (10,)]
