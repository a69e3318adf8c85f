"""The formula cache: LaTeX and text SVGs compiled once per machine, for every render.

manim names each compiled formula (and each Pango text) after a hash of its source and
template, so its folders are content-addressed already; what makes one shared folder
unsafe is that manim compiles in place and deletes every non-SVG file of the folder when
it is done, so two renders compiling at once would delete each other's work.

So every render gets a private folder (`private_assets`), seeded with links to every SVG
in the machine's cache; manim finds what is cached and compiles the rest there; on the way
out, each new SVG that parses is published into the cache atomically (a hard link, or a
copy renamed into place). A render into a fresh output folder therefore pays no LaTeX
that any earlier render on the machine paid. A full disk, a kill or a broken file never
leaves a partial SVG in the cache: at worst a formula is compiled again.

The cache is $NNVIZ_FORMULA_CACHE, else $XDG_CACHE_HOME/nnviz/formulas (~/.cache/...),
one folder per manim minor version (its file names are manim's): `Tex/` for LaTeX, and
`texts-WxH/` for Pango texts, one per pixel size, since manim lays a text out on a canvas
of the render's size without putting the size in the file's name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from nnviz.core.files import disk_full

KINDS = ("Tex", "texts")  # manim's tex_dir and text_dir
# manim names a text's SVG by its words and style but lays it out on a canvas of the
# render's pixel size, so text SVGs are cached per pixel size (LaTeX ones are not sized)
ENV = "NNVIZ_FORMULA_CACHE"


def cache_root() -> Path:
    """The machine's formula cache for this manim version."""
    import manim

    version = ".".join(manim.__version__.split(".")[:2])
    base = os.environ.get(ENV)
    if base:
        return Path(base) / f"manim-{version}"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg) / "nnviz" / "formulas" / f"manim-{version}"


def _svg_ok(path: Path) -> bool:
    from xml.etree import ElementTree

    try:
        if path.stat().st_size == 0:
            return False
        ElementTree.parse(path)
    except (OSError, ElementTree.ParseError):
        return False
    return True


def _looks_whole(path: Path) -> bool:
    """A cheap check for seeding (no parse): not empty, and ends the way an SVG ends."""
    try:
        with open(path, "rb") as fh:
            size = fh.seek(0, os.SEEK_END)
            fh.seek(max(0, size - 64))
            return size > 0 and fh.read().rstrip().endswith(b"</svg>")
    except OSError:
        return False


def _link_or_copy(src: Path, dst: Path) -> None:
    """dst made to be src's content in one step: a hard link, or (another file system) a
    copy under a hidden name renamed onto dst."""
    try:
        os.link(src, dst)
    except FileExistsError:
        return
    except OSError:
        tmp = dst.with_name(f".{dst.name}.{os.getpid()}.part")
        try:
            shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()


def _cached(cache: Path, kind: str, size: tuple[int, int]) -> Path:
    return cache / (kind if kind == "Tex" else f"{kind}-{size[0]}x{size[1]}")


def seed(private: Path, cache: Path, size: tuple[int, int] = (1920, 1080)) -> int:
    """Link every cached SVG into the private folders; returns how many. A cached file
    that is empty or cut short (written by hand, a damaged disk) is deleted from the
    cache, so manim compiles it again and the render publishes it whole."""
    n = 0
    for kind in KINDS:
        (private / kind).mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            for entry in os.scandir(_cached(cache, kind, size)):
                if not entry.name.endswith(".svg") or entry.name.startswith("."):
                    continue
                with contextlib.suppress(OSError):
                    if not _looks_whole(Path(entry.path)):
                        os.unlink(entry.path)
                        continue
                    _link_or_copy(Path(entry.path), private / kind / entry.name)
                    n += 1
    return n


def publish(private: Path, cache: Path, size: tuple[int, int] = (1920, 1080)) -> list[Path]:
    """Every SVG compiled in `private` (not one seeded from the cache) that parses, put
    into the cache; a full disk stops publishing quietly (the cache is only a speed-up).
    Returns what was published."""
    published: list[Path] = []
    for kind in KINDS:
        folder = private / kind
        if not folder.is_dir():
            continue
        for svg in sorted(folder.glob("*.svg")):
            target = _cached(cache, kind, size) / svg.name
            if target.exists() or not _svg_ok(svg):
                continue
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                _link_or_copy(svg, target)
                published.append(target)
            except OSError as e:
                if disk_full(e):
                    return published
    return published


@contextlib.contextmanager
def private_assets(folder: Path, size: tuple[int, int], cache: Path | None = None
                   ) -> Iterator[dict[str, str]]:
    """manim's tex_dir and text_dir for one render of `size` (pixel width, height), in
    `folder` (removed afterwards), seeded from and published to the formula cache."""
    cache = cache or cache_root()
    folder.mkdir(parents=True, exist_ok=True)
    seed(folder, cache, size)
    try:
        yield {"tex_dir": str(folder / "Tex"), "text_dir": str(folder / "texts")}
    finally:
        with contextlib.suppress(OSError):
            publish(folder, cache, size)
        shutil.rmtree(folder, ignore_errors=True)


__all__ = ["cache_root", "private_assets", "publish", "seed", "ENV"]
