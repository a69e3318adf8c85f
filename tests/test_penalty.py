"""The L1 penalty: its value, its slope against finite differences, and what it does to
training (fewer, larger weights), seeded like every run."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import MLP, NNVizError, make_trainer, train
from nnviz.core import datasets
from nnviz.core.gradcheck import central_difference
from nnviz.core.penalty import add_l1_slope, l1_penalty


def _net_and_data():
    data = datasets.load("four_pixel", n=8)
    net = MLP((4, 3, 4), activation="tanh", seed=1)
    return net, data.X, data.targets(net)


def test_penalty_is_l1_times_the_sum_of_absolute_weights_and_spares_the_biases():
    net, _, _ = _net_and_data()
    net.biases[0][...] = 5.0
    total = sum(np.abs(W).sum() for W in net.weights)
    assert l1_penalty(net.weights, 0.01) == pytest.approx(0.01 * total)
    assert l1_penalty(net.weights, 0.0) == 0.0


@pytest.mark.parametrize("trainer", ["sgd", "adam"])
def test_the_slope_a_trainer_follows_is_that_of_loss_plus_penalty(trainer):
    """One full-batch sgd step moves the parameters by -lr * slope; that slope must be the
    finite-difference slope of E + l1 * sum |w| (no weight sits at the kink w = 0)."""
    net, X, Y = _net_and_data()
    l1, lr = 0.05, 1e-3
    loss = "softmax_cross_entropy"

    def objective(flat):
        probe = net.copy()
        probe.set_params(flat)
        return probe.loss(X, Y, loss) + l1_penalty(probe.weights, l1)

    before = net.get_params()
    numeric = central_difference(objective, before)
    moved = net.copy()
    make_trainer("sgd", lr=lr, l1=l1).run(moved, X, Y, loss, 1, np.random.default_rng(0),
                                          lambda step: True)
    followed = (before - moved.get_params()) / lr
    np.testing.assert_allclose(followed, numeric, rtol=1e-5, atol=1e-8)
    # the same slope from the two building blocks
    _, grads = net.loss_and_grads(X, Y, loss)
    add_l1_slope(net.weights, grads.weights, l1)
    np.testing.assert_allclose(net.flat_grads(grads), numeric, rtol=1e-5, atol=1e-8)
    if trainer == "adam":  # adam reads the same slope: its first step is -lr * sign(slope)
        moved = net.copy()
        make_trainer("adam", lr=lr, l1=l1).run(moved, X, Y, loss, 1,
                                               np.random.default_rng(0), lambda step: True)
        step = before - moved.get_params()
        np.testing.assert_allclose(np.sign(step[np.abs(numeric) > 1e-6]),
                                   np.sign(numeric[np.abs(numeric) > 1e-6]))


def test_lbfgs_and_nudge_minimise_the_penalised_loss_too():
    net, X, Y = _net_and_data()
    loss = "softmax_cross_entropy"
    for name, kw in (("lbfgs", {}), ("nudge", {"step": 0.05})):
        probe = net.copy()
        start = probe.loss(X, Y, loss) + l1_penalty(probe.weights, 0.05)
        make_trainer(name, l1=0.05, **kw).run(probe, X, Y, loss, 5, np.random.default_rng(0),
                                              lambda step: True)
        assert probe.loss(X, Y, loss) + l1_penalty(probe.weights, 0.05) < start


def test_l1_makes_the_four_pixel_network_sparse_and_stays_seeded():
    data = datasets.load("four_pixel", n=80)

    def run(l1):
        net = MLP((4, 4, 4, 4), activation="tanh", seed=3)
        trace = train(net, data, "adam", steps=2000, lr=0.01, l1=l1, seed=3)
        return trace, net

    plain, net0 = run(0.0)
    sparse, net1 = run(0.003)
    again, _ = run(0.003)
    np.testing.assert_array_equal(sparse.weights[0], again.weights[0])
    assert sparse.meta["trainer_params"]["l1"] == 0.003
    assert sparse.final_accuracy == 1.0

    def small(net):  # share of first-layer weights under a tenth of their neuron's largest
        W = np.abs(net.weights[0])
        return float((0.1 * W.max(axis=1, keepdims=True) > W).mean())

    assert small(net1) >= 0.5 > small(net0)
    with pytest.raises(NNVizError, match="l1"):
        make_trainer("adam", l1=-0.1)
