"""The README's code is run as written: a newcomer's first scene renders, and the core
example computes what it says."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import numpy as np
import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def python_block_after(heading: str) -> str:
    """The first ```python block after `heading` in the README."""
    text = README.read_text()
    start = text.index(heading)
    return re.search(r"```python\n(.*?)```", text[start:], re.S).group(1)


@pytest.mark.render
def test_the_write_your_own_scene_example_renders(tmp_path):
    from nnviz.pipeline.testing import render_scene
    from nnviz.spec import registry

    path = tmp_path / "readme_scene.py"
    path.write_text(python_block_after("## Write your own scene"))
    spec = importlib.util.spec_from_file_location("readme_scene", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    try:
        scene, frame = render_scene(module.MyScene, (160, 90), hidden=(3,), steps=20)
        assert scene.cfg.hidden == (3,)
        assert frame.std() > 0  # the diagram was drawn
    finally:
        registry.REGISTRY.pop("my-scene", None)


def test_the_numeric_core_example_runs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(python_block_after("## The numeric core"), namespace)  # noqa: S102
    assert namespace["trace"].n_records > 1 and (tmp_path / "spirals.npz").is_file()
    assert namespace["count_linear_pieces"](namespace["relu"], -1.0, 1.0) >= 1
    assert np.isfinite(namespace["loss"])
