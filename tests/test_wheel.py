"""The built wheel works without the source tree: installed into a fresh venv, `nnviz list`
and `nnviz render` find the scenes it ships as nnviz.scenes (issue 13). The fresh venv and
the wheel's build: tests/fresh_venv.py.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from fresh_venv import REPO, Installed, install
from fresh_venv import run as _run

pytestmark = pytest.mark.render

SCENE = "fitting-a-line"  # short, and it trains its trace into the fresh cache
REGISTER = re.compile(r"""@register\(\s*["']([a-z0-9-]+)["']""")


def _registered_names() -> set[str]:
    return {m.group(1) for path in (REPO / "scenes").glob("*.py")
            for m in REGISTER.finditer(path.read_text())}


@pytest.fixture(scope="module")
def wheel(nnviz_wheel) -> Path:
    return nnviz_wheel


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Installed:
    return install(wheel, tmp_path_factory.mktemp("fresh"))


def test_wheel_ships_nnviz_and_its_scenes_and_nothing_else(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"nnviz", wheel.name.split("-py3")[0] + ".dist-info"}, tops
    assert not [n for n in names if re.search(r"(^|/)(tests|renders|benchmarks|episodes)/", n)]
    shipped = {n.removeprefix("nnviz/scenes/") for n in names
               if re.fullmatch(r"nnviz/scenes/[^/]+\.py", n)}
    assert shipped == {p.name for p in (REPO / "scenes").glob("*.py")}
    assert "nnviz/draw/patches/__init__.py" in names and "nnviz/core/trace.py" in names


def test_installed_wheel_imports_from_its_own_site_packages(installed):
    code = ("import json, nnviz, nnviz.mobjects, nnviz.datasets, nnviz.scenes\n"
            "from nnviz import MLP, train, Trace\n"
            "from nnviz.spec import registry\n"
            "print(json.dumps({'modules': [m.__file__ for m in (nnviz, nnviz.mobjects,"
            " nnviz.datasets, nnviz.scenes)], 'public': [MLP.__name__, train.__name__,"
            " Trace.__name__], 'scenes': {n: str(e.file) for n, e in"
            " registry.discover().items()}}))")
    shown = json.loads(installed.run(str(installed.python), "-c", code).stdout)
    site = installed.site.resolve()
    for path in shown["modules"]:
        assert Path(path).resolve().is_relative_to(site), path
    assert shown["public"] == ["MLP", "train", "Trace"]
    assert set(shown["scenes"]) == _registered_names() and len(shown["scenes"]) == 23
    for path in shown["scenes"].values():
        assert Path(path).resolve().parent == site / "nnviz" / "scenes", path


def test_installed_nnviz_lists_the_scenes(installed):
    listed = installed.run(str(installed.nnviz), "list").stdout
    assert "23 scenes" in listed
    rows = re.findall(r"^│ ([a-z0-9-]+)\s+│", listed, re.MULTILINE)
    assert set(rows) == _registered_names()
    one = installed.run(str(installed.nnviz), "list", "bent-line").stdout
    assert "w_values" in one and "flip_weight" in one and "bent-line" in one


def test_installed_nnviz_renders_a_scene(installed):
    out = installed.work / "renders"
    installed.run(str(installed.nnviz), "render", SCENE, "--quality", "draft", "--set",
                  "speed=4", "--out", str(out))
    (mp4,) = out.rglob(f"{SCENE}.mp4")
    probe = json.loads(_run(["ffprobe", "-v", "error", "-show_entries",
                             "stream=codec_type,width,height:format=duration", "-of", "json",
                             str(mp4)]).stdout)
    video = [s for s in probe["streams"] if s["codec_type"] == "video"]
    assert [(s["width"], s["height"]) for s in video] == [(854, 480)]
    assert float(probe["format"]["duration"]) > 1.0
    # its trace was trained into the fresh cache, by the installed store
    assert [p for p in Path(installed.env["NNVIZ_CACHE"]).rglob("*") if p.is_file()]


def test_every_package_folder_is_listed_for_the_wheel():
    """pyproject lists nnviz's packages by name (scenes/ ships as nnviz.scenes): a new
    subpackage that is not listed would be missing from the wheel."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    listed = set(tomllib.loads((root / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    found = {".".join(p.parent.relative_to(root).parts) for p in (root / "nnviz").rglob(
        "__init__.py")}
    assert found | {"nnviz.scenes"} == listed


def test_manim_lists_nnviz_as_a_plugin(installed):
    """The manim.plugins entry point: `manim plugins -l` lists nnviz, and its mobjects are
    where the entry point says (loaded lazily: manim loads plugins inside `import manim`)."""
    listed = installed.run(str(installed.python), "-m", "manim", "plugins", "-l").stdout
    assert re.search(r"^\s*•\s*nnviz\s*$", listed, re.MULTILINE), listed
    code = ("import json, manim\nfrom manim.plugins import get_plugins\n"
            "module = get_plugins()['nnviz']\nns = {}\nexec(f'from {module.__name__} import *', ns)"
            "\nprint(json.dumps([module.__name__, sorted(n for n in ns if n[0] != '_')]))")
    name, names = json.loads(installed.run(str(installed.python), "-c", code).stdout)
    assert name == "nnviz.mobjects"
    assert {"LossCurve", "NetworkDiagram", "WarpGrid"} <= set(names)
