"""The built wheel works without the source tree: installed into a fresh venv, `nnviz list`
and `nnviz render` find the scenes it ships as nnviz.scenes (issue 13).

The fresh venv gets the project venv's dependencies through a .pth line naming this venv's
site-packages. A plain path line in a .pth does not run that folder's own .pth files, so the
editable install's finder cannot leak in; the tests still check that nnviz is imported from
the fresh venv. The wheel is built from an sdist (as `python -m build` does), which also
keeps a stale build/ folder in the source tree out of it.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import sysconfig
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

pytestmark = pytest.mark.render

REPO = Path(__file__).resolve().parents[1]
SCENE = "fitting-a-line"  # short, and it trains its trace into the fresh cache
REGISTER = re.compile(r"""@register\(\s*["']([a-z0-9-]+)["']""")


def _run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, capture_output=True, text=True, timeout=300, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stdout[-2000:]}\n" \
                                 f"{proc.stderr[-3000:]}"
    return proc


def _registered_names() -> set[str]:
    return {m.group(1) for path in (REPO / "scenes").glob("*.py")
            for m in REGISTER.finditer(path.read_text())}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--outdir", str(dist), str(REPO)])
    (path,) = dist.glob("nnviz-*.whl")
    return path


@dataclass(frozen=True)
class Installed:
    python: Path
    nnviz: Path
    site: Path
    work: Path  # an empty folder outside the source tree to run from
    env: dict[str, str]

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return _run(list(args), cwd=self.work, env=self.env)


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory) -> Installed:
    root = tmp_path_factory.mktemp("fresh")
    venv = root / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]
                     ).stdout.strip())
    (site / "zz_project_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
          "--no-index", "--quiet", str(wheel)])
    work = root / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("NNVIZ_SCENES", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NNVIZ_CACHE=str(root / "cache"), COLUMNS="250", PYTHONDONTWRITEBYTECODE="1")
    return Installed(python, venv / "bin" / "nnviz", site, work, env)


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
    assert set(shown["scenes"]) == _registered_names() and len(shown["scenes"]) == 22
    for path in shown["scenes"].values():
        assert Path(path).resolve().parent == site / "nnviz" / "scenes", path


def test_installed_nnviz_lists_the_scenes(installed):
    listed = installed.run(str(installed.nnviz), "list").stdout
    assert "22 scenes" in listed
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
