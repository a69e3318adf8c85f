"""`nnviz export VIDEO --to mp4,webm,gif,poster,html`: lecture formats of any video."""

from __future__ import annotations

from pathlib import Path

import click

from nnviz.cli import FiniteFloat, cli


@cli.command()
@click.argument("video", type=click.Path(path_type=Path))
@click.option("--to", "formats", default="mp4,webm,gif,poster,html", show_default=True,
              help="Comma-separated formats: mp4,webm,gif,poster,html.")
@click.option("--out", "out", default=None, type=click.Path(file_okay=False, path_type=Path),
              help="Output folder (default: the video's folder).")
@click.option("--name", "stem", default=None, help="File name stem (default: the video's).")
@click.option("--poster-time", type=FiniteFloat(min=0.0), default=None,
              help="Seconds into the video for the poster frame (default: last frame).")
@click.option("--autoplay-loop", is_flag=True,
              help="The HTML snippet plays at once, muted, in a loop (default: it waits for "
                   "the viewer's play, with sound and captions).")
@click.option("--title", default=None, help="The video's title (mp4 metadata, HTML snippet).")
def export(video, formats, out, stem, poster_time, autoplay_loop, title) -> None:
    """Write VIDEO as a browser-safe mp4 (H.264, yuv420p, +faststart, sound as AAC), a VP9
    webm (sound as Opus), a looping GIF, a poster PNG and an HTML <video> snippet. With the
    <stem>.beats.json nnviz render writes beside VIDEO: captions (.vtt, .srt) and chapters
    too."""
    from nnviz.cli.render import consoles
    from nnviz.core.files import check_writable
    from nnviz.pipeline.captions import load_beats
    from nnviz.pipeline.export import Lecture, check_poster_time, check_stem, parse_formats, probe
    from nnviz.pipeline.export import export as run_export
    from nnviz.pipeline.progress import shown_path

    stdout, stderr = consoles()
    fmts = parse_formats(formats)
    if stem is not None:
        check_stem(stem)
    info = probe(video)  # missing file or not a video: one line, before anything is written
    if "poster" in fmts:
        check_poster_time(poster_time, info.duration)
    beats = load_beats(video)
    folder = check_writable(out or video.parent, "output folder")
    with stderr.status(f"exporting {video.name}") as status:
        files = run_export(video, fmts, folder, stem or video.stem, poster_time,
                           on_step=lambda fmt: status.update(f"exporting {fmt}"),
                           lecture=Lecture(beats, title=title, autoplay_loop=autoplay_loop))
    for fmt, path in files.items():
        stdout.print(f"{fmt:>6}  {shown_path(path)}", markup=False, highlight=False)
