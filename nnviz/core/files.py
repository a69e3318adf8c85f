"""Writing files so that a failure never leaves half of one behind.

Every file nnviz writes (traces, videos, exports, pictures, render times) goes through
`atomic_path`: the data is written under a hidden temporary name in the final folder,
flushed to disk, and renamed onto the final name only when the writing succeeded. A
crash, an error or Ctrl-C leaves the old file (or none), never a truncated one. Folders
the user names are checked once, up front, with `check_writable`.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

from nnviz.core.errors import NNVizError

_UMASK = os.umask(0)
os.umask(_UMASK)  # read once: setting it later from a thread would race other threads


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def atomic_path(final: str | os.PathLike, what: str = "file",
                error: type[NNVizError] = NNVizError) -> Iterator[Path]:
    """A temporary path beside `final` to write to, renamed onto `final` when the block ends
    without an exception; on any failure (KeyboardInterrupt too) it is removed.

    The temporary name is hidden (``.name.PID.XXXX.part.ext``) and keeps `final`'s
    extension, so tools that pick a format by extension (ffmpeg, Pillow) still work; the
    writer's pid in it lets a later run sweep what a killed process left (`stale_part`). The file is
    fsynced before the rename. An OSError of its own (no such folder, no permission) is
    raised as `error`, one line naming `what` and the path; what the block raises passes
    through unchanged.
    """
    final = Path(final)
    folder = final.parent

    def failed(e: OSError) -> NNVizError:
        reason = "disk full" if disk_full(e) else e.strerror or str(e)
        if isinstance(e, FileExistsError):  # from mkdir: the folder's name is taken by a file
            reason = f"'{folder}' is a file, not a folder"
        return error(f"Cannot write {what} '{final}': {reason}.")

    if final.exists() and not final.is_file():  # never rename over /dev/null, a FIFO, a folder
        kind = "a folder" if final.is_dir() else "not a regular file"
        raise error(f"Cannot write {what} '{final}': it is {kind}.")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{final.name}.{os.getpid()}.",
                                    suffix=f".part{final.suffix}", dir=folder)
        os.close(fd)
    except OSError as e:
        raise failed(e) from None
    tmp = Path(name)
    try:
        try:
            os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; a published file is readable
        except OSError as e:
            raise failed(e) from None
        yield tmp  # what the block raises passes through unchanged
        try:
            _fsync(tmp)
            os.replace(tmp, final)
        except OSError as e:
            raise failed(e) from None
        with contextlib.suppress(OSError):  # makes the rename itself durable, where allowed
            _fsync(folder, directory=True)
    finally:
        tmp.unlink(missing_ok=True)


PART_NAME = re.compile(r"^\.(?P<final>.+)\.(?P<pid>\d+)\.[A-Za-z0-9_]+\.part(\.[^.]*)?$")


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists (a zombie counts as alive until reaped)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def stale_part(path: Path) -> bool:
    """Whether `path` is a temporary file of `atomic_path` whose writer is gone (killed before
    it could clean up): its name carries the writer's pid, and that process is dead."""
    m = PART_NAME.match(path.name)
    return bool(m) and not pid_alive(int(m["pid"]))


def disk_full(e: BaseException | None) -> bool:
    """Whether an error (or one it was raised from) is a full disk (ENOSPC or EDQUOT), also
    when a tool only said so in its message (ffmpeg, LaTeX)."""
    seen = 0
    while e is not None and seen < 10:
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            return True
        if "No space left on device" in str(e) or "Disk quota exceeded" in str(e):
            return True
        e = e.__cause__ or e.__context__
        seen += 1
    return False


def check_writable(folder: str | os.PathLike, what: str = "folder",
                   create: bool = True) -> Path:
    """Prove that files can be written in `folder` (permission bits say little when running
    as root or on network drives), or raise one line naming `what` and the folder.

    With `create`, the folder is made if missing. Without it nothing is created: the
    nearest existing parent is probed instead, for a command that must leave nothing
    behind when a later step fails.
    """
    folder = Path(folder)
    probe = folder
    if not create:
        while not probe.exists() and probe != probe.parent:
            probe = probe.parent
    parent = "" if probe == folder else f"'{probe}' "
    if not create and not probe.is_dir():
        raise NNVizError(f"Cannot write to {what} '{folder}': {parent or 'it '}is a file, "
                         "not a folder.")
    try:
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=probe, prefix=".nnviz-probe-"):
            pass
    except OSError as e:
        reason = e.strerror or str(e)
        if parent:
            reason = f"{parent}is not writable ({reason})"
        raise NNVizError(f"Cannot write to {what} '{folder}': {reason}.") from None
    return folder


def check_regular_file(path: str | os.PathLike, what: str,
                       error: type[NNVizError] = NNVizError) -> None:
    """One line unless `path` is a regular file (or a link to one): a folder, a FIFO (which
    would block a reader forever) or a device such as /dev/zero is named as what it is."""
    path = Path(path)
    if not path.exists():
        raise error(f"{what} '{path}' does not exist.")
    if path.is_dir():
        raise error(f"{what} '{path}' is a folder, not a file.")
    if not path.is_file():
        raise error(f"{what} '{path}' is not a regular file (a pipe, socket or device).")
