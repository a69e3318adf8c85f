"""Scenes from every source at once (built-in, NNVIZ_SCENES folders, --scenes, the project's
[tool.nnviz] scenes), name clashes, `nnviz list --json` and `nnviz new` (issue 20). Runs the
CLI in-process; no renders."""

from __future__ import annotations

import ast
import json
import os
from pathlib import Path

import pytest
from cli_runner import run_cli as run

from nnviz.spec import registry

FIXTURES = Path(__file__).parent / "fixture_scenes"

SCENE = '''
from dataclasses import dataclass

from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob


@dataclass
class {cls}Config(SceneConfig):
    dots: int = knob(2, "dots", min=1, max=5)


@register("{name}", "test: {cls}")
class {cls}(NNVizScene):
    Config = {cls}Config

    def construct(self) -> None:
        self.wait(0.1)
'''


def scene_file(folder: Path, stem: str, name: str, cls: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.py"
    path.write_text(SCENE.format(name=name, cls=cls))
    return path


@pytest.fixture(autouse=True)
def clean(monkeypatch, tmp_path):
    """No NNVIZ_SCENES of the caller's; --scenes adds to it, monkeypatch restores it; run
    from a folder of our own (no project around it unless a test writes one)."""
    monkeypatch.setenv("NNVIZ_SCENES", "")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    return work


def listed(capsys, *args: str) -> list[dict]:
    code, out, err = run(["list", "--json", *args], capsys)
    assert code == 0, err
    return json.loads(out)


def test_every_source_at_once(tmp_path, monkeypatch, capsys, clean):
    a = scene_file(tmp_path / "a", "one", "env-one", "EnvOne").parent
    b = scene_file(tmp_path / "b", "two", "env-two", "EnvTwo").parent
    c = scene_file(tmp_path / "c", "three", "arg-three", "ArgThree").parent
    scene_file(clean / "lessons", "four", "project-four", "ProjectFour")
    (clean / "pyproject.toml").write_text('[tool.nnviz]\nscenes = ["lessons"]\n')
    monkeypatch.setenv("NNVIZ_SCENES", os.pathsep.join([str(a), str(b)]))
    (clean / "sub").mkdir()
    monkeypatch.chdir(clean / "sub")  # the project is found by walking up
    sources = {s["name"]: s["source"] for s in listed(capsys, "--scenes", str(c))}
    assert sources["bent-line"] == "built-in"
    assert (sources["env-one"], sources["env-two"], sources["arg-three"]) == ("folder",) * 3
    assert sources["project-four"] == "project"
    assert len(sources) == len(registry.discover()) and len(sources) == 23 + 4
    _, out, _ = run(["list"], capsys)
    assert "27 scenes" in out and "│ project " in out


def test_two_scenes_with_one_name_is_one_line_naming_both_files(tmp_path, capsys):
    first = scene_file(tmp_path / "a", "mine", "same-name", "First")
    second = scene_file(tmp_path / "b", "yours", "same-name", "Second")
    code, out, err = run(["list", "--scenes", str(first.parent), "--scenes",
                          str(second.parent)], capsys)
    assert code == 2 and not out
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "'same-name'" in err and str(first) in err and str(second) in err


def test_a_folder_scene_named_like_a_built_in_one_is_refused(tmp_path, capsys):
    mine = scene_file(tmp_path / "a", "mine", "bent-line", "MyBentLine")
    code, _, err = run(["list", "--scenes", str(mine.parent)], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "relu_fits.py" in err and str(mine) in err and "built-in" in err


def test_a_missing_project_folder_is_one_line(clean, capsys):
    (clean / "pyproject.toml").write_text('[tool.nnviz]\nscenes = ["nowhere"]\n')
    code, _, err = run(["list"], capsys)
    assert code == 2 and err.count("\n") == 1 and "nowhere" in err and "[tool.nnviz]" in err


def test_list_json_of_one_scene_has_every_knob(capsys):
    one = listed(capsys, "tiny-fit", "--scenes", str(FIXTURES))
    assert (one["name"], one["source"], Path(one["file"]).name) == ("tiny-fit", "folder",
                                                                     "tiny.py")
    knobs = {k["name"]: k for k in one["knobs"]}
    assert knobs["hidden"] == {"name": "hidden", "type": "integer", "default": 3, "min": 1,
                               "max": 16, "choices": None, "help": "hidden neurons"}
    assert knobs["activation"]["choices"] == ["tanh", "relu", "sigmoid"]
    assert knobs["fail"]["type"] == "boolean" and knobs["fail"]["default"] is False
    assert knobs["speed"]["min"] == 0.1 and knobs["speed"]["max"] == 10.0
    cfg = registry.get("tiny-fit").config_class()
    assert {k: v["default"] for k, v in knobs.items()} == vars(cfg)
    bent = {k["name"]: k for k in listed(capsys, "bent-line")["knobs"]}
    assert bent["w_values"]["type"] == "list[number]" and bent["w_values"]["default"] == [
        1.0, 2.0, 0.6]


def test_new_writes_a_scene_and_its_test_into_the_project(clean, capsys):
    (clean / "pyproject.toml").write_text('[tool.nnviz]\nscenes = ["scenes"]\n')
    (clean / "scenes").mkdir()
    code, out, err = run(["new", "my-first-scene"], capsys)
    assert code == 0, err
    scene, test = clean / "scenes" / "my_first_scene.py", clean / "tests" / \
        "test_my_first_scene.py"
    assert scene.is_file() and test.is_file() and "nnviz render my-first-scene" in out
    ast.parse(test.read_text())
    entry = registry.get("my-first-scene")
    assert entry.source == "project" and entry.file == scene.resolve()
    cfg = entry.config_class()
    assert set(cfg.traces()) == {"main"} and cfg.hidden == 4


def test_new_from_a_built_in_scene_is_a_renamed_copy_beside_it(clean, capsys):
    code, _, err = run(["new", "my-bent", "--from", "bent-line", "--dir", "lessons"], capsys)
    assert code == 0, err
    text = (clean / "lessons" / "my_bent.py").read_text()
    assert "class MyBent(NNVizScene)" in text and "class MyBentConfig(SceneConfig)" in text
    assert '"bent-line"' not in text and '"fitting-a-line"' not in text  # one scene registered
    code, _, err = run(["list", "--scenes", "lessons"], capsys)
    assert code == 0, err
    scenes = registry.discover()
    mine, theirs = scenes["my-bent"], scenes["bent-line"]
    assert mine.scene_class is not theirs.scene_class and mine.source == "folder"
    assert mine.config_class().w_values == theirs.config_class().w_values
    assert "fitting-a-line" in scenes and scenes["fitting-a-line"].source == "built-in"


@pytest.mark.parametrize(("args", "message"), [
    (["Bad_Name"], "'Bad_Name' is not a valid scene name"),
    (["-leading"], "No such option"),
    (["9lives"], "'9lives' is not a valid scene name"),
    (["bent-line"], "A scene named 'bent-line' exists already (built-in"),
    (["mine", "--from", "bent-lin"], "Unknown scene 'bent-lin'. Did you mean 'bent-line'?"),
])
def test_new_refuses_bad_names_in_one_line(args, message, clean, capsys):
    code, out, err = run(["new", *args], capsys)
    assert code == 2 and message in err and err.count("\n") == 1, err
    assert not list(clean.rglob("*"))  # nothing written


def test_new_does_not_overwrite(clean, capsys, monkeypatch):
    (clean / "tests").mkdir()
    (clean / "tests" / "test_mine.py").write_text("# theirs\n")
    code, _, err = run(["new", "mine"], capsys)
    assert code == 2 and err.count("\n") == 1 and "test_mine.py' exists already" in err
    assert (clean / "tests" / "test_mine.py").read_text() == "# theirs\n"
    assert not (clean / "scenes" / "mine.py").exists()  # neither file written
    (clean / "tests" / "test_mine.py").unlink()
    assert run(["new", "mine"], capsys)[0] == 0
    before = (clean / "scenes" / "mine.py").read_text()
    code, _, err = run(["new", "mine", "--scenes", "scenes"], capsys)
    assert code == 2 and "exists already" in err
    (clean / "tests" / "test_mine.py").unlink()
    monkeypatch.setenv("NNVIZ_SCENES", "")  # the --scenes above added to it
    code, _, err = run(["new", "mine"], capsys)  # not registered here: the file is refused
    assert code == 2 and "mine.py' exists already" in err
    assert (clean / "scenes" / "mine.py").read_text() == before


def entry_point_package(tmp_path, monkeypatch, top: str, init: str) -> None:
    """A package `top` on sys.path, declared as an nnviz.scenes entry point."""
    import importlib.metadata
    import sys

    scene_file(tmp_path / "site" / top, "lesson", f"{top.replace('_', '-')}-lesson",
               "".join(p.capitalize() for p in top.split("_")) + "Lesson")
    (tmp_path / "site" / top / "__init__.py").write_text(init)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    real = importlib.metadata.entry_points
    ep = importlib.metadata.EntryPoint(top, top, registry.ENTRY_POINT_GROUP)

    def entry_points(**kw):
        return [ep] if kw.get("group") == registry.ENTRY_POINT_GROUP else real(**kw)

    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    monkeypatch.setattr(sys, "dont_write_bytecode", True)


def test_an_entry_point_package_registers_its_scenes(tmp_path, monkeypatch, capsys):
    entry_point_package(tmp_path, monkeypatch, "ep_course_a",
                        "from ep_course_a import lesson  # noqa: F401\n")
    scenes = {s["name"]: s for s in listed(capsys)}
    assert scenes["ep-course-a-lesson"]["source"] == "package ep_course_a"
    assert Path(scenes["ep-course-a-lesson"]["file"]) == tmp_path / "site" / "ep_course_a" / \
        "lesson.py"


def test_an_entry_point_package_that_fails_to_import_is_one_line(tmp_path, monkeypatch,
                                                                  capsys):
    entry_point_package(tmp_path, monkeypatch, "ep_course_b", "import no_such_module_here\n")
    code, _, err = run(["list"], capsys)
    assert code == 2 and err.count("\n") == 1
    assert "ep_course_b" in err and "no_such_module_here" in err and "entry point" in err
