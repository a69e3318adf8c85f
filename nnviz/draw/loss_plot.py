"""A small PNG of a loss curve, drawn with Pillow (no matplotlib needed).

`nnviz inspect` writes one beside each trace so a training run can be judged at a
glance: axes with "nice" ticks, a log scale when the loss spans decades, the video
palette's colours.
"""

from __future__ import annotations

import io
import math
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.spec.palette import PALETTE

SIZE = (800, 500)
MARGIN = (90, 60, 30, 70)  # left, top, right, bottom


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About n round numbers (1, 2 or 5 times a power of ten apart) covering [lo, hi]."""
    if not hi > lo:
        return [lo]
    raw = (hi - lo) / max(n, 1)
    power = 10.0 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(lo / step - 1e-9) * step
    ticks = []
    k = 0
    while first + k * step <= hi + 1e-9 * step:
        ticks.append(round(first + k * step, 12))
        k += 1
    return ticks


def log_ticks(lo: float, hi: float) -> list[float]:
    """Powers of ten inside [lo, hi]; with 2x and 5x between when there are few decades."""
    a, b = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    mults = (1, 2, 5) if math.log10(hi / lo) <= 3 else (1,)
    ticks = [m * 10.0**e for e in range(a, b + 1) for m in mults]
    return [t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]


def _label(v: float) -> str:
    if v == 0:
        return "0"
    if abs(v) >= 1e4 or abs(v) < 1e-3:
        return f"{v:.0e}".replace("e-0", "e-").replace("e+0", "e")
    return f"{v:g}"


def _font(size: int) -> ImageFont.ImageFont | ImageFont.FreeTypeFont:
    for name in ("DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(name, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def loss_curve_image(
    steps: Sequence[float],
    curves: dict[str, Sequence[float]],
    title: str = "",
    ylabel: str = "loss",
    log: bool | None = None,
) -> Image.Image:
    """Draw curves (label -> values at `steps`) on one pair of axes; None log = automatic."""
    x = np.asarray(steps, dtype=float)
    series = {k: np.asarray(v, dtype=float) for k, v in curves.items()}
    finite = np.concatenate([v[np.isfinite(v)] for v in series.values()] or [np.array([])])
    if finite.size == 0:
        finite = np.array([0.0, 1.0])
    positive = finite[finite > 0]
    if log is None:
        log = positive.size == finite.size and positive.max() / positive.min() > 50
    y_lo, y_hi = (float(positive.min()), float(positive.max())) if log else (
        min(0.0, float(finite.min())), float(finite.max()))
    if not y_hi > y_lo:
        y_lo, y_hi = (y_lo / 2, y_hi * 2) if log else (y_lo - 0.5, y_hi + 0.5)
    if not log:
        yt = nice_ticks(y_lo, y_hi)
        step = yt[1] - yt[0] if len(yt) > 1 else 1.0
        y_hi = max(y_hi, yt[-1]) if yt[-1] >= y_hi else yt[-1] + step
    if log:  # a little air above and below the curve
        pad = 10.0 ** (0.04 * math.log10(y_hi / y_lo))
        y_lo, y_hi = y_lo / pad, y_hi * pad
    x_lo, x_hi = float(x.min()), float(max(x.max(), x.min() + 1))

    img = Image.new("RGB", SIZE, PALETTE["background"])
    draw = ImageDraw.Draw(img)
    left, top, right, bottom = MARGIN
    x0, x1, y0, y1 = left, SIZE[0] - right, SIZE[1] - bottom, top
    fy = (lambda v: math.log10(v)) if log else (lambda v: v)
    ly_lo, ly_hi = fy(y_lo), fy(y_hi)

    def px(xv: float, yv: float) -> tuple[float, float]:
        u = (xv - x_lo) / (x_hi - x_lo)
        w = (fy(yv) - ly_lo) / (ly_hi - ly_lo)
        return x0 + u * (x1 - x0), y0 + w * (y1 - y0)

    small, big = _font(15), _font(18)
    grid, text, muted = PALETTE["grid"], PALETTE["text"], PALETTE["muted"]
    for t in log_ticks(y_lo, y_hi) if log else nice_ticks(y_lo, y_hi):
        _, yy = px(x_lo, t)
        draw.line([(x0, yy), (x1, yy)], fill=_dim(grid), width=1)
        draw.line([(x0 - 6, yy), (x0, yy)], fill=muted, width=2)
        draw.text((x0 - 10, yy), _label(t), fill=text, font=small, anchor="rm")
    for t in (t for t in nice_ticks(x_lo, x_hi, 6) if float(t).is_integer()):  # whole steps
        xx, _ = px(t, y_lo)
        draw.line([(xx, y0), (xx, y1)], fill=_dim(grid), width=1)
        draw.line([(xx, y0), (xx, y0 + 6)], fill=muted, width=2)
        draw.text((xx, y0 + 10), _label(t), fill=text, font=small, anchor="mt")
    draw.line([(x0, y1), (x0, y0), (x1, y0)], fill=muted, width=2)

    colours = [PALETTE["highlight"], PALETTE["positive"], PALETTE["negative"], PALETTE["class_b"]]
    for k, (name, values) in enumerate(series.items()):
        ok = np.isfinite(values) & ((values > 0) if log else True)
        pts = [px(a, b) for a, b in zip(x[ok], values[ok], strict=True)]
        colour = colours[k % len(colours)]
        if len(pts) > 1:
            draw.line(pts, fill=colour, width=3, joint="curve")
        elif pts:
            draw.ellipse([pts[0][0] - 3, pts[0][1] - 3, pts[0][0] + 3, pts[0][1] + 3], fill=colour)
        if len(series) > 1:  # legend, top right
            ly = y1 + 12 + 24 * k
            draw.line([(x1 - 150, ly), (x1 - 120, ly)], fill=colour, width=3)
            draw.text((x1 - 112, ly), name, fill=text, font=small, anchor="lm")

    draw.text(((x0 + x1) / 2, SIZE[1] - 22), "training step", fill=text, font=big, anchor="mm")
    ylab = ylabel + (" (log scale)" if log else "")
    label_img = Image.new("RGBA", (int(y0 - y1), 28), (0, 0, 0, 0))
    ImageDraw.Draw(label_img).text((label_img.width / 2, 14), ylab, fill=text, font=big,
                                   anchor="mm")
    rotated = label_img.rotate(90, expand=True)
    img.paste(rotated, (12, int(y1)), rotated)
    if title:
        draw.text(((x0 + x1) / 2, 28), title, fill=text, font=big, anchor="mm")
    return img


def _dim(hex_colour: str, amount: float = 0.35) -> str:
    """A grid colour blended towards the background, so the curve stands out."""
    a = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)], float)
    bg = PALETTE["background"]
    b = np.array([int(bg[i : i + 2], 16) for i in (1, 3, 5)], float)
    r, g, bl = (amount * a + (1 - amount) * b).round().astype(int)
    return f"#{r:02x}{g:02x}{bl:02x}"


def save_png(img: Image.Image, path: str | os.PathLike) -> Path:
    """Write a PNG atomically: a failure leaves no partial picture."""
    path = Path(path)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    try:
        with atomic_path(path, "picture") as tmp:
            tmp.write_bytes(buf.getvalue())
    except OSError as e:
        raise NNVizError(f"Cannot write picture '{path}': {e.strerror or e}.") from None
    return path
