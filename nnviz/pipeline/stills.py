"""Stills at the end of every beat: the pictures a video maker looks at (and a reviewer
judges) before watching the whole video, and the slides of a beat-by-beat deck.

`beat_stills(video)` reads the beats written beside a render (`<stem>.beats.json`) and
saves the last frame of each beat as `<stem>.stills/NN-name.png`, plus `sheet.png`, all
of them on one contact sheet with their beat names.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from nnviz.core.errors import NNVizError
from nnviz.core.files import atomic_path
from nnviz.draw.beats import Beat, read_beats
from nnviz.pipeline.export import probe, to_poster


def beats_file(video: Path) -> Path:
    return video.with_name(f"{video.stem}.beats.json")


def beat_stills(video: str | Path, beats: list[Beat] | None = None,
                out_dir: str | Path | None = None, sheet: bool = True) -> list[Path]:
    """PNG stills of `video` at the end of each beat (one frame before the next begins);
    returns their paths, the contact sheet last."""
    video = Path(video)
    info = probe(video)
    if beats is None:
        source = beats_file(video)
        if not source.is_file():
            raise NNVizError(f"No beats beside '{video}' (expected '{source.name}'): render "
                             "the scene with nnviz render first.")
        try:
            beats = read_beats(source)
        except (ValueError, KeyError, TypeError) as e:
            raise NNVizError(f"'{source}' is not a beats file: {e}.") from None
    out = Path(out_dir) if out_dir is not None else video.with_name(f"{video.stem}.stills")
    tmp_dir = out.with_name(f".{out.name}.part")
    shutil.rmtree(tmp_dir, ignore_errors=True)
    tmp_dir.mkdir(parents=True)
    try:
        frame = 1.0 / (info.fps or 15.0)
        paths = []
        for i, beat in enumerate(beats, 1):
            at = min(max(beat.start, beat.end - 1.5 * frame), max(info.duration - frame, 0.0))
            paths.append(to_poster(video, tmp_dir / f"{i:02d}-{beat.name}.png", at))
        if sheet and paths:
            paths.append(contact_sheet(paths, [b.name for b in beats], tmp_dir / "sheet.png"))
        if out.exists():
            shutil.rmtree(out)
        tmp_dir.rename(out)
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
    return [out / p.name for p in paths]


def contact_sheet(images: list[Path], names: list[str], dst: Path, columns: int = 3,
                  width: int = 640) -> Path:
    """The images side by side, `columns` per row, each `width` px wide under its name."""
    from PIL import Image, ImageDraw

    tiles = []
    for path in images:
        with Image.open(path) as im:
            h = round(im.height * width / im.width)
            tiles.append(im.convert("RGB").resize((width, h)))
    label = 22
    tile_h = max(t.height for t in tiles) + label
    rows = -(-len(tiles) // columns)
    sheet = Image.new("RGB", (columns * width, rows * tile_h), (40, 40, 40))
    draw = ImageDraw.Draw(sheet)
    for i, (tile, name) in enumerate(zip(tiles, names, strict=False)):
        x, y = (i % columns) * width, (i // columns) * tile_h
        sheet.paste(tile, (x, y + label))
        draw.text((x + 6, y + 4), f"{i + 1}. {name}", fill=(235, 235, 235))
    with atomic_path(dst) as tmp:
        sheet.save(tmp, format="PNG")
    return dst
