"""The `nnviz` command line. Each subcommand lives in nnviz/cli/<name>.py and
attaches itself to `cli`; a user's mistake prints one line and exits 2."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import click

from nnviz import __version__
from nnviz.core.errors import NNVizError


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


def fail(message: str, code: int = 2) -> None:
    click.echo(f"nnviz: error: {message}", err=True)
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning user errors into one line and a non-zero exit."""
    _load_commands()
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
    except click.Abort:
        fail("interrupted.", 130)
    except KeyboardInterrupt:
        fail("interrupted.", 130)


if __name__ == "__main__":  # python -m nnviz.cli: commands attach to the imported module
    from nnviz.cli import main as _main

    _main()
