"""four-pixel: the network shown computes the trained one; its fields are pixel pairs and
combinations of them, and they explain every value the walk-through shows."""

import sys

import numpy as np
import pytest

from nnviz.core.datasets import four_pixel
from nnviz.explain.receptive import corner_field, corners, neuron_z
from nnviz.pipeline.testing import assert_matches_control, render_last_frame
from nnviz.spec import registry
from nnviz.spec.store import TraceStore, run_spec


def _module():
    return sys.modules[registry.get("four-pixel").scene_class.__module__]


def _story(image=4, **kw):
    mod = _module()
    cfg = mod.FourPixelConfig(image=image, **kw)
    trace = TraceStore().load(cfg.traces()["main"])
    return mod, cfg, trace, mod.four_pixel_story(trace, four_pixel(n=80), image, cfg.relu_after)


@pytest.mark.parametrize("image", [4, 7])
def test_story_matches_the_trained_network(image):
    mod, cfg, trace, story = _story(image)
    net = trace.net_at(1.0)
    x = four_pixel(n=8).X[image]
    # the ReLU-split network shown gives exactly the trained network's outputs
    np.testing.assert_allclose(story.layer_values[-1], net.forward(x)[0], atol=1e-12)
    tanh = [o.a[0] for o in net.layer_outputs(x)]
    np.testing.assert_allclose(story.layer_values[1], tanh[0], atol=1e-12)
    np.testing.assert_allclose(story.layer_values[2], tanh[1], atol=1e-12)
    relu = np.ravel(np.column_stack([np.maximum(tanh[1], 0), np.maximum(-tanh[1], 0)]))
    np.testing.assert_allclose(story.layer_values[3], relu, atol=1e-12)
    assert story.predicted == int(net.predict(x)[0]) == story.label
    assert story.activations == ["tanh", "tanh", "relu", "identity"]
    assert all(np.all((v >= 0) & (v <= 1)) for v in mod.display_values(story))


def test_the_network_is_trained_with_an_l1_cost_and_the_same_spec_gives_the_same_trace():
    cfg = _module().FourPixelConfig()
    spec = cfg.traces()["main"]
    assert dict(spec.trainer_params)["l1"] > 0
    a, b = run_spec(spec), TraceStore().load(spec)
    for w, v in zip(a.weights, b.weights, strict=True):
        np.testing.assert_array_equal(w, v)
    assert a.final_accuracy == 1.0


def test_first_layer_fields_are_pixel_pairs_with_pixels_that_do_not_matter():
    _, _, trace, story = _story()
    W = trace.net_at(1.0).weights[0]
    for i, field in enumerate(story.fields[0]):
        assert field.care.sum() == 2
        w = np.abs(W[i])
        assert np.all(w[~field.care] < 0.05 * w.max())  # the ignored pixels barely count
        assert len(field.patterns) == 1
        np.testing.assert_array_equal(field.patterns[0][field.care], np.sign(W[i][field.care]))
        np.testing.assert_array_equal(field.patterns[0][~field.care], 0.0)


def test_fields_explain_every_value_shown():
    """A neuron is at its highest on the images that match its field, at its lowest on its
    field's opposite, and the walk-through's reasons say which."""
    _, _, _, story = _story()
    X = four_pixel(n=8).X
    for layer, fields in enumerate(story.fields):
        z = neuron_z(story.weights, story.biases, story.activations, X, layer)
        for i, field in enumerate(fields):
            verdicts = np.array([field.verdict(x) for x in X])
            top, bottom = z[verdicts == "field", i], z[verdicts == "opposite", i]
            rest = z[verdicts != "field", i]
            if top.size and rest.size:
                assert top.min() > rest.max()
            if bottom.size:
                assert bottom.max() < z[verdicts != "opposite", i].min()
            # the field is the best of all 16 black-and-white images, not just the 8 seen
            zc = neuron_z(story.weights, story.biases, story.activations, corners(4), layer)[:, i]
            span = zc.max() - zc.min()
            for p in field.patterns:
                free = corners(4)[:, ~field.care]
                for rest_px in np.unique(free, axis=0):
                    img = p.copy()
                    img[~field.care] = rest_px
                    zi = neuron_z(story.weights, story.biases, story.activations, img[None],
                                  layer)[0, i]
                    assert zi >= zc.max() - 0.1 * span - 1e-9
    # the walk-through: each tanh layer's "field" neurons sit above its "opposite" ones,
    # every ReLU neuron is kept exactly when positive
    for li in range(1, len(story.layer_values) - 1):
        v, why = story.layer_values[li], np.array(story.reasons[li])
        if story.activations[li - 1] == "relu":
            assert np.array_equal(why == "kept", story.layer_z[li - 1] > 0)
        elif (why == "field").any() and (why == "opposite").any():
            assert v[why == "field"].min() > v[why == "opposite"].max()
    assert story.reasons[-1][story.predicted] == "largest"


def test_relu_pairs_are_a_field_and_its_opposite():
    _, _, _, story = _story()
    relu = story.activations.index("relu")
    for i, tanh_field in enumerate(story.fields[relu - 1]):
        up, down = story.fields[relu][2 * i], story.fields[relu][2 * i + 1]
        same = lambda a, b: sorted(map(tuple, a)) == sorted(map(tuple, b))  # noqa: E731
        assert same(up.patterns, tanh_field.patterns)
        assert same(down.patterns, tanh_field.opposites)


def test_the_making_of_a_field_comes_from_the_real_weights():
    mod, _, trace, story = _story()
    W = trace.net_at(1.0).weights
    i = mod.example_neuron(story, 0)
    pixels = mod.links(story.weights[0], i)
    assert len(pixels) == 2
    # weight x pixel field + weight x pixel field = the neuron's field, pixel by pixel
    made = np.zeros(4)
    made[pixels] = np.sign(W[0][i, pixels])
    np.testing.assert_array_equal(made, story.fields[0][i].patterns[0])
    j = mod.example_neuron(story, 1)
    ins = mod.links(story.weights[1], j)
    assert len(ins) == 2
    assert story.fields[0][ins[0]].patterns[0].tolist() != story.fields[0][ins[1]].patterns[0]\
        .tolist()
    field = corner_field(story.weights, story.biases, story.activations, 1, j)
    assert mod.describe(field) == mod.describe(story.fields[1][j])
    assert mod.describe(field) == "the left column has two colours"  # the default's
    assert [mod.describe(f) for f in story.fields[1]] == [
        "the top row is one colour"] * 2 + ["the left column has two colours"] * 2


def test_four_pixel_last_frame(control_frame):
    assert_matches_control(render_last_frame("four-pixel"), control_frame("four-pixel"))


def test_the_pictures_drawn_are_the_fields_and_weights_computed(last_frame_scene):
    """Each field on screen shows its pattern's black and white pixels and a checkerboard
    on exactly the pixels its neuron ignores; the making panels show the real weights."""
    from manim import MathTex

    from nnviz.draw.mobjects.pixel_grid import PixelGrid

    scene = last_frame_scene("four-pixel")
    story = scene.story
    mod = _module()
    for layer, column in enumerate(scene.fields[1:], start=1):
        for i, shown in enumerate(column):
            field = story.fields[layer - 1][i]
            grids = [m for m in shown.get_family() if isinstance(m, PixelGrid)]
            assert len(grids) == len(field.patterns[:2])
            for grid, pattern in zip(grids, field.patterns, strict=False):
                np.testing.assert_array_equal(grid.values.ravel(), pattern)
            boards = [m for m in shown.get_family() if getattr(m, "is_checker", False)]
            assert len(boards) == len(grids) * int((~field.care).sum())
    for layer in (0, 1):
        n = mod.example_neuron(story, layer)
        panel = scene.making(story, layer, n)
        shown = [m.tex_string for m in panel.terms if isinstance(m, MathTex)]
        w = story.weights[layer][n]
        expected = [f"{'-' if w[j] < 0 else ('+' if k else '')}{abs(w[j]):.2f}"
                    for k, j in enumerate(mod.links(story.weights[layer], n))]
        assert [s.split(r"\,")[0] for s in shown] == expected


def test_the_second_layer_asks_two_questions_that_tell_the_kinds_apart():
    mod, _, _, story = _story()
    data = four_pixel(n=8)
    asks = mod.questions(story, data.X, data.y)
    assert asks == ["the top row is one colour", "the left column has two colours"]
    # the answers really separate the four kinds
    fields = {mod.describe(f): f for f in story.fields[1]}
    sigs = {}
    for x, c in zip(data.X, data.y, strict=True):
        sigs.setdefault(int(c), set()).add(tuple(fields[a].verdict(x) == "field" for a in asks))
    assert all(len(s) == 1 for s in sigs.values())
    assert len({next(iter(s)) for s in sigs.values()}) == 4


def test_partly_matched_neurons_are_named_by_how_many_pixels_match():
    _, _, _, story = _story()
    assert story.reasons[1][:2] == ["one of two", "one of two"]
    assert all(v < 0 for v in story.layer_values[1][:2])  # the bias keeps them low


def test_the_bias_phrase_says_when_the_sum_is_above_zero():
    mod, _, trace, story = _story()
    net = trace.net_at(1.0)
    i = mod.example_neuron(story, 0)
    assert mod.bias_phrase(story, i) == "only if both pixels match"
    pixels = mod.links(story.weights[0], i)
    signs = np.sign(net.weights[0][i, pixels])
    for x in corners(4):
        z = net.weights[0][i] @ x + net.biases[0][i]
        assert (z > 0) == bool(np.all(x[pixels] == signs))
