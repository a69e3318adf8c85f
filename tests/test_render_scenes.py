"""Every registered scene in scenes/ renders through `nnviz render` at draft quality.

Scene names are read from the @register(...) lines at collection time (no import, so a
scene file that fails to import fails its own test instead of the collection). Clips are
played at speed 8 to stay short. Select with `-m render`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from nnviz.pipeline.export import probe

SCENES = Path(__file__).resolve().parents[1] / "scenes"
NNVIZ = str(Path(sys.executable).parent / "nnviz")
REGISTER = re.compile(r"""@register\(\s*["']([a-z0-9-]+)["']""")


def registered_names() -> list[str]:
    return sorted({m.group(1) for path in SCENES.glob("*.py") if not path.name.startswith("_")
                   for m in REGISTER.finditer(path.read_text())})


@pytest.mark.render
@pytest.mark.parametrize("name", registered_names())
def test_scene_renders_through_the_cli(name, tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "NNVIZ_SCENES"}
    proc = subprocess.run(
        [NNVIZ, "render", name, "--quality", "draft", "--set", "speed=8", "--out",
         str(tmp_path / "renders")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stderr[-3000:]
    info = probe(tmp_path / "renders" / name / "draft" / f"{name}.mp4")
    assert (info.codec, info.pix_fmt, info.width, info.height) == ("h264", "yuv420p", 854, 480)
    assert info.duration > 0.5
