"""A course team's own repository (issue 20): nnviz installed from its wheel into a fresh
venv, the team's scene made with `nnviz new --from bent-line`, and one episode that joins a
built-in scene and the team's own, found through the project's [tool.nnviz] scenes table or
through an installed package's `nnviz.scenes` entry point. Renders at draft quality."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fresh_venv import Installed, build_wheel, duration, install

pytestmark = pytest.mark.render

BUILT_IN = "fitting-a-line"
EPISODE = '''title = "Our course, part one"
quality = "draft"
title_cards = false

[[part]]
scene = "{built_in}"
title = "nnviz's own scene"
speed = 4

[[part]]
scene = "{own}"
title = "Our own scene"
speed = 4
'''


@pytest.fixture(scope="module")
def installed(nnviz_wheel, tmp_path_factory) -> Installed:
    return install(nnviz_wheel, tmp_path_factory.mktemp("course"))


def listed(installed: Installed, cwd: Path, *args: str) -> dict[str, dict]:
    out = installed.run(str(installed.nnviz), "list", "--json", *args, cwd=cwd).stdout
    return {s["name"]: s for s in json.loads(out)}


def render_episode(installed: Installed, cwd: Path, own: str) -> None:
    """`nnviz episode` of a built-in and an own scene: the episode lasts as long as its two
    parts together (no title cards)."""
    (cwd / "episode.toml").write_text(EPISODE.format(built_in=BUILT_IN, own=own))
    installed.run(str(installed.nnviz), "episode", "episode.toml", "--out", "renders", cwd=cwd)
    (episode,) = (cwd / "renders").glob("episode/draft/episode.mp4")
    parts = [next((cwd / "renders").rglob(f"parts/*{name}*.mp4")) for name in (BUILT_IN, own)]
    lengths = [duration(p) for p in parts]
    assert all(length > 1.0 for length in lengths), lengths
    assert duration(episode) == pytest.approx(sum(lengths), abs=0.35)


def test_a_course_repository_with_its_own_scene(installed):
    course = installed.work / "our-course"
    (course / "scenes").mkdir(parents=True)
    (course / "pyproject.toml").write_text(
        '[project]\nname = "our-course"\nversion = "0"\n\n[tool.nnviz]\nscenes = ["scenes"]\n')
    made = installed.run(str(installed.nnviz), "new", "our-bent-line", "--from", "bent-line",
                         cwd=course).stdout
    assert "scenes/our_bent_line.py" in made and (course / "tests" /
                                                   "test_our_bent_line.py").is_file()
    scenes = listed(installed, course / "scenes")  # the project is found from a subfolder
    assert scenes["our-bent-line"]["source"] == "project"
    assert Path(scenes["our-bent-line"]["file"]) == course / "scenes" / "our_bent_line.py"
    assert scenes["bent-line"]["source"] == "built-in" and len(scenes) == 24
    render_episode(installed, course, "our-bent-line")


def test_a_scene_package_with_an_entry_point(installed, tmp_path):
    package = tmp_path / "course-scenes"
    (package / "course_scenes").mkdir(parents=True)
    (package / "pyproject.toml").write_text(
        '[build-system]\nrequires = ["setuptools>=68"]\nbuild-backend = '
        '"setuptools.build_meta"\n\n[project]\nname = "course-scenes"\nversion = "1.0"\n\n'
        '[project.entry-points."nnviz.scenes"]\ncourse = "course_scenes"\n\n'
        '[tool.setuptools]\npackages = ["course_scenes"]\n')
    installed.run(str(installed.nnviz), "new", "packaged-bent-line", "--from", "bent-line",
                  "--dir", str(package / "course_scenes"))
    (package / "course_scenes" / "__init__.py").write_text(
        '"""Our scenes: importing the package registers them."""\n\n'
        "from course_scenes import packaged_bent_line  # noqa: F401\n")
    installed.pip_install(build_wheel(package, tmp_path / "dist"))
    elsewhere = installed.work / "elsewhere"
    elsewhere.mkdir()
    scenes = listed(installed, elsewhere)
    assert scenes["packaged-bent-line"]["source"] == "package course-scenes"
    assert Path(scenes["packaged-bent-line"]["file"]).is_relative_to(installed.site)
    render_episode(installed, elsewhere, "packaged-bent-line")
