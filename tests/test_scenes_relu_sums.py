"""summing-bent-lines and training-a-fit: the drawn curves and counts are the network's."""

import numpy as np

from nnviz.explain.bent_lines import partial_sums
from nnviz.explain.pieces import count_linear_pieces
from nnviz.pipeline.testing import assert_matches_control, render_last_frame, render_scene
from nnviz.spec.store import TraceStore


def _rendered(name):
    """Render a scene's last frame small and return the scene object (to inspect mobjects)."""
    return render_scene(name, (240, 135))[0]


def _all(scene, cls):
    return [m for top in scene.mobjects for m in top.get_family() if isinstance(m, cls)]


def test_drawn_sum_of_bent_lines_is_the_forward_pass():
    scene = _rendered("summing-bent-lines")
    cfg = scene.cfg
    net = TraceStore().load(cfg.traces()["main"]).net_at(1.0)
    # the running sum on screen after the last addition, read back in data coordinates
    assert scene.running_sum in scene.mobjects
    pts = np.array([scene.axes.p2c(p) for p in scene.running_sum.get_anchors()])
    xs = np.linspace(-0.95, 0.95, 29)
    drawn = np.interp(xs, pts[:, 0], pts[:, 1])
    np.testing.assert_allclose(drawn, net.forward(xs[:, None])[:, 0], atol=1e-6)
    np.testing.assert_allclose(partial_sums(net.weights, net.biases, xs)[-1],
                               net.forward(xs[:, None])[:, 0], atol=1e-12)
    from nnviz.draw.mobjects.piece_counter import PieceCounter

    (counter,) = _all(scene, PieceCounter)
    assert counter.count == count_linear_pieces(net, -1.0, 1.0)


def test_piece_counts_shown_are_the_exact_counts():
    from nnviz.draw.mobjects.piece_counter import PieceCounter

    scene = _rendered("training-a-fit")
    shown = [c.number.get_value() for c in _all(scene, PieceCounter)]
    specs = scene.cfg.traces()
    exact = [count_linear_pieces(TraceStore().load(specs[k]).net_at(1.0), -1.0, 1.0)
             for k in ("left", "right")]
    assert shown == exact
    assert all(n >= 3 for n in exact)  # training really bent the line


def test_summing_bent_lines_last_frame(control_frame):
    assert_matches_control(render_last_frame("summing-bent-lines"),
                           control_frame("summing-bent-lines"))


def test_training_a_fit_last_frame(control_frame):
    assert_matches_control(render_last_frame("training-a-fit"), control_frame("training-a-fit"))
