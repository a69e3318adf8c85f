"""The sawtooth network reaches exactly 2^L pieces and computes the tent map L times."""

import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.explain.pieces import breakpoints, count_linear_pieces
from nnviz.explain.sawtooth import sawtooth_network, tent_power


@pytest.mark.parametrize("depth", range(1, 8))
def test_sawtooth_has_two_to_the_depth_pieces(depth):
    net = sawtooth_network(depth)
    assert net.sizes == (1,) + (2,) * depth + (1,)
    assert count_linear_pieces(net, 0.0, 1.0) == 2**depth
    # the bends sit at the multiples of 2^-L, as the folding picture says
    expected = np.arange(1, 2**depth) / 2**depth
    np.testing.assert_allclose(breakpoints(net, 0.0, 1.0), expected, atol=1e-12)


@pytest.mark.parametrize("depth", [1, 3, 6])
def test_sawtooth_is_the_tent_map_composed(depth):
    x = np.linspace(0.0, 1.0, 997)
    np.testing.assert_allclose(sawtooth_network(depth).forward(x[:, None])[:, 0],
                               tent_power(x, depth), atol=1e-12)


@pytest.mark.parametrize("depth", [1, 4])
def test_sawtooth_on_another_interval(depth):
    net = sawtooth_network(depth, -1.0, 1.0)
    assert count_linear_pieces(net, -1.0, 1.0) == 2**depth
    x = np.linspace(-1.0, 1.0, 501)
    np.testing.assert_allclose(net.forward(x[:, None])[:, 0], tent_power((x + 1) / 2, depth),
                               atol=1e-12)


def test_sawtooth_needs_a_layer():
    with pytest.raises(NNVizError):
        sawtooth_network(0)
