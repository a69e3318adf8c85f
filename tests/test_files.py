"""nnviz.core.files: the one atomic writer and the one writable-folder check."""

from __future__ import annotations

import os
import stat

import numpy as np
import pytest

from nnviz.core import datasets
from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path, check_writable
from nnviz.core.network import MLP
from nnviz.core.trace import Trace, TraceError
from nnviz.core.training import train


def test_the_file_appears_only_when_the_block_succeeds(tmp_path):
    final = tmp_path / "sub" / "out.mp4"
    with atomic_path(final) as tmp:
        # hidden, beside the final file, same extension (ffmpeg and Pillow read it)
        assert tmp.parent == final.parent and tmp.name.startswith(".out.mp4.")
        assert tmp.suffix == ".mp4"
        tmp.write_bytes(b"video")
        assert not final.exists()
    assert final.read_bytes() == b"video"
    assert os.listdir(final.parent) == ["out.mp4"]
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(final.stat().st_mode) == 0o666 & ~umask


@pytest.mark.parametrize("exc", [RuntimeError, KeyboardInterrupt])
def test_a_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path, exc):
    final = tmp_path / "times.json"
    final.write_text("old")
    with pytest.raises(exc), atomic_path(final) as tmp:
        tmp.write_text("half of the new")
        raise exc
    assert final.read_text() == "old"
    assert os.listdir(tmp_path) == ["times.json"]


def test_an_unwritable_place_is_one_line_of_the_chosen_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    want = r"^Cannot write trace '.*run\.npz': '.*file' is a file, not"
    with pytest.raises(TraceError, match=want), atomic_path(blocker / "run.npz", "trace",
                                                            TraceError):
        pytest.fail("the block must not run")


def test_an_interrupted_trace_save_leaves_the_old_trace(tmp_path, monkeypatch):
    data = datasets.load("xor")
    trace = train(MLP((2, 3, 1), "tanh", "sigmoid", seed=0), data, "adam", steps=3)
    path = trace.save(tmp_path / "run.npz")
    before = path.read_bytes()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(np.lib.format, "write_array", interrupted)
    with pytest.raises(KeyboardInterrupt):
        trace.save(path)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["run.npz"]
    monkeypatch.undo()
    assert Trace.load(path).n_records == trace.n_records


def test_check_writable_creates_the_folder_or_names_it(tmp_path):
    assert check_writable(tmp_path / "a" / "b", "output folder") == tmp_path / "a" / "b"
    assert (tmp_path / "a" / "b").is_dir() and os.listdir(tmp_path / "a" / "b") == []
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NNVizError, match=r"^Cannot write to output folder '.*file/out': "
                                         r"Not a directory\.$"):
        check_writable(blocker / "out", "output folder")


def test_check_writable_without_create_makes_nothing(tmp_path):
    target = tmp_path / "new" / "deeper"
    assert check_writable(target, create=False) == target
    assert os.listdir(tmp_path) == []  # the probe ran in tmp_path and is gone
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(NNVizError, match=r"'.*file' is a file, not a folder\.$"):
        check_writable(blocker / "out", create=False)
