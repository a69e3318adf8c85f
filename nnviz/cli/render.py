"""`nnviz render NAME... | --all`: validated configs, cached traces, parallel renders."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.console import Console

from nnviz.cli import FiniteFloat, cli
from nnviz.spec.config import parse_set


def consoles() -> tuple[Console, Console]:
    """(stdout console for results, stderr console for progress and errors)."""
    width = None if sys.stdout.isatty() else 120
    return Console(width=width), Console(stderr=True, width=width)


def _add_scene_folders(ctx: click.Context, param: click.Parameter, folders: tuple) -> None:
    from nnviz.spec import registry

    registry.add_folders(list(folders))


def scenes_option(func):
    """--scenes DIR (repeatable): more scene folders, beside the built-in scenes, the
    project's [tool.nnviz] scenes, $NNVIZ_SCENES and installed scene packages."""
    return click.option(
        "--scenes", "scene_folders", multiple=True, expose_value=False, is_eager=True,
        callback=_add_scene_folders, metavar="DIR",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of your own scene files (repeatable), beside the built-in scenes.")(func)


def check_scheduler(address: str) -> None:
    """--scheduler is usable: Dask is installed and the address is well formed (checked
    before any work starts)."""
    import importlib.util

    from nnviz.core.errors import NNVizError

    if importlib.util.find_spec("distributed") is None:
        raise NNVizError("--scheduler needs Dask distributed: pip install 'nnviz[cluster]'.")
    from nnviz.pipeline.cluster import parse_scheduler

    parse_scheduler(address)


def check_narration(split: int = 1) -> None:
    """--narrate is usable: the speech engine is installed, and the scene renders whole
    (a part of a split render skips the beats before it, and their sounds with them)."""
    from nnviz.core.errors import NNVizError
    from nnviz.pipeline.narration import check_engine

    check_engine()
    if split > 1:
        raise NNVizError("--narrate renders each scene whole: drop --split.")


def common_options(func):
    """Options that `render` and `episode` share."""
    opts = [
        click.option("--quality", "-q", "quality_name", default=None,
                     type=click.Choice(["draft", "720p", "1080p", "4k"]),
                     help="draft=480p15 (the default), 720p=720p30, 1080p=1080p60, "
                          "4k=2160p60; an episode file may set its own."),
        click.option("--set", "sets", multiple=True, metavar="KEY=VALUE",
                     help="Override a setting (repeatable); applies to every scene that has it."),
        click.option("--out", "out", default="renders", show_default=True,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Output folder."),
        click.option("-j", "--jobs", "n_jobs", default=1, show_default=True,
                     type=click.IntRange(1, 64), help="Scenes rendered in parallel."),
        click.option("--formats", "formats", default=None,
                     help="Comma-separated: mp4,webm,gif,poster,html [default: mp4]."),
        click.option("--poster-time", type=FiniteFloat(min=0.0), default=None,
                     help="Seconds into the video for the poster frame (default: last frame)."),
        click.option("--retrain", is_flag=True, help="Train the traces again even if cached."),
        click.option("--cache", "cache_dir", default=None,
                     type=click.Path(file_okay=False, path_type=Path),
                     help="Trace cache folder (default $NNVIZ_CACHE or ./cache/traces)."),
        click.option("--verbose", "-v", is_flag=True, help="Show tracebacks of failed scenes."),
        click.option("--narrate", is_flag=True,
                     help="Scratch narration: speak each beat's sentence with espeak-ng "
                          "(offline) and hold each beat as long as its sentence lasts."),
        click.option("--autoplay-loop", is_flag=True,
                     help="The HTML snippet plays at once, muted, in a loop (default: it "
                          "waits for the viewer's play, with sound and captions)."),
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="Render on a Dask cluster: its scheduler's address "
                          "(tcp://host:8786), or local:N for N local worker processes. "
                          "Needs pip install 'nnviz[cluster]'."),
    ]
    for opt in reversed(opts):
        func = opt(func)
    return scenes_option(func)


@cli.command()
@click.argument("names", nargs=-1)
@click.option("--all", "all_scenes", is_flag=True, help="Render every registered scene.")
@click.option("--config", "config_file", default=None, type=click.Path(path_type=Path),
              help="TOML file: shared top-level keys plus a [scene-name] table per scene.")
@click.option("--encoding", default="fast", show_default=True,
              type=click.Choice(["fast", "small"]),
              help="fast: x264 ultrafast, CRF 21 (quick, faithful, larger files); "
                   "small: medium, CRF 20 (about 3x the encoding time, smaller files).")
@click.option("--split", "split", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Render each scene in up to N parts (ranges of its animations) on "
                   "different workers, joined without re-encoding.")
@common_options
def render(names, all_scenes, config_file, encoding, split, quality_name, sets, out, n_jobs,
           formats, poster_time, retrain, cache_dir, verbose, narrate, autoplay_loop,
           scheduler) -> None:
    """Render scenes by name to OUT/<scene>/<quality>/<scene>.<ext>."""
    from nnviz.core.files import check_writable
    from nnviz.pipeline import configs as gather
    from nnviz.pipeline.export import parse_formats
    from nnviz.pipeline.jobs import quality, scene_jobs
    from nnviz.pipeline.progress import summary_table
    from nnviz.pipeline.render import report_failures, train_and_render
    from nnviz.pipeline.traces import resolve_store

    stdout, stderr = consoles()
    # 1. everything the user typed is checked before any work starts
    q = quality(quality_name or "draft")
    fmts = parse_formats(formats or "mp4")
    scene_list = gather.scene_names(names, all_scenes)
    overrides = (gather.config_file_overrides(config_file, scene_list) if config_file
                 else {n: {} for n in scene_list})
    gather.apply_sets(parse_set(sets), scene_list, overrides)
    configs = gather.build_configs(overrides)
    if scheduler:
        check_scheduler(scheduler)
    if narrate:
        check_narration(split)
    out = check_writable(out, "output folder")
    store = resolve_store(cache_dir)
    # 2. traces, then renders
    jobs = scene_jobs(configs, q, out, fmts, poster_time, store, encoding, narrate,
                      autoplay_loop)
    results = train_and_render(jobs, configs.values(), out, store, retrain, n_jobs, stderr,
                               scheduler, split)
    stdout.print(summary_table(results, f"Rendered at {q.name} ({q.height}p{q.fps})"))
    code = report_failures(results, stderr, verbose)
    if code:
        sys.exit(code)
