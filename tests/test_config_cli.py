"""Every user mistake on `nnviz render` is one line naming the problem (with a close match),
exit 2, and nothing is trained, rendered or written. Runs the CLI in-process; no renders."""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_runner import run_cli as run

FIXTURES = Path(__file__).parent / "fixture_scenes"


@pytest.fixture(autouse=True)
def fixture_scenes(monkeypatch):
    monkeypatch.setenv("NNVIZ_SCENES", str(FIXTURES))



@pytest.fixture
def dirs(tmp_path):
    """(out, cache): neither exists yet; a rejected command must create neither."""
    return tmp_path / "renders", tmp_path / "cache"


def write(path: Path, text: str) -> Path:
    path.write_text(text)
    return path


CASES = {
    "unknown scene": (["tiny-fitt"], "Unknown scene 'tiny-fitt'. Did you mean 'tiny-fit'?"),
    "unknown key": (["tiny-fit", "--set", "hiden=4"],
                    "Scene 'tiny-fit' has no setting 'hiden'. Did you mean 'hidden'?"),
    "wrong type": (["tiny-fit", "--set", "hidden=many"],
                   "Setting 'hidden' of scene 'tiny-fit' must be a integer, got 'many'."),
    "out of range": (["tiny-fit", "--set", "hidden=99"],
                     "Setting 'hidden' of scene 'tiny-fit' must be between 1 and 16, got 99."),
    "bad choice": (["tiny-fit", "--set", "activation=relux"], "Did you mean 'relu'?"),
    "bad bool": (["tiny-fit", "--set", "fail=maybe"], "must be a true/false"),
    "malformed set": (["tiny-fit", "--set", "hidden"], "write it as key=value"),
    "bad colour": (["tiny-fit", "--set", "positive_color=#12"], "positive_color"),
    "unknown format": (["tiny-fit", "--formats", "mp4,mp5"],
                       "Unknown export format 'mp5'. Did you mean 'mp4'?"),
    "names and all": (["tiny-fit", "--all"], "not both"),
    "nothing to render": ([], "Name at least one scene"),
    "bad quality": (["tiny-fit", "--quality", "8k"], "'8k' is not one of"),
    # the second scene is wrong: the first must not be trained or rendered either
    "second scene invalid": (["tiny-fit", "tiny-dots", "--set", "dots=99"],
                             "Setting 'dots' of scene 'tiny-dots' must be between 1 and 12"),
}


@pytest.mark.parametrize("args, message", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_line_and_nothing_happens(args, message, dirs, capsys):
    out, cache = dirs
    code, stdout, stderr = run(["render", *args, "--out", str(out), "--cache", str(cache)],
                               capsys)
    assert code == 2
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("nnviz: error:")
    assert message in lines[0]
    assert "Traceback" not in stderr + stdout
    assert not out.exists() and not cache.exists()


CONFIG_CASES = {
    "typo in scene table": (
        "[tiny-fit]\nhiden = 4\n",
        "has no setting 'hiden'. Did you mean 'hidden'?"),
    "unknown table": ("[tiny-fitt]\nhidden = 4\n",
                      "no scene 'tiny-fitt' for table [tiny-fitt]. Did you mean 'tiny-fit'?"),
    "unknown shared key": ("sped = 2.0\n", "no scene has a setting 'sped'. Did you mean 'speed'?"),
    "wrong type in file": ("[tiny-fit]\nhidden = \"four\"\n", "must be a integer"),
    "out of range in file": ("speed = 50.0\n", "must be between 0.1 and 10.0"),
    "typo in table of a scene not rendered": ("[tiny-dots]\ndot = 3\n", "Did you mean 'dots'?"),
    "toml syntax error": ("[tiny-fit\nhidden = 4\n", "is not valid TOML"),
}


@pytest.mark.parametrize("text, message", CONFIG_CASES.values(), ids=CONFIG_CASES.keys())
def test_bad_config_file(text, message, dirs, tmp_path, capsys):
    out, cache = dirs
    cfg = write(tmp_path / "scenes.toml", text)
    code, _, stderr = run(["render", "tiny-fit", "--config", str(cfg), "--out", str(out),
                           "--cache", str(cache)], capsys)
    assert code == 2
    assert len(stderr.strip().splitlines()) == 1 and message in stderr, stderr
    assert "Traceback" not in stderr
    assert not out.exists() and not cache.exists()


def test_missing_config_file(dirs, tmp_path, capsys):
    out, cache = dirs
    code, _, stderr = run(["render", "tiny-fit", "--config", str(tmp_path / "nope.toml"),
                           "--out", str(out)], capsys)
    assert code == 2 and "nope.toml' does not exist" in stderr
    assert not out.exists()


def test_unwritable_output_folder(tmp_path, capsys):
    # tests run as root, where chmod does not stop writes: a folder under a regular file
    # can never be created
    blocker = write(tmp_path / "somefile", "not a folder")
    cache = tmp_path / "cache"
    code, _, stderr = run(["render", "tiny-fit", "--out", str(blocker / "out"),
                           "--cache", str(cache)], capsys)
    assert code == 2
    assert stderr.strip() == (f"nnviz: error: Cannot write to output folder "
                              f"'{blocker / 'out'}': Not a directory.")
    assert not cache.exists()  # rejected before any training


def test_cache_folder_that_cannot_be_created(tmp_path, capsys):
    blocker = write(tmp_path / "somefile", "not a folder")
    code, _, stderr = run(["render", "tiny-fit", "--out", str(tmp_path / "out"),
                           "--cache", str(blocker / "cache")], capsys)
    assert code == 2
    assert "Cannot write to trace cache folder" in stderr and len(stderr.splitlines()) == 1
    assert not list((tmp_path / "out").glob("*/**/*.mp4"))


def test_config_precedence_shared_then_table_then_set(tmp_path):
    """defaults < shared top-level keys < [scene] table < --set, each only where it fits."""
    from nnviz.pipeline import configs as pipeline

    cfg = write(tmp_path / "c.toml", 'speed = 2.0\nhidden = 5\n[tiny-fit]\nspeed = 3.0\n'
                                     '[tiny-dots]\ndots = 7\n')
    names = ["tiny-fit", "tiny-dots"]
    overrides = pipeline.config_file_overrides(cfg, names)
    pipeline.apply_sets({"dots": "2", "seed": "9"}, names, overrides)
    configs = pipeline.build_configs(overrides)
    fit, dots = configs["tiny-fit"], configs["tiny-dots"]
    assert (fit.speed, fit.hidden, fit.seed) == (3.0, 5, 9)
    assert (dots.speed, dots.dots, dots.seed) == (2.0, 2, 9)
    assert not hasattr(dots, "hidden")  # a shared key only goes where it exists


def test_list_shows_scenes_and_knobs(capsys):
    code, out, _ = run(["list"], capsys)
    assert code == 0
    assert "tiny-fit" in out and "tiny-dots" in out and "loss curve" in out
    code, out, _ = run(["list", "tiny-fit"], capsys)
    assert code == 0
    rows = {line.split("│")[1].strip(): line for line in out.splitlines() if "│" in line}
    assert "hidden" in rows and "integer" in rows["hidden"] and " 3 " in rows["hidden"]
    assert "tanh | relu | sigmoid" in rows["activation"]
    assert "speed" in rows  # the common knobs are listed too
    code, _, err = run(["list", "tiny-fitt"], capsys)
    assert code == 2 and "Did you mean 'tiny-fit'?" in err
