"""Exact linear-piece counts of 1-in, 1-out ReLU networks, on nets whose pieces we know."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import MLP, NNVizError, breakpoints, count_linear_pieces, linear_pieces


def relu_net(layers: list[tuple[list, list]]) -> MLP:
    """A ReLU net with identity output from explicit (W, b) per layer."""
    sizes = [np.asarray(layers[0][0]).shape[1]] + [np.asarray(W).shape[0] for W, _ in layers]
    net = MLP(sizes, activation="relu", output_activation="identity")
    return net.set_weights([np.asarray(W, float) for W, _ in layers],
                           [np.asarray(b, float) for _, b in layers])


def tent_net(depth: int) -> MLP:
    """depth tent maps t(x) = 2 relu(x) - 4 relu(x - 1/2) composed: 2^depth pieces on [0, 1]."""
    first = ([[1.0], [1.0]], [0.0, -0.5])
    middle = ([[2.0, -4.0], [2.0, -4.0]], [0.0, -0.5])
    last = ([[2.0, -4.0]], [0.0])
    return relu_net([first] + [middle] * (depth - 1) + [last])


def test_single_neuron_is_one_bent_line():
    net = relu_net([([[1.0]], [-0.2]), ([[1.5]], [0.1])])
    assert count_linear_pieces(net, -1.0, 1.0) == 2
    assert breakpoints(net, -1.0, 1.0) == pytest.approx([0.2])
    p = linear_pieces(net, -1.0, 1.0)
    assert p.slopes == pytest.approx([0.0, 1.5])
    assert p.intercepts == pytest.approx([0.1, 0.1 - 0.3])


def test_bend_outside_the_interval_adds_no_piece():
    net = relu_net([([[1.0]], [-0.2]), ([[1.5]], [0.1])])
    assert count_linear_pieces(net, 0.5, 1.0) == 1
    assert count_linear_pieces(net, -1.0, 0.0) == 1
    assert breakpoints(net, 0.5, 1.0).size == 0


def test_sum_of_two_bent_lines_has_three_pieces():
    net = relu_net([([[1.0], [-1.0]], [0.5, 0.5]), ([[1.0, 2.0]], [0.0])])
    assert count_linear_pieces(net, -2.0, 2.0) == 3
    assert breakpoints(net, -2.0, 2.0) == pytest.approx([-0.5, 0.5])


def test_two_bends_that_cancel_leave_one_line():
    """relu(x) - relu(-x) = x: two neurons, but no bend in the output."""
    net = relu_net([([[1.0], [-1.0]], [0.0, 0.0]), ([[1.0, -1.0]], [0.0])])
    assert count_linear_pieces(net, -1.0, 1.0) == 1


def test_dead_neuron_adds_no_piece():
    # second neuron: z = 0 x - 1 < 0 everywhere, so it never fires
    net = relu_net([([[1.0], [0.0]], [0.0, -1.0]), ([[1.0, 5.0]], [0.0])])
    assert count_linear_pieces(net, -1.0, 1.0) == 2
    # a live neuron whose outgoing weight is 0 bends nothing either
    net = relu_net([([[1.0], [1.0]], [0.0, -0.5]), ([[1.0, 0.0]], [0.0])])
    assert count_linear_pieces(net, -1.0, 1.0) == 2


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 6, 8])
def test_depth_doubles_pieces_of_the_tent_map(depth):
    net = tent_net(depth)
    assert count_linear_pieces(net, 0.0, 1.0) == 2**depth
    # width 2 per layer, yet 2^depth pieces: the bends sit at k / 2^depth
    inner = np.arange(1, 2**depth) / 2**depth
    assert breakpoints(net, 0.0, 1.0) == pytest.approx(inner)


def _sampled_kinks(net: MLP, lo: float, hi: float, n: int = 200_001) -> np.ndarray:
    """Kinks located by sampling: grid cells where the slope changes."""
    x = np.linspace(lo, hi, n)
    y = net.forward(x[:, None])[:, 0]
    slope = np.diff(y) / np.diff(x)
    change = np.abs(np.diff(slope)) > 1e-6 * max(1.0, float(np.abs(slope).max()))
    idx = np.flatnonzero(change)
    # a kink strictly inside a cell makes two neighbouring changes; merge runs
    if idx.size:
        idx = idx[np.concatenate([[True], np.diff(idx) > 2])]
    return x[idx + 1]


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("sizes", [(1, 4, 1), (1, 6, 5, 1), (1, 3, 3, 3, 1)])
def test_random_nets_agree_with_dense_sampling(sizes, seed):
    net = MLP(sizes, activation="relu", output_activation="identity", seed=seed)
    rng = np.random.default_rng(seed + 1000)  # not the stream the weights came from
    for b in net.biases:
        b[...] = rng.normal(0.0, 0.5, b.shape)
    lo, hi = -2.0, 2.0
    p = linear_pieces(net, lo, hi)
    # the pieces ARE the network: evaluate them and compare with the forward pass
    x = np.linspace(lo, hi, 5001)
    k = np.clip(np.searchsorted(p.edges, x, side="right") - 1, 0, len(p) - 1)
    assert p.slopes[k] * x + p.intercepts[k] == pytest.approx(net.forward(x[:, None])[:, 0],
                                                              abs=1e-9)
    # and sampling finds the same bends where they are not too close together
    exact = breakpoints(net, lo, hi)
    sampled = _sampled_kinks(net, lo, hi)
    if exact.size < 2 or np.diff(exact).min() > 1e-3:
        assert sampled.size == exact.size
        assert sampled == pytest.approx(exact, abs=1e-4)
    # neighbouring pieces really differ
    assert np.all((np.abs(np.diff(p.slopes)) > 1e-12) | (np.abs(np.diff(p.intercepts)) > 1e-12))


def test_piece_counting_rejects_nets_it_cannot_count():
    with pytest.raises(NNVizError, match="1 input and 1 output"):
        count_linear_pieces(MLP((2, 3, 1), activation="relu"), 0, 1)
    with pytest.raises(NNVizError, match="ReLU"):
        count_linear_pieces(MLP((1, 3, 1), activation="tanh"), 0, 1)
    with pytest.raises(NNVizError, match="lo < hi"):
        count_linear_pieces(MLP((1, 3, 1), activation="relu"), 1, 1)
