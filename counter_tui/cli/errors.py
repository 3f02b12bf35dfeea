"""THE error path of the command line: whatever goes wrong is one red line and exit code 1.

Refusals (a `DomainError`) and failures phrased for a person (`CommandFailed`) carry their
sentence; a database URL that does not parse, text that is not valid UTF-8 and an
unusable file get one; anything else is logged (without personal data) and said to be.
Ctrl+C is one line too, saying what it left (`errors.Stopped`: a file not written, rows
saved), with exit code 130 as for any program stopped by it. Typer's own exits and usage
errors pass through untouched. Typer is imported only when something failed, so the
staff app's start does not pay for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from counter_tui.cli.failure import CommandFailed
from counter_tui.errors import DomainError, Stopped

UNDECODABLE = "Check the terminal's character set is UTF-8 and type it again."
STOPPED = "Stopped by Ctrl+C before it finished."
STOPPED_EXIT_CODE = 130  # 128 + SIGINT, as shells report a program Ctrl+C stopped


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Run the block; turn any failure into one red line and `typer.Exit(code=1)`, and
    Ctrl+C into one line saying what it left and `typer.Exit(code=130)`."""
    try:
        yield
    except Exception as error:
        _explain(error)
    except KeyboardInterrupt as stop:
        _stopped(stop)


def _stopped(stop: KeyboardInterrupt) -> NoReturn:
    """Say what Ctrl+C left (on a line of its own at a terminal, after the `^C` it shows)."""
    import sys

    if sys.stderr.isatty():
        print(file=sys.stderr)
    fail(str(stop) if isinstance(stop, Stopped) else STOPPED, code=STOPPED_EXIT_CODE)


def _explain(error: Exception) -> None:
    import typer

    if isinstance(error, typer.Exit | typer.Abort | typer.TyperException):
        raise error
    if isinstance(error, DomainError | CommandFailed):
        fail(str(error))
    if _is_url_error(error):
        fail(f"That database URL is not valid ({error}).")
    if isinstance(error, UnicodeError):
        fail(
            "Something typed or given on the command line is not valid text (it holds bytes "
            f"that are not UTF-8). {UNDECODABLE}"
        )
    if isinstance(error, OSError) and error.filename:
        fail(f"Cannot use {error.filename}: {error.strerror or error}.")
    if isinstance(error, OSError):  # writing the command's output (a full disk, a closed pipe)
        from counter_tui.files import not_written

        fail(not_written(error, None))
    fail(_logged_unexpected())


def _is_url_error(error: Exception) -> bool:
    """Whether SQLAlchemy refused a URL (without importing SQLAlchemy when it was not used)."""
    import sys

    exc = sys.modules.get("sqlalchemy.exc")
    return exc is not None and isinstance(error, exc.ArgumentError)


def _logged_unexpected() -> str:
    """Log the exception being handled; the sentence saying where it went."""
    from counter_tui.logs import LOG, configure_logging

    try:
        path = configure_logging()
        LOG.exception("command failed")
    except OSError:
        return "Something unexpected went wrong, and it could not be logged."
    return f"Something unexpected went wrong; the details are in {path}."


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `message`'s first line in red on stderr and stop with exit code `code`."""
    import typer

    line = message.splitlines()[0] if message else "Failed."
    typer.secho(printable(line), fg="red", err=True)
    raise typer.Exit(code=code)


def printable(text: str) -> str:
    """`text` safe to print, never an error: bytes that were not UTF-8 shown as \\xNN, and
    control characters (ESC, BEL…, which the terminal would act on: a title set, the
    screen cleared) spelt out as \\xNN, e.g. in a file name typed or pasted."""
    return "".join(
        f"\\x{ord(char) - 0xDC00:02x}"
        if 0xDC80 <= ord(char) <= 0xDCFF
        else f"\\u{ord(char):04x}"
        if 0xD800 <= ord(char) <= 0xDFFF
        else f"\\x{ord(char):02x}"
        if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F
        else char
        for char in text
    )


def refuse_undecodable(args: list[str]) -> None:
    """Refuse arguments holding bytes the system could not decode (lone surrogates)."""
    for position, arg in enumerate(args, start=1):
        if any(0xD800 <= ord(char) <= 0xDFFF for char in arg):
            raise CommandFailed(
                f"Argument {position} ({printable(arg)}) is not valid text: it holds bytes that "
                f"are not UTF-8. {UNDECODABLE}"
            )
