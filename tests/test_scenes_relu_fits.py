"""fitting-a-line and bent-line: the numbers they show, and their last frames."""

import numpy as np
import pytest

from nnviz.core import datasets
from nnviz.pipeline.testing import assert_matches_control, render_last_frame
from nnviz.spec.store import TraceStore


def _fitting_config():
    from nnviz.spec import registry

    return registry.get("fitting-a-line").config_class()


def test_nudge_trace_fits_the_line_and_error_counts_down():
    cfg = _fitting_config()
    trace = TraceStore().load(cfg.traces()["main"])
    data = datasets.load("linear_1d", **dict(cfg.traces()["main"].dataset_params))
    X, Y = data.X[:, 0], data.y[:, 0]
    sums = []
    for i in range(trace.n_records):
        W, B = trace.record(i)
        sums.append(np.abs(Y - (W[0][0, 0] * X + B[0][0])).sum())
    # the on-screen sum of |errors| is n times the recorded mean absolute error
    np.testing.assert_allclose(sums, trace.loss * len(X), rtol=1e-9)
    assert np.all(np.diff(sums) <= 1e-12)  # nudge never accepts a worse line
    assert sums[-1] < 0.3 * sums[0]
    # every parameter change is a multiple of the nudge step
    w = trace.weights[0][:, 0, 0]
    assert np.allclose(np.round(np.diff(w) / 0.1) * 0.1, np.diff(w))


def test_the_tries_shown_are_the_trainers_first_sweep():
    """The first nudges the scene shows, try by try, end where the core's first step
    ends, and include a try that made things worse (the lesson of the beat)."""
    import importlib

    from nnviz.spec import registry

    mod = importlib.import_module(registry.get("fitting-a-line").scene_class.__module__)

    cfg = _fitting_config()
    trace = TraceStore().load(cfg.traces()["main"])
    data = datasets.load("linear_1d", **dict(cfg.traces()["main"].dataset_params))
    X, Y = data.X[:, 0], data.y[:, 0]
    (W0,), (B0,) = trace.record(0)
    tries = mod.nudge_tries(X, Y, float(W0[0, 0]), float(B0[0]), cfg.nudge_step)
    params = {"w": float(W0[0, 0]), "b": float(B0[0])}
    for name, value, before, err, kept in tries:
        assert before == pytest.approx(mod.total_error(X, Y, params["w"], params["b"]))
        assert kept == (err < before)
        if kept:
            params[name] = value
    (W1,), (B1,) = trace.record(1)
    assert params["w"] == pytest.approx(W1[0, 0]) and params["b"] == pytest.approx(B1[0])
    assert any(not kept for *_, kept in tries) and any(kept for *_, kept in tries)


def test_fitting_a_line_last_frame(control_frame):
    assert_matches_control(render_last_frame("fitting-a-line"), control_frame("fitting-a-line"))


def test_bent_line_last_frame(control_frame):
    assert_matches_control(render_last_frame("bent-line"), control_frame("bent-line"))


def test_bent_line_slider_range_must_be_two_numbers():
    from nnviz.core.errors import NNVizError
    from nnviz.spec.config import build_config

    entry = registry_entry("bent-line")
    with pytest.raises(NNVizError, match="w_range"):
        build_config(entry.config_class, {"w_range": "1,2,3"}, "bent-line")
    assert build_config(entry.config_class, {"w_range": "-2,2"}).w_range == (-2.0, 2.0)


def registry_entry(name):
    from nnviz.spec import registry

    return registry.get(name)
