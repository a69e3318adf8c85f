"""LossCurve: reveals the recorded series up to t and puts the marker on the curve."""

import numpy as np
import pytest

from nnviz.draw.mobjects.loss_curve import LossCurve

STEPS = np.array([0.0, 10.0, 20.0, 40.0])
LOSS = np.array([1.0, 0.5, 0.1, 0.01])


def test_value_at_interpolates_between_records():
    c = LossCurve(STEPS, LOSS)
    assert c.value_at(0.0) == pytest.approx(1.0)
    assert c.value_at(0.125) == pytest.approx(0.75)  # step 5, halfway from 1.0 to 0.5
    assert c.value_at(1.0) == pytest.approx(0.01)


def test_progress_reveals_curve_and_moves_marker():
    c = LossCurve(STEPS, LOSS, second=2 * LOSS, log=True, progress=0.0)
    start = c.marker.get_center().copy()
    c.set_progress(0.5)
    np.testing.assert_allclose(c.marker.get_center(), c.point_at(0.5))
    assert c.marker.get_center()[0] > start[0]  # moved right
    assert c.curve.get_end()[0] == pytest.approx(c.point_at(0.5)[0])
    c.set_progress(1.0)
    assert c.curve.get_end()[0] == pytest.approx(c.axes.c2p(40.0, 0)[0])
    # log scale: each decade is the same height
    d1 = c.point_at(0.5)[1] - c.point_at(1.0)[1]  # 0.1 -> 0.01
    assert d1 == pytest.approx(c.axes.c2p(0, 1)[1] - c.axes.c2p(0, 0)[1])


def test_mismatched_series_is_an_error():
    with pytest.raises(ValueError):
        LossCurve(STEPS, LOSS[:2])
