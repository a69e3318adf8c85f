"""`nnviz episode FILE.toml`: render an episode's parts and join them with chapters."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from rich.table import Table

from nnviz.cli import cli
from nnviz.cli.render import check_narration, check_scheduler, common_options, consoles
from nnviz.spec.config import parse_set


@cli.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--title-cards/--no-title-cards", default=None,
              help="A title card before each part (default: the file's title_cards).")
@common_options
def episode(file, title_cards, quality_name, sets, out, n_jobs, formats, poster_time,
            retrain, cache_dir, verbose, narrate, autoplay_loop, scheduler) -> None:
    """Render the parts of episode FILE (TOML) and join them into one video with chapters,
    at OUT/<episode>/<quality>/<episode>.<ext> (parts in .../parts/)."""
    from nnviz.core.errors import NNVizError, choices_hint
    from nnviz.core.files import check_writable
    from nnviz.draw.beats import write_beats
    from nnviz.pipeline.cleanup import work_folder
    from nnviz.pipeline.configs import scene_keys
    from nnviz.pipeline.episode import episode_beats, episode_jobs, join, load_episode
    from nnviz.pipeline.export import Lecture, export, parse_formats, probe
    from nnviz.pipeline.jobs import WORK_DIR, quality
    from nnviz.pipeline.progress import shown_path, summary_table
    from nnviz.pipeline.render import report_failures, train_and_render
    from nnviz.pipeline.traces import resolve_store
    from nnviz.spec.store import TraceStore

    stdout, stderr = consoles()
    # 1. validate everything first
    ep = load_episode(file)
    q = quality(quality_name or ep.quality)
    fmts = parse_formats(formats or ep.formats or "mp4")
    set_values = parse_set(sets)
    keys = {p.scene: scene_keys(p.scene) for p in ep.parts}
    for key in set_values:
        if not any(key in k for k in keys.values()):
            all_keys = sorted(set().union(*keys.values()))
            raise NNVizError(f"No scene in episode '{file}' has a setting '{key}'."
                             + choices_hint(key, all_keys))
    ep_dir = out / ep.stem / q.name
    work_root = out / WORK_DIR
    jobs, chapters = episode_jobs(ep, q, ep_dir / "parts", set_values, TraceStore(cache_dir),
                                  work_root, title_cards, narrate)
    if scheduler:
        check_scheduler(scheduler)
    if narrate:
        check_narration()
    out = check_writable(out, "output folder")
    store = resolve_store(cache_dir)
    # 2. traces and parts (in parallel), then the join and the exports
    results = train_and_render(jobs, [j.config for j in jobs], out, store, retrain, n_jobs,
                               stderr, scheduler)
    stdout.print(summary_table(results, f"Parts of '{ep.title}' at {q.name}"))
    code = report_failures(results, stderr, verbose)
    if code:
        stderr.print(f"nnviz: error: episode '{ep.stem}' not joined: a part failed.",
                     markup=False, highlight=False)
        sys.exit(code)
    with work_folder(work_root, f"{ep.stem}-join") as work:
        with stderr.status(f"joining {len(jobs)} clips into '{ep.stem}'"):
            joined = work / f"{ep.stem}.mp4"
            videos = [r.files["mp4"] for r in results]
            marks = join(videos, [(p.title, members) for p, members in zip(ep.parts, chapters,
                                                                           strict=True)],
                         ep.title, q, joined, work)
        # captions: the parts' beats, shifted by where each part starts (a title card's
        # caption is its part's title)
        cards = {j: p.title for p, members in zip(ep.parts, chapters, strict=True)
                 for j in members if jobs[j].name == "title-card"}
        beats = episode_beats(videos, cards)
        with stderr.status(f"exporting {', '.join(fmts)}"):
            write_beats(ep_dir / f"{ep.stem}.beats.json", beats, ep.stem, probe(joined).duration)
            files = export(joined, fmts, ep_dir, ep.stem, poster_time,
                           lecture=Lecture(beats, marks, ep.title, autoplay_loop))
    table = Table(title=f"Episode '{ep.title}'", title_justify="left")
    for col in ("chapter", "start", "end"):
        table.add_column(col, justify="left" if col == "chapter" else "right")
    for name, start, end in marks:
        table.add_row(name, f"{start:.2f} s", f"{end:.2f} s")
    stdout.print(table)
    main = files.get("mp4") or next(iter(files.values()))
    length = probe(files["mp4"]).duration if "mp4" in files else marks[-1][2]
    stdout.print(f"episode: {shown_path(main)} ({length:.2f} s; "
                 f"{', '.join(p.name for p in files.values())})", markup=False,
                 highlight=False)
