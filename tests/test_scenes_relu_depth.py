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


def test_random_nets_respect_the_bound():
    for width, depth in [(2, 3), (3, 2), (12, 1)]:
        for seed in range(5):
            net = random_relu_net(width, depth, seed)
            assert count_linear_pieces(net, -5, 5) <= max_pieces_bound(width, depth)
    assert np.all(random_piece_counts(12, 1, 5, -1, 1) <= 13)


def test_depth_multiplies_pieces_last_frame(control_frame):
    assert_matches_control(render_last_frame("depth-multiplies-pieces"),
                           control_frame("depth-multiplies-pieces"))
