"""Apply the Alembic migrations shipped in the package, on SQLite or PostgreSQL.

Run on every start. Several terminals starting at once are safe: on SQLite the
upgrade runs under BEGIN IMMEDIATE, on PostgreSQL under a transaction-scoped
advisory lock, so the second one waits and then finds nothing left to do. A database
whose schema is newer than this package's (another terminal was updated first) is
refused with a sentence instead of half-working; PostgreSQL's time limits are lifted
while migrating, since a migration may rightly take long on a large shop.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, text

from counter_tui.db.engine import Database
from counter_tui.db.time_limits import without_deadline
from counter_tui.errors import SchemaTooNew

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
ADVISORY_LOCK_KEY = 0x0C0_07E5


def alembic_config(database: Database) -> Config:
    """An Alembic config pointing at the packaged migrations and this database."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", database.url.replace("%", "%%"))
    return config


def head_revision(database: Database) -> str | None:
    """The newest revision the package ships."""
    return ScriptDirectory.from_config(alembic_config(database)).get_current_head()


def current_revision(database: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with database.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def is_known(database: Database, revision: str) -> bool:
    """Whether this package ships `revision` (a newer counter-tui may have gone further)."""
    try:
        return ScriptDirectory.from_config(alembic_config(database)).get_revision(revision) is not None
    except CommandError:
        return False


def schema_too_new(database: Database, revision: str) -> SchemaTooNew:
    """The refusal for a database at a revision this package does not know."""
    return SchemaTooNew(
        f"{database.describe().capitalize()} was set up by a newer version of counter-tui "
        f"(schema {revision}; this version knows up to {head_revision(database)}). "
        "Update counter-tui on this terminal to the version the other terminals use."
    )


def upgrade(database: Database, revision: str = "head", *, phone_region: str | None = None) -> None:
    """Bring the schema up to `revision` (default: the newest). `phone_region` is the
    shop's country, for migrations that read phone numbers typed without +."""
    config = alembic_config(database)
    config.attributes["phone_region"] = phone_region
    with database.write() as session:
        connection = session.connection()
        with _without_time_limits(database, connection):
            if not database.is_sqlite:
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
            current = MigrationContext.configure(connection).get_current_revision()
            if current is not None and not is_known(database, current):
                raise schema_too_new(database, current)
            config.attributes["connection"] = connection
            command.upgrade(config, revision)


def downgrade(database: Database, revision: str) -> None:
    """Step the schema back to `revision` (used by migration tests)."""
    config = alembic_config(database)
    with database.write() as session:
        config.attributes["connection"] = session.connection()
        command.downgrade(config, revision)


@contextmanager
def _without_time_limits(database: Database, connection: Connection) -> Iterator[None]:
    """Within a PostgreSQL migration: no statement or lock timeout, no client deadline."""
    if not database.is_sqlite:
        connection.execute(text("SET LOCAL statement_timeout = 0"))
        connection.execute(text("SET LOCAL lock_timeout = 0"))
    with without_deadline(connection.connection.dbapi_connection):
        yield
