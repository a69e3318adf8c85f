"""What the pipeline shows while it works: rich progress for training and for each scene,
and the summary table at the end (the same rich look as manim's own output)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table


def shown_path(path: Path) -> str:
    """A path relative to the working folder when it is inside it (shorter in tables)."""
    try:
        return os.path.relpath(path) if not os.path.relpath(path).startswith("..") else str(path)
    except ValueError:
        return str(path)


class TrainingProgress:
    """A bar per trace being trained; plugs into TraceStore.ensure(progress=...)."""

    def __init__(self, console: Console) -> None:
        self.progress = Progress(
            TextColumn("[bold]training[/] {task.description}"), BarColumn(),
            MofNCompleteColumn(), TimeElapsedColumn(), console=console,
        )
        self.tasks: dict[str, Any] = {}

    def __enter__(self) -> TrainingProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def training(self, label: str, steps: int) -> Callable[[int, int], None]:
        task = self.progress.add_task(label, total=steps)
        self.tasks[label] = task
        return lambda done, total: self.progress.update(task, completed=done, total=total)

    def warn(self, message: str) -> None:
        """One line above the bars (e.g. a cache entry that is trained again)."""
        self.progress.console.print(message, markup=False, highlight=False)

    def training_done(self, label: str) -> None:
        task = self.tasks.get(label)
        if task is not None:
            total = self.progress.tasks[task].total
            self.progress.update(task, completed=total)


class RenderProgress:
    """One row per scene: spinner, name, what its worker is doing, elapsed time."""

    def __init__(self, console: Console, labels: list[str]) -> None:
        self.progress = Progress(
            SpinnerColumn(), TextColumn("[bold]{task.description:<24}"),
            TextColumn("{task.fields[status]}"), TimeElapsedColumn(), console=console,
        )
        self.tasks = [self.progress.add_task(label, status="queued", start=False)
                      for label in labels]

    def __enter__(self) -> RenderProgress:
        self.progress.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.progress.stop()

    def status(self, index: int, status: str) -> None:
        task = self.tasks[index]
        if not self.progress.tasks[task].started:
            self.progress.start_task(task)
        self.progress.update(task, status=status)

    def done(self, index: int, result: Any) -> None:
        task = self.tasks[index]
        status = "[green]done[/]" if result.ok else "[red]failed[/]"
        self.progress.update(task, status=status, total=1, completed=1)
        self.progress.stop_task(task)


def summary_table(results: list[Any], title: str = "Rendered") -> Table:
    """scene, file, duration (ffprobe), render time: what the user gets at the end."""
    table = Table(title=title, title_justify="left")
    table.add_column("scene", style="bold")
    table.add_column("file", overflow="fold")
    table.add_column("duration", justify="right")
    table.add_column("render time", justify="right")
    for r in results:
        if r.ok:
            main = r.files.get("mp4") or next(iter(r.files.values()), None)
            others = [k for k, p in r.files.items() if p != main]
            file_text = shown_path(main) if main else "-"
            if others:
                file_text += f" (+{', '.join(others)})"
            duration = f"{r.duration:.2f} s" if r.duration is not None else "-"
        else:
            file_text, duration = "[red]failed[/]", "-"
        table.add_row(r.job.label, file_text, duration, f"{r.seconds:.1f} s")
    return table
