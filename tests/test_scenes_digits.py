"""digits-network and hidden-layers: counts, answers, live numbers and favourite images
are the trained network's."""

import sys

import numpy as np
import pytest

from nnviz.core.losses import softmax
from nnviz.pipeline.testing import assert_matches_control, render_scene
from nnviz.spec import registry
from nnviz.spec.store import TraceStore


def _module(name):
    return sys.modules[registry.get(name).scene_class.__module__]


def _render(name, **overrides):
    """Render the last frame at control size and keep the scene, to read what it showed."""
    return render_scene(name, **overrides)


def held_out(mod, cfg):
    """(all images, held-out images) of the trace, as the scene gets them."""
    return mod.held_out(*TraceStore().data(cfg.traces()["main"]))


@pytest.fixture(scope="module")
def trained():
    mod = _module("digits-network")
    cfg = mod.DigitsNetworkConfig()
    net = TraceStore().load(cfg.traces()["main"]).net_at(1.0)
    return mod, cfg, net


def test_both_digits_scenes_read_one_network():
    a = _module("digits-network").DigitsNetworkConfig().traces()["main"].key()
    b = _module("hidden-layers").HiddenLayersConfig().traces()["main"].key()
    assert a == b


def test_parameter_count_is_the_networks(trained):
    mod, _, net = trained
    pairs, biases, total = mod.param_count(net.sizes)
    assert pairs == [(784, 16), (16, 16), (16, 10)] and biases == 42
    assert total == net.n_params == 13002


def test_default_network_learns_and_the_wrong_image_is_wrong(trained):
    mod, cfg, net = trained
    _, test = held_out(mod, cfg)
    assert np.mean(net.predict(test.X) == test.y) > 0.85
    wrong = mod.find_wrong(net, test, cfg.image)
    assert wrong is not None and net.predict(test.X[wrong])[0] != test.y[wrong]
    assert np.all(net.predict(test.X[cfg.image:wrong]) == test.y[cfg.image:wrong])


def test_layer_values_and_matrix_numbers(trained):
    mod, cfg, net = trained
    _, test = held_out(mod, cfg)
    x = test.X[0]
    values = mod.layer_values(net, x)
    outs = net.layer_outputs(x)
    np.testing.assert_allclose(values[1], outs[0].a[0])
    np.testing.assert_allclose(values[-1], softmax(outs[-1].z)[0])
    W, b = net.weights[0], net.biases[0]
    tex = mod.matrix_tex(W, x, b, outs[0].a[0], [0, 3], [100, 400])
    for number in (W[0, 100], W[3, 400], x[400], b[3], outs[0].a[0][3]):
        assert mod.fmt(number) in tex


def test_top_images_are_the_most_exciting(trained):
    mod, cfg, net = trained
    data, _ = held_out(mod, cfg)
    idx, acts = mod.top_images(net, data.X, 3, 6)
    a = net.layer_outputs(data.X)[0].z[:, 3]
    np.testing.assert_allclose(acts, a[idx])
    assert acts.min() >= np.delete(a, idx).max()
    assert np.all(np.diff(acts) <= 0)


def test_digits_network_scene(control_frame, trained):
    mod, cfg, net = trained
    scene, frame = _render("digits-network")
    _, test = held_out(mod, cfg)
    right, wrong = scene.picked
    assert scene.shown_answers == [int(net.predict(test.X[i])[0]) for i in (right, wrong)]
    assert scene.shown_answers[0] == test.y[right] and scene.shown_answers[1] != test.y[wrong]
    assert scene.n_params == 13002
    assert_matches_control(frame, control_frame("digits-network"))


def test_hidden_layers_scene(control_frame, trained):
    mod, cfg, net = trained
    scene, frame = _render("hidden-layers")
    data, _ = held_out(mod, cfg)
    idx, acts = scene.top
    np.testing.assert_array_equal(idx, mod.top_images(net, data.X, 3, 6)[0])
    assert_matches_control(frame, control_frame("hidden-layers"))


def test_brightness_maps_every_activation_onto_0_1():
    mod = _module("digits-network")
    rng = np.random.default_rng(0)
    values = [rng.uniform(0, 1, 784), np.tanh(rng.normal(size=16)), np.tanh(rng.normal(size=16)),
              softmax(rng.normal(size=(1, 10)))[0]]
    hidden = {"tanh": np.tanh, "relu": np.abs, "sigmoid": lambda v: (np.tanh(v) + 1) / 2}
    for act, f in hidden.items():
        vals = [values[0], f(values[1]), f(values[2]), values[3]]
        shown = mod.brightness(vals, act)
        assert all(np.all((v >= 0) & (v <= 1)) for v in shown)
        np.testing.assert_allclose(shown[0], vals[0])
        np.testing.assert_allclose(shown[-1], vals[-1])
    np.testing.assert_allclose(mod.brightness(values, "tanh")[1], (values[1] + 1) / 2)
