"""One config path: a scene gets its validated config and its trace store as explicit
inputs, draws only data from the traces it declared, and `seed` means the same (data,
initial weights, training order) in every scene."""

from __future__ import annotations

import ast
import json
import pickle
from functools import partial
from pathlib import Path

import pytest

from nnviz.core.errors import NNVizError
from nnviz.pipeline.configs import resolve
from nnviz.pipeline.jobs import RenderJob
from nnviz.pipeline.testing import render_scene
from nnviz.spec import registry
from nnviz.spec.config import build_config, config_fields, spec
from nnviz.spec.store import TraceStore

SCENES_DIR = Path(__file__).parent.parent / "scenes"
FIXTURES = Path(__file__).parent / "fixture_scenes"


def _scenes() -> dict:
    return registry.discover()


@pytest.mark.parametrize("name", sorted(registry.discover()))
def test_seed_moves_every_trace_consistently(name):
    """seed -> seed + 5 moves every declared trace's data seed and initial-weight seed by
    5 (the spec's seed also orders the training), and nothing else about the trace."""
    cls = _scenes()[name].config_class
    base = build_config(cls, {}, name).seed
    before = build_config(cls, {"seed": base}, name).traces()
    after = build_config(cls, {"seed": base + 5}, name).traces()
    assert before.keys() == after.keys()  # the same networks, by the same names
    for key, a in before.items():
        b = after[key]
        assert b.data_seed - a.data_seed == 5, key
        assert b.seed - a.seed == 5, key
        same = lambda s: (s.dataset, s.sizes, s.steps, s.trainer_params,  # noqa: E731
                          {k: v for k, v in s.dataset_params if k != "seed"})
        assert same(a) == same(b), key


@pytest.mark.parametrize("name", sorted(registry.discover()))
def test_every_trace_of_a_scene_is_drawn_on_one_data_set(name):
    """Several networks in one scene (too-few-neurons, bullseye-3d, ...) are compared on
    the same data: one data seed, the scene's."""
    cfg = build_config(_scenes()[name].config_class, {"seed": "7"}, name)
    assert {s.data_seed for s in cfg.traces().values()} <= {7}


def test_every_spec_carries_its_data_seed():
    assert spec("xor", (2, 1), seed=4).data_seed == 4
    assert dict(spec("xor", (2, 1), seed=4).dataset_params)["seed"] == 4
    assert spec("xor", (2, 1), seed=4, data_seed=1).data_seed == 1
    assert spec("xor", (2, 1), seed=4, dataset_params={"seed": 2}).data_seed == 2
    with pytest.raises(ValueError, match="data seed given twice"):
        spec("xor", (2, 1), dataset_params={"seed": 2}, data_seed=3)
    # the data set really is the one its seed makes
    data, _ = TraceStore().data(spec("two_curves", (2, 1), seed=3))
    from nnviz.core.datasets import two_curves

    assert (data.X == two_curves(seed=3).X).all()


def test_common_knobs_have_one_name():
    """The old synonyms are gone from every scene config."""
    old = {"learning_rate", "n", "n_hidden", "widths", "data_seed", "narrow_seeds",
           "left_rate", "right_rate", "hold"}
    configs = [e.config_class for e in _scenes().values()] + [resolve("title-card")[1]]
    for cls in configs:
        names = set(config_fields(cls))
        assert not names & old, (cls.__name__, names & old)
        assert not [k for k in names if k.endswith("_seconds")], cls.__name__


def _calls_and_imports(path: Path) -> list[str]:
    """Every `something.load(...)` call and every import from the data sets."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "nnviz.core.datasets"):
            found += [f"import {a.name}" for a in node.names
                      if a.name not in ("Dataset", "CLASSES", "PLANAR", "planar_params")]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                isinstance(node.func.value, ast.Name) and node.func.value.id == "datasets":
            found.append(f"datasets.{node.func.attr}()")
    return found


@pytest.mark.parametrize("path", sorted(SCENES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_scenes_get_their_data_only_from_their_traces(path):
    assert _calls_and_imports(path) == []


def test_the_source_check_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from nnviz.core import datasets\nfrom nnviz.core.datasets import four_pixel"
                   "\nx = datasets.load('xor')\n")
    assert sorted(_calls_and_imports(bad)) == ["datasets.load()", "import four_pixel"]


@pytest.fixture
def fixture_scenes(monkeypatch):
    """The test scenes beside the built-in ones, for this test (monkeypatch restores it)."""
    monkeypatch.setenv("NNVIZ_SCENES", str(FIXTURES))
    return registry.discover()


def test_scene_uses_the_config_and_store_it_is_given(fixture_scenes, tmp_path):
    store = TraceStore(tmp_path / "store")
    scene, _ = render_scene("tiny-fit", (64, 36), store=store, hidden="4", steps="5")
    assert scene.store is store
    assert (scene.cfg.hidden, scene.cfg.steps) == (4, 5)
    spec_ = scene.cfg.traces()["main"]
    assert store.path(spec_).is_file()  # trained into the store it was given, nowhere else
    assert scene.trace("main").sizes == (2, 4, 1)
    data, _ = scene.trace_data("main")
    assert (data.X == store.data(spec_)[0].X).all()


def test_a_config_of_another_scene_is_refused(fixture_scenes):
    entry = fixture_scenes["tiny-dots"]
    other = build_config(fixture_scenes["tiny-fit"].config_class, {}, "tiny-fit")
    with pytest.raises(NNVizError, match="takes a TinyDotsConfig, got a TinyFitConfig"):
        entry.scene_class.configured(other)
    with pytest.raises(NNVizError, match="takes a TinyDotsConfig, got a TinyFitConfig"):
        render_scene(partial(entry.scene_class, config=other), (64, 36))


def test_no_environment_variable_reaches_a_scene(fixture_scenes, monkeypatch):
    """The old NNVIZ_SCENE_CONFIG path is gone: only explicit inputs configure a scene."""
    monkeypatch.setenv("NNVIZ_SCENE_CONFIG",
                       json.dumps({"scene": "tiny-dots", "config": {"dots": 7}}))
    scene, _ = render_scene(fixture_scenes["tiny-dots"].scene_class, (64, 36))
    assert scene.cfg.dots == 3
    import nnviz.draw.scene as base

    assert not hasattr(base, "use_config") and not hasattr(base, "active_config")


def test_render_jobs_carry_the_validated_config(fixture_scenes, tmp_path):
    cfg = build_config(fixture_scenes["tiny-fit"].config_class, {"hidden": "6"}, "tiny-fit")
    job = RenderJob("tiny-fit", cfg, "draft", tmp_path, "tiny-fit",
                    store=TraceStore(tmp_path / "c"))
    back = pickle.loads(pickle.dumps(job))
    assert back.config == cfg and type(back.config) is type(cfg)
    assert back.store == TraceStore(tmp_path / "c")
