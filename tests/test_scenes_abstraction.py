"""explain.abstraction: per-layer top inputs, pictures and purity against direct numpy; the
hand-built edges -> corners -> square network's answers from the core's forward pass; and
both abstraction scenes' last frames against their control frames."""

import sys

import numpy as np
import pytest

from nnviz.core.activations import sigmoid
from nnviz.core.network import MLP
from nnviz.explain import abstraction as ab
from nnviz.pipeline.testing import assert_matches_control, render_scene
from nnviz.spec import registry
from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore


def _module():
    return sys.modules[registry.get("layers-of-abstraction").scene_class.__module__]


@pytest.fixture(scope="module")
def trained():
    """The trained digits network the layers-of-abstraction scene reads, and its images."""
    mod = _module()
    cfg = build_config(mod.AbstractionConfig, {}, "layers-of-abstraction")
    spec = cfg.traces()["main"]
    store = TraceStore()
    data, _ = mod.held_out(*store.data(spec))
    store.ensure(spec)
    return cfg, store.load(spec).net_at(1.0), data


def test_top_inputs_are_the_argmax_inputs_and_pictures_the_weights(trained):
    cfg, net, data = trained
    k = cfg.top
    views = ab.layer_views(net, data.X, data.y, k)
    assert [v.z.shape for v in views] == [(data.n_samples, s) for s in net.sizes[1:]]
    # the z each view ranks by is the weighted input computed by hand, layer by layer
    a = data.X
    for view, W, b in zip(views, net.weights, net.biases, strict=True):
        z = a @ W.T + b
        np.testing.assert_allclose(view.z, z, atol=1e-10)
        for j in range(z.shape[1]):
            top = view.top[j]
            assert top[0] == np.argmax(z[:, j])  # the first is the argmax
            assert np.all(np.diff(z[top, j]) <= 0)  # largest first
            rest = np.setdiff1d(np.arange(len(z)), top)
            assert z[top, j].min() >= z[rest, j].max()  # no image outside beats one inside
        a = sigmoid(z)
    np.testing.assert_array_equal(views[0].pictures, net.weights[0])
    assert views[0].picture_kind == "weights"
    for view in views[1:]:
        assert view.picture_kind == "mean of top images"
        np.testing.assert_allclose(view.pictures, data.X[view.top].mean(axis=1))


def test_purity_counts_the_most_common_label(trained):
    cfg, net, data = trained
    views = ab.layer_views(net, data.X, data.y, cfg.top)
    for view in views:
        for j in range(view.top.shape[0]):
            labels = data.y[view.top[j]]
            counts = np.bincount(labels, minlength=10)
            assert view.purity[j] == counts.max() / cfg.top
            assert view.label[j] == np.argmax(counts)
    # the outputs' favourites are their own digit; layer 1 is far above chance already
    chance = ab.chance_purity(data.y, cfg.top)
    assert np.all(views[-1].label == np.arange(10))
    assert views[0].mean_purity > chance + 0.3
    assert ab.hope_reading([v.mean_purity for v in views[:2]], chance) == (True, True)


def test_hidden_purity_is_as_high_before_training(trained):
    """The finding the summary chart rests on: random weights already give the hidden
    layers their trained purity (similar digits look alike); only the outputs learn it."""
    cfg, net, data = trained
    mod = _module()
    spec = build_config(mod.AbstractionConfig, {}, "layers-of-abstraction").traces()["main"]
    untrained = TraceStore().load(spec).net_at(0.0)
    after = [v.mean_purity for v in ab.layer_views(net, data.X, data.y, cfg.top)]
    before = [v.mean_purity for v in ab.layer_views(untrained, data.X, data.y, cfg.top)]
    assert ab.learned(after, before) == [False, False, True]
    assert all(abs(a - b) < 0.05 for a, b in zip(after[:2], before[:2], strict=True))


def test_learned_asks_for_a_third_of_the_gap():
    assert ab.learned([0.7, 1.0], [0.68, 0.68]) == [False, True]
    assert ab.learned([0.5], [0.25]) == [True]  # closed exactly a third of 0.75


def test_hope_reading_says_where_the_hope_holds():
    assert ab.hope_reading([0.3, 0.8], 0.29) == (False, False)  # layer 1 near chance, big step
    assert ab.hope_reading([0.9, 0.92], 0.29) == (True, True)
    assert ab.hope_reading([0.7, 0.95], 0.29) == (True, False)


def test_chance_purity_is_the_share_of_random_draws():
    y = np.repeat(np.arange(10), 100)
    # nine draws from ten balanced classes: most common label's share, by simulation
    assert ab.chance_purity(y, 9) == pytest.approx(0.28, abs=0.02)
    assert ab.chance_purity(np.zeros(50, dtype=int), 5) == 1.0


def test_edge_detectors_are_a_bar_with_negative_sides():
    for name in ab.EDGES:
        w = ab.edge_weights(name)
        pos, neg = np.argwhere(w > 0), np.argwhere(w < 0)
        assert len(pos) == 4 and len(neg) == 8
        axis = 0 if name in ("top", "bottom") else 1  # the bar lies along one row or column
        assert len(set(pos[:, axis])) == 1
        assert set(neg[:, axis]) == {pos[0, axis] - 1, pos[0, axis] + 1}


def test_hand_built_square_fires_only_on_the_square():
    net = ab.square_network()
    images = ab.shapes(seed=0)
    X = np.stack(list(images.values()))
    out = dict(zip(images, net.forward(X)[:, 0], strict=True))
    assert out["square"] > 0.9
    assert all(out[k] < 0.05 for k in ("L", "line", "noise"))
    # layer by layer as the scene says: the L lights left and bottom, then one corner
    edges, corners, _ = (o.a[0] for o in net.layer_outputs(images["L"]))
    assert [e for e, a in zip(ab.EDGES, edges, strict=True) if a > 0.5] == ["bottom", "left"]
    assert [c for c, a in zip(ab.CORNERS, corners, strict=True) if a > 0.5] == [
        ("bottom", "left")]
    # the forward pass is sigma(W a + b) with the hand-set weights, computed here by hand
    a = images["square"]
    for W, b in zip(net.weights, net.biases, strict=True):
        a = sigmoid(W @ a + b)
    assert a[0] == pytest.approx(out["square"], abs=1e-12)
    # a filled square is no outline: its edges' sides are inked, nothing fires
    filled = np.zeros((ab.SIDE, ab.SIDE))
    filled[ab.LO:ab.HI + 1, ab.LO:ab.HI + 1] = 1
    assert net.forward(filled.ravel()[None, :])[0, 0] < 0.05
    assert isinstance(net, MLP) and net.sizes == (64, 4, 4, 1)


@pytest.mark.render
@pytest.mark.parametrize("name", ["edges-corners-square", "layers-of-abstraction"])
def test_last_frame_matches_control(name, control_frame):
    scene, frame = render_scene(name)
    assert scene.beats[-1].name in ("end", "verdict")
    assert_matches_control(frame, control_frame(name))


def test_the_hand_built_scene_says_what_its_forward_pass_does():
    mod = _module()
    cfg = build_config(mod.SquareConfig, {}, "edges-corners-square")
    said = {name: mod.feed_sentence(name, acts) for name, _, acts in mod.square_story(cfg)}
    assert "square neuron fires" in said["square"] and "4 edges" in said["square"]
    assert said["L"].startswith("An L lights 2 edges and 1 corner")
    assert "1 edge but no corner" in said["line"]
    assert "no edge detector fires" in said["noise"]


def test_picks_are_the_purest_and_the_most_mixed_unit(trained):
    cfg, net, data = trained
    for view in ab.layer_views(net, data.X, data.y, cfg.top):
        pure, mixed = _module().picks(view)
        assert pure != mixed
        assert view.purity[pure] == view.purity.max()
        assert view.purity[mixed] == view.purity.min() or view.purity.min() == 1.0
