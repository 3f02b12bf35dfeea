"""The `counter-tui` command: the staff app, the kiosk, the demo, and admin commands.

No business rules live here: commands read settings, open the shop and call services.
Every command runs inside one error path (`errors.friendly_errors`): a refusal, a
database that cannot be used, a settings file that does not parse, an argument that is
not valid text, or anything unexpected (logged) becomes one red line and exit code 1,
never a traceback.

A database is only ever created on purpose: `db init`, the demo, or the default file
on the very first run. A mistyped `--db` is refused, not started as a new, empty shop.

Start-up pays only for what it shows. `main` starts the staff app without Typer when
nothing but `--db`/`--config` is given (`staff_app`); everything else goes to the Typer
app (`root.app`), whose commands are imported only when run (`lazy_group`), except
`counter-tui --help`, printed from the list of commands without Typer (`plain_help`). Textual is
imported only by the commands that run a screen (and `keys`, which reads the screens'
bindings): the kiosk scrubs `TEXTUAL*` environment variables first.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Entry point of the `counter-tui` console script."""
    if sys.argv[1:] == ["--help"] and not completing():
        from counter_tui.cli.plain_help import print_root_help

        if print_root_help():
            return
    from counter_tui.cli.staff_app import plain_start, start

    options = plain_start(sys.argv[1:])
    if options is not None:
        start(options)
        return
    from counter_tui.cli.root import app

    app()


def completing() -> bool:
    """Whether the shell is asking for completions (Click's `_NAME_COMPLETE` variable)."""
    return any(name.startswith("_") and name.endswith("_COMPLETE") for name in os.environ)


def __getattr__(name: str) -> object:
    """`counter_tui.cli.app`, the Typer app, imported when first asked for."""
    if name == "app":
        from counter_tui.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
