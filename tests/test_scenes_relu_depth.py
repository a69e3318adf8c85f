"""depth-multiplies-pieces: every count it shows is the exact counter's; sawtooth = 2^L."""

import numpy as np

from nnviz.explain.pieces import count_linear_pieces
from nnviz.explain.random_pieces import max_pieces_bound, random_piece_counts, random_relu_net
from nnviz.pipeline.testing import assert_matches_control, render_last_frame, render_scene
from nnviz.spec.store import TraceStore


def _scene():
    return render_scene("depth-multiplies-pieces", (240, 135))[0]


def test_counts_shown_are_exact_and_the_sawtooth_doubles():
    from nnviz.draw.mobjects.piece_counter import PieceCounter

    scene = _scene()
    cfg, shown = scene.cfg, scene.shown
    assert shown["sawtooth"] == [2**d for d in range(1, cfg.max_depth + 1)]
    counters = [m for top in scene.mobjects for m in top.get_family()
                if isinstance(m, PieceCounter)]
    assert [c.count for c in counters] == [2**cfg.max_depth]
    for d in (1, cfg.max_depth):
        assert shown["random"][d - 1] == random_piece_counts(2, d, cfg.random_seeds, -1, 1,
                                                             cfg.bias_scale).max()
    best = max(count_linear_pieces(TraceStore().load(cfg.traces()[f"deep{cfg.max_depth}_{s}"])
                                   .net_at(1.0), -1, 1) for s in range(cfg.trained_seeds))
    assert shown["trained"][-1] == best
    # possible is not reached: random and trained deep nets stay far below the sawtooth
    assert shown["random"][-1] < shown["sawtooth"][-1]


def test_a_fold_then_a_stretch_is_one_more_layer():
    """What the scene animates between depths: fold the output at 1/2, stretch it by 2;
    the result is the next sawtooth network's output exactly."""
    from nnviz.explain.sawtooth import sawtooth_network

    xs = np.linspace(-1, 1, 2**8 + 1)
    for depth in range(1, 6):
        y = sawtooth_network(depth, -1, 1).forward(xs[:, None])[:, 0]
        folded = np.where(y > 0.5, 1.0 - y, y)
        nxt = sawtooth_network(depth + 1, -1, 1).forward(xs[:, None])[:, 0]
        np.testing.assert_allclose(2 * folded, nxt, atol=1e-12)


def test_dead_units_are_exact():
    from nnviz.core.network import MLP
    from nnviz.explain.pieces import dead_units
    from nnviz.explain.sawtooth import sawtooth_network

    assert not any(d.any() for d in dead_units(sawtooth_network(4, -1, 1), -1, 1))
    net = MLP((1, 2, 1), "relu", "identity").set_weights(
        [np.array([[1.0], [1.0]]), np.array([[1.0, 1.0]])], [np.array([0.0, -2.0]), np.zeros(1)])
    (dead,) = dead_units(net, -1, 1)
    assert dead.tolist() == [False, True]  # x - 2 < 0 on [-1, 1]
    (dead,) = dead_units(net, -1, 3)
    assert dead.tolist() == [False, False]


def test_trained_deep_nets_shown_with_their_dead_relus():
    scene = _scene()
    cfg = scene.cfg
    store = TraceStore()
    nets = [store.load(cfg.traces()[f"deep{cfg.max_depth}_{s}"]).net_at(1.0)
            for s in range(cfg.trained_seeds)]
    from nnviz.explain.pieces import dead_units

    flat = sum(count_linear_pieces(n, -1, 1) == 1 for n in nets)
    dead = np.mean([sum(int(d.sum()) for d in dead_units(n, -1, 1)) for n in nets])
    assert scene.dead == (flat, len(nets), dead)


def test_random_nets_respect_the_bound():
    for width, depth in [(2, 3), (3, 2), (12, 1)]:
        for seed in range(5):
            net = random_relu_net(width, depth, seed)
            assert count_linear_pieces(net, -5, 5) <= max_pieces_bound(width, depth)
    assert np.all(random_piece_counts(12, 1, 5, -1, 1) <= 13)


def test_depth_multiplies_pieces_last_frame(control_frame):
    assert_matches_control(render_last_frame("depth-multiplies-pieces"),
                           control_frame("depth-multiplies-pieces"))
