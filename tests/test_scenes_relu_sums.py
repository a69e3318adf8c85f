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


def test_every_count_shown_while_adding_is_exact_and_every_bend_can_be_seen():
    """The counter after each added line is the exact count of bias + first k lines; with
    the default weights every neuron is alive on [-1, 1] and the bends are well apart, so
    each added line adds one visible piece."""
    import importlib

    from nnviz.explain.bent_lines import bends, bent_lines
    from nnviz.spec import registry

    mod = importlib.import_module(registry.get("summing-bent-lines").scene_class.__module__)

    scene = _rendered("summing-bent-lines")
    net = TraceStore().load(scene.cfg.traces()["main"]).net_at(1.0)
    n = net.sizes[1]
    exact = [count_linear_pieces(mod.first_neurons(net, k), -1.0, 1.0) for k in range(n + 1)]
    assert scene.shown_pieces == exact
    bx = np.sort(bends(net.weights, net.biases))
    assert np.all((bx > -1) & (bx < 1)) and np.diff(bx).min() > 0.1
    xs = np.linspace(-1, 1, 2001)
    assert np.abs(bent_lines(net.weights, net.biases, xs)).max(axis=1).min() > 0.2
    assert exact == list(range(1, n + 2))


def test_piece_counts_shown_are_the_exact_counts():
    from nnviz.draw.mobjects.piece_counter import PieceCounter

    scene = _rendered("training-a-fit")
    shown = [c.number.get_value() for c in _all(scene, PieceCounter)]
    specs = scene.cfg.traces()
    runs = [TraceStore().load(specs[k]) for k in ("left", "right")]
    exact = [count_linear_pieces(r.net_at(1.0), -1.0, 1.0) for r in runs]
    assert shown == exact
    assert all(n >= 3 for n in exact)  # training really bent the line
    # the final losses printed are the traces' own, and the verdict names the lower one
    assert scene.finals == {"left": float(runs[0].loss[-1]), "right": float(runs[1].loss[-1])}
    assert scene.finals["right"] < scene.finals["left"]  # Adam beats the stuck nudge run
    # the circled points are where the worse fit misses most
    data = TraceStore().data(specs["left"])[0]
    miss = np.abs(runs[0].net_at(1.0).forward(data.X)[:, 0] - data.y[:, 0])
    assert set(scene.ring_points) == set(data.X[np.argsort(-miss)[:3], 0])


def test_nudge_cost_shown_is_the_trainers():
    """'one step = n to 2n network runs': count the loss evaluations of one Nudge sweep."""
    from nnviz.core.trainers import Nudge

    scene = _rendered("training-a-fit")
    lo, hi = scene.nudge_runs
    specs = scene.cfg.traces()
    net = TraceStore().load(specs["left"]).net_at(0.0)
    data = TraceStore().data(specs["left"])[0]
    calls = []
    real = net.loss
    net.loss = lambda *a, **k: calls.append(1) or real(*a, **k)
    Nudge(step=scene.cfg.left_lr).run(net, data.X, data.y, "squared_error", 1, None, lambda s: True)
    assert lo == net.n_params and hi == 2 * net.n_params
    assert lo <= len(calls) - 1 <= hi  # minus the first evaluation before the sweep


def test_summing_bent_lines_last_frame(control_frame):
    assert_matches_control(render_last_frame("summing-bent-lines"),
                           control_frame("summing-bent-lines"))


def test_training_a_fit_last_frame(control_frame):
    assert_matches_control(render_last_frame("training-a-fit"), control_frame("training-a-fit"))
