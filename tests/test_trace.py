"""Traces: recording schedules, interpolation, files, determinism, and NaN stops."""

from __future__ import annotations

import numpy as np
import pytest

from nnviz import MLP, NNVizError, Trace, TraceError, record_steps, train
from nnviz.core import datasets


def _trace(seed: int = 0, steps: int = 20, record: int | str = 1, test: bool = False) -> Trace:
    data = datasets.load("xor", n=80, seed=seed)
    held = None
    if test:
        data, held = data.split(0.25, seed=seed)
    net = MLP((2, 4, 1), activation="tanh", output_activation="sigmoid", seed=seed)
    return train(net, data, "adam", steps=steps, record=record, test=held, seed=seed, lr=0.05,
                 batch_size=16)


# -- schedules -------------------------------------------------------------------------


def test_record_every_k_keeps_zero_and_the_final_step():
    assert record_steps(10, 3).tolist() == [0, 3, 6, 9, 10]
    assert record_steps(9, 3).tolist() == [0, 3, 6, 9]
    assert record_steps(5, 1).tolist() == [0, 1, 2, 3, 4, 5]
    assert record_steps(5, "2").tolist() == [0, 2, 4, 5]
    assert record_steps(0, 4).tolist() == [0]
    assert record_steps(3, 100).tolist() == [0, 3]


def test_log_schedule_is_dense_early_and_sparse_late():
    kept = record_steps(10_000, "log:50")
    assert kept[0] == 0 and kept[-1] == 10_000
    assert np.all(np.diff(kept) > 0)
    assert 30 <= kept.size <= 51
    gaps = np.diff(kept)
    assert gaps[:5].max() <= 2 and gaps[-1] > 1000
    assert record_steps(3, "log:100").tolist() == [0, 1, 2, 3]


@pytest.mark.parametrize("bad", [0, -1, "log:", "log:x", "every", "1.5", ""])
def test_bad_record_schedules_are_user_errors(bad):
    with pytest.raises(NNVizError, match="ecord"):
        record_steps(10, bad)


def test_train_records_the_schedule_it_was_given():
    trace = _trace(steps=25, record=10)
    assert trace.steps.tolist() == [0, 10, 20, 25]
    assert trace.weights[0].shape == (4, 4, 2) and trace.biases[1].shape == (4, 1)
    assert trace.loss.shape == trace.accuracy.shape == (4,)
    assert trace.sizes == (2, 4, 1)
    assert trace.meta["sizes"] == [2, 4, 1] and trace.meta["record"] == 10


def test_recorded_loss_is_the_loss_of_the_recorded_weights():
    trace = _trace(steps=12, record=3)
    data = datasets.load("xor", n=80, seed=0)
    for i in range(trace.n_records):
        net = trace.network().set_weights(*trace.record(i))
        assert trace.loss[i] == pytest.approx(net.loss(data.X, data.targets(net),
                                                       "binary_cross_entropy"))
        assert trace.accuracy[i] == pytest.approx(data.accuracy(net))


# -- interpolation -----------------------------------------------------------------------


def test_params_at_the_ends_are_the_first_and_last_records():
    trace = _trace(steps=10, record=5)
    for t, i in ((0.0, 0), (1.0, -1), (-0.5, 0), (1.5, -1)):
        W, b = trace.params_at(t)
        W_rec, b_rec = trace.record(i)
        for got, want in zip(W + b, W_rec + b_rec, strict=True):
            np.testing.assert_array_equal(got, want)


def test_params_at_interpolates_linearly_between_records():
    trace = _trace(steps=10, record=5)  # records at steps 0, 5, 10
    W, b = trace.params_at(0.25)  # step 2.5: halfway between records 0 and 1
    for got, arr in zip(W + b, trace.weights + trace.biases, strict=True):
        np.testing.assert_allclose(got, 0.5 * (arr[0] + arr[1]))
    W, _ = trace.params_at(0.9)  # step 9: 4/5 of the way from record 1 to 2
    np.testing.assert_allclose(W[1], 0.2 * trace.weights[1][1] + 0.8 * trace.weights[1][2])
    assert trace.step_at(0.9) == pytest.approx(9.0)
    assert trace.value_at(trace.loss, 0.25) == pytest.approx(0.5 * (trace.loss[0] + trace.loss[1]))


def test_params_at_by_record_spreads_time_over_records():
    trace = _trace(steps=100, record="log:6")
    n = trace.n_records
    i, s = trace.position(1.0 / (n - 1), by="record")
    assert (i, s) == (1, pytest.approx(0.0))
    W, _ = trace.params_at(0.5 / (n - 1), by="record")
    np.testing.assert_allclose(W[0], 0.5 * (trace.weights[0][0] + trace.weights[0][1]))
    with pytest.raises(NNVizError, match="step, record"):
        trace.params_at(0.5, by="time")


def test_net_at_one_is_the_trained_network():
    data = datasets.load("xor", n=80, seed=0)
    net = MLP((2, 4, 1), activation="tanh", output_activation="sigmoid", seed=0)
    trace = train(net, data, "adam", steps=15, record=4, lr=0.05)
    np.testing.assert_allclose(trace.net_at(1.0).forward(data.X), net.forward(data.X))
    assert repr(trace.net_at(0.0)) == repr(net)


# -- files ------------------------------------------------------------------------------


def test_round_trip_keeps_every_array_and_the_metadata(tmp_path):
    trace = _trace(steps=8, record=2, test=True)
    path = trace.save(tmp_path / "run.npz")
    back = Trace.load(path)
    for name in ("steps", "loss", "accuracy", "test_loss", "test_accuracy"):
        np.testing.assert_array_equal(getattr(back, name), getattr(trace, name))
    for got, want in zip(back.weights + back.biases, trace.weights + trace.biases, strict=True):
        np.testing.assert_array_equal(got, want)
    assert back.meta == trace.meta
    assert back.meta["dataset"] == "xor" and back.meta["trainer"] == "adam"
    assert back.meta["trainer_params"]["lr"] == 0.05
    assert back.meta["dataset_params"] == {"n": 80, "noise": 0.12, "seed": 0}
    assert back.meta["nnviz_version"]


def test_save_adds_the_npz_suffix_and_leaves_no_temporary_files(tmp_path):
    path = _trace(steps=2).save(tmp_path / "sub" / "run")
    assert path.name == "run.npz" and path.is_file()
    assert [p.name for p in path.parent.iterdir()] == ["run.npz"]


def test_same_seed_gives_identical_bytes_and_another_seed_does_not(tmp_path):
    a = _trace(seed=3, steps=15, record="log:5").save(tmp_path / "a.npz").read_bytes()
    b = _trace(seed=3, steps=15, record="log:5").save(tmp_path / "b.npz").read_bytes()
    c = _trace(seed=4, steps=15, record="log:5").save(tmp_path / "c.npz").read_bytes()
    assert a == b
    assert a != c


def test_loading_a_missing_file_names_it(tmp_path):
    missing = tmp_path / "nope.npz"
    with pytest.raises(TraceError, match=r"nope\.npz.*does not exist"):
        Trace.load(missing)


@pytest.mark.parametrize("keep", [0.0, 0.1, 0.5, 0.9, 0.99])
def test_loading_a_truncated_file_names_it(tmp_path, keep):
    good = _trace(steps=6).save(tmp_path / "good.npz").read_bytes()
    bad = tmp_path / "cut.npz"
    bad.write_bytes(good[: int(keep * len(good))])
    with pytest.raises(TraceError, match=r"cut\.npz"):
        Trace.load(bad)


@pytest.mark.parametrize(("first", "stride"), [(200, 97), (10, 31), (40, 13), (0, 7)])
def test_loading_a_corrupted_file_names_it(tmp_path, first, stride):
    good = bytearray(_trace(steps=6).save(tmp_path / "good.npz").read_bytes())
    for k in range(first, len(good) - 30, stride):  # scribble over headers and data
        good[k] ^= 0xFF
    bad = tmp_path / "scribbled.npz"
    bad.write_bytes(bytes(good))
    with pytest.raises(TraceError, match=r"scribbled\.npz"):
        Trace.load(bad)


def test_loading_foreign_files_names_them(tmp_path):
    plain = tmp_path / "plain.npz"
    np.savez(plain, a=np.arange(3))
    with pytest.raises(TraceError, match=r"plain\.npz.*not an nnviz trace"):
        Trace.load(plain)
    wrong = tmp_path / "wrong.npz"
    np.savez(wrong, meta=np.array(['{"format": "other/9"}']))
    with pytest.raises(TraceError, match=r"wrong\.npz.*not an nnviz trace"):
        Trace.load(wrong)
    npy = tmp_path / "array.npz"
    with open(npy, "wb") as fh:
        np.save(fh, np.arange(4))
    with pytest.raises(TraceError, match=r"array\.npz"):
        Trace.load(npy)
    text = tmp_path / "notes.npz"
    text.write_text("hello, not a trace\n")
    with pytest.raises(TraceError, match=r"notes\.npz"):
        Trace.load(text)
    with pytest.raises(TraceError, match="is a folder"):
        Trace.load(tmp_path)  # a folder is not a trace


def test_loading_a_trace_missing_an_array_names_it(tmp_path):
    trace = _trace(steps=4)
    arrays = trace._arrays()
    del arrays["loss"]
    path = tmp_path / "partial.npz"
    np.savez(path, **arrays)
    with pytest.raises(TraceError, match=r"partial\.npz.*loss"):
        Trace.load(path)


def test_saving_into_an_unwritable_place_is_a_trace_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(TraceError, match="Cannot write"):
        _trace(steps=2).save(blocker / "run.npz")


def test_summary_names_architecture_steps_and_loss():
    text = _trace(steps=5, record=5).summary()
    assert "2-4-1" in text and "tanh -> sigmoid" in text
    assert "5 (2 recorded)" in text and "binary_cross_entropy" in text and "accuracy" in text


# -- NaN and infinity ----------------------------------------------------------------------


def _exploding(record: int | str = 1, steps: int = 200) -> tuple[Trace, MLP]:
    data = datasets.load("curve_1d", n=20, seed=0)
    net = MLP((1, 8, 1), activation="identity", output_activation="identity", seed=0)
    return train(net, data, "sgd", steps=steps, record=record, lr=0.6), net


@pytest.mark.parametrize("record", [1, 7, "log:10"])
def test_a_diverging_loss_stops_and_keeps_the_finite_part(record):
    trace, net = _exploding(record)
    assert trace.stopped and "step" in trace.stopped
    assert trace.steps[-1] < 200
    assert np.all(np.isfinite(trace.loss))
    assert all(np.isfinite(w).all() for w in trace.weights + trace.biases)
    assert np.all(np.diff(trace.steps) > 0)
    assert trace.loss[-1] > trace.loss[0]  # it really was diverging
    # the network is left at the last recorded finite state
    np.testing.assert_array_equal(net.weights[0], trace.weights[0][-1])
    assert f"ends at step {trace.steps[-1]}" in trace.stopped


def test_a_stopped_trace_says_so_after_a_round_trip(tmp_path):
    trace, _ = _exploding()
    back = Trace.load(trace.save(tmp_path / "nan.npz"))
    assert back.stopped == trace.stopped
    assert "stopped early" in back.summary()


def test_a_finished_trace_is_not_stopped():
    assert _trace(steps=3).stopped is None
