"""Apply the Alembic migrations shipped in the package, on SQLite or PostgreSQL.

Run on every start. Several terminals starting at once are safe: on SQLite the
upgrade runs under BEGIN IMMEDIATE, on PostgreSQL under a transaction-scoped
advisory lock, so the second one waits and then finds nothing left to do.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from counter_tui.db.engine import Database

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
    with database.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(database: Database, revision: str = "head", *, phone_region: str | None = None) -> None:
    """Bring the schema up to `revision` (default: the newest). `phone_region` is the
    shop's country, for migrations that read phone numbers typed without +."""
    config = alembic_config(database)
    config.attributes["phone_region"] = phone_region
    with database.write() as session:
        connection = session.connection()
        if not database.is_sqlite:
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY})
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def downgrade(database: Database, revision: str) -> None:
    """Step the schema back to `revision` (used by migration tests)."""
    config = alembic_config(database)
    with database.write() as session:
        config.attributes["connection"] = session.connection()
        command.downgrade(config, revision)
