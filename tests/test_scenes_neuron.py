"""weighted-sum and squashing: the numbers on screen are the network's and the math's."""

import sys

import numpy as np
import pytest

from nnviz.core.datasets import four_pixel
from nnviz.core.errors import NNVizError
from nnviz.pipeline.testing import assert_matches_control, render_last_frame
from nnviz.spec import registry
from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore


def _module(name: str):
    return sys.modules[registry.get(name).scene_class.__module__]


def test_weighted_sum_default_is_a_real_neuron_on_a_real_image():
    mod = _module("weighted-sum")
    cfg = build_config(mod.WeightedSumConfig, {}, "weighted-sum")
    trace = TraceStore().load(cfg.traces()["main"])
    ws, caption = mod.weighted_sum_numbers(cfg, trace, four_pixel(n=80))
    net = trace.net_at(1.0)
    x = four_pixel(n=8).X[cfg.image]
    out = net.layer_outputs(x)[cfg.layer]
    np.testing.assert_allclose(ws.values, x)
    np.testing.assert_allclose(ws.weights, net.weights[cfg.layer][cfg.neuron])
    assert ws.z == pytest.approx(out.z[0, cfg.neuron])
    assert ws.output == pytest.approx(out.a[0, cfg.neuron])
    assert ws.threshold == pytest.approx(-net.biases[cfg.layer][cfg.neuron])
    assert ws.active == (ws.z > 0)
    assert f"neuron {cfg.neuron + 1}" in caption


def test_weighted_sum_deeper_layer_reads_previous_activations():
    mod = _module("weighted-sum")
    cfg = build_config(mod.WeightedSumConfig, {"layer": "1", "neuron": "0", "image": "4"})
    trace = TraceStore().load(cfg.traces()["main"])
    ws, _ = mod.weighted_sum_numbers(cfg, trace, four_pixel(n=80))
    outs = trace.net_at(1.0).layer_outputs(four_pixel(n=8).X[4])
    np.testing.assert_allclose(ws.values, outs[0].a[0])
    assert ws.z == pytest.approx(outs[1].z[0, 0])


def test_weighted_sum_own_numbers_and_the_bias_as_threshold():
    mod = _module("weighted-sum")
    cfg = build_config(mod.WeightedSumConfig, {"inputs": "1,0.5,2", "weights": "3,-2,4",
                                               "bias": "-10", "activation": "sigmoid"})
    ws, caption = mod.weighted_sum_numbers(cfg, None, None)
    np.testing.assert_allclose(ws.products, [3.0, -1.0, 8.0])
    assert ws.total == pytest.approx(10.0) and ws.threshold == pytest.approx(10.0)
    assert not ws.active  # 10 is not bigger than 10
    assert ws.output == pytest.approx(0.5)
    assert "settings" in caption
    with pytest.raises(NNVizError):
        mod.weighted_sum_numbers(build_config(mod.WeightedSumConfig, {"inputs": "1,2"}), None,
                                 None)


def test_weighted_sum_last_frame(control_frame):
    assert_matches_control(render_last_frame("weighted-sum"), control_frame("weighted-sum"))


def test_squashing_reads_tanh_half_as_slightly_less_than_half():
    mod = _module("squashing")
    numbers = mod.squashing_numbers(mod.SquashingConfig(x=0.5))
    y, words = numbers["tanh"]
    assert y == pytest.approx(np.tanh(0.5))
    assert words == "slightly less than 0.50"
    assert numbers["sigmoid"][0] == pytest.approx(1 / (1 + np.exp(-0.5)))
    assert numbers["relu"] == (pytest.approx(0.5), "about 0.50")
    assert mod.squashing_numbers(mod.SquashingConfig(x=-1.0))["relu"][0] == 0.0


def test_squashing_last_frame(control_frame):
    assert_matches_control(render_last_frame("squashing"), control_frame("squashing"))
