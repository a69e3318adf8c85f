"""Recorded loss and accuracy: the float32 evaluation of every record against plain float64."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import MLP, train
from nnviz.core import datasets
from nnviz.core.evaluation import _fast_applies, evaluate


def _float64(net: MLP, W: list[np.ndarray], b: list[np.ndarray], data, loss: str):
    """Loss and accuracy of one record, computed the plain float64 way."""
    probe = net.copy().set_weights(W, b)
    return probe.loss(data.X, data.targets(probe), loss), data.accuracy(probe)


def _check_trace(trace, net: MLP, data, test=None) -> None:
    loss = trace.meta["loss"]
    for i in range(trace.n_records):
        value, acc = _float64(net, *trace.record(i), data, loss)
        assert trace.loss[i] == pytest.approx(value, rel=1e-6, abs=1e-12)
        assert trace.accuracy[i] == acc
        if test is not None:
            value, acc = _float64(net, *trace.record(i), test, loss)
            assert trace.test_loss[i] == pytest.approx(value, rel=1e-6, abs=1e-12)
            assert trace.test_accuracy[i] == acc


def test_digits_every_epoch_matches_float64_loss_and_accuracy():
    data, held = datasets.load("digits").split(0.25, seed=0)
    net = MLP((64, 16, 16, 10), "sigmoid", "identity", seed=0)
    assert _fast_applies(net, data.targets(net), data.y, "softmax_cross_entropy")
    trace = train(net, data, "adam", steps=25, record=1, test=held, lr=0.01, batch_size=32)
    assert trace.loss[-1] < 0.5 * trace.loss[0]  # it trained: the records differ
    _check_trace(trace, net, data, held)


def test_a_small_loss_keeps_its_digits():
    """Every sample confidently right: the loss is small, and still right to 1e-6."""
    data = datasets.load("digits")
    net = MLP((64, 16, 16, 10), "sigmoid", "identity", seed=0)
    train(net, data, "adam", steps=25, record=25, lr=0.01, batch_size=32)
    right = net.predict(data.X) == data.y
    data.X, data.y = data.X[right], data.y[right]
    net.weights[-1] *= 4.0
    net.biases[-1] *= 4.0
    W = [w[None] for w in net.weights]
    b = [v[None] for v in net.biases]
    loss, acc = evaluate(net, W, b, data.X, data.targets(net), data.y, "softmax_cross_entropy")
    want = net.loss(data.X, data.targets(net), "softmax_cross_entropy")
    assert want < 0.01
    assert loss[0] == pytest.approx(want, rel=1e-6)
    assert acc[0] == 1.0


@pytest.mark.parametrize("activation", ["tanh", "relu", "identity", "sigmoid"])
def test_binary_sigmoid_bce_matches_float64(activation):
    data = datasets.load("two_curves", n=120, seed=1)
    net = MLP((2, 6, 5, 1), activation, "sigmoid", seed=1)
    assert _fast_applies(net, data.targets(net), data.y, "binary_cross_entropy")
    trace = train(net, data, "adam", steps=30, record=3, lr=0.05)
    _check_trace(trace, net, data)


def test_softmax_without_hidden_layers_and_a_class_with_no_samples():
    data = datasets.load("four_pixel", seed=0)
    keep = data.y < 3  # the fourth class is absent; the net still has four outputs
    data.X, data.y = data.X[keep], data.y[keep]
    net = MLP((4, 4), "tanh", "identity", seed=0)
    trace = train(net, data, "sgd", steps=10, record=2, lr=0.5)
    _check_trace(trace, net, data)


def test_ties_are_decided_like_argmax():
    """All logits equal: argmax says class 0 for every sample, so does the recording."""
    data = datasets.load("digits")
    net = MLP((64, 16, 10), "relu", "identity", seed=0)
    W = [np.zeros((1,) + w.shape) for w in net.weights]
    b = [np.zeros((1,) + v.shape) for v in net.biases]
    loss, acc = evaluate(net, W, b, data.X, data.targets(net), data.y, "softmax_cross_entropy")
    assert acc[0] == np.mean(data.y == 0)
    assert loss[0] == pytest.approx(np.log(10.0), rel=1e-7)


def test_huge_logits_fall_back_to_float64():
    """Margins beyond what e^d holds in float32 are evaluated the plain way, exactly."""
    data = datasets.load("digits")
    net = MLP((64, 16, 10), "tanh", "identity", seed=3)
    net.weights[1] *= 400.0  # logits of several hundred
    W = [w[None] for w in net.weights]
    b = [v[None] for v in net.biases]
    loss, acc = evaluate(net, W, b, data.X, data.targets(net), data.y, "softmax_cross_entropy")
    assert loss[0] > 100.0
    assert loss[0] == net.loss(data.X, data.targets(net), "softmax_cross_entropy")
    assert acc[0] == data.accuracy(net)


def test_other_losses_stay_plain_float64():
    data = datasets.load("curve_1d", n=30, seed=0)
    net = MLP((1, 8, 1), "relu", "identity", seed=0)
    assert not _fast_applies(net, data.targets(net), None, "squared_error")
    trace = train(net, data, "adam", steps=20, record=5, lr=0.05)
    for i in range(trace.n_records):
        probe = net.copy().set_weights(*trace.record(i))
        assert trace.loss[i] == probe.loss(data.X, data.targets(probe), "squared_error")
    assert np.all(np.isnan(trace.accuracy))


def test_evaluate_leaves_the_network_alone():
    data = datasets.load("xor", n=40, seed=0)
    net = MLP((2, 3, 1), "tanh", "sigmoid", seed=0)
    before = [w.copy() for w in net.weights]
    W = [np.stack([w, 2 * w]) for w in net.weights]
    b = [np.stack([v, v + 1]) for v in net.biases]
    evaluate(net, W, b, data.X, data.targets(net), data.y, "binary_cross_entropy")
    for w, w0 in zip(net.weights, before, strict=True):
        np.testing.assert_array_equal(w, w0)
