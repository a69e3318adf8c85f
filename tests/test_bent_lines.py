"""Bent lines add up to the network's forward pass."""

import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.core.network import MLP
from nnviz.explain.bent_lines import bends, bent_lines, partial_sums


def test_sum_of_bent_lines_is_the_forward_pass():
    net = MLP((1, 7, 1), "relu", "identity", seed=3)
    net.biases[0][:] = np.linspace(-0.5, 0.5, 7)
    net.biases[1][:] = 0.25
    x = np.linspace(-2, 2, 301)
    sums = partial_sums(net.weights, net.biases, x)
    assert sums.shape == (8, 301)
    np.testing.assert_allclose(sums[-1], net.forward(x[:, None])[:, 0], atol=1e-12)
    np.testing.assert_allclose(sums[0], 0.25)


def test_one_bent_line_by_hand():
    W = [np.array([[2.0]]), np.array([[-3.0]])]
    B = [np.array([-1.0]), np.array([0.0])]
    # -3 * max(0, 2x - 1): zero left of the bend at x = 1/2, slope -6 right of it
    np.testing.assert_allclose(bent_lines(W, B, [0.0, 0.5, 1.0])[0], [0.0, 0.0, -3.0])
    assert bends(W, B)[0] == pytest.approx(0.5)


def test_deep_network_is_refused():
    net = MLP((1, 3, 3, 1), "relu")
    with pytest.raises(NNVizError):
        bent_lines(net.weights, net.biases, [0.0])
