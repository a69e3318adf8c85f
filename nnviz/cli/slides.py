"""`nnviz slides SCENE... | EPISODE.toml | VIDEO... --out DIR`: a deck with a slide per beat."""

from __future__ import annotations

from pathlib import Path

import click

from nnviz.cli import cli
from nnviz.cli.render import scenes_option

VIDEO_SUFFIXES = (".mp4", ".mov", ".mkv", ".webm")


@cli.command()
@click.argument("items", nargs=-1, required=True)
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="The deck's folder (index.html, clips/).")
@click.option("--to", "to", default="html", show_default=True,
              type=click.Choice(["html", "pptx"]),
              help="html: a self-contained offline deck; pptx: PowerPoint with the clips "
                   "embedded (needs pip install 'nnviz[slides]').")
@click.option("--title", default=None, help="The deck's title (default: from the items).")
@click.option("--quality", "-q", "quality_name", default=None,
              type=click.Choice(["draft", "720p", "1080p", "4k"]),
              help="Quality the scenes are rendered at [default: draft; an episode's own].")
@click.option("--renders", default="renders", show_default=True,
              type=click.Path(file_okay=False, path_type=Path),
              help="Where the scenes are rendered before they are cut into slides.")
@click.option("--narrate", is_flag=True, help="Render with scratch narration (espeak-ng).")
@scenes_option
@click.pass_context
def slides(ctx, items, out, to, title, quality_name, renders, narrate) -> None:
    """Render scenes (names), an episode (a .toml file) or take rendered videos (with the
    .beats.json nnviz render writes beside them), and write a presentation in which each
    beat is a slide that plays its clip and stops: arrow keys, space and click go forward
    and back; 'n' shows the beat's sentence, the speaker note."""
    from nnviz.cli.episode import episode as episode_cmd
    from nnviz.cli.render import consoles
    from nnviz.cli.render import render as render_cmd
    from nnviz.core.errors import NNVizError
    from nnviz.core.files import check_writable
    from nnviz.pipeline.captions import beats_beside
    from nnviz.pipeline.episode import load_episode
    from nnviz.pipeline.narration import check_engine
    from nnviz.pipeline.progress import shown_path
    from nnviz.pipeline.slides import make_deck, make_pptx
    from nnviz.spec import registry

    stdout, stderr = consoles()
    if to == "pptx":
        import importlib.util

        if importlib.util.find_spec("pptx") is None:
            raise NNVizError("--to pptx needs python-pptx: pip install 'nnviz[slides]'.")
    if narrate:
        check_engine()
    # 1. what each item is, checked before anything renders
    scenes = registry.discover()
    plan: list[tuple[str, str]] = []  # (kind, value)
    for item in items:
        path = Path(item)
        if item.endswith(".toml"):
            load_episode(path)
            plan.append(("episode", item))
        elif path.suffix.lower() in VIDEO_SUFFIXES:
            if not path.is_file() or not beats_beside(path).is_file():
                raise NNVizError(f"'{item}' is not a rendered video with its beats beside it "
                                 f"({path.stem}.beats.json).")
            plan.append(("video", item))
        elif item in scenes:
            plan.append(("scene", item))
        else:
            from nnviz.core.errors import choices_hint

            raise NNVizError(f"'{item}' is no scene, episode file (.toml) or rendered video."
                             + choices_hint(item, sorted(scenes)))
    out = check_writable(out, "slides folder")
    # 2. render what is not rendered yet, in order
    videos: list[Path] = []
    names = [v for k, v in plan if k == "scene"]
    q = quality_name or "draft"
    if names:
        ctx.invoke(render_cmd, names=tuple(names), quality_name=q, out=renders,
                   narrate=narrate)
    for kind, value in plan:
        if kind == "video":
            videos.append(Path(value))
        elif kind == "scene":
            videos.append(renders / value / q / f"{value}.mp4")
        else:
            ep = load_episode(value)
            ctx.invoke(episode_cmd, file=Path(value), quality_name=quality_name, out=renders,
                       narrate=narrate)
            eq = quality_name or ep.quality
            videos.append(renders / ep.stem / eq / f"{ep.stem}.mp4")
    deck_title = title or (load_episode(items[0]).title if len(items) == 1 and
                           items[0].endswith(".toml") else ", ".join(p.stem for p in videos))
    # 3. the deck
    with stderr.status(f"cutting {len(videos)} video(s) into slides"):
        page = (make_pptx if to == "pptx" else make_deck)(videos, out, deck_title)
    stdout.print(f"slides: {shown_path(page)}", markup=False, highlight=False)
