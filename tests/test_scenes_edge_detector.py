"""edge-detector: the hand-built neurons' numbers on screen are the core network's, the
examples really fire or stay quiet, and the trained pictures are the digits network's."""

import sys

import numpy as np
import pytest

from nnviz.core.activations import sigmoid
from nnviz.draw.mobjects.latex import tex_number as fmt
from nnviz.explain import hand_built as hb
from nnviz.pipeline.testing import assert_matches_control, render_scene
from nnviz.spec import registry
from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore


def _module():
    return sys.modules[registry.get("edge-detector").scene_class.__module__]


@pytest.fixture(scope="module")
def story():
    mod = _module()
    cfg = build_config(mod.EdgeDetectorConfig, {}, "edge-detector")
    data = mod.all_images(*TraceStore().data(cfg.traces()["trained"]))
    return mod, cfg, data, mod.edge_story(cfg, data)


@pytest.fixture(scope="module")
def rendered():
    return render_scene("edge-detector")


def test_hand_built_weights_are_a_strip_with_negative_sides():
    stroke = hb.stroke_detector()
    cols = np.flatnonzero(stroke.strip.any(axis=0))
    left = np.flatnonzero(stroke.surround[:, : cols[0]].any(axis=0))
    right = np.flatnonzero(stroke.surround[:, cols[-1] + 1:].any(axis=0))
    assert np.all(np.diff(cols) == 1) and left.size and right.size  # - + - side by side
    assert stroke.weights[stroke.strip].min() > 0 > stroke.weights[stroke.surround].max()
    loop = hb.loop_detector()
    assert loop.weights[9, 14] < 0 < loop.weights[9, 14 + 4]  # a hole inside a ring


def test_activations_are_the_core_forward_pass(story):
    _, cfg, data, s = story
    net = hb.hand_network()
    outs = net.layer_outputs(data.X)
    z1, a1, a2 = outs[0].z, outs[0].a, outs[1].a[:, 0]
    stroke = s["stroke"]
    for ex in s["examples"]:
        x = data.X[ex.index]
        assert ex.z == pytest.approx(z1[ex.index, 0])
        assert ex.a == pytest.approx(a1[ex.index, 0])
        w = stroke.weights.ravel()
        assert ex.strip == pytest.approx(float(w[w > 0] @ x[w > 0]))
        assert ex.strip + ex.beside + stroke.bias == pytest.approx(ex.z)
    for i, _, parts, z, a in s["nines"]:
        np.testing.assert_allclose(parts, a1[i, 1:])
        assert a == pytest.approx(a2[i])
        assert a == pytest.approx(float(sigmoid(z)))


def test_the_examples_fire_and_stay_quiet_as_shown(story):
    _, cfg, data, s = story
    first, *quiet = s["examples"]
    assert first.label == cfg.fires_digit and first.a > 0.5
    assert [q.label for q in quiet] == list(cfg.quiet_digits) and all(q.a < 0.5 for q in quiet)
    (nine_i, nine_d, nine_parts, _, nine_a), (other_i, other_d, parts, _, other_a) = s["nines"]
    assert data.y[nine_i] == nine_d == 9 and nine_a > 0.5 and nine_parts.min() > 0.5
    assert data.y[other_i] == other_d == cfg.not_nine and other_a < 0.5
    # the default 0 has a loop but no line: the sentence says so
    assert parts[0] > 0.5 > parts[1]


def test_firing_rates_count_the_whole_data_set(story):
    _, cfg, data, s = story
    act = hb.hand_network().layer_outputs(data.X)
    stroke_fires, nine_fires = act[0].a[:, 0] > 0.5, act[1].a[:, 0] > 0.5
    hit, other = s["stroke_rate"]
    assert hit == pytest.approx(stroke_fires[data.y == cfg.fires_digit].mean())
    assert other == pytest.approx(stroke_fires[data.y != cfg.fires_digit].mean())
    hit9, other9 = s["nine_rate"]
    assert hit9 == pytest.approx(nine_fires[data.y == 9].mean())
    assert other9 == pytest.approx(nine_fires[data.y != 9].mean())
    assert hit > 0.5 > other and hit9 > 0.5 > other9
    assert s["n"] == data.n_samples == 1797


def test_rows_show_the_numbers_of_the_story(rendered):
    scene, _ = rendered
    s = scene.story
    for row, ex in zip(scene.stroke_rows, s["examples"], strict=True):
        tex = "".join(row[1].tex_strings)
        for v in (ex.strip, -ex.beside, ex.z):
            assert fmt(v) in tex
        assert fmt(ex.a) in row[2][0].tex_string
        assert row[2][1].original_text == ("fires" if ex.a > 0.5 else "quiet")
    for row, (_, _, parts, z, a) in zip(scene.nine_rows, s["nines"], strict=True):
        assert fmt(parts[0]) in row[1].tex_string and fmt(parts[1]) in row[1].tex_string
        assert fmt(z) in row[2][0].tex_string and fmt(a) in row[2][0].tex_string


def test_trained_pictures_come_from_the_digits_network(rendered):
    scene, _ = rendered
    cfg = scene.cfg
    digits = registry.get("digits-network").scene_class.Config(seed=cfg.seed)
    assert cfg.traces()["trained"] == digits.traces()["main"]
    net = TraceStore().load(cfg.traces()["trained"]).net_at(1.0)
    _, test = TraceStore().data(cfg.traces()["trained"])
    assert scene.accuracy == pytest.approx(np.mean(net.predict(test.X) == test.y))
    assert scene.trained_neurons == list(range(cfg.trained_pictures))
    assert hb.crop_border(net.weights[0][0]).shape == (20, 20)


def test_edge_detector_last_frame(rendered, control_frame):
    assert_matches_control(rendered[1], control_frame("edge-detector"))
