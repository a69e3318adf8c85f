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


def test_weighted_sum_says_what_firing_means_truthfully():
    mod = _module("weighted-sum")
    cfg = build_config(mod.WeightedSumConfig, {}, "weighted-sum")
    trace = TraceStore().load(cfg.traces()["main"])
    ws, _ = mod.weighted_sum_numbers(cfg, trace, four_pixel(n=80))
    pattern = mod.pattern_of(ws)
    # the pattern makes the sum largest over [-1, 1]^4: its sum is sum |w|, the opposite's -sum |w|
    assert float(ws.weights @ pattern) == pytest.approx(np.abs(ws.weights).sum())
    corners = np.array(np.meshgrid(*[[-1.0, 1.0]] * 4)).reshape(4, -1).T
    assert (corners @ ws.weights).max() == pytest.approx(ws.weights @ pattern)
    verdict, reason = mod.verdict_words(ws, pixels=True)
    assert ws.active and ws.output > 0 and verdict == "the neuron fires"
    agree = int(np.sum(np.sign(ws.values) == pattern))
    assert reason == f"image and pattern agree in {agree} of 4 pixels" and agree >= 2
    off = mod.WeightedSum([1.0, 1.0], [1.0, -2.0], 0.0, "sigmoid")
    assert mod.verdict_words(off, pixels=False) == ("the neuron stays off",
                                                    "the sum does not pass 0.00")


def test_squashing_words_are_true():
    mod = _module("squashing")
    numbers = mod.squashing_numbers(mod.SquashingConfig(x=0.5))
    y, words = numbers["tanh"]
    assert y == pytest.approx(np.tanh(0.5))
    assert words == "a little less than 0.50"
    assert numbers["sigmoid"] == (pytest.approx(1 / (1 + np.exp(-0.5))),
                                  "a little above the middle, 0.50")
    assert numbers["relu"] == (0.5, "unchanged")
    below = mod.squashing_numbers(mod.SquashingConfig(x=-1.0))
    assert below["relu"] == (0.0, "cut off to 0")
    assert below["sigmoid"][1].startswith("well below the middle")
    assert mod.squashing_numbers(mod.SquashingConfig(x=4.0))["sigmoid"][1] == "almost 1"
    assert mod.squashed(mod.SquashingConfig()) == ["sigmoid", "tanh"]


def test_squashing_plots_share_one_zero_line_and_formula_baseline(last_frame_scene):
    from nnviz.draw.mobjects.baseline import baseline

    scene = last_frame_scene("squashing")
    zero = [p.axes.c2p(0, 0)[1] for p in scene.plots]
    assert max(zero) - min(zero) < 1e-6
    sizes = {(round(float(p.axes.x_axis.get_length()), 6),
              round(float(p.axes.y_axis.get_length()), 6)) for p in scene.plots}
    assert len(sizes) == 1
    lines = [baseline(p.formula) for p in scene.plots]
    assert max(lines) - min(lines) < 0.02
    for name, targets in scene.squash_targets.items():
        lo, hi = (0.0, 1.0) if name == "sigmoid" else (-1.0, 1.0)
        assert min(targets) > lo - 1e-9 and max(targets) < hi + 1e-9


def test_squashing_last_frame(control_frame):
    assert_matches_control(render_last_frame("squashing"), control_frame("squashing"))
