"""Receptive fields (the input a neuron likes most) and the exact ReLU split."""

import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.core.network import MLP
from nnviz.explain.receptive import (
    corner_field,
    corners,
    neuron_z,
    receptive_field,
    receptive_fields,
)
from nnviz.explain.relu_split import split_relu


def _net(seed=1):
    net = MLP((4, 3, 3, 2), activation="tanh", seed=seed)
    rng = np.random.default_rng(seed)
    for b in net.biases:
        b[...] = rng.normal(0, 0.5, b.shape)
    return net, ["tanh", "tanh", "identity"]


def test_first_layer_field_is_the_sign_of_the_weights():
    net, acts = _net()
    rf = receptive_field(net.weights, net.biases, acts, 0, 1)
    w, b = net.weights[0][1], net.biases[0][1]
    np.testing.assert_array_equal(rf.best, np.where(w >= 0, 1.0, -1.0))
    np.testing.assert_array_equal(rf.worst, -rf.best)
    assert rf.best_z == pytest.approx(np.abs(w).sum() + b)
    assert rf.worst_z == pytest.approx(-np.abs(w).sum() + b)


def test_deep_field_beats_every_sampled_input():
    net, acts = _net(2)
    X = np.random.default_rng(0).uniform(-1, 1, (20000, 4))
    corners = np.array(np.meshgrid(*[[-1.0, 1.0]] * 4)).reshape(4, -1).T
    X = np.vstack([X, corners])
    for layer in (1, 2):
        z = neuron_z(net.weights, net.biases, acts, X, layer)
        for i in range(net.weights[layer].shape[0]):
            rf = receptive_field(net.weights, net.biases, acts, layer, i, grid=9)
            assert np.all(np.abs(rf.best) <= 1) and np.all(np.abs(rf.worst) <= 1)
            assert rf.best_z >= z[:, i].max() - 1e-9
            assert rf.worst_z <= z[:, i].min() + 1e-9
            again = neuron_z(net.weights, net.biases, acts, rf.best[None], layer)[0, i]
            assert again == pytest.approx(rf.best_z)


def test_relu_split_keeps_the_function_and_pairs_opposite_fields():
    net, acts = _net(3)
    W, b, acts2 = split_relu(net.weights, net.biases, acts, after=1)
    assert [w.shape for w in W] == [(3, 4), (3, 3), (6, 3), (2, 6)]
    assert acts2 == ["tanh", "tanh", "relu", "identity"]
    X = np.random.default_rng(1).uniform(-1, 1, (50, 4))
    np.testing.assert_allclose(neuron_z(W, b, acts2, X, 3), net.forward(X), atol=1e-12)
    fields = receptive_fields(W, b, acts2, grid=7)
    for i in range(3):
        h = receptive_field(net.weights, net.biases, acts, 1, i, grid=7)
        # the ReLU neurons read tanh(h_i) and -tanh(h_i): the field and its opposite
        assert fields[2][2 * i].best_z == pytest.approx(np.tanh(h.best_z), abs=1e-6)
        assert fields[2][2 * i + 1].best_z == pytest.approx(-np.tanh(h.worst_z), abs=1e-6)
    with pytest.raises(NNVizError):
        split_relu(net.weights, net.biases, acts, after=2)
    with pytest.raises(NNVizError):
        receptive_field(net.weights, net.biases, acts, 0, 7)


def test_corner_field_of_a_pixel_pair_ignores_the_other_pixels():
    W, b = [np.array([[1.1, 0.002, -1.1, 0.0]])], [np.array([-1.3])]
    f = corner_field(W, b, ["tanh"], 0, 0)
    np.testing.assert_array_equal(f.care, [True, False, True, False])
    assert [p.tolist() for p in f.patterns] == [[1.0, 0.0, -1.0, 0.0]]
    assert [p.tolist() for p in f.opposites] == [[-1.0, 0.0, 1.0, 0.0]]
    assert f.verdict(np.array([1, -1, -1, 1])) == "field"
    assert f.verdict(np.array([-1, 1, 1, 1])) == "opposite"
    assert f.verdict(np.array([1, 1, 1, 1])) == "between"
    assert corners(4).shape == (16, 4)


def test_a_neuron_that_asks_two_pixels_to_differ_has_two_pictures():
    """tanh(-2.5a - 2.5b - 2.5) with a = "x0 and x1 both white", b = "both black": it is
    largest when neither fires, i.e. when x0 and x1 differ, whichever is white."""
    W = [np.array([[3.0, 3.0, 0.0, 0.0], [-3.0, -3.0, 0.0, 0.0]]), np.array([[-2.5, -2.5]])]
    b = [np.array([-3.0, -3.0]), np.array([-2.5])]
    f = corner_field(W, b, ["tanh", "tanh"], 1, 0)
    np.testing.assert_array_equal(f.care, [True, True, False, False])
    assert sorted(p.tolist() for p in f.patterns) == [[-1, 1, 0, 0], [1, -1, 0, 0]]
    assert sorted(p.tolist() for p in f.opposites) == [[-1, -1, 0, 0], [1, 1, 0, 0]]
    with pytest.raises(NNVizError):
        corner_field(W, b, ["tanh", "tanh"], 1, 3)
