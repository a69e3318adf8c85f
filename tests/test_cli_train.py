"""`nnviz train` and `nnviz inspect` through the real console script and its entry point."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from cli_runner import run_cli
from PIL import Image

from nnviz import Trace
from nnviz.draw.loss_plot import log_ticks, nice_ticks
from nnviz.spec.palette import PALETTE, hex_to_rgb

NNVIZ = str(Path(sys.executable).with_name("nnviz"))


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([NNVIZ, *args], capture_output=True, text=True, cwd=cwd, timeout=120)


def call(capsys, *args: str) -> tuple[int, str, str]:
    """Run the CLI in-process (same entry point as the script): (exit code, out, err)."""
    return run_cli(list(args), capsys)


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("nnviz: error: ") and "Traceback" not in err
    return lines[0]


# -- the real console script -------------------------------------------------------------


def test_train_then_inspect_through_the_console_script(tmp_path):
    out = tmp_path / "xor.npz"
    r = run("train", "--dataset", "xor", "--layers", "2,4,1", "--activation", "tanh",
            "--output-activation", "sigmoid", "--trainer", "adam", "--steps", "60",
            "--lr", "0.05", "--batch-size", "50", "--record", "log:20", "--seed", "3",
            "--out", str(out))
    assert r.returncode == 0, r.stderr
    assert "Saved" in r.stdout and "2-4-1" in r.stdout
    trace = Trace.load(out)
    assert trace.sizes == (2, 4, 1) and int(trace.steps[-1]) == 60
    m = trace.meta
    assert (m["activation"], m["output_activation"], m["trainer"], m["seed"]) == (
        "tanh", "sigmoid", "adam", 3)
    assert m["trainer_params"]["lr"] == 0.05 and m["trainer_params"]["batch_size"] == 50
    assert m["record"] == "log:20" and 10 <= trace.n_records <= 21

    r = run("inspect", str(out))
    assert r.returncode == 0, r.stderr
    assert "2-4-1" in r.stdout and "tanh -> sigmoid" in r.stdout
    assert "60 (" in r.stdout
    assert f"{trace.final_loss:.6g}" in r.stdout
    assert f"{trace.final_accuracy:.2%}" in r.stdout
    png = tmp_path / "xor.loss.png"
    assert str(png) in r.stdout
    img = np.asarray(Image.open(png).convert("RGB"))
    assert img.shape == (500, 800, 3)
    # the curve is drawn in the highlight colour, on the palette background
    curve = np.all(np.abs(img.astype(int) - hex_to_rgb_255(PALETTE["highlight"])) < 30, axis=2)
    assert curve.sum() > 500
    assert np.all(img[2, 2] == hex_to_rgb_255(PALETTE["background"]))


def hex_to_rgb_255(colour: str) -> np.ndarray:
    return np.round(hex_to_rgb(colour) * 255)


@pytest.mark.parametrize(("args", "expected"), [
    (["--dataset", "spiralz", "--layers", "2,3,1"], "Unknown data set 'spiralz'.*Valid choices"),
    (["--dataset", "xor", "--layers", "2,,3"], "Bad --layers '2,,3'"),
])
def test_console_script_errors_are_one_line_without_traceback(tmp_path, args, expected):
    import re

    r = run("train", *args, "--out", str(tmp_path / "x.npz"))
    assert r.returncode == 2
    assert re.search(expected, _one_error_line(r.stderr))
    assert list(tmp_path.iterdir()) == []


# -- every user mistake, through the entry point -------------------------------------------

BAD_TRAIN = [
    (["-d", "spiralz", "-l", "2,3,1"], ["'spiralz'", "Did you mean 'spirals'", "Valid choices:",
                                        "two_curves"]),
    (["-d", "xor", "-l", "2,,3"], ["Bad --layers '2,,3'", "e.g. 2,3,2"]),
    (["-d", "xor", "-l", "0,3"], ["Bad --layers '0,3'"]),
    (["-d", "xor", "-l", "a,b"], ["Bad --layers 'a,b'"]),
    (["-d", "xor", "-l", "2"], ["Bad --layers '2'"]),
    (["-d", "xor", "-l", "2,-1"], ["Bad --layers '2,-1'"]),
    (["-d", "xor", "-l", "3,4,1"], ["--layers starts with 3", "'xor' has 2 inputs", "2,4,1"]),
    (["-d", "digits", "-l", "784,16,10"], ["'digits' has 64 inputs", "64,16,10"]),
    (["-d", "xor", "-l", "2,4,3"], ["2 classes", "3 outputs", "1 or 2"]),
    (["-d", "xor", "-l", "2,3,1", "-t", "adma"], ["Unknown trainer 'adma'", "Valid choices:",
                                                  "sgd, momentum, adam, nudge, lbfgs"]),
    (["-d", "xor", "-l", "2,3,1", "-a", "sigmod"], ["Unknown activation 'sigmod'",
                                                    "identity, sigmoid, tanh, relu"]),
    (["-d", "xor", "-l", "2,3,1", "--output-activation", "soft"], ["Unknown activation 'soft'"]),
    (["-d", "xor", "-l", "2,3,1", "--loss", "hinge"], ["Unknown loss 'hinge'", "squared_error"]),
    (["-d", "xor", "-l", "2,3,1", "--steps", "abc"], ["--steps", "'abc'", "integer"]),
    (["-d", "xor", "-l", "2,3,1", "--steps", "-3"], ["--steps", "-3"]),
    (["-d", "xor", "-l", "2,3,1", "--lr", "fast"], ["--lr", "'fast'", "float"]),
    (["-d", "xor", "-l", "2,3,1", "--seed", "x"], ["--seed", "'x'"]),
    (["-d", "xor", "-l", "2,3,1", "--batch-size", "0"], ["--batch-size", "0"]),
    (["-d", "xor", "-l", "2,3,1", "--record", "log:x"], ["Bad record schedule 'log:x'"]),
    (["-d", "xor", "-l", "2,3,1", "--record", "0"], ["Record interval must be at least 1"]),
    (["-d", "xor", "-l", "2,3,1", "--data-param", "n=abc"], ["n='abc'", "expected int"]),
    (["-d", "xor", "-l", "2,3,1", "--data-param", "size=3"], ["no parameter 'size'",
                                                             "Valid choices: n, noise, seed"]),
    (["-d", "xor", "-l", "2,3,1", "--data-param", "n"], ["KEY=VALUE"]),
    (["-d", "xor", "-l", "2,3,1", "-t", "nudge", "--lr", "0.1"], ["'nudge' has no parameter 'lr'",
                                                                  "step"]),
    (["-d", "xor", "-l", "2,3,1", "-t", "adam", "--trainer-param", "beta=2"], ["no parameter "
                                                                               "'beta'"]),
    (["-d", "mnist", "-l", "784,10"], ["No MNIST folder"]),
    (["-d", "xor", "-l", "2,3,1", "--test-fraction", "2"], ["--test-fraction"]),
    (["-l", "2,3,1"], ["Missing option '--dataset'"]),
    (["-d", "xor", "-l", "2,3,1", "--colour", "red"], ["No such option", "--colour"]),
]


@pytest.mark.parametrize(("args", "expected"), BAD_TRAIN, ids=[" ".join(a) for a, _ in BAD_TRAIN])
def test_train_mistakes_are_one_line_and_leave_no_file(capsys, tmp_path, args, expected):
    code, out, err = call(capsys, "train", *args, "--out", str(tmp_path / "run.npz"))
    assert code == 2
    line = _one_error_line(err)
    for text in expected:
        assert text in line, line
    assert out == ""
    assert list(tmp_path.iterdir()) == []


def test_unwritable_output_places_are_named(capsys, tmp_path):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    for target, named, text in ((blocker / "run.npz", blocker, "is a file, not a folder"),
                                (tmp_path, tmp_path, "is a folder"),
                                (Path("/proc/nnviz-test/run.npz"), Path("/proc/nnviz-test"),
                                 "'/proc' is not writable")):
        code, _, err = call(capsys, "train", "-d", "xor", "-l", "2,3,1", "--out", str(target))
        assert code == 2
        line = _one_error_line(err)
        assert text in line and f"'{named}'" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file.txt"]


def test_a_diverging_run_warns_and_still_saves_the_finite_part(capsys, tmp_path):
    out = tmp_path / "nan.npz"
    code, stdout, err = call(capsys, "train", "-d", "curve_1d", "--data-param", "n=20", "-l",
                             "1,8,1", "-a", "identity", "-t", "sgd", "--lr", "0.6", "--steps",
                             "200", "--out", str(out))
    assert code == 0
    assert "training stopped early" in err and ("nan" in err or "inf" in err)
    assert "Traceback" not in err and "RuntimeWarning" not in err
    trace = Trace.load(out)
    assert trace.stopped and trace.steps[-1] < 200 and np.all(np.isfinite(trace.loss))
    code, stdout, _ = call(capsys, "inspect", str(out))
    assert code == 0 and "stopped early" in stdout


def test_same_seed_same_bytes_through_the_cli(capsys, tmp_path):
    args = ["-d", "two_curves", "-l", "2,3,1", "-n", "20", "--batch-size", "16", "--seed", "7"]
    for name in ("a.npz", "b.npz"):
        assert call(capsys, "train", *args, "--out", str(tmp_path / name))[0] == 0
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()


def test_the_cli_trace_is_the_stores_trace_of_the_same_spec(capsys, tmp_path):
    """`nnviz train` goes the one spec -> trace path: its file is byte for byte what the trace
    store caches for that spec, and its numbers are those of training the network directly."""
    from nnviz.core import datasets
    from nnviz.core.network import MLP
    from nnviz.core.training import train
    from nnviz.spec import store
    from nnviz.spec.config import spec

    out = tmp_path / "cli.npz"
    code, _, err = call(capsys, "train", "-d", "spirals", "--data-param", "n=80", "-l", "2,5,1",
                        "-t", "momentum", "--trainer-param", "momentum=0.5", "--lr", "0.1",
                        "--batch-size", "16", "-n", "12", "--record", "log:5", "--seed", "3",
                        "--test-fraction", "0.2", "--out", str(out))
    assert code == 0, err
    same = spec("spirals", (2, 5, 1), dataset_params={"n": 80},
                trainer_params={"momentum": 0.5, "lr": 0.1, "batch_size": 16},
                output_activation="sigmoid", trainer="momentum", steps=12, seed=3,
                record="log:5", test_fraction=0.2)
    cached, trained = store.TraceStore(tmp_path / "cache").ensure(same)
    assert trained and cached.read_bytes() == out.read_bytes()

    data, test = datasets.load("spirals", n=80, seed=3).split(0.2, seed=3)  # seed: data too
    direct = train(MLP((2, 5, 1), "tanh", "sigmoid", seed=3), data, "momentum", steps=12,
                   record="log:5", test=test, seed=3, momentum=0.5, lr=0.1, batch_size=16)
    got = Trace.load(out)
    for a, b in zip([got.steps, got.loss, got.test_loss, *got.weights, *got.biases],
                    [direct.steps, direct.loss, direct.test_loss, *direct.weights,
                     *direct.biases], strict=True):
        np.testing.assert_array_equal(a, b)


def test_parameters_follow_the_same_rules_as_set(capsys, tmp_path):
    """--data-param and --trainer-param read values with the rules of --set (one coerce)."""
    from nnviz.cli.train import parse_params
    from nnviz.core.trainers import TRAINERS
    from nnviz.spec.config import coerce

    assert parse_params(("batch_size=none", "lr=0.5"), TRAINERS["adam"], "trainer") == {
        "batch_size": None, "lr": 0.5}
    for text, want in (("yes", True), ("on", True), ("1", True), ("False", False),
                       ("off", False), ("0", False)):
        assert coerce(text, bool) is want
    with pytest.raises(ValueError):
        coerce("maybe", bool)
    code, _, err = call(capsys, "train", "-d", "xor", "-l", "2,3,1", "-t", "adam",
                        "--trainer-param", "batch_size=2.5", "--out", str(tmp_path / "r.npz"))
    assert code == 2 and "batch_size='2.5': expected int" in _one_error_line(err)


def test_typed_parameters_reach_the_data_set_and_trainer(capsys, tmp_path):
    out = tmp_path / "m"  # .npz is added
    code, _, err = call(capsys, "train", "-d", "spirals", "--data-param", "n=60",
                        "--data-param", "turns=1.5", "-l", "2,5,1", "-t", "momentum",
                        "--trainer-param", "momentum=0.5", "--lr", "0.1", "-n", "5",
                        "--test-fraction", "0.25", "--out", str(out))
    assert code == 0, err
    trace = Trace.load(tmp_path / "m.npz")
    assert trace.meta["dataset_params"] == {"n": 60, "turns": 1.5, "noise": 0.02, "seed": 0}
    assert trace.meta["trainer"] == "momentum"
    assert trace.meta["trainer_params"]["momentum"] == 0.5
    assert trace.test_loss is not None and trace.test_loss.size == 6
    code, stdout, _ = call(capsys, "inspect", str(tmp_path / "m.npz"), "--png",
                           str(tmp_path / "curve.png"))
    assert code == 0 and "test accuracy" in stdout and (tmp_path / "curve.png").is_file()
    assert not (tmp_path / "m.loss.png").exists()


def test_regression_output_has_no_accuracy(capsys, tmp_path):
    out = tmp_path / "fit.npz"
    code, stdout, _ = call(capsys, "train", "-d", "curve_1d", "-l", "1,6,1", "-a", "relu",
                           "-t", "lbfgs", "-n", "10", "--out", str(out))
    assert code == 0 and "accuracy" not in stdout
    code, stdout, _ = call(capsys, "inspect", str(out), "--no-png")
    assert code == 0 and "accuracy" not in stdout and "lbfgs" in stdout
    assert not (tmp_path / "fit.loss.png").exists()


def test_inspect_mistakes_name_the_file_and_write_no_picture(capsys, tmp_path):
    cut = tmp_path / "cut.npz"
    call(capsys, "train", "-d", "xor", "-l", "2,2,1", "-n", "3", "--out", str(cut))
    cut.write_bytes(cut.read_bytes()[:150])
    png = tmp_path / "pic.png"
    Image.new("RGB", (4, 4)).save(png)
    cases = [(tmp_path / "missing.npz", "does not exist"), (cut, "truncated or corrupt"),
             (png, "not an .npz file")]
    for path, text in cases:
        code, out, err = call(capsys, "inspect", str(path))
        assert code == 2 and out == ""
        line = _one_error_line(err)
        assert str(path) in line and text in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.npz", "pic.png"]
    code, _, err = call(capsys, "inspect")
    assert code == 2 and "Missing argument" in _one_error_line(err)


# -- the picture's axes ----------------------------------------------------------------------


def test_nice_ticks_are_round_and_cover_the_range():
    assert nice_ticks(0, 10, 5) == [0, 2, 4, 6, 8, 10]
    assert nice_ticks(0, 1, 5) == [0, 0.2, 0.4, 0.6, 0.8, 1.0]
    assert nice_ticks(0, 200, 6) == [0, 50, 100, 150, 200]
    assert nice_ticks(0.31, 0.74, 5) == [0.4, 0.5, 0.6, 0.7]
    assert log_ticks(0.003, 2.0) == pytest.approx([0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2])
    assert log_ticks(1e-6, 10.0) == pytest.approx([1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 1e-1, 1, 10])
