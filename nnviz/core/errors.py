"""The one exception type a user ever sees: a sentence that names the problem."""


class NNVizError(Exception):
    """A user-facing error: the message is one line naming the problem and the fix.

    The command line prints it without a traceback and exits non-zero.
    """


def choices_hint(value: str, valid: list[str] | tuple[str, ...]) -> str:
    """'; did you mean X?' plus the valid choices, for one-line error messages."""
    import difflib

    close = difflib.get_close_matches(str(value), list(valid), n=1)
    hint = f" Did you mean '{close[0]}'?" if close else ""
    return f"{hint} Valid choices: {', '.join(valid)}."
