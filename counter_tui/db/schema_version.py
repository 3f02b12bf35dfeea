"""The schema check every start makes, without Alembic: the revision a database is at
(one SELECT) and the newest one this package ships (read from the migration file names).

Alembic takes a few hundred milliseconds to import; a start whose database is already
up to date never needs it. `bootstrap.open_shop` loads `migrate` (and so Alembic) only
when the two revisions differ. A migration file is named after its revision
(`NNNN_name.py` holds `revision = "NNNN"`, see CONTRIBUTING), which
`tests/migrations/test_schema_version.py` checks against Alembic's own reading.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlalchemy import Connection

    from counter_tui.db.engine import Database

VERSIONS_DIR = Path(__file__).parent / "migrations" / "versions"


@cache
def shipped_head() -> str:
    """The newest revision this package ships: the highest `NNNN_` migration file."""
    numbers = [name[:4] for name in os.listdir(VERSIONS_DIR) if name[:4].isdigit() and name.endswith(".py")]
    return max(numbers)


def stored_revision(database: Database) -> str | None:
    """The revision the database is at, or None when it holds no shop (no version table)."""
    with database.connect() as connection:
        return revision_in(connection)


def revision_in(connection: Connection) -> str | None:
    """`stored_revision` on an open connection."""
    from sqlalchemy import text

    if connection.dialect.name == "sqlite":
        exists = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    else:
        exists = "SELECT 1 WHERE to_regclass('alembic_version') IS NOT NULL"
    if connection.execute(text(exists)).first() is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
