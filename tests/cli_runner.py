"""Run the nnviz CLI in-process, the way the console script does, for tests."""

from __future__ import annotations

from nnviz.cli import main


def run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `nnviz ARGS`."""
    try:
        main(list(args))
        code = 0
    except SystemExit as e:
        code = int(e.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
