"""`counter-tui --version`: the installed version, the database's kind and, if it can be
reached, its schema revision.

It is what a person pastes into a bug report, so it never fails: a database that cannot
be reached is reported as such, not raised. It imports no Textual (nothing here draws a
screen), so it answers as fast as the admin commands.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

from sqlalchemy.engine import make_url

from counter_tui.cli.failure import CommandFailed
from counter_tui.commands.common import GlobalOptions, settings_for
from counter_tui.config import default_database_url
from counter_tui.db.engine import Database, normalise_url
from counter_tui.db.schema_version import shipped_head, stored_revision
from counter_tui.errors import DomainError

DATABASE_KINDS = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


def package_version() -> str:
    """The installed distribution's version (a source tree that is not installed says so)."""
    try:
        return version("counter-tui")
    except PackageNotFoundError:
        return "unknown (not installed)"


def database_kind(url: str) -> str:
    """`SQLite` or `PostgreSQL` (or the URL's backend name for anything else)."""
    backend = make_url(normalise_url(url)).get_backend_name()
    return DATABASE_KINDS.get(backend, backend)


def schema_line(url: str) -> str:
    """The database's schema revision and whether this version is up to date with it,
    or why it could not be read."""
    try:
        database = Database(url)
    except (DomainError, ImportError) as error:
        return f"schema: not reachable ({_first_line(error)})"
    try:
        current = stored_revision(database)
        head = shipped_head()
    except (DomainError, ImportError) as error:
        return f"schema: not reachable ({_first_line(error)})"
    finally:
        database.dispose()
    if current is None:
        return "schema: no shop in this database yet"
    state = "up to date" if current == head else f"this version's is {head}"
    return f"schema: revision {current} ({state})"


def version_report(url: str) -> str:
    """The three lines `--version` prints."""
    return "\n".join(
        (f"counter-tui {package_version()}", f"database: {database_kind(url)}", schema_line(url))
    )


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def version_url(options: GlobalOptions) -> str:
    """The database `--version` reports on; the flag or the environment's when the
    settings file has a mistake (a bug report should still say the version)."""
    try:
        return settings_for(options).database_url
    except CommandFailed:
        return options.database_url or os.environ.get("COUNTER_TUI_DATABASE_URL") or default_database_url()
