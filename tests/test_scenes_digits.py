"""digits-network, hidden-layers and just-a-function: counts, answers, live numbers,
weight pictures and favourite images are the trained network's; dataset=mnist reads IDX
files."""

import gzip
import struct
import sys

import numpy as np
import pytest

from nnviz.core.datasets import digits28
from nnviz.core.errors import NNVizError
from nnviz.core.losses import softmax
from nnviz.pipeline.testing import assert_matches_control, render_scene
from nnviz.spec import registry
from nnviz.spec.palette import PALETTE, hex_to_rgb
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


def test_the_digits_scenes_read_one_network():
    keys = {_module(n).__dict__[c]().traces()["main"].key() for n, c in (
        ("digits-network", "DigitsNetworkConfig"), ("hidden-layers", "HiddenLayersConfig"),
        ("just-a-function", "JustAFunctionConfig"))}
    assert len(keys) == 1


def test_parameter_count_is_the_networks(trained):
    mod, _, net = trained
    pairs, biases, total = mod.param_count(net.sizes)
    assert pairs == [(784, 16), (16, 16), (16, 10)] and biases == 42
    assert total == net.n_params == 13002
    terms = mod.param_terms(net.sizes)
    assert terms == [(r"784\cdot16", "16"), (r"16\cdot16", "16"), (r"16\cdot10", "10")]
    assert sum(eval(w.replace(r"\cdot", "*")) + int(b) for w, b in terms) == net.n_params
    assert mod.thousands(net.n_params) == "13{,}002"


def test_default_network_learns_and_the_wrong_image_is_wrong(trained):
    mod, cfg, net = trained
    _, test = held_out(mod, cfg)
    assert np.mean(net.predict(test.X) == test.y) > 0.85
    wrong = mod.find_wrong(net, test, cfg.image)
    assert wrong is not None and net.predict(test.X[wrong])[0] != test.y[wrong]
    assert np.all(net.predict(test.X[cfg.image:wrong]) == test.y[cfg.image:wrong])


def test_layer_values_and_the_neurons_sum(trained):
    mod, cfg, net = trained
    _, test = held_out(mod, cfg)
    x = test.X[0]
    values = mod.layer_values(net, x)
    outs = net.layer_outputs(x)
    np.testing.assert_allclose(values[1], outs[0].a[0])
    np.testing.assert_allclose(values[-1], softmax(outs[-1].z)[0])
    np.testing.assert_allclose(values[-1], mod.network_outputs(net, x))
    s, b, z, a = mod.neuron_sum(net, x, 3)
    W = net.weights[0]
    assert s == pytest.approx(sum(W[3, j] * x[j] for j in range(784)))
    assert b == net.biases[0][3] and z == pytest.approx(s + b)
    assert a == pytest.approx(1 / (1 + np.exp(-z))) == pytest.approx(outs[0].a[0][3])


def test_matrix_entries_are_named_by_their_indices():
    mod = _module("digits-network")
    assert mod.shown_rows(3, 16) == [0, None, 3, None, 15]
    assert mod.shown_rows(1, 16) == [0, 1, None, 15]
    assert mod.shown_rows(0, 16) == [0, None, 15]
    rows = mod.matrix_entries(3, 16, 784)
    assert rows[0] == ["w_{1,1}", r"\cdots", "w_{1,784}"]
    assert rows[2] == ["w_{4,1}", r"\cdots", "w_{4,784}"]
    assert rows[4] == ["w_{16,1}", r"\cdots", "w_{16,784}"]
    assert mod.vector_entries("b", [0, None, 3]) == [["b_{1}"], [r"\vdots"], ["b_{4}"]]


def test_mask_leaves_out_the_border_and_rarely_inked_pixels(trained):
    mod, cfg, _ = trained
    data, _ = held_out(mod, cfg)
    mask = mod.inked_mask(data.X).reshape(28, 28)
    share = (data.X > 0).mean(axis=0).reshape(28, 28)
    np.testing.assert_array_equal(mask, share >= mod.RARE)
    blank = ~(data.X > 0).any(axis=0).reshape(28, 28)
    assert blank[:4].all() and blank[-4:].all() and blank[:, :4].all() and blank[:, -4:].all()
    assert not mask[blank].any()  # the padding border is out...
    assert not mask[:, 4].any() and not mask[:, 23].any()  # ...and the rarely inked rim
    assert mask[10:18, 10:18].all()  # the middle, where digits are written, is in
    assert 300 < mask.sum() < 400


def test_weight_pictures_use_the_scenes_weight_colours(trained):
    mod, _, net = trained
    pal = dict(PALETTE, positive="#00ff00", negative="#ff00ff")
    w = np.zeros(784)
    w[300], w[301] = 2.0, -2.0
    mask = np.ones(784, bool)
    mask[0] = False
    rgba = mod.weight_rgba(w, mask, pal).reshape(784, 4)
    np.testing.assert_array_equal(rgba[300, :3], [0, 255, 0])
    np.testing.assert_array_equal(rgba[301, :3], [255, 0, 255])
    np.testing.assert_array_equal(rgba[302, :3], [0, 0, 0])
    paper = np.round(hex_to_rgb(PALETTE["neuron_off"]) * 255)
    np.testing.assert_array_equal(rgba[0, :3], paper)
    # the colour scale is set by the shown pixels only
    w[0] = 100.0
    np.testing.assert_array_equal(mod.weight_rgba(w, mask, pal).reshape(784, 4)[300, :3],
                                  [0, 255, 0])


def test_the_8x8_source_image_is_recovered():
    mod = _module("digits-network")
    from nnviz.core.datasets import digits

    small, big = digits(n=50, seed=3), digits28(n=50, seed=3)
    for x8, x28 in zip(small.X, big.X, strict=True):
        np.testing.assert_allclose(mod.source_8x8(x28).ravel(), x8, atol=1e-9)
    rng = np.random.default_rng(0)
    assert mod.source_8x8(rng.uniform(0, 1, 784)) is None  # not an upscale


def test_top_images_are_the_most_exciting(trained):
    mod, cfg, net = trained
    data, _ = held_out(mod, cfg)
    idx, acts = mod.top_images(net, data.X, 3, 6)
    a = net.layer_outputs(data.X)[0].z[:, 3]
    np.testing.assert_allclose(acts, a[idx])
    assert acts.min() >= np.delete(a, idx).max()
    assert np.all(np.diff(acts) <= 0)


def test_function_formula_nests_the_layers():
    mod = _module("just-a-function")
    parts = mod.function_tex(r"\sigma", 3)
    assert "".join(parts) == (r"f(a) =\mathrm{softmax}(W_{3}\sigma(W_{2}\sigma(W_{1}a+b_{1})"
                              r"+b_{2})+b_{3})")


def test_digits_network_scene(control_frame, trained):
    mod, cfg, net = trained
    scene, frame = _render("digits-network")
    data, test = held_out(mod, cfg)
    right, wrong = scene.picked
    assert scene.shown_answers == [int(net.predict(test.X[i])[0]) for i in (right, wrong)]
    assert scene.shown_answers[0] == test.y[right] and scene.shown_answers[1] != test.y[wrong]
    assert scene.n_params == 13002
    k = cfg.neuron
    np.testing.assert_array_equal(scene.mask, mod.inked_mask(data.X))
    assert scene.extremes == mod.extreme_weights(net.weights[0][k], scene.mask)
    assert scene.sum == pytest.approx(mod.neuron_sum(net, test.X[wrong], k))
    np.testing.assert_array_equal(scene.picture.pixel_array,
                                  mod.weight_rgba(net.weights[0][k], scene.mask, scene.palette))
    assert_matches_control(frame, control_frame("digits-network"))


def test_hidden_layers_scene(control_frame, trained):
    mod, cfg, net = trained
    scene, frame = _render("hidden-layers")
    data, _ = held_out(mod, cfg)
    idx, acts = scene.top
    np.testing.assert_array_equal(idx, mod.top_images(net, data.X, 3, 6)[0])
    hope, truth = scene.sides
    assert hope.get_right()[0] + 0.2 < truth.get_left()[0]  # side by side, apart
    assert_matches_control(frame, control_frame("hidden-layers"))


def test_just_a_function_scene(control_frame, trained):
    mod, cfg, net = trained
    scene, frame = _render("just-a-function")
    _, test = held_out(mod, cfg)
    x = test.X[scene.index]
    np.testing.assert_allclose(scene.outputs, softmax(net.forward(x[None]))[0])
    assert scene.n_params == net.n_params == 13002
    trace = TraceStore().load(cfg.traces()["main"])
    np.testing.assert_allclose(scene.untrained, mod.network_outputs(trace.net_at(0.0), x))
    assert scene.shown_pixels == (0, int(np.argmax(x)), 783)
    assert_matches_control(frame, control_frame("just-a-function"))


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


# -- dataset=mnist: standard IDX files from a folder ------------------------------------------

def _idx(array: np.ndarray) -> bytes:
    head = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return head + array.astype(np.uint8).tobytes()


def write_idx_digits(folder, n: int = 120) -> None:
    """A tiny MNIST-format set (gzipped IDX files): the first n upscaled digits as bytes."""
    data = digits28(n=n)
    folder.mkdir(parents=True, exist_ok=True)
    images = np.round(data.X.reshape(-1, 28, 28) * 255).astype(np.uint8)
    (folder / "train-images-idx3-ubyte.gz").write_bytes(gzip.compress(_idx(images), mtime=0))
    (folder / "train-labels-idx1-ubyte.gz").write_bytes(
        gzip.compress(_idx(data.y.astype(np.uint8)), mtime=0))


def test_mnist_folder_from_knob_or_environment(tmp_path, monkeypatch):
    mod = _module("just-a-function")
    monkeypatch.setenv("NNVIZ_MNIST", str(tmp_path / "env"))
    cfg = mod.JustAFunctionConfig(dataset="mnist")
    assert cfg.data_params()["path"] == str(tmp_path / "env")
    cfg = mod.JustAFunctionConfig(dataset="mnist", dataset_path=str(tmp_path / "knob"))
    assert cfg.data_params()["path"] == str(tmp_path / "knob")
    assert "path" not in mod.JustAFunctionConfig().data_params()


def test_missing_or_corrupt_mnist_files_are_one_line_errors(tmp_path):
    mod = _module("just-a-function")
    store = TraceStore(tmp_path / "cache")
    for folder in (tmp_path / "none", tmp_path / "empty"):
        (tmp_path / "empty").mkdir(exist_ok=True)
        cfg = mod.JustAFunctionConfig(dataset="mnist", dataset_path=str(folder), n_points=None)
        with pytest.raises(NNVizError) as err:
            store.data(cfg.traces()["main"])
        assert "\n" not in str(err.value) and "MNIST" in str(err.value)
    bad = tmp_path / "bad"
    write_idx_digits(bad, 30)
    (bad / "train-images-idx3-ubyte.gz").write_bytes(b"not gzip")
    cfg = mod.JustAFunctionConfig(dataset="mnist", dataset_path=str(bad))
    with pytest.raises(NNVizError) as err:
        store.data(cfg.traces()["main"])
    assert "\n" not in str(err.value) and "train-images-idx3-ubyte.gz" in str(err.value)


@pytest.mark.render
def test_digits_scenes_render_from_mnist_idx_files(tmp_path):
    folder = tmp_path / "mnist"
    write_idx_digits(folder)
    store = TraceStore(tmp_path / "cache")
    scene, frame = render_scene("just-a-function", (160, 90), store=store, dataset="mnist",
                                dataset_path=str(folder), steps=3)
    mod = _module("just-a-function")
    trace = store.load(scene.cfg.traces()["main"])
    _, test = mod.held_out(*store.data(scene.cfg.traces()["main"]))
    assert trace.meta.get("dataset", "mnist") == "mnist"
    np.testing.assert_allclose(scene.outputs,
                               mod.network_outputs(trace.net_at(1.0), test.X[scene.index]))
    assert frame.std() > 0


def test_hope_sketches_are_ink_images():
    mod = _module("hidden-layers")
    parts, digits = mod.hope_images()
    for img in parts + digits:
        assert img.shape == (mod.SIDE * mod.SIDE,)
        assert img.min() == 0.0 and img.max() == 1.0
    # the 9 is the loop and the line put together: every inked pixel of the loop is in it
    loop = parts[0] > 0.5
    assert np.all(digits[0][loop] > 0.5)
