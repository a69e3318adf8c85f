"""Scenes by name: a broken scene file is one clear line, not a traceback."""

from __future__ import annotations

import os
import subprocess
import sys


def test_scene_file_that_fails_to_import_is_one_line(tmp_path):
    (tmp_path / "broken.py").write_text("import does_not_exist_anywhere\n")
    env = dict(os.environ, NNVIZ_SCENES=str(tmp_path))
    out = subprocess.run([sys.executable, "-m", "nnviz", "list"], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 2
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert "broken.py" in lines[0] and "does_not_exist_anywhere" in lines[0]
    assert "Traceback" not in out.stderr


def test_missing_scenes_folder_is_one_line(tmp_path):
    env = dict(os.environ, NNVIZ_SCENES=str(tmp_path / "nowhere"))
    out = subprocess.run([sys.executable, "-m", "nnviz", "list"], env=env,
                         capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "nowhere" in out.stderr
