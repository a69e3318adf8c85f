"""Shared test set-up: one trace cache for the whole run (all xdist workers), and a media
folder (LaTeX and text SVGs) of each worker's own."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

CONTROL = Path(__file__).parent / "control_frames"


# test modules whose renders check what is drawn (scenes' numbers and frames, mobjects); the
# pipeline's render tests (every scene through the CLI, cluster, faults, lecture formats,
# wheel) check files and exits, which do not change with the patches, and
# test_stock_manim compares every scene's last frame in both modes in the first pass
DRAWING = ("test_scenes_", "test_mobjects_")


def pytest_configure(config: pytest.Config) -> None:
    """A run started in the background of a non-interactive shell (`make test &`, nohup)
    inherits SIGINT ignored, and an ignored signal stays ignored in every process started
    below it: the Ctrl-C tests would then see renders that cannot be interrupted. A
    handler (unlike SIG_IGN) is reset to the default in every child, so install one."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark for make test's second pass, with manim as shipped (NNVIZ_STOCK_MANIM=1), the
    tests that draw: control-frame tests and the render tests of scenes and mobjects."""
    for item in items:
        module = getattr(item, "module", None)
        drawing = module is not None and module.__name__.rpartition(".")[2].startswith(DRAWING)
        if "control_frame" in getattr(item, "fixturenames", ()) or (
                drawing and item.get_closest_marker("render")):
            item.add_marker(pytest.mark.stock)


@pytest.fixture(scope="session", autouse=True)
def trace_cache(tmp_path_factory) -> Path:
    """Every test trains into one shared cache, so each trace is trained once per run."""
    root = tmp_path_factory.getbasetemp()
    shared = (root.parent if root.name.startswith("popen-") else root) / "trace-cache"
    shared.mkdir(parents=True, exist_ok=True)
    old = os.environ.get("NNVIZ_CACHE")
    os.environ["NNVIZ_CACHE"] = str(shared)
    yield shared
    if old is None:
        os.environ.pop("NNVIZ_CACHE", None)
    else:
        os.environ["NNVIZ_CACHE"] = old


@pytest.fixture(scope="session")
def nnviz_wheel(tmp_path_factory) -> Path:
    """nnviz's wheel, built once per test run from the source tree and shared by the xdist
    workers (two builds at once in one source tree trip over each other's egg-info)."""
    import fcntl

    from fresh_venv import REPO, build_wheel

    root = tmp_path_factory.getbasetemp()
    dist = (root.parent if root.name.startswith("popen-") else root) / "nnviz-wheel"
    dist.mkdir(parents=True, exist_ok=True)
    with open(dist / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        built = sorted(dist.glob("*.whl"))
        return built[0] if built else build_wheel(REPO, dist)


@pytest.fixture(scope="session", autouse=True)
def media_dir(tmp_path_factory) -> Path:
    """manim's media folder per worker: two workers compiling the same formula into one
    Tex folder at once overwrite each other's files (LaTeX then fails without a log)."""
    from manim import config

    folder = tmp_path_factory.getbasetemp() / "media"
    old = config.media_dir
    config.media_dir = str(folder)
    yield folder
    config.media_dir = old


_RENDERED: dict[tuple, object] = {}


@pytest.fixture(scope="session")
def last_frame_scene():
    """last_frame_scene(name, **overrides) -> the scene instance after an in-process render of
    its last frame (animations skipped, small frames), to read what it shows. Each scene and
    settings renders once per worker."""
    from nnviz.pipeline.testing import render_scene

    def render(name: str, **overrides: object):
        key = (name, tuple(sorted(overrides.items())))
        if key not in _RENDERED:
            _RENDERED[key] = render_scene(name, (320, 180), **overrides)[0]
        return _RENDERED[key]

    return render


@pytest.fixture
def control_frame():
    """control_frame(name) -> path of the stored control frame for a graphical test."""
    return lambda name: CONTROL / f"{name}.npz"
