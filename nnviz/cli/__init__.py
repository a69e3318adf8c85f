"""The `nnviz` command line. Each subcommand lives in nnviz/cli/<name>.py and
attaches itself to `cli`; a user's mistake prints one line and exits 2."""

from __future__ import annotations

import importlib
import pkgutil
import signal
import sys
import threading
from pathlib import Path

import click

from nnviz import __version__
from nnviz.core.errors import NNVizError
from nnviz.core.files import disk_full


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="nnviz")
def cli() -> None:
    """nnviz: explainer videos of real, trained neural networks."""


class FiniteFloat(click.FloatRange):
    """A float option that refuses NaN and infinities (which pass every range check)."""

    name = "float"

    def convert(self, value, param, ctx):  # noqa: ANN001, ANN201
        import math

        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(f"{value!r} is not a finite number.", param, ctx)
        return number


def _load_commands() -> None:
    for mod in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{mod.name}")


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it unwinds like Ctrl-C: temporary files
    removed, render workers stopped, one line and exit 143."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def _release(e: BaseException) -> None:
    """Drop what the interrupted frames held (the render pool's queues and their
    semaphores), so that exiting does not warn about leaked semaphores."""
    import gc
    import traceback

    traceback.clear_frames(e.__traceback__)
    gc.collect()


def fail(message: str, code: int = 2) -> None:
    click.echo(f"nnviz: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user errors into one line and a non-zero exit."""
    _load_commands()
    # SIGTERM ends a run like Ctrl-C; only the main thread may set it (not so when the CLI
    # runs inside another program's thread)
    main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if main_thread else None
    try:
        cli.main(args=argv, prog_name="nnviz", standalone_mode=False)
    except NNVizError as e:
        fail(str(e))
    except getattr(click.exceptions, "NoArgsIsHelpError", ()) as e:  # click >= 8.2
        click.echo(e.ctx.get_help() if e.ctx else str(e))
        sys.exit(2)
    except click.UsageError as e:
        hint = f" (see 'nnviz {e.ctx.command_path.split(' ', 1)[-1]} --help')" if e.ctx else ""
        fail(e.format_message() + hint if e.ctx and e.ctx.parent else e.format_message())
    except click.ClickException as e:
        fail(e.format_message())
    except Terminated as e:
        _release(e)
        fail("terminated.", 143)
    except (click.Abort, KeyboardInterrupt) as e:
        _release(e)
        if isinstance(e.__context__, Terminated):  # click turns it into Abort
            fail("terminated.", 143)
        fail("interrupted.", 130)
    except OSError as e:
        if not disk_full(e):
            raise
        fail(f"disk full: no space left for '{e.filename or Path.cwd()}' "
             "(free some space and run again).", 1)
    finally:
        if main_thread:
            signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":  # python -m nnviz.cli: commands attach to the imported module
    from nnviz.cli import main as _main

    _main()
