"""Scenes by name, from every source at once: nnviz's built-in scenes, installed packages
that declare an `nnviz.scenes` entry point, the `[tool.nnviz] scenes` folders of the current
project's pyproject.toml, the folders of $NNVIZ_SCENES (os.pathsep-separated) and of
`--scenes DIR`. Every scene class registers itself with @register when its module imports.

A folder's scene files import as modules of a package named after the folder (a holder
module whose __path__ is the folder), so their classes and configs pickle by reference into
spawned render workers, which install the same holders (`install_folders`) before a job
unpickles.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.metadata
import importlib.util
import inspect
import os
import sys
import tomllib
import types
from dataclasses import dataclass, replace
from pathlib import Path

from nnviz.core.errors import NNVizError, choices_hint
from nnviz.spec.config import SceneConfig

BUILTIN_PACKAGE = "nnviz.scenes"  # scenes/ in the source tree, shipped in the wheel
ENTRY_POINT_GROUP = "nnviz.scenes"
ENV = "NNVIZ_SCENES"
FOLDER_PACKAGE = "nnviz_scenes_"  # + a hash of the folder: the package of a folder's files


@dataclass(frozen=True)
class SceneEntry:
    name: str
    description: str
    scene_class: type
    config_class: type[SceneConfig]
    source: str = ""  # where the scene comes from: built-in, folder, project, package NAME

    @property
    def file(self) -> Path:
        return Path(inspect.getfile(self.scene_class))

    @property
    def class_name(self) -> str:
        return self.scene_class.__name__


# every scene ever registered in this process, by name (the last registration wins); the
# scenes of the current sources are what discover() returns
REGISTRY: dict[str, SceneEntry] = {}
_ENTRIES: dict[tuple[str, str], SceneEntry] = {}  # (module, class) -> entry
# scenes an entry point's import registered outside its own package (it may import others)
_IMPORTED_BY: dict[str, set[tuple[str, str]]] = {}


def register(name: str, description: str):
    """Class decorator: make a scene renderable as `nnviz render NAME`."""

    def deco(cls: type) -> type:
        cls.scene_name = name
        entry = SceneEntry(name, description, cls, cls.Config)
        _ENTRIES[(cls.__module__, cls.__qualname__)] = entry
        REGISTRY[name] = entry
        return cls

    return deco


@dataclass(frozen=True)
class Source:
    """One place scenes come from: the modules of `package` (a folder's holder package,
    the built-in package, or an entry point's module)."""

    label: str  # built-in | folder | project | package DIST
    package: str
    folder: Path | None = None
    origin: str = ""  # where the source was named, for error messages


def builtin_dir() -> Path:
    """The folder of the built-in scenes (nnviz.scenes)."""
    spec = importlib.util.find_spec(BUILTIN_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise NNVizError(f"The built-in scenes ({BUILTIN_PACKAGE}) are not installed; "
                         "reinstall nnviz (pip install .).")
    return Path(list(spec.submodule_search_locations)[0])


def add_folders(folders: list[Path] | tuple[Path, ...]) -> None:
    """Add scene folders for this run (`--scenes DIR`). They are added to $NNVIZ_SCENES, so
    the spawned render workers, which inherit the environment, find the same scenes."""
    if not folders:
        return
    have = [p for p in os.environ.get(ENV, "").split(os.pathsep) if p]
    new = [str(Path(f).resolve()) for f in folders]
    os.environ[ENV] = os.pathsep.join(dict.fromkeys(have + new))


def find_project(start: Path | None = None) -> Path | None:
    """The pyproject.toml of the project the current folder is in (nearest one up)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder / "pyproject.toml"
    return None


def project_folders(start: Path | None = None) -> list[Path]:
    """The `[tool.nnviz] scenes = [...]` folders of the current project, relative to its
    pyproject.toml."""
    pyproject = find_project(start)
    if pyproject is None:
        return []
    try:
        data = tomllib.loads(pyproject.read_text())
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as e:
        raise NNVizError(f"Project file '{pyproject}' is not readable TOML: {e}.") from None
    folders = data.get("tool", {}).get("nnviz", {}).get("scenes", [])
    if isinstance(folders, str):
        folders = [folders]
    if not isinstance(folders, list) or not all(isinstance(f, str) for f in folders):
        raise NNVizError(f"'{pyproject}': [tool.nnviz] scenes must be a list of folders, "
                         f'e.g. scenes = ["scenes"].')
    return [pyproject.parent / f for f in folders]


def _folder_package(folder: Path) -> str:
    return FOLDER_PACKAGE + hashlib.sha1(str(folder).encode()).hexdigest()[:12]


def _folder_sources() -> list[Source]:
    """The folder sources, built-in folder and repeats left out, each checked to exist."""
    named = [(Path(p), "project", f"[tool.nnviz] scenes of {find_project()}")
             for p in project_folders()]
    named += [(Path(p), "folder", ENV) for p in os.environ.get(ENV, "").split(os.pathsep) if p]
    try:
        skip = {builtin_dir().resolve()}
    except NNVizError:
        skip = set()
    out = []
    for path, label, origin in named:
        if not path.is_dir():
            raise NNVizError(f"Scenes folder '{path}' does not exist (from {origin}).")
        folder = path.resolve()
        if folder in skip:
            continue
        skip.add(folder)
        out.append(Source(label, _folder_package(folder), folder, origin))
    return out


def install_folders() -> list[Source]:
    """Make every scene folder's files importable by module name (holder packages), without
    importing them: what a spawned render worker needs before it unpickles a job."""
    sources = _folder_sources()
    for src in sources:
        if src.package not in sys.modules:
            holder = types.ModuleType(src.package, f"nnviz scenes from {src.folder}")
            holder.__path__ = [str(src.folder)]
            sys.modules[src.package] = holder
    return sources


def _package_sources() -> list[Source]:
    out = []
    for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP):
        dist = ep.dist.name if ep.dist is not None else ep.name
        out.append(Source(f"package {dist}", ep.module,
                          origin=f"entry point {ep.name} = {ep.value} of package '{dist}'"))
    return out


def sources() -> list[Source]:
    """Every scene source, in the order their scenes are listed."""
    return [Source("built-in", BUILTIN_PACKAGE, builtin_dir()), *_package_sources(),
            *install_folders()]


def _load(src: Source) -> None:
    """Import the modules of a source, so that their @register decorators run."""
    if src.folder is None:  # an entry point's module or package: its import registers
        modules = [(src.package, None)]
    else:
        modules = [(f"{src.package}.{p.stem}", p) for p in sorted(src.folder.glob("*.py"))
                   if not p.name.startswith("_")]
    for module, path in modules:
        if module in sys.modules:
            continue
        before = set(_ENTRIES)
        try:
            importlib.import_module(module)
            _IMPORTED_BY[module] = set(_ENTRIES) - before
        except Exception as e:  # a scene file: one line, not a traceback
            for name in [m for m in sys.modules if m == module or m.startswith(module + ".")]:
                sys.modules.pop(name, None)
            added = set(_ENTRIES) - before
            for key in [k for k in _ENTRIES if k[0] == module or k in added]:
                del _ENTRIES[key]  # what the failed import registered is gone with it
            where = (f"Scene file '{path}'" if path is not None
                     else f"Scene module '{module}' ({src.origin})")
            raise NNVizError(f"{where} failed to import: {type(e).__name__}: {e}") from None


def discover() -> dict[str, SceneEntry]:
    """Every scene of every source, by name; two scenes with one name is an error naming
    both files."""
    found: dict[str, SceneEntry] = {}
    for src in sources():
        _load(src)
        prefix = src.package + "."
        imported = _IMPORTED_BY.get(src.package, set())
        for key, entry in list(_ENTRIES.items()):
            module = key[0]
            if module != src.package and not module.startswith(prefix) and key not in imported:
                continue
            other = found.get(entry.name)
            if other is not None and other.scene_class is not entry.scene_class:
                raise NNVizError(
                    f"Two scenes are named '{entry.name}': {other.class_name} in "
                    f"'{other.file}' ({other.source}) and {entry.class_name} in "
                    f"'{entry.file}' ({src.label}); rename one (its @register name).")
            found[entry.name] = replace(entry, source=src.label)
    return dict(sorted(found.items()))


def get(name: str) -> SceneEntry:
    scenes = discover()
    if name not in scenes:
        raise NNVizError(f"Unknown scene '{name}'." + choices_hint(name, sorted(scenes)))
    return scenes[name]
