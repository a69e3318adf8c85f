"""Fault injection, part "values" and "files from outside" (issue 14): NaN, infinities and
absurd sizes for every numeric knob of every scene and every numeric CLI option; cross-field
rules; cost limits; runs that diverge; crafted and hostile trace files (a real zip bomb);
wrong types in episode files; export names that leave --out; FIFOs and devices.

Every user-facing case ends the same way: exit code 2, one line on stderr, no traceback,
and no file written."""

from __future__ import annotations

import dataclasses
import io
import json
import os
import stat
import threading
import tracemalloc
import typing
import zipfile
from pathlib import Path

import ffmpeg
import numpy as np
import pytest
from cli_runner import run_cli

from nnviz.core import limits
from nnviz.core.errors import NNVizError
from nnviz.core.trace import FORMAT, Trace, TraceError
from nnviz.core.training import train
from nnviz.pipeline.episode import load_episode
from nnviz.spec import registry
from nnviz.spec.config import SceneConfig, build_config, config_fields, knob

# -- helpers ------------------------------------------------------------------------------


def files_under(*folders: Path) -> set[Path]:
    return {p for f in folders if f.exists() for p in f.rglob("*")}


def one_error(code: int, err: str) -> str:
    """The single error line of a refused command (exit 2, no traceback)."""
    assert code == 2, err
    assert "Traceback" not in err, err
    errors = [ln for ln in err.splitlines() if ln.startswith("nnviz: error:")]
    assert len(errors) == 1, err
    return errors[0]


def refused(args: list[str], capsys, *watch: Path) -> str:
    """Run `nnviz ARGS`; it must be refused with one line and write nothing under `watch`."""
    before = files_under(*watch)
    code, _, err = run_cli(args, capsys)
    line = one_error(code, err)
    assert len([ln for ln in err.splitlines() if ln.strip()]) == 1, err
    assert files_under(*watch) == before, "a refused command wrote a file"
    return line


def numeric_knobs() -> list[tuple[str, str, typing.Any]]:
    """(scene, knob, number type) for every int/float knob (plain, optional or list) of
    every registered scene: the config classes `nnviz list` shows."""
    out = []
    for name, entry in sorted(registry.discover().items()):
        for key, (tp, _) in config_fields(entry.config_class).items():
            kind = _number_type(tp)
            if kind is not None:
                out.append((name, key, kind))
    return out


def _number_type(tp: typing.Any) -> type | None:
    args = typing.get_args(tp)
    if typing.get_origin(tp) is tuple:
        return _number_type(args[0])
    if args:  # X | None
        kinds = [_number_type(a) for a in args if a is not type(None)]
        return kinds[0] if kinds else None
    return tp if tp in (int, float) else None


NUMERIC = numeric_knobs()


# -- values: NaN, infinities and huge numbers for every numeric knob ----------------------

def test_every_scene_has_numeric_knobs_to_try():
    assert len(NUMERIC) > 100
    assert {kind for _, _, kind in NUMERIC} == {int, float}


@pytest.mark.parametrize(("scene", "key", "kind"), NUMERIC,
                         ids=[f"{s}.{k}" for s, k, _ in NUMERIC])
def test_non_finite_and_huge_values_of_every_numeric_knob_are_refused(scene, key, kind):
    cls = registry.get(scene).config_class
    bad = ["nan", "inf", "-inf", "1e300", "-1e300", str(10**12), str(-10**12)]
    if kind is float:
        bad += [float("nan"), float("inf")]  # as a TOML file gives them
    for value in bad:
        with pytest.raises(NNVizError, match=f"'{key}'") as info:
            build_config(cls, {key: value}, scene)
        assert "\n" not in str(info.value)
        if str(value).lower().lstrip("-") in ("nan", "inf"):
            assert "finite" in str(info.value) or kind is int


@pytest.mark.parametrize(("scene", "key", "kind"), NUMERIC,
                         ids=[f"{s}.{k}" for s, k, _ in NUMERIC])
def test_every_numeric_knob_declares_its_bounds(scene, key, kind):
    """The audit: a knob without min and max would accept 10**12 steps or 1e9 seconds."""
    _, f = config_fields(registry.get(scene).config_class)[key]
    assert f.metadata.get("min") is not None and f.metadata.get("max") is not None, (
        f"{scene}.{key} has no min/max")


def test_list_knobs_are_bounded_in_length():
    cls = registry.get("spirals-untangled").config_class
    with pytest.raises(NNVizError, match="'hidden'.*at most 8 values, got 500"):
        build_config(cls, {"hidden": ",".join(["2"] * 500)}, "spirals-untangled")


@pytest.mark.parametrize("sets", [
    ["speed=nan"], ["hold_time=inf"], ["w_values=nan"], ["hold_time=1e9"],
    ["w_values=1,-inf,2"], ["seed=99999999999999"],
])
def test_bad_values_on_the_command_line_are_one_line(sets, capsys, tmp_path):
    args = ["render", "bent-line", "--out", str(tmp_path / "r"), "--cache", str(tmp_path / "c")]
    for s in sets:
        args += ["--set", s]
    line = refused(args, capsys, tmp_path)
    assert sets[0].split("=")[0] in line


def test_steps_beyond_the_limit_are_refused_before_training(capsys, tmp_path):
    line = refused(["render", "training-you-can-watch", "--set", f"steps={10**12}",
                    "--out", str(tmp_path / "r"), "--cache", str(tmp_path / "c")],
                   capsys, tmp_path)
    assert "'steps'" in line and "20000" in line


# -- values: the range allows it, so it renders -------------------------------------------

@pytest.mark.parametrize(("scene", "settings"), [
    ("bent-line", {"hold_time": 0}),
    ("summing-bent-lines", {"hold_time": 0}),
])
def test_zero_second_knobs_render(scene, settings):
    from nnviz.pipeline.testing import render_scene

    scene_obj, frame = render_scene(scene, (96, 54), **settings)
    assert frame.shape == (54, 96, 3)


def test_zero_second_plays_and_waits_are_no_ops_in_a_real_render(tmp_path):
    from manim import RIGHT, Dot, tempconfig

    from nnviz.draw.scene import NNVizScene

    class Zero(NNVizScene):
        def construct(self) -> None:
            self.dot = Dot()
            self.add(self.dot)
            self.play(self.dot.animate.shift(RIGHT), run_time=self.t(0))
            self.wait(self.t(0))
            self.play(self.dot.animate.shift(RIGHT), run_time=0.2)

    with tempconfig({"pixel_width": 96, "pixel_height": 54, "frame_rate": 10,
                     "media_dir": str(tmp_path), "disable_caching": True}):
        scene = Zero()
        scene.render()
        movie = Path(scene.renderer.file_writer.movie_file_path)
    assert scene.dot.get_center()[0] == pytest.approx(2.0)  # the zero-second move happened
    assert movie.is_file() and float(ffmpeg.probe(str(movie))["format"]["duration"]) > 0


# -- values: rules across settings, checked before anything trains ------------------------

@pytest.mark.parametrize(("sets", "text"), [
    (["neuron=100"], "neuron=100"),
    (["inputs=1,2,3", "weights=1,2"], "weights has 2"),
    (["inputs=1,2"], "both inputs and weights"),
])
def test_weighted_sum_rules_fail_before_training(sets, text, capsys, tmp_path):
    cache = tmp_path / "c"
    args = ["render", "weighted-sum", "--out", str(tmp_path / "r"), "--cache", str(cache)]
    for s in sets:
        args += ["--set", s]
    line = refused(args, capsys, tmp_path)
    assert text in line
    assert not list(cache.glob("*.npz")), "trained before refusing"


def test_bent_line_values_must_fit_the_slider():
    cls = registry.get("bent-line").config_class
    with pytest.raises(NNVizError, match="w_values.*outside w_range"):
        build_config(cls, {"w_values": "1,5"}, "bent-line")


def test_scene_configs_get_a_check_hook_called_by_build_config():
    @dataclasses.dataclass
    class Odd(SceneConfig):
        a: int = knob(1, "", min=0, max=10)
        b: int = knob(2, "", min=0, max=10)

        def check(self) -> None:
            super().check()
            if self.a >= self.b:
                raise NNVizError("a must be below b.")

    assert build_config(Odd, {"a": 1}).a == 1
    with pytest.raises(NNVizError, match="Scene 'scene': a must be below b"):
        build_config(Odd, {"a": 5})


def test_the_video_length_estimate_has_a_limit():
    @dataclasses.dataclass
    class Long(SceneConfig):
        pause_time: float = knob(1.0, "", min=0.0, max=10_000.0)

    build_config(Long, {"pause_time": 100})
    with pytest.raises(NNVizError, match="limit is 1800 s"):
        build_config(Long, {"pause_time": 200, "speed": 0.1})


# -- values: cost limits and small data of nnviz train ------------------------------------

TRAIN = ["train", "-d", "spirals", "-l", "2,3,1"]


@pytest.mark.parametrize(("extra", "text"), [
    (["-l", "2,20000,20000,1"], "limit is 4096"),
    (["-l", "2," + ",".join(["3"] * 500) + ",1"], "limit is 32"),
    (["-l", "2,1500,1500,1"], "limit is 2,000,000"),
    (["--data-param", f"n={10**12}"], "100,000 samples"),
    (["--steps", str(10**12)], "limit of 1,000,000"),
    (["-l", "2,1000,1000,1", "--steps", "100000"], "budget"),
    (["--data-param", "n=0"], "at least 2 samples"),
    (["--data-param", "n=1"], "at least 2 samples"),
    (["-l", "2,²,1"], "Bad --layers"),
    (["-l", "2,٣,1"], "Bad --layers"),
    (["--lr", "nan"], "--lr"),
    (["--lr", "inf"], "--lr"),
    (["--lr", "-0.1"], "--lr"),
    (["--lr", "1e9"], "lr=1000000000.0"),
    (["--trainer-param", "lr=-1"], "lr=-1"),
    (["--trainer-param", "beta1=1.5"], "beta1=1.5"),
    (["--trainer-param", "beta2=nan"], "beta2"),
    (["--trainer-param", "eps=0"], "eps=0"),
    (["-t", "momentum", "--trainer-param", "momentum=1"], "momentum=1"),
    (["-t", "nudge", "--trainer-param", "step=-1"], "step=-1"),
    (["--data-param", "noise=nan"], "noise"),
    (["--data-param", "turns=inf"], "turns"),
    (["--test-fraction", "nan"], "--test-fraction"),
    (["--batch-size", "0"], "--batch-size"),
])
def test_train_refuses_absurd_values_up_front(extra, text, capsys, tmp_path):
    out = tmp_path / "run.npz"
    args = TRAIN + ["-o", str(out)] + extra
    if "-l" in extra:
        args = ["train", "-d", "spirals", "-o", str(out)] + extra
    line = refused(args, capsys, tmp_path)
    assert text in line


def test_a_diverging_scene_fails_the_render_with_the_reason(capsys, tmp_path):
    """lr=10 with plain gradient descent blows summing-bent-lines' loss up: the render
    stops before any scene draws the untrained network as 'trained'."""
    out = tmp_path / "r"
    code, _, err = run_cli(["render", "summing-bent-lines", "--set", "trainer=sgd",
                            "--set", "lr=10", "--out", str(out),
                            "--cache", str(tmp_path / "c")], capsys)
    line = one_error(code, err)
    assert "stopped early" in line and "loss became inf" in line
    assert not list(out.rglob("*.mp4"))


def test_a_scene_never_draws_a_stopped_trace(tmp_path):
    from nnviz.pipeline.configs import scene_config
    from nnviz.pipeline.testing import render_scene
    from nnviz.spec.store import TraceStore

    store = TraceStore(tmp_path)
    cfg = scene_config("summing-bent-lines", {"trainer": "sgd", "lr": "10"})
    assert store.load(cfg.traces()["main"]).stopped
    with pytest.raises(NNVizError, match="stopped early"):
        render_scene("summing-bent-lines", (96, 54), store=store, trainer="sgd", lr=10)


# -- poster time --------------------------------------------------------------------------

@pytest.fixture(scope="module")
def video(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("src") / "clip.mp4"
    (ffmpeg.input("testsrc=size=64x48:rate=10:duration=1", f="lavfi")
     .output(str(path), vcodec="libx264", pix_fmt="yuv420p")
     .overwrite_output().run(quiet=True))
    return path


@pytest.mark.parametrize(("time", "text"), [
    ("99", "outside the video"), ("nan", "--poster-time"), ("inf", "--poster-time"),
    ("-1", "--poster-time"),
])
def test_poster_time_is_checked_before_anything_is_exported(video, time, text, capsys,
                                                             tmp_path):
    out = tmp_path / "out"
    line = refused(["export", str(video), "--to", "mp4,poster", "--out", str(out),
                    "--poster-time", time], capsys, tmp_path)
    assert text in line
    assert not list(out.glob("*.mp4")), "the mp4 was published before the poster failed"


# -- export names -------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["../../x", "../x", "/abs/x", "a/b", "..", "a\\b", " "])
def test_export_names_cannot_leave_the_output_folder(video, name, capsys, tmp_path):
    out = tmp_path / "deep" / "out"
    out.mkdir(parents=True)
    outside = Path("/abs/x.mp4")
    assert not outside.exists()
    line = refused(["export", str(video), "--to", "mp4", "--out", str(out), "--name", name],
                   capsys, tmp_path)
    assert "Bad file name" in line
    assert not outside.exists()


def test_a_plain_export_name_still_works(video, capsys, tmp_path):
    code, _, err = run_cli(["export", str(video), "--to", "mp4", "--out", str(tmp_path),
                            "--name", "lesson.1"], capsys)
    assert code == 0, err
    assert (tmp_path / "lesson.1.mp4").is_file()


# -- crafted trace files ------------------------------------------------------------------

def _good_arrays() -> dict[str, np.ndarray]:
    from nnviz.core import datasets
    from nnviz.core.network import MLP

    trace = train(MLP((2, 3, 1), "tanh", "sigmoid", seed=0), datasets.load("xor", n=20),
                  "adam", steps=5)
    return trace._arrays()


def _write(path: Path, arrays: dict[str, np.ndarray]) -> Path:
    np.savez(path, **arrays)
    return path


def _meta(**changes) -> np.ndarray:
    meta = {"format": FORMAT, "sizes": [2, 3, 1]}
    meta.update(changes)
    return np.array([json.dumps(meta)])


CRAFTED = {
    "no W arrays": lambda a: {k: v for k, v in a.items() if not k.startswith("W")},
    "no W1": lambda a: {k: v for k, v in a.items() if k != "W1"},
    "no b0": lambda a: {k: v for k, v in a.items() if k != "b0"},
    "1-D W0": lambda a: {**a, "W0": a["W0"].reshape(-1)},
    "empty steps": lambda a: {**a, "steps": a["steps"][:0]},
    "string loss": lambda a: {**a, "loss": np.array(["low"] * a["loss"].size)},
    "float steps": lambda a: {**a, "steps": a["steps"].astype(float)},
    "int weights": lambda a: {**a, "W0": a["W0"].astype(np.int64)},
    "mismatched layers": lambda a: {**a, "W1": np.zeros((a["W1"].shape[0], 1, 7))},
    "bias of another width": lambda a: {**a, "b0": a["b0"][:, :2]},
    "records disagree": lambda a: {**a, "loss": a["loss"][:-1]},
    "W with another record count": lambda a: {**a, "W0": a["W0"][:-1]},
    "metadata sizes disagree": lambda a: {**a, "meta": _meta(sizes=[2, 5, 1])},
    "metadata not text": lambda a: {**a, "meta": np.array([1.0])},
    "metadata not json": lambda a: {**a, "meta": np.array(["{not json"])},
    "metadata a list": lambda a: {**a, "meta": np.array(["[1, 2]"])},
    "steps going back": lambda a: {**a, "steps": a["steps"][::-1].copy()},
    "NaN weights": lambda a: {**a, "W0": np.full_like(a["W0"], np.nan)},
    "empty layer": lambda a: {**a, "W0": np.zeros((a["W0"].shape[0], 3, 0))},
}


@pytest.mark.parametrize("fault", list(CRAFTED))
def test_crafted_traces_are_one_trace_error(fault, tmp_path):
    path = _write(tmp_path / "crafted.npz", CRAFTED[fault](_good_arrays()))
    with pytest.raises(TraceError, match=r"crafted\.npz") as info:
        Trace.load(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("fault", ["no W arrays", "1-D W0", "empty steps", "string loss",
                                   "mismatched layers"])
def test_inspect_of_a_crafted_trace_is_one_line_and_no_picture(fault, capsys, tmp_path):
    path = _write(tmp_path / "crafted.npz", CRAFTED[fault](_good_arrays()))
    line = refused(["inspect", str(path)], capsys, tmp_path)
    assert "crafted.npz" in line


def test_the_good_trace_still_loads(tmp_path):
    trace = Trace.load(_write(tmp_path / "good.npz", _good_arrays()))
    assert trace.sizes == (2, 3, 1)


def test_a_header_that_lies_about_its_size_is_refused(tmp_path):
    """A .npy member whose header declares more data than it holds."""
    arrays = _good_arrays()
    path = tmp_path / "lying.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for key, arr in arrays.items():
            buf = io.BytesIO()
            np.lib.format.write_array(buf, arr, allow_pickle=False)
            data = buf.getvalue()
            if key == "W0":
                header = io.BytesIO()
                np.lib.format.write_array_header_1_0(
                    header, {"descr": "<f8", "fortran_order": False, "shape": (10**6, 3, 2)})
                data = header.getvalue() + data[len(header.getvalue()):]
            zf.writestr(f"{key}.npy", data)
    with pytest.raises(TraceError, match=r"lying\.npz.*'W0' does not match its header"):
        Trace.load(path)


def test_a_pickled_member_is_refused(tmp_path):
    arrays = _good_arrays()
    arrays["W0"] = np.array([{"evil": 1}], dtype=object)
    path = tmp_path / "pickled.npz"
    np.savez(path, **arrays)
    with pytest.raises(TraceError, match=r"pickled\.npz.*Python objects"):
        Trace.load(path)


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory) -> Path:
    """A few MB of zip that inflates to just over MAX_TRACE_BYTES of zeros (a W0 member with a
    truthful header), beside valid metadata."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.npz"
    n = limits_bytes() // 8 + 1024
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        buf = io.BytesIO()
        np.lib.format.write_array(buf, _meta(), allow_pickle=False)
        zf.writestr("meta.npy", buf.getvalue())
        with zf.open("W0.npy", "w", force_zip64=True) as fh:
            np.lib.format.write_array_header_2_0(
                fh, {"descr": "<f8", "fortran_order": False, "shape": (n,)})
            chunk, left = bytes(1 << 24), n * 8
            while left > 0:
                fh.write(chunk[:min(left, len(chunk))])
                left -= len(chunk)
    return path


def limits_bytes() -> int:
    from nnviz.core import trace

    return trace.MAX_TRACE_BYTES


def test_a_zip_bomb_is_refused_without_inflating_it(zip_bomb):
    assert zip_bomb.stat().st_size < 20 * 2**20
    tracemalloc.start()
    try:
        with pytest.raises(TraceError, match=r"bomb\.npz.*would unpack to .*limit"):
            Trace.load(zip_bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 50 * 2**20, f"loading the bomb allocated {peak / 2**20:.0f} MB"


def test_inspect_of_a_zip_bomb_is_one_line(zip_bomb, capsys):
    line = refused(["inspect", str(zip_bomb), "--no-png"], capsys, zip_bomb.parent)
    assert "would unpack" in line


# -- episode files ------------------------------------------------------------------------

PART = '[[part]]\nscene = "bent-line"\n'


@pytest.mark.parametrize(("text", "message"), [
    ("formats = 5\n" + PART, "'formats' must be a list"),
    ("formats = [1]\n" + PART, "'formats' must be a list"),
    ('[[part]]\nscene = ["bent-line"]\n', "'scene' must be one scene name"),
    ("[[part]]\nscene = 5\n", "'scene' must be one scene name"),
    ("part = [1]\n", "part 1 must be a [[part]] table"),
    ("part = 5\n", "'part' must be a list"),
    ('[part]\nscene = "bent-line"\n', "'part' must be a list"),
    ('quality = ["x"]\n' + PART, "unknown quality"),
    ("title = 5\n" + PART, "'title' must be text"),
    ('title_cards = "yes"\n' + PART, "'title_cards' must be true or false"),
    (PART + "title = 3\n", "'title' must be text"),
    (PART + "hold_time = nan\n", "finite number"),
    (PART + "hold_time = inf\n", "finite number"),
    (PART + "hold_time = {a = 1}\n", "'hold_time'"),
    (PART + 'w_values = [1, "x"]\n', "'w_values'"),
    (PART + "curve_color = 5\n", "'curve_color'"),
])
def test_wrong_types_in_an_episode_file_are_one_line(text, message, tmp_path, capsys):
    path = tmp_path / "ep.toml"
    path.write_text(text)
    with pytest.raises(NNVizError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_episode(path)
    line = refused(["episode", str(path), "--out", str(tmp_path / "out")], capsys, tmp_path)
    assert "ep.toml" in line


# -- special files ------------------------------------------------------------------------

def _no_hang(fn, seconds: float = 20.0):
    """Run fn in a thread; a read that blocks on a FIFO fails the test instead of hanging."""
    result: dict = {}

    def go() -> None:
        try:
            result["value"] = fn()
        except BaseException as e:  # noqa: BLE001 - handed to the test
            result["error"] = e

    t = threading.Thread(target=go, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), "blocked reading a special file"
    if "error" in result:
        raise result["error"]
    return result["value"]


@pytest.fixture
def specials(tmp_path) -> dict[str, Path]:
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.npz"
    zero.symlink_to("/dev/zero")
    folder = tmp_path / "folder.npz"
    folder.mkdir()
    return {"fifo": fifo, "zero": zero, "folder": folder}


@pytest.mark.parametrize("kind", ["fifo", "zero", "folder"])
@pytest.mark.parametrize("command", ["inspect", "export"])
def test_special_files_are_named_not_missing_and_never_read(kind, command, specials, capsys):
    line = _no_hang(lambda: refused([command, str(specials[kind])], capsys,
                                    specials["folder"].parent))
    assert "does not exist" not in line
    assert ("is a folder" if kind == "folder" else "not a regular file") in line


def test_an_episode_file_that_is_a_fifo_is_refused(specials, capsys):
    line = _no_hang(lambda: refused(["episode", str(specials["fifo"])], capsys))
    assert "not a regular file" in line


@pytest.mark.parametrize("target", ["/dev/null", "fifo"])
def test_train_never_writes_beside_or_over_a_special_file(target, specials, capsys):
    path = Path(target) if target.startswith("/") else specials[target]
    before = os.stat(path).st_mode
    line = _no_hang(lambda: refused(TRAIN + ["-o", str(path)], capsys,
                                    specials["folder"].parent))
    assert "not a regular file" in line
    assert not Path(f"{path}.npz").exists()
    assert os.stat(path).st_mode == before
    assert not stat.S_ISREG(os.stat(path).st_mode)


def test_a_picture_is_never_renamed_over_a_special_file(specials, capsys, tmp_path):
    trace_path = tmp_path / "good.npz"
    _write(trace_path, _good_arrays())
    fifo = specials["fifo"]
    line = _no_hang(lambda: refused(["inspect", str(trace_path), "--png", str(fifo)], capsys))
    assert "not a regular file" in line
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_limits_name_themselves():
    with pytest.raises(NNVizError, match="limit is 2,000,000"):
        limits.check_network((784, 3000, 10))
    with pytest.raises(NNVizError, match="finite"):
        limits.finite(float("nan"), "x")
