'''`nnviz new`: a course team's new scene file and its test, ready to render.

A new scene is written from a template (config dataclass, declared trace, a few beats built
from nnviz's mobjects) or, with `--from SCENE`, as a copy of an existing scene's module with
that scene renamed and registered under the new name (the copy's other scenes unregistered),
so both coexist. Nothing is ever overwritten.
'''

from __future__ import annotations

import ast
import importlib.util
import inspect
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.spec import registry

NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")


@dataclass(frozen=True)
class NewScene:
    name: str
    scene_file: Path
    test_file: Path


def camel(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("-"))


def check_name(name: str) -> None:
    """A scene name: lowercase words of letters and digits joined by '-', starting with a
    letter (it becomes a module name, a class name and a command-line argument)."""
    if not NAME.fullmatch(name):
        raise NNVizError(f"'{name}' is not a valid scene name: use lowercase letters, digits "
                         "and '-', starting with a letter (e.g. my-first-scene).")


def default_dir() -> Path:
    """The project's first [tool.nnviz] scenes folder, else ./scenes."""
    folders = registry.project_folders()
    return folders[0] if folders else Path("scenes")


def new_scene(name: str, folder: Path | None = None, source: str | None = None) -> NewScene:
    """Write scene NAME (from the template, or a copy of scene `source`) and its test; refuse
    if the name is taken or either file exists."""
    check_name(name)
    folder = Path(folder) if folder is not None else default_dir()
    scenes = registry.discover()
    if name in scenes:
        taken = scenes[name]
        raise NNVizError(f"A scene named '{name}' exists already ({taken.source}, "
                         f"{taken.file}); pick another name.")
    if source is not None and source not in scenes:
        registry.get(source)  # raises: unknown scene, with close matches
    module = name.replace("-", "_")
    scene_file = folder / f"{module}.py"
    test_file = folder.parent / "tests" / f"test_{module}.py"
    for path in (scene_file, test_file):
        if path.exists():
            raise NNVizError(f"'{path}' exists already; nnviz new does not overwrite it "
                             "(pick another name or move that file).")
    text = copy_scene(scenes[source], name) if source else TEMPLATE.format(
        name=name, cls=camel(name))
    scenes_rel = Path(os.path.relpath(folder.resolve(), test_file.parent.resolve()))
    test = TEST_TEMPLATE.format(name=name, module=module, scenes=scenes_rel.as_posix())
    with atomic_path(scene_file, "scene file") as tmp_scene, \
            atomic_path(test_file, "test file") as tmp_test:
        tmp_scene.write_text(text)
        tmp_test.write_text(test)
    return NewScene(name, scene_file, test_file)


def copy_scene(entry: registry.SceneEntry, name: str) -> str:
    """The module of `entry` rewritten so its scene is NAME: the scene class and its config
    class renamed, its @register call given NAME, the other scenes' @register calls removed,
    relative imports made absolute."""
    module = sys.modules[entry.scene_class.__module__]
    text = Path(inspect.getfile(module)).read_text()
    tree = ast.parse(text)
    lines = text.splitlines(keepends=True)
    edits: list[tuple[int, int, str]] = []  # (first line, last line) 0-based, replacement
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = importlib.util.resolve_name("." * node.level + (node.module or ""),
                                               module.__package__ or "")
            names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "")
                              for a in node.names)
            indent = " " * node.col_offset
            edits.append((node.lineno - 1, node.end_lineno - 1,
                          f"{indent}from {base} import {names}\n"))
        if not isinstance(node, ast.ClassDef):
            continue
        for dec in node.decorator_list:
            if not (isinstance(dec, ast.Call) and getattr(dec.func, "id", "") == "register"):
                continue
            indent = " " * (dec.col_offset - 1)
            if node.name == entry.class_name:
                args = [json.dumps(name), json.dumps(entry.description + " (own copy)")]
                text_ = f"{indent}@register({', '.join(args)})\n"
                if len(text_) > 100:  # one argument a line
                    inner = "".join(f"{indent}    {a},\n" for a in args)
                    text_ = f"{indent}@register(\n{inner}{indent})\n"
                edits.append((dec.lineno - 1, dec.end_lineno - 1, text_))
            else:
                edits.append((dec.lineno - 1, dec.end_lineno - 1, ""))
    for first, last, new in sorted(edits, reverse=True):
        lines[first:last + 1] = [new]
    out = "".join(lines)
    renames = {entry.class_name: camel(name)}
    config = entry.config_class
    if config.__module__ == module.__name__ and config.__name__ != "SceneConfig":
        renames[config.__name__] = camel(name) + "Config"
    for old, new in renames.items():
        out = re.sub(rf"\b{re.escape(old)}\b", new, out)
    header = (f"# Scene '{name}': made by `nnviz new {name} --from {entry.name}`, a copy of "
              f"{Path(module.__file__).name}\n# ({entry.source}); edit it freely.\n")
    return header + out


TEMPLATE = '''"""Scene {name}: a small network trains, its weights change and its loss falls.

Made by `nnviz new {name}`. Render it with `nnviz render {name}`; see its knobs with
`nnviz list {name}`.
"""

from __future__ import annotations

from dataclasses import dataclass

from manim import DOWN, LEFT, RIGHT, UP, FadeIn, FadeOut, Text, ValueTracker, Write, linear

from nnviz.draw.mobjects import LossCurve, NetworkDiagram
from nnviz.draw.scene import NNVizScene, register
from nnviz.spec.config import SceneConfig, knob, spec


@dataclass
class {cls}Config(SceneConfig):
    """The knobs of {name}: `--set KEY=VALUE` or a [{name}] table in a TOML file."""

    title: str = knob("A network learns XOR", "the title shown first")
    hidden: int = knob(4, "hidden neurons", min=1, max=12)
    steps: int = knob(300, "training steps", min=10, max=5000)
    lr: float = knob(0.05, "learning rate of the Adam trainer", min=0.0001, max=1.0)
    train_time: float = knob(4.0, "seconds the training takes on screen", min=0.5, max=60.0)

    def traces(self):
        """The trained network this scene reads: trained once, then cached."""
        return {{"main": spec("xor", (2, self.hidden, 1), activation="tanh",
                             output_activation="sigmoid", trainer="adam", steps=self.steps,
                             seed=self.seed, record="log:30", trainer_params={{"lr": self.lr}},
                             dataset_params={{"n": 80}})}}


@register("{name}", "a small network learns XOR: its weights and its loss")
class {cls}(NNVizScene):
    Config = {cls}Config

    def construct(self) -> None:
        cfg, pal = self.cfg, self.palette
        trace = self.trace("main")
        t = ValueTracker(0.0)

        # beat 1: the title
        title = Text(cfg.title, font_size=40, color=pal["text"])
        self.play(Write(title), run_time=self.t(1.0))
        self.play(title.animate.scale(0.7).to_edge(UP), run_time=self.t(0.6))

        # beat 2: the network and its loss curve, before training
        diagram = NetworkDiagram(trace.sizes, *trace.params_at(0.0), width=5.0, height=3.6,
                                 palette=pal).to_edge(LEFT).shift(DOWN * 0.4)
        curve = LossCurve(trace.steps, trace.loss, width=5.2, height=3.2, progress=0.0,
                          color=pal["text"]).to_edge(RIGHT).shift(DOWN * 0.4)
        self.play(FadeIn(diagram), FadeIn(curve), run_time=self.t(1.0))

        # beat 3: training, the weights and the loss moving together
        diagram.add_updater(lambda m: m.set_state(*trace.params_at(t.get_value())))
        curve.track(t)
        self.play(t.animate.set_value(1.0), run_time=self.t(cfg.train_time), rate_func=linear)
        diagram.clear_updaters()
        curve.clear_updaters()

        # beat 4: the result
        result = Text(f"final loss {{trace.final_loss:.3f}}", font_size=28, color=pal["text"])
        result.next_to(curve, DOWN)
        self.play(FadeIn(result, shift=UP * 0.2), run_time=self.t(0.6))
        self.wait(self.t(1.0))
        self.play(FadeOut(title), run_time=self.t(0.4))
'''

TEST_TEMPLATE = '''"""Tests of scene {name} (made by `nnviz new`): it is found, its knobs
validate, and it draws. Run with `pytest`."""

from __future__ import annotations

from pathlib import Path

import pytest

from nnviz.core.errors import NNVizError
from nnviz.pipeline.testing import render_scene
from nnviz.spec import registry
from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore

registry.add_folders([Path(__file__).resolve().parent / "{scenes}"])


def test_{module}_is_registered():
    assert registry.get("{name}").file.name == "{module}.py"


def test_{module}_rejects_a_bad_setting():
    with pytest.raises(NNVizError):
        build_config(registry.get("{name}").config_class, {{"seed": "-1"}}, "{name}")


def test_{module}_draws(tmp_path):
    _, frame = render_scene("{name}", (160, 90), store=TraceStore(tmp_path / "traces"))
    assert frame.std() > 0  # its last frame is not blank
'''
