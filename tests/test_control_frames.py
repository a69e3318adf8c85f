"""The graphical-test helpers cannot pass by accident: a changed number in a real control
frame fails the comparison, a label set a pixel or two off does not, and only an explicit
NNVIZ_UPDATE_CONTROL value writes control frames."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import ndimage

from nnviz.core.errors import NNVizError
from nnviz.pipeline.testing import (
    DETAIL_TOLERANCE,
    UPDATE_ENV,
    assert_matches_control,
    compare_frames,
    unexplained_detail,
)

CONTROL = Path(__file__).parent / "control_frames"
# training-you-can-watch's last frame reads "step 600  loss 0.001  train acc. 100%  test
# acc. 100%" along the top: the boxes (rows y0..y1, columns x0..x1) of those four numbers.
LIVE_NUMBERS = [(34, 41, 39, 52), (34, 41, 89, 108), (33, 41, 177, 198), (33, 41, 260, 281)]
# gradient-valley's readout "E = 0.003" at the bottom right: rows, and the left edge of
# its last two glyphs (6 px apart).
READOUT_ROWS = slice(243, 255)
GLYPH = {"0b": 452, "3": 458}


def control(name: str) -> np.ndarray:
    return np.load(CONTROL / f"{name}.npz")["frame"]


def moved(frame: np.ndarray, dy: float, dx: float) -> np.ndarray:
    """The frame shifted by a fraction of a pixel (bilinear: blurs a little, too)."""
    out = ndimage.shift(frame.astype(float), (dy, dx, 0), order=1, mode="nearest")
    return np.clip(np.round(out), 0, 255).astype(np.uint8)


def test_the_boxes_hold_the_numbers():
    frame = control("training-you-can-watch")
    background = frame[5, 5].astype(int)
    for y0, y1, x0, x1 in LIVE_NUMBERS:
        ink = np.abs(frame[y0:y1 + 1, x0:x1 + 1].astype(int) - background).max(-1) > 60
        assert ink.sum() > 20  # a number is drawn there (so blanking it changes something)


@pytest.mark.parametrize("box", LIVE_NUMBERS, ids=["step", "loss", "train", "test"])
def test_blanking_one_live_number_fails(box):
    frame = control("training-you-can-watch")
    y0, y1, x0, x1 = box
    blanked = frame.copy()
    blanked[y0 - 1:y1 + 2, x0 - 1:x1 + 2] = frame[5, 5]
    # few pixels: the old whole-frame rule alone let this pass
    assert compare_frames(blanked, frame, detail_tolerance=None)[0]
    ok, why = compare_frames(blanked, frame)
    assert not ok and "changed number" in why
    assert f"x={x0 // 16 * 16}" in why or f"x={x1 // 16 * 16}" in why


@pytest.mark.parametrize(("src", "dst"), [("3", "0b"), ("0b", "3")])
def test_changing_one_digit_fails(src, dst):
    frame = control("gradient-valley")
    changed = frame.copy()
    a, b = GLYPH[src], GLYPH[dst]
    changed[READOUT_ROWS, b:b + 5] = frame[READOUT_ROWS, a:a + 5]  # e.g. 0.003 -> 0.033
    assert not compare_frames(changed, frame)[0]


@pytest.mark.parametrize("shift", [(0.3, 1.4), (-1.0, 2.0), (1.5, -0.5), (-2.0, 0.0)])
@pytest.mark.parametrize(("name", "box"), [
    ("training-you-can-watch", (slice(29, 47), slice(0, 290))),  # step, loss, accuracies
    ("gradient-valley", (slice(241, 257), slice(405, 470))),  # E = 0.003
])
def test_a_readout_set_a_little_off_passes(name, box, shift):
    """Another LaTeX or font version places a readout a pixel or two off and anti-aliases
    its glyphs differently (seen: gradient-valley's readout 2 px lower on another machine):
    that is not a change."""
    frame = control(name)
    off = frame.copy()
    off[box] = moved(frame[box], *shift)
    assert unexplained_detail(off, frame).max() <= DETAIL_TOLERANCE
    if name == "gradient-valley":  # a short readout: within the whole-frame allowance too
        ok, why = compare_frames(off, frame)
        assert ok, why


def test_faint_noise_everywhere_passes():
    frame = control("training-you-can-watch")
    noise = np.random.default_rng(0).integers(-12, 13, frame.shape)
    assert compare_frames(np.clip(frame + noise, 0, 255).astype(np.uint8), frame)[0]


# -- NNVIZ_UPDATE_CONTROL --------------------------------------------------------------------


@pytest.fixture
def frames():
    frame = control("training-you-can-watch")
    other = frame.copy()
    other[LIVE_NUMBERS[0][0]:LIVE_NUMBERS[0][1] + 1, 30:60] = 255
    return frame, other


def test_without_the_variable_a_difference_fails_and_a_missing_control_is_named(
        tmp_path, monkeypatch, frames):
    monkeypatch.delenv(UPDATE_ENV, raising=False)
    frame, other = frames
    path = tmp_path / "c.npz"
    with pytest.raises(AssertionError, match=f"No control frame .*{UPDATE_ENV}=missing"):
        assert_matches_control(frame, path)
    assert not path.exists()
    np.savez_compressed(path, frame=frame)
    assert_matches_control(frame, path)
    with pytest.raises(AssertionError, match="differs from control"):
        assert_matches_control(other, path)
    (tmp_path / "c.actual.png").unlink()


@pytest.mark.parametrize("value", ["1", "true", "yes", "ALL", "update"])
def test_any_other_value_is_a_mistake_and_writes_nothing(tmp_path, monkeypatch, frames, value):
    frame, other = frames
    path = tmp_path / "c.npz"
    np.savez_compressed(path, frame=frame)
    before = path.read_bytes()
    monkeypatch.setenv(UPDATE_ENV, value)
    with pytest.raises(NNVizError, match="'all'.*'missing'"):
        assert_matches_control(other, path)
    with pytest.raises(NNVizError):
        assert_matches_control(other, tmp_path / "new.npz")
    assert path.read_bytes() == before and not (tmp_path / "new.npz").exists()


def test_missing_writes_only_missing_controls(tmp_path, monkeypatch, frames):
    frame, other = frames
    monkeypatch.setenv(UPDATE_ENV, "missing")
    path = tmp_path / "c.npz"
    with pytest.warns(UserWarning, match="wrote control frame"):
        assert_matches_control(frame, path)
    np.testing.assert_array_equal(np.load(path)["frame"], frame)
    with pytest.raises(AssertionError, match="differs from control"):
        assert_matches_control(other, path)  # an existing control is still compared
    np.testing.assert_array_equal(np.load(path)["frame"], frame)


def test_all_rewrites_every_control(tmp_path, monkeypatch, frames):
    frame, other = frames
    path = tmp_path / "c.npz"
    np.savez_compressed(path, frame=frame)
    monkeypatch.setenv(UPDATE_ENV, "all")
    with pytest.warns(UserWarning, match="wrote control frame"):
        assert_matches_control(other, path)
    np.testing.assert_array_equal(np.load(path)["frame"], other)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["c.npz"]  # no temporary left
