"""Neuron and ActivationPlot mobjects: the numbers they draw are the arithmetic's."""

import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.explain.weighted_sum import WeightedSum, neuron_from_network


def test_weighted_sum_arithmetic():
    ws = WeightedSum([1.0, -1.0, 0.5], [2.0, 3.0, -4.0], bias=0.5, activation="tanh")
    np.testing.assert_allclose(ws.products, [2.0, -3.0, -2.0])
    assert ws.total == pytest.approx(-3.0)
    assert ws.z == pytest.approx(-2.5)
    assert ws.threshold == pytest.approx(-0.5) and not ws.active
    assert ws.output == pytest.approx(np.tanh(-2.5))
    with pytest.raises(NNVizError):
        WeightedSum([1.0, 2.0], [1.0], 0.0)
    with pytest.raises(NNVizError):
        WeightedSum([1.0], [1.0], 0.0, activation="softsign")


def test_neuron_from_network_matches_forward_pass():
    from nnviz.core.network import MLP

    net = MLP((3, 4, 2), activation="sigmoid", output_activation="tanh", seed=3)
    x = np.array([0.2, -0.7, 1.0])
    outs = net.layer_outputs(x)
    ws = neuron_from_network(net.weights, net.biases, ["sigmoid", "tanh"], x, 1, 1)
    np.testing.assert_allclose(ws.values, outs[0].a[0])
    assert ws.output == pytest.approx(outs[1].a[0, 1])
    with pytest.raises(NNVizError):
        neuron_from_network(net.weights, net.biases, ["sigmoid", "tanh"], x, 2, 0)


def test_neuron_mobject_parts_and_edge_style():
    from manim import ManimColor

    from nnviz.draw.mobjects.neuron import Neuron, fmt

    m = Neuron([1.0, -1.0], [0.5, -2.0], bias=-1.0, activation="sigmoid",
               positive="#00ff00", negative="#ff0000")
    assert len(m.inputs) == len(m.edges) == len(m.product_rows) == 2
    assert m.edges[0].get_stroke_color() == ManimColor("#00ff00")
    assert m.edges[1].get_stroke_color() == ManimColor("#ff0000")
    assert m.edges[1].get_stroke_width() > m.edges[0].get_stroke_width()  # |w| = 2 > 0.5
    assert m.numbers.total == pytest.approx(2.5)
    assert fmt(-0.001) == "0.00" and fmt(-1.5) == "{-}1.50"
    mono = Neuron([1.0, -1.0], [0.5, -2.0], bias=0.0, style="white/black")
    from nnviz.draw.mobjects.network import MONO_NEGATIVE

    assert mono.edges[1].get_stroke_color() == ManimColor(MONO_NEGATIVE)


def test_activation_plot_reading_follows_the_tracker():
    from manim import ValueTracker

    from nnviz.draw.mobjects.activation_plot import ActivationPlot
    from nnviz.explain.squash import reading_words

    plot = ActivationPlot("tanh")
    tracker = ValueTracker(0.5)
    reading = plot.reading(tracker)
    number = reading[4]
    assert number.get_value() == pytest.approx(np.tanh(0.5))
    tracker.set_value(-1.0)
    reading.update()
    number.update()
    assert number.get_value() == pytest.approx(np.tanh(-1.0))
    # the output dot sits on the output axis at f(x)
    assert np.allclose(plot.interval_point(-1.0), plot.axes.c2p(0, np.tanh(-1.0)))
    assert reading_words("tanh", 0.5) == "a little less than 0.50"
    assert reading_words("sigmoid", 0.5) == "a little above the middle, 0.50"
    assert reading_words("relu", 2.0) == "unchanged"
    assert ActivationPlot("tanh", formula=r"\tanh(a)").formula.tex_string == r"\tanh(a)"
