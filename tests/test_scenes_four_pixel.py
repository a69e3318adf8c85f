"""four-pixel: the network shown computes the trained one; fields and answers are real."""

import sys

import numpy as np
import pytest

from nnviz.core.datasets import four_pixel
from nnviz.explain.receptive import neuron_z, receptive_field
from nnviz.pipeline.testing import assert_matches_control, render_last_frame
from nnviz.spec import registry
from nnviz.spec.store import TraceStore


def _module(name):
    return sys.modules[registry.get(name).scene_class.__module__]


def test_weighted_sum_and_four_pixel_read_the_same_trained_network():
    fp = _module("four-pixel").FourPixelConfig()
    ws = _module("weighted-sum").WeightedSumConfig()
    assert fp.traces()["main"].key() == ws.traces()["main"].key()


@pytest.mark.parametrize("image", [2, 7])
def test_story_matches_the_trained_network(image):
    mod = _module("four-pixel")
    cfg = mod.FourPixelConfig(image=image)
    trace = TraceStore().load(cfg.traces()["main"])
    net = trace.net_at(1.0)
    story = mod.four_pixel_story(trace, four_pixel(n=80), image, cfg.relu_after, grid=7)
    x = four_pixel(n=8).X[image]
    # the ReLU-split network shown gives exactly the trained network's outputs
    np.testing.assert_allclose(story.layer_values[-1], net.forward(x)[0], atol=1e-12)
    assert story.predicted == int(net.predict(x)[0])
    assert story.predicted == story.label  # the trained net gets all 8 patterns right
    assert story.probabilities.sum() == pytest.approx(1.0)
    assert story.activations == ["tanh", "tanh", "relu", "identity"]
    # the fields drawn are the patterns that make each neuron largest
    layer, i = 2, 3
    rf = receptive_field(story.weights, story.biases, story.activations, layer, i, grid=7)
    np.testing.assert_allclose(story.fields[layer][i], rf.best)
    X = np.random.default_rng(0).uniform(-1, 1, (5000, 4))
    z = neuron_z(story.weights, story.biases, story.activations, X, layer)[:, i]
    assert rf.best_z >= z.max() - 1e-9
    shown = mod.display_values(story)
    assert all(np.all((v >= 0) & (v <= 1)) for v in shown)


def test_four_pixel_last_frame(control_frame):
    assert_matches_control(render_last_frame("four-pixel"), control_frame("four-pixel"))
