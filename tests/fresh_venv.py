"""A built wheel installed into a fresh virtual environment, without network: shared by the
wheel tests (tests/test_wheel.py) and the course-repository tests (tests/test_course.py).

The fresh venv gets the project venv's dependencies through a .pth line naming this venv's
site-packages. A plain path line in a .pth does not run that folder's own .pth files, so the
editable install's finder cannot leak in. Wheels are built from an sdist (as `python -m build`
does), which also keeps a stale build/ folder in the source tree out of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command; fail the test with its output if it fails."""
    proc = subprocess.run(args, capture_output=True, text=True, timeout=600, **kwargs)
    assert proc.returncode == 0, f"{' '.join(map(str, args))}\n{proc.stdout[-2000:]}\n" \
                                 f"{proc.stderr[-3000:]}"
    return proc


def build_wheel(project: Path, dist: Path) -> Path:
    """The wheel of the project in folder `project`, built into `dist`."""
    run([sys.executable, "-m", "build", "--outdir", str(dist), str(project)])
    (path,) = dist.glob("*.whl")
    return path


@dataclass(frozen=True)
class Installed:
    python: Path
    nnviz: Path
    site: Path
    work: Path  # an empty folder outside the source tree to run from
    env: dict[str, str]

    def run(self, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        return run(list(args), cwd=cwd or self.work, env=self.env)

    def pip_install(self, wheel: Path) -> None:
        """Install a wheel into this venv: no dependencies, no index."""
        run([sys.executable, "-m", "pip", "--python", str(self.python), "install", "--no-deps",
             "--no-index", "--quiet", str(wheel)])


def install(wheel: Path, root: Path) -> Installed:
    """A fresh venv in `root` with `wheel` installed (and this venv's dependencies)."""
    venv = root / "venv"
    run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(run([str(python), "-c",
                     "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    (site / "zz_project_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    work = root / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items()
           if k not in ("NNVIZ_SCENES", "PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NNVIZ_CACHE=str(root / "cache"), COLUMNS="250", PYTHONDONTWRITEBYTECODE="1")
    installed = Installed(python, venv / "bin" / "nnviz", site, work, env)
    installed.pip_install(wheel)
    return installed


def duration(path: Path) -> float:
    """A video's duration (ffprobe), in seconds."""
    probe = json.loads(run(["ffprobe", "-v", "error", "-show_entries", "format=duration",
                            "-of", "json", str(path)]).stdout)
    return float(probe["format"]["duration"])
