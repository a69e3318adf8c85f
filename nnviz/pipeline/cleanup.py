"""Private work folders that a killed render cannot leave behind for good.

A render works in `<out>/.nnviz-work/<stem>-<pid>-XXXX/` and holds an flock on the `.lock`
file inside for as long as it uses the folder. SIGKILL (or a power cut) leaves the folder
and any `atomic_path` temporary file (`.name.PID.XXXX.part.ext`) behind; the next run
sweeps them: a folder whose lock is free and whose owner is dead (or that is older than
any render starting up could be), and a temporary file whose writer's pid is dead.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from nnviz.core.files import pid_alive, stale_part
from nnviz.pipeline.jobs import ASSETS_DIR, WORK_DIR

LOCK = ".lock"
STARTUP_SECONDS = 30.0  # a folder younger than this may be between mkdtemp and its flock
_OWNER = re.compile(r"-(\d+)-[^-]+$")  # <stem>-<pid>-XXXX


@contextlib.contextmanager
def work_folder(root: Path, stem: str) -> Iterator[Path]:
    """A private folder in `root` (made if missing) for one render, locked while in use and
    removed afterwards, with `root` too when it is empty.

    Another process may remove the empty `root` between our mkdir and mkdtemp (its render
    finished): then we make it again, instead of failing."""
    for attempt in range(50):
        try:
            root.mkdir(parents=True, exist_ok=True)  # FileExistsError if removed meanwhile
            work = Path(tempfile.mkdtemp(prefix=f"{stem}-{os.getpid()}-", dir=root))
            break
        except (FileNotFoundError, FileExistsError):
            if attempt == 49 or not root.parent.is_dir():
                raise
    try:
        with open(work / LOCK, "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)
        with contextlib.suppress(OSError):
            root.rmdir()


def _folder_stale(folder: Path, now: float) -> bool:
    """Nobody holds the folder's lock, and its owner is dead or it is too old to be
    starting up."""
    try:
        age = now - folder.stat().st_mtime
    except OSError:
        return False
    m = _OWNER.search(folder.name)
    owner_dead = bool(m) and not pid_alive(int(m[1]))
    if not owner_dead and age < STARTUP_SECONDS:
        return False
    try:
        fd = os.open(folder / LOCK, os.O_RDWR)
    except FileNotFoundError:
        return owner_dead or age > 3600  # no lock file: a folder from before locks
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False  # locked: a render is using it
    finally:
        os.close(fd)
    return True


def _walk(folder: Path, depth: int) -> Iterator[Path]:
    """Files up to `depth` folders below `folder` (never into the asset cache)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.is_dir(follow_symlinks=False):
            if depth > 0 and entry.name not in (ASSETS_DIR, WORK_DIR):
                yield from _walk(Path(entry.path), depth - 1)
        else:
            yield Path(entry.path)


def _stale_share_mark(path: Path) -> bool:
    """A shared-output mark (pipeline.cluster) of a client that is gone."""
    m = re.match(r"^\.nnviz-shared-(\d+)-[0-9a-f]+$", path.name)
    return bool(m) and not pid_alive(int(m[1]))


def sweep(out: Path, cache: Path | None = None) -> list[Path]:
    """Remove what killed renders left in `out` (work folders, temporary exports) and in the
    trace `cache` (temporary traces); returns what was removed."""
    removed: list[Path] = []
    now = time.time()
    work_root = out / WORK_DIR
    with contextlib.suppress(OSError):
        for folder in list(work_root.iterdir()):
            if folder.is_dir() and _folder_stale(folder, now):
                shutil.rmtree(folder, ignore_errors=True)
                removed.append(folder)
    with contextlib.suppress(OSError):
        work_root.rmdir()
    files = list(_walk(out, 3))  # out/<scene>/<quality>/parts/<file>
    if cache is not None:
        files += list(_walk(cache, 0))
    for path in files:
        if stale_part(path) or _stale_share_mark(path):
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed
