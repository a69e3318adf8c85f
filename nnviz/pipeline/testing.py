"""Graphical regression testing for nnviz scenes, in the manner of manim's
frames_comparison: render a scene's last frame small and compare it with a stored
control frame (.npz). Usable for your own scenes too.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore

SIZE = (480, 270)  # pixel width, height of control frames
UPDATE_ENV = "NNVIZ_UPDATE_CONTROL"


def render_scene(scene: str | type, size: tuple[int, int] = SIZE, *,
                 store: TraceStore | None = None, manim_config: dict[str, Any] | None = None,
                 **settings: Any) -> tuple[Any, np.ndarray]:
    """Render a scene in this process and return (the scene instance, its last frame as
    RGB uint8): the one way tests render, to compare frames and to read what a scene drew.

    `scene` is a registered scene's name (rendered with its validated `settings` and the
    trace store `store`, default $NNVIZ_CACHE) or any manim Scene class. Animations are
    skipped (like `manim -s`), so this is fast; no video is written. `manim_config` adds
    manim settings (e.g. background_color for a plain Scene).
    """
    from manim import tempconfig

    if isinstance(scene, str):
        from nnviz.spec import registry

        entry = registry.get(scene)
        cfg = build_config(entry.config_class, settings, scene)
        make = lambda: entry.scene_class(config=cfg, store=store)  # noqa: E731
    elif settings or store is not None:
        cfg = build_config(scene.Config, settings, getattr(scene, "scene_name", "scene"))
        make = lambda: scene(config=cfg, store=store)  # noqa: E731
    else:
        make = scene
    with tempconfig({
        "pixel_width": size[0], "pixel_height": size[1], "frame_rate": 15,
        "save_last_frame": True, "write_to_movie": False, "disable_caching": True,
        "verbosity": "ERROR", "progress_bar": "none", "dry_run": False,
        **(manim_config or {}),
    }):
        instance = make()
        instance.render()
        frame = instance.renderer.get_frame()
    return instance, np.asarray(frame)[..., :3].copy()


def render_last_frame(scene: str | type, size: tuple[int, int] = SIZE,
                      **settings: Any) -> np.ndarray:
    """Only the last frame of `render_scene`, for comparing with a control frame."""
    return render_scene(scene, size, **settings)[1]


def compare_frames(frame: np.ndarray, control: np.ndarray, tolerance: int = 40,
                   max_fraction: float = 0.004) -> tuple[bool, str]:
    """Frames match when at most `max_fraction` of pixels differ by more than `tolerance`
    in any channel (room for anti-aliasing and font hinting, not for a moved mobject)."""
    if frame.shape != control.shape:
        return False, f"shape {frame.shape} differs from control {control.shape}"
    diff = np.abs(frame.astype(int) - control.astype(int)).max(axis=-1)
    frac = float(np.mean(diff > tolerance))
    return frac <= max_fraction, f"{frac:.2%} of pixels differ by more than {tolerance}"


def assert_matches_control(frame: np.ndarray, control_path: str | os.PathLike) -> None:
    """Compare with the control frame; write it instead when NNVIZ_UPDATE_CONTROL=1."""
    path = Path(control_path)
    if os.environ.get(UPDATE_ENV) == "1" or not path.exists() and os.environ.get(UPDATE_ENV):
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(path, frame=frame)
        return
    if not path.exists():
        raise AssertionError(
            f"No control frame {path}; run the test once with {UPDATE_ENV}=1 and look at it."
        )
    control = np.load(path)["frame"]
    ok, why = compare_frames(frame, control)
    if not ok:
        out = path.with_suffix(".actual.png")
        from PIL import Image

        Image.fromarray(frame).save(out)
        raise AssertionError(f"Frame differs from control {path.name}: {why} (see {out}).")
