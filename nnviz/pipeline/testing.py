"""Graphical regression testing for nnviz scenes, in the manner of manim's
frames_comparison: render a scene's last frame small and compare it with a stored
control frame (.npz). Usable for your own scenes too.
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any

import numpy as np

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.spec.config import build_config
from nnviz.spec.store import TraceStore

SIZE = (480, 270)  # pixel width, height of control frames
UPDATE_ENV = "NNVIZ_UPDATE_CONTROL"
UPDATE_MODES = ("all", "missing")
# The detail check (compare_frames): blocks of TILE px, shifted up to REACH px, both frames
# blurred by SIGMA px. Measured on the control frames at 480x270: a readout set 2 px off by
# another LaTeX leaves 39; a blanked number 100 or more; one digit changed for another
# 50-80 (a 6 for a 0, the closest pair at this size, about 50: not always caught).
TILE, REACH, SIGMA = 16, 2.0, 0.7
DETAIL_TOLERANCE = 56.0


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
    import tempfile

    from nnviz.pipeline.formulas import private_assets

    # formulas from the machine's cache, texts laid out for this size (pipeline.formulas)
    with tempfile.TemporaryDirectory(prefix="nnviz-test-") as tmp, \
            private_assets(Path(tmp) / "formulas", size) as dirs, tempconfig({
                "pixel_width": size[0], "pixel_height": size[1], "frame_rate": 15,
                "save_last_frame": True, "write_to_movie": False, "disable_caching": True,
                "verbosity": "ERROR", "progress_bar": "none", "dry_run": False,
                "media_dir": str(Path(tmp) / "media"), **dirs, **(manim_config or {}),
            }):
        instance = make()
        instance.render()
        frame = instance.renderer.get_frame()
    return instance, np.asarray(frame)[..., :3].copy()


def render_last_frame(scene: str | type, size: tuple[int, int] = SIZE,
                      **settings: Any) -> np.ndarray:
    """Only the last frame of `render_scene`, for comparing with a control frame."""
    return render_scene(scene, size, **settings)[1]


def _blur(frame: np.ndarray, sigma: float) -> np.ndarray:
    from scipy.ndimage import gaussian_filter

    return gaussian_filter(frame.astype(np.float32), (sigma, sigma, 0), mode="nearest")


def unexplained_detail(frame: np.ndarray, control: np.ndarray, tile: int = TILE,
                       reach: float = REACH, sigma: float = SIGMA,
                       floor: float = 0.0) -> np.ndarray:
    """Per `tile` x `tile` block, how far `frame` differs from `control` (0..255, the worst
    pixel and channel) after both are blurred by `sigma` px and the frame is moved by the
    best shift within `reach` px (half-pixel steps) for that block alone.

    The blur absorbs anti-aliasing and font hinting; the per-block shift absorbs a label
    or a readout set 1-2 px off (another LaTeX or font version). What is left is detail
    that moving cannot explain: a changed digit, a missing label. Blocks that already
    differ by at most `floor` unshifted are not searched (they are reported unshifted).
    """
    fb, cb = _blur(frame, sigma), _blur(control, sigma)
    h, w = cb.shape[:2]
    ny, nx = -(-h // tile), -(-w // tile)
    plain = np.zeros((ny * tile, nx * tile), np.float32)
    plain[:h, :w] = np.abs(fb - cb).max(axis=-1)
    worst = plain.reshape(ny, tile, nx, tile).max(axis=(1, 3))
    m = int(np.ceil(reach)) + 1
    padded = np.pad(fb, ((m, m), (m, m), (0, 0)), mode="edge")
    offsets = np.arange(-reach, reach + 1e-9, 0.5)
    for by, bx in zip(*np.nonzero(worst > floor), strict=True):
        y0, x0 = by * tile, bx * tile
        want = cb[y0:y0 + tile, x0:x0 + tile]
        bh, bw = want.shape[:2]
        around = padded[y0:y0 + bh + 2 * m, x0:x0 + bw + 2 * m]
        for dy in offsets:
            for dx in offsets:
                iy, ix = m + int(np.floor(dy)), m + int(np.floor(dx))
                ty, tx = dy % 1, dx % 1  # bilinear between the four whole-pixel shifts
                moved = (1 - ty) * ((1 - tx) * around[iy:iy + bh, ix:ix + bw]
                                    + tx * around[iy:iy + bh, ix + 1:ix + 1 + bw]) \
                    + ty * ((1 - tx) * around[iy + 1:iy + 1 + bh, ix:ix + bw]
                            + tx * around[iy + 1:iy + 1 + bh, ix + 1:ix + 1 + bw])
                worst[by, bx] = min(worst[by, bx], float(np.abs(moved - want).max()))
    return worst


def compare_frames(frame: np.ndarray, control: np.ndarray, tolerance: int = 40,
                   max_fraction: float = 0.004,
                   detail_tolerance: float | None = DETAIL_TOLERANCE) -> tuple[bool, str]:
    """Frames match when (1) at most `max_fraction` of pixels differ by more than
    `tolerance` in any channel (room for anti-aliasing and font hinting, not for a moved
    mobject), and (2) no block differs by more than `detail_tolerance` after blurring and
    a small local shift (see `unexplained_detail`): a changed number or a missing label
    is too small for (1) but not for (2). None skips (2)."""
    if frame.shape != control.shape:
        return False, f"shape {frame.shape} differs from control {control.shape}"
    diff = np.abs(frame.astype(int) - control.astype(int)).max(axis=-1)
    frac = float(np.mean(diff > tolerance))
    why = f"{frac:.2%} of pixels differ by more than {tolerance}"
    if frac > max_fraction or detail_tolerance is None:
        return frac <= max_fraction, why
    blocks = unexplained_detail(frame, control, floor=detail_tolerance)
    by, bx = np.unravel_index(int(np.argmax(blocks)), blocks.shape)
    if blocks[by, bx] > detail_tolerance:
        return False, (f"{why}, but the {TILE} px block at x={bx * TILE}, y={by * TILE} differs "
                       f"by {blocks[by, bx]:.0f} (> {detail_tolerance:g}) even when shifted up "
                       f"to {REACH:g} px: a changed number or label?")
    return True, why


def update_mode() -> str | None:
    """NNVIZ_UPDATE_CONTROL: 'all' rewrites every control frame a test compares with,
    'missing' writes only those that do not exist yet; unset or empty compares. Anything
    else is a mistake (so a stray '1' cannot silently turn every comparison into a pass)."""
    value = os.environ.get(UPDATE_ENV, "").strip()
    if not value:
        return None
    if value not in UPDATE_MODES:
        raise NNVizError(f"{UPDATE_ENV}={value!r} is not a choice: use 'all' (rewrite every "
                         "control frame) or 'missing' (write only missing ones), or unset it.")
    return value


def assert_matches_control(frame: np.ndarray, control_path: str | os.PathLike) -> None:
    """Compare with the control frame, or write it as NNVIZ_UPDATE_CONTROL says (a warning
    names each frame written: look at it before committing)."""
    path = Path(control_path)
    mode = update_mode()
    if mode == "all" or (mode == "missing" and not path.exists()):
        with atomic_path(path, "control frame") as tmp:
            np.savez_compressed(tmp, frame=frame)
        warnings.warn(f"wrote control frame {path}: look at it before committing", stacklevel=2)
        return
    if not path.exists():
        raise AssertionError(
            f"No control frame {path}; run the test once with {UPDATE_ENV}=missing and "
            "look at it."
        )
    control = np.load(path)["frame"]
    ok, why = compare_frames(frame, control)
    if not ok:
        out = path.with_suffix(".actual.png")
        from PIL import Image

        Image.fromarray(frame).save(out)
        raise AssertionError(f"Frame differs from control {path.name}: {why} (see {out}).")
