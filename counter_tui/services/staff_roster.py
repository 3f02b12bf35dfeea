"""Who can sign in: the staff as lists show them, and that list read early, straight from
an SQLite shop file, so the sign-in screen lists names a moment after its first frame
instead of after SQLAlchemy, the models and the settings have loaded.

The early read is the same list as `staff.list_staff` (active staff by name, compared
lower-cased as SQLite's `lower` does), taken only when the file is already at this
version's schema; otherwise (PostgreSQL, a schema to upgrade, a file that cannot be
read) it gives None and the list comes once the shop is open. Signing in always waits
for the shop to be open. `tests/unit/test_staff_roster.py` checks both lists agree.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from counter_tui.db.schema_version import shipped_head

SQLITE_PREFIX = "sqlite:///"
ROSTER = "SELECT id, name, role, active FROM staff WHERE active = 1 ORDER BY lower(name)"


@dataclass(frozen=True)
class StaffSummary:
    """A staff member as lists and pickers show them."""

    id: int
    name: str
    role: str
    active: bool


def early_roster(database_url: str) -> list[StaffSummary] | None:
    """The active staff of the SQLite shop at `database_url`, by name; None when that
    cannot be read this cheaply and safely (see the module's docstring)."""
    path = _plain_sqlite_file(database_url)
    if path is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=1)
    except sqlite3.Error:
        return None
    try:
        [revision] = connection.execute("SELECT version_num FROM alembic_version").fetchone() or [None]
        if revision != shipped_head():
            return None
        rows = connection.execute(ROSTER).fetchall()
    except (sqlite3.Error, ValueError):
        return None
    finally:
        connection.close()
    return [StaffSummary(id, name, role, bool(active)) for id, name, role, active in rows]


def _plain_sqlite_file(database_url: str) -> Path | None:
    """The file of a plain `sqlite:///PATH` URL (no query, no escapes), else None."""
    if not database_url.startswith(SQLITE_PREFIX):
        return None
    database = database_url.removeprefix(SQLITE_PREFIX)
    if not database or database == ":memory:" or any(char in database for char in "?%#"):
        return None
    return Path(database).expanduser().resolve()
