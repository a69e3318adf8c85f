"""Typed, validated scene configs and the training specs they imply.

A scene's config is a dataclass. Each field is a knob a course team can turn from the
command line (`--set key=value`) or a TOML file without editing Python; every value is
checked before anything renders, and a mistake gets one line naming the valid choices.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import tomllib
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nnviz.core.datasets import PLANAR, planar_params
from nnviz.core.errors import NNVizError, choices_hint
from nnviz.core.files import check_regular_file
from nnviz.core.limits import check_duration, check_training
from nnviz.spec.palette import PALETTE, check_colour

CACHE_VERSION = 1  # bump when training semantics change, so old cached traces are not reused


MAX_ITEMS = 16  # items of a list knob (hidden widths, w_values, ...) unless a knob says


def knob(default: Any, help: str = "", *, choices: tuple | None = None,
         min: float | None = None, max: float | None = None,  # noqa: A002
         max_len: int | None = None) -> Any:
    """A config field with its help text and the values it may take (for a list knob,
    `min`/`max` bound each item and `max_len` the number of items)."""
    meta = {"help": help, "choices": choices, "min": min, "max": max, "max_len": max_len}
    if isinstance(default, list | dict):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True)
class TraceSpec:
    """Everything that determines a training run, and so the trace it records.

    The data seed lives in `dataset_params` like every other data set parameter; a spec
    that does not give one trains on data seeded with `seed`, so one number makes the
    data, the initial weights and the training order (see `data_seed`).
    """

    dataset: str
    sizes: tuple[int, ...]
    activation: str = "tanh"
    output_activation: str = "identity"
    trainer: str = "adam"
    steps: int = 200
    seed: int = 0
    record: int | str = 1
    loss: str | None = None
    dataset_params: tuple[tuple[str, Any], ...] = ()
    trainer_params: tuple[tuple[str, Any], ...] = ()
    test_fraction: float = 0.0

    def __post_init__(self) -> None:
        params = dict(self.dataset_params)
        if "seed" not in params:
            params["seed"] = self.seed
            object.__setattr__(self, "dataset_params", tuple(sorted(params.items())))

    @property
    def data_seed(self) -> int:
        """The seed the spec's data set is drawn with."""
        return dict(self.dataset_params)["seed"]

    def key(self) -> str:
        """A short hash of the spec: the trace cache's file name."""
        payload = json.dumps([CACHE_VERSION, dataclasses.asdict(self)], sort_keys=True)
        return hashlib.sha256(payload.encode()).hexdigest()[:16]

    def label(self) -> str:
        return f"{self.dataset} {'-'.join(map(str, self.sizes))} {self.activation} {self.trainer}"


def spec(dataset: str, sizes, dataset_params: dict | None = None,
         trainer_params: dict | None = None, data_seed: int | None = None,
         **kw: Any) -> TraceSpec:
    """TraceSpec with plain dicts for the parameters (kept sorted, so hashes are stable).

    The data are seeded with `data_seed`, else with the spec's `seed`: several networks
    trained on one data set (different `seed`s) pass the scene's seed as `data_seed`."""
    params = dict(dataset_params or {})
    if data_seed is not None:
        if params.get("seed", data_seed) != data_seed:
            raise ValueError(f"data seed given twice: {params['seed']} and {data_seed}")
        params["seed"] = int(data_seed)
    return TraceSpec(
        dataset=dataset,
        sizes=tuple(int(s) for s in sizes),
        dataset_params=tuple(sorted(params.items())),
        trainer_params=tuple(sorted((trainer_params or {}).items())),
        **kw,
    )


@dataclass
class SceneConfig:
    """Knobs every scene has: seed, timing and colours."""

    seed: int = knob(0, "seed of the data, the initial weights and the training order",
                     min=0, max=2**31 - 1)
    speed: float = knob(1.0, "timing multiplier: 2 plays twice as fast", min=0.1, max=10.0)
    positive_color: str = knob(PALETTE["positive"], "colour of positive weights")
    negative_color: str = knob(PALETTE["negative"], "colour of negative weights")
    class_a_color: str = knob(PALETTE["class_a"], "colour of class A (label 0)")
    class_b_color: str = knob(PALETTE["class_b"], "colour of class B (label 1)")

    def traces(self) -> dict[str, TraceSpec]:
        """The trained networks this scene reads, by name. Override in scene configs."""
        return {}

    def __post_init__(self) -> None:
        for f in dataclasses.fields(self):
            if f.name.endswith("_color"):
                setattr(self, f.name, check_colour(getattr(self, f.name), f.name))

    def check(self) -> None:
        """Rules across several knobs, run by build_config before anything trains or
        renders; raise NNVizError. Scene configs override it (and call super().check()).

        The base estimates cost: every trace must fit the training budget and the sum of
        the `*_time` knobs (over speed) the video-length limit."""
        for s in self.traces().values():
            check_spec(s)
        seconds = sum(float(getattr(self, f.name)) for f in dataclasses.fields(self)
                      if f.name.endswith("_time") and isinstance(getattr(self, f.name),
                                                                   int | float))
        check_duration(seconds / self.speed, "The scene's timed steps")


@dataclass
class PlanarDataConfig(SceneConfig):
    """A scene on a two-class data set in the plane: which one, and how it is drawn."""

    dataset: str = knob("two_curves", "data set", choices=PLANAR)
    n_points: int = knob(200, "number of data points", min=20, max=2000)
    turns: float = knob(0.75, "spiral turns (spirals only)", min=0.25, max=3.0)
    noise: float = knob(0.02, "data noise", min=0.0, max=0.3)

    def data_params(self) -> dict[str, Any]:
        """The data set's parameters, seeded with the scene's seed."""
        return planar_params(self.dataset, self.n_points, self.turns, self.noise, self.seed)


# -- validation ---------------------------------------------------------------------------

def check_spec(s: TraceSpec) -> None:
    """Refuse a training run over the cost limits (nnviz.core.limits), before it starts."""
    params = dict(s.dataset_params)
    try:
        check_training(s.dataset, params.get("n", default_n(s.dataset)), s.sizes, s.steps,
                       s.test_fraction)
    except NNVizError as e:
        raise NNVizError(f"Trace '{s.label()}': {e}") from None


def default_n(dataset: str) -> int | None:
    """The sample count data set `dataset` has when no n is given (None: its full size)."""
    import inspect

    from nnviz.core.datasets import DATASETS

    fn = DATASETS.get(dataset)
    if fn is None:
        return None
    p = inspect.signature(fn).parameters.get("n")
    return None if p is None or p.default is inspect.Parameter.empty else p.default


def _type_name(tp: Any) -> str:
    origin = typing.get_origin(tp)
    if origin is tuple:
        return f"comma-separated list of {_type_name(typing.get_args(tp)[0])}s"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in typing.get_args(tp) if a is not type(None))
    return {int: "integer", float: "number", str: "text", bool: "true/false"}.get(tp, str(tp))


def coerce(value: Any, tp: Any) -> Any:
    """Turn command-line text (--set, --data-param) or a TOML value into type `tp`, or raise
    ValueError: the one set of rules for every typed value a user gives (true/yes/on/1 and
    false/no/off/0 for booleans, none or nothing for an optional value, commas for tuples)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if type(None) in args and (value is None or str(value).lower() in ("none", "")):
            return None
        for arg in args:
            if arg is type(None):
                continue
            try:
                return coerce(value, arg)
            except (ValueError, TypeError):
                continue
        raise ValueError
    if origin is tuple:
        inner = typing.get_args(tp)[0]
        items = value.split(",") if isinstance(value, str) else list(value)
        items = [i.strip() if isinstance(i, str) else i for i in items if str(i).strip() != ""]
        if not items:
            raise ValueError
        return tuple(coerce(i, inner) for i in items)
    if tp is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("true", "yes", "on", "1"):
            return True
        if text in ("false", "no", "off", "0"):
            return False
        raise ValueError
    if tp is int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
            raise ValueError
        return int(str(value).strip()) if isinstance(value, str) else int(value)
    if tp is float:
        if isinstance(value, bool):
            raise ValueError
        number = float(value)
        if not math.isfinite(number):  # NaN passes every range check: refuse it here
            raise ValueError
        return number
    if tp is str:
        if not isinstance(value, str):
            raise ValueError
        return value
    raise TypeError(f"unsupported config type {tp}")


def config_fields(cls: type[SceneConfig]) -> dict[str, tuple[Any, dataclasses.Field]]:
    hints = typing.get_type_hints(cls)
    return {f.name: (hints[f.name], f) for f in dataclasses.fields(cls)}


def build_config(cls: type[SceneConfig], overrides: dict[str, Any] | None = None,
                 scene: str = "scene") -> SceneConfig:
    """Validate `overrides` against `cls` and build the config, or raise one NNVizError."""
    fields = config_fields(cls)
    values: dict[str, Any] = {}
    for key, raw in (overrides or {}).items():
        if key not in fields:
            raise NNVizError(
                f"Scene '{scene}' has no setting '{key}'." + choices_hint(key, list(fields))
            )
        tp, f = fields[key]
        try:
            value = coerce(raw, tp)
        except (ValueError, TypeError):
            kind = _type_name(tp)
            if _non_finite(raw):
                kind = kind.replace("number", "finite number", 1)
            raise NNVizError(
                f"Setting '{key}' of scene '{scene}' must be a {kind}, got {raw!r}."
            ) from None
        meta = f.metadata
        choices = meta.get("choices")
        items = value if isinstance(value, tuple) else (value,)
        max_len = meta.get("max_len") or MAX_ITEMS
        if len(items) > max_len:
            raise NNVizError(f"Setting '{key}' of scene '{scene}' takes at most {max_len} "
                             f"values, got {len(items)}.")
        for item in items:
            if choices and item not in choices:
                raise NNVizError(
                    f"Setting '{key}' of scene '{scene}' cannot be {item!r}."
                    + choices_hint(str(item), [str(c) for c in choices])
                )
            lo, hi = meta.get("min"), meta.get("max")
            if lo is None and hi is None and isinstance(item, int | float):
                lo, hi = -MAX_MAGNITUDE, MAX_MAGNITUDE  # a knob without bounds still has some
            if isinstance(item, int | float) and not isinstance(item, bool) and (
                (lo is not None and item < lo) or (hi is not None and item > hi)
            ):
                span = f"between {lo} and {hi}" if lo is not None and hi is not None else (
                    f"at least {lo}" if lo is not None else f"at most {hi}")
                raise NNVizError(
                    f"Setting '{key}' of scene '{scene}' must be {span}, got {item}."
                )
        values[key] = value
    try:
        config = cls(**values)
        config.check()
    except NNVizError as e:
        raise NNVizError(f"Scene '{scene}': {e}") from None
    return config


MAX_MAGNITUDE = 1e6  # the bound of a numeric knob that declares none


def _non_finite(raw: Any) -> bool:
    """Whether a raw value is (or holds) NaN or an infinity, for a clearer message."""
    items = raw.split(",") if isinstance(raw, str) else (
        raw if isinstance(raw, list | tuple) else [raw])
    for item in items:
        try:
            if not math.isfinite(float(item)):
                return True
        except (TypeError, ValueError):
            continue
    return False


def parse_set(items: list[str] | tuple[str, ...]) -> dict[str, str]:
    """['a=1', 'b=x'] -> {'a': '1', 'b': 'x'}; a malformed item is a user error."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise NNVizError(f"Bad --set '{item}': write it as key=value, e.g. --set steps=300.")
        out[key.strip()] = value.strip()
    return out


def load_toml(path: str | Path) -> dict[str, Any]:
    """Read a TOML config file; a missing file or syntax error is one clear line."""
    path = Path(path)
    check_regular_file(path, "Config file")
    try:
        return tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as e:
        raise NNVizError(f"Config file '{path}' is not valid TOML: {e}.") from None
    except (OSError, UnicodeDecodeError) as e:
        raise NNVizError(f"Cannot read config file '{path}': {e}.") from None


def describe(cls: type[SceneConfig]) -> list[tuple[str, str, str, str]]:
    """(key, type, default, help) for every knob, for `nnviz list`."""
    rows = []
    for name, (tp, f) in config_fields(cls).items():
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        if isinstance(default, tuple):
            default = ",".join(map(str, default))
        help_text = f.metadata.get("help", "")
        if f.metadata.get("choices"):
            help_text += f" ({' | '.join(map(str, f.metadata['choices']))})"
        rows.append((name, _type_name(tp), str(default), help_text))
    return rows
