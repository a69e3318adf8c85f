"""FunctionGraph draws the network exactly; its bent lines add up to the output."""

import numpy as np
import pytest
from manim import Axes

from nnviz.core.network import MLP
from nnviz.draw.mobjects.function_graph import FunctionGraph, clipped_polyline
from nnviz.draw.mobjects.piece_counter import PieceCounter
from nnviz.explain.pieces import count_linear_pieces


def _axes(y=(-3, 3)):
    return Axes(x_range=[-1, 1, 0.5], y_range=[y[0], y[1], 1], x_length=6, y_length=4)


def _net(seed=1, width=6):
    net = MLP((1, width, 1), "relu", "identity", seed=seed)
    net.biases[0][:] = np.linspace(-0.8, 0.8, width) * np.sign(net.weights[0][:, 0])
    net.biases[1][:] = 0.1
    return net


def _data_points(axes, mob):
    """The drawn anchor points back in data coordinates."""
    return np.array([axes.p2c(p) for p in mob.get_anchors()])


def test_graph_corners_lie_on_the_network():
    axes, net = _axes(), _net()
    g = FunctionGraph(axes, net.weights, net.biases)
    pts = _data_points(axes, g)
    np.testing.assert_allclose(pts[:, 1], net.forward(pts[:, :1])[:, 0], atol=1e-6)
    assert g.n_pieces == count_linear_pieces(net, -1, 1)


def test_drawn_sum_of_bent_lines_equals_the_network_output():
    axes, net = _axes(), _net(seed=4, width=5)
    g = FunctionGraph(axes, net.weights, net.biases)
    lines = g.bent_line_graphs()
    assert len(lines) == 5
    xs = np.linspace(-0.95, 0.95, 41)
    # each drawn bent line, read back from the screen, summed at sample points
    total = np.full_like(xs, float(net.biases[1][0]))
    for j, line in enumerate(lines):
        p = _data_points(axes, line)
        total += np.interp(xs, p[:, 0], p[:, 1])
        w, b, v = net.weights[0][j, 0], net.biases[0][j], net.weights[1][0, j]
        np.testing.assert_allclose(np.interp(xs, p[:, 0], p[:, 1]),
                                   v * np.maximum(0, w * xs + b), atol=1e-6)
    np.testing.assert_allclose(total, net.forward(xs[:, None])[:, 0], atol=1e-6)
    full = _data_points(axes, g.partial_sum_graph(5))
    np.testing.assert_allclose(np.interp(xs, full[:, 0], full[:, 1]), total, atol=1e-6)


def test_set_params_redraws_and_recounts():
    axes = _axes()
    g = FunctionGraph(axes, *_params(MLP((1, 3, 1), "relu", seed=0)))
    net = _net(seed=2, width=7)
    g.set_params(net.weights, net.biases)
    assert g.n_pieces == count_linear_pieces(net, -1, 1)


def _params(net):
    return net.weights, net.biases


def test_clipping_cuts_where_the_curve_leaves_the_band():
    runs = clipped_polyline(np.array([0.0, 1.0, 2.0, 3.0]), np.array([0.0, 4.0, 0.0, 0.0]),
                            -1.0, 2.0)
    assert len(runs) == 2
    np.testing.assert_allclose(runs[0], [[0, 0], [0.5, 2]])
    np.testing.assert_allclose(runs[1], [[1.5, 2], [2, 0], [3, 0]])


def test_piece_counter_shows_what_it_is_given():
    c = PieceCounter(3)
    c.set_count(17)
    assert c.number.get_value() == 17 == c.count
    assert c.number.get_left()[0] > c.text.get_right()[0]
    with pytest.raises(TypeError):
        c.set_count(None)
