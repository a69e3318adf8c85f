"""NetworkDiagram: edge colours/widths follow the weights, fills follow activations,
indexing matches weights[layer][j, i], set_state restyles exactly what it should."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz.core.errors import NNVizError
from nnviz.core.network import MLP
from nnviz.draw.mobjects.network import MONO_NEGATIVE, MONO_POSITIVE, NetworkDiagram
from nnviz.spec.palette import PALETTE, hex_to_rgb


@pytest.fixture
def net() -> MLP:
    return MLP((4, 3, 2), activation="tanh", seed=3)


def acts(net: MLP, x: np.ndarray) -> list[np.ndarray]:
    return [x, *[o.a[0] for o in net.layer_outputs(x)]]


def test_edge_colour_width_opacity_follow_weights(net: MLP) -> None:
    d = NetworkDiagram(net.sizes, net.weights, max_width=5.0, min_width=0.5,
                       min_opacity=0.2, max_opacity=1.0)
    for layer, W in enumerate(net.weights):
        scale = np.abs(W).max()
        for j in range(W.shape[0]):
            for i in range(W.shape[1]):
                e = d.edge(layer, j, i)
                want = PALETTE["positive"] if W[j, i] >= 0 else PALETTE["negative"]
                np.testing.assert_allclose(e.stroke_rgbas[0, :3], hex_to_rgb(want))
                s = abs(W[j, i]) / scale
                assert e.stroke_width == pytest.approx(0.5 + 4.5 * s)
                assert e.stroke_rgbas[0, 3] == pytest.approx(0.2 + 0.8 * s)
    # The largest |w| of each layer gets the full width.
    assert max(e.stroke_width for e in d.layer_edges(0)) == pytest.approx(5.0)


def test_edge_geometry_matches_weight_indexing(net: MLP) -> None:
    d = NetworkDiagram(net.sizes, net.weights)
    e = d.edge(1, 1, 2)  # weights[1][1, 2]: neuron 2 of layer 1 -> neuron 1 of layer 2
    np.testing.assert_allclose(e.get_start(), d.node(1, 2).get_center(), atol=1e-9)
    np.testing.assert_allclose(e.get_end(), d.node(2, 1).get_center(), atol=1e-9)
    assert len(d.layer_edges(0)) == 12 and len(d.layer_nodes(1)) == 3
    assert d.layer_edges(0)[1 * 4 + 3] is d.edge(0, 1, 3)  # target-major order
    # Layers run left to right, neuron 0 at the top.
    assert d.node(0, 0).get_x() < d.node(1, 0).get_x() < d.node(2, 0).get_x()
    assert d.node(0, 0).get_y() > d.node(0, 3).get_y()


def test_fill_brightness_follows_activation_in_given_range(net: MLP) -> None:
    x = np.array([1.0, -1.0, 0.0, 0.5])
    d = NetworkDiagram(net.sizes, net.weights, activations=acts(net, x),
                       activation_range=(-1, 1))
    off, on = hex_to_rgb(PALETTE["neuron_off"]), hex_to_rgb(PALETTE["neuron_on"])
    np.testing.assert_allclose(d.node(0, 0).fill_rgbas[0, :3], on)
    np.testing.assert_allclose(d.node(0, 1).fill_rgbas[0, :3], off)
    np.testing.assert_allclose(d.node(0, 2).fill_rgbas[0, :3], (off + on) / 2)
    a1 = acts(net, x)[1]
    for j in range(3):
        t = (a1[j] + 1) / 2
        np.testing.assert_allclose(d.node(1, j).fill_rgbas[0, :3], off + t * (on - off))


def test_set_state_changes_exactly_what_it_should(net: MLP) -> None:
    x = np.array([0.3, -0.2, 0.9, 0.1])
    d = NetworkDiagram(net.sizes, net.weights, activations=acts(net, x))
    fills = [c.fill_rgbas.copy() for c in d.neurons.family_members_with_points()]
    W = [w.copy() for w in net.weights]
    W[0][2, 1] = -W[0][2, 1] - 0.01 * np.sign(W[0][2, 1])  # flip one sign
    before = [(e.stroke_rgbas.copy(), e.stroke_width) for e in d.layer_edges(1)]
    d.set_state(weights=W)
    e = d.edge(0, 2, 1)
    want = PALETTE["positive"] if W[0][2, 1] >= 0 else PALETTE["negative"]
    np.testing.assert_allclose(e.stroke_rgbas[0, :3], hex_to_rgb(want))
    # Other layers' edges and every neuron fill are untouched by a weight-only update.
    for (rgba, width), e2 in zip(before, d.layer_edges(1), strict=True):
        np.testing.assert_allclose(e2.stroke_rgbas, rgba)
        assert e2.stroke_width == width
    for f, c in zip(fills, d.neurons.family_members_with_points(), strict=True):
        np.testing.assert_allclose(c.fill_rgbas, f)
    # Activations only: edges keep their style, fills change.
    style = [(e.stroke_rgbas.copy(), e.stroke_width) for e in d.layer_edges(0)]
    d.set_state(activations=[np.ones(4), np.ones(3), np.ones(2)])
    on = hex_to_rgb(PALETTE["neuron_on"])
    for layer in range(3):
        for c in d.layer_nodes(layer):
            np.testing.assert_allclose(c.fill_rgbas[0, :3], on)
    for (rgba, width), e2 in zip(style, d.layer_edges(0), strict=True):
        np.testing.assert_allclose(e2.stroke_rgbas, rgba)
        assert e2.stroke_width == width


def test_fixed_weight_scale_and_mono_style(net: MLP) -> None:
    d = NetworkDiagram(net.sizes, net.weights, weight_scale=100.0, style="white/black",
                       max_width=4.0, min_width=0.0)
    W = net.weights[0]
    assert d.edge(0, 0, 0).stroke_width == pytest.approx(4.0 * abs(W[0, 0]) / 100.0)
    cols = {tuple(np.round(e.stroke_rgbas[0, :3], 6)) for e in d.layer_edges(0)}
    assert cols <= {tuple(np.round(hex_to_rgb(c), 6)) for c in (MONO_POSITIVE, MONO_NEGATIVE)}


def test_biases_ring(net: MLP) -> None:
    b = [np.array([2.0, -1.0, 0.0]), np.array([0.5, -0.5])]
    d = NetworkDiagram(net.sizes, net.weights, b, show_biases=True)
    np.testing.assert_allclose(d.node(1, 0).stroke_rgbas[0, :3], hex_to_rgb(PALETTE["positive"]))
    np.testing.assert_allclose(d.node(1, 1).stroke_rgbas[0, :3], hex_to_rgb(PALETTE["negative"]))
    assert d.node(1, 0).stroke_width > d.node(1, 1).stroke_width > d.node(1, 2).stroke_width


def test_max_shown_and_input_grid() -> None:
    net = MLP((784, 16, 16, 10), seed=0)
    d = NetworkDiagram(net.sizes, net.weights, max_shown=8)
    assert len(d.layer_nodes(0)) == 8 and len(d.ellipses) == 4  # every layer > 8
    assert len(d.layer_edges(0)) == 8 * 8
    np.testing.assert_allclose(d.node(0, 783).get_center()[1], d.layer_nodes(0)[-1].get_y())
    with pytest.raises(IndexError):
        d.node(0, 100)
    big = d.edge(0, 15, 783)
    s = abs(net.weights[0][15, 783]) / np.abs(net.weights[0]).max()
    assert big.stroke_width == pytest.approx(0.4 + 3.6 * s)
    g = NetworkDiagram((16, 3, 2), input_grid=True)
    xs = {round(c.get_x(), 6) for c in g.layer_nodes(0)}
    ys = {round(c.get_y(), 6) for c in g.layer_nodes(0)}
    assert len(xs) == 4 and len(ys) == 4
    assert g.node(0, 1).get_x() > g.node(0, 0).get_x()  # row-major, like reshape(4, 4)
    assert g.node(0, 4).get_y() < g.node(0, 0).get_y()


def test_bad_shapes_are_one_line_errors(net: MLP) -> None:
    with pytest.raises(NNVizError, match="shape"):
        NetworkDiagram(net.sizes, [w.T for w in net.weights])
    with pytest.raises(NNVizError, match="grid"):
        NetworkDiagram((10, 2), input_grid=(3, 3))


def test_one_argument_switches_to_the_raster_diagram(net: MLP) -> None:
    from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram, make_network_diagram

    vec = make_network_diagram(net.sizes, net.weights, activation_range=(-1, 1))
    ras = make_network_diagram(net.sizes, net.weights, activation_range=(-1, 1), raster=True)
    assert isinstance(vec, NetworkDiagram) and isinstance(ras, RasterNetworkDiagram)
    np.testing.assert_allclose(ras.node_center(2, 1), vec.node(2, 1).get_center(), atol=1e-9)
    np.testing.assert_allclose(ras.edge(0, 2, 1).get_end(), vec.edge(0, 2, 1).get_end(),
                               atol=1e-9)


def test_one_style_object_for_both_diagrams(net: MLP) -> None:
    """A DiagramStyle gives both diagrams what the same keywords give; a keyword overrides
    it; a string style is the colour scheme; what is not a style field goes to Manim."""
    import dataclasses

    from nnviz.draw.mobjects.network import DiagramStyle
    from nnviz.draw.mobjects.raster_network import RasterNetworkDiagram

    look = DiagramStyle(width=6.0, height=3.0, scheme="white/black", max_width=(2.0, 5.0),
                        activation_range=(-1, 1), show_biases=True, neuron_stroke_width=2.0)
    for cls in (NetworkDiagram, RasterNetworkDiagram):
        by_style = cls(net.sizes, net.weights, net.biases, style=look, z_index=3)
        by_words = cls(net.sizes, net.weights, net.biases, width=6.0, height=3.0,
                       style="white/black", max_width=(2.0, 5.0), activation_range=(-1, 1),
                       show_biases=True, neuron_stroke_width=2.0)
        assert by_style.diagram_style == by_words.diagram_style == look
        assert by_style.z_index == 3  # a Manim keyword, not a style field
        assert by_style.colours["positive"] == MONO_POSITIVE
        assert by_style.max_width == [2.0, 5.0] and by_style.show_biases
        np.testing.assert_allclose(by_style.layout.positions[1], by_words.layout.positions[1])
        wider = cls(net.sizes, net.weights, style=look, width=8.0)
        assert wider.diagram_style == dataclasses.replace(look, width=8.0)
        assert np.ptp(wider.layout.positions[1][:, 0]) == 0  # one column ...
        assert wider.layout.positions[2][0, 0] > by_style.layout.positions[2][0, 0]  # ... wider
    with pytest.raises(dataclasses.FrozenInstanceError):
        look.width = 3.0  # shared between diagrams: never changed in place
