"""PostgreSQL databases for tests, on the server named by COUNTER_TUI_TEST_POSTGRES_URL:
new empty ones, and copies of a migrated template made with `CREATE DATABASE … TEMPLATE`
(a copy takes about as long as an empty database; migrating one takes seconds more)."""

from __future__ import annotations

import os
import uuid

import psycopg
import pytest
from sqlalchemy.engine import URL, make_url

POSTGRES_ENV = "COUNTER_TUI_TEST_POSTGRES_URL"


def server() -> URL:
    """The test server's URL (libpq form); skips the test when none is named."""
    base = os.environ.get(POSTGRES_ENV)
    if not base:
        pytest.skip(f"{POSTGRES_ENV} is not set; PostgreSQL tests skipped")
    return make_url(base).set(drivername="postgresql")


def _admin() -> psycopg.Connection:
    return psycopg.connect(server().render_as_string(hide_password=False), autocommit=True)


def create_database(prefix: str = "counter_tui_test", *, template: str | None = None) -> str:
    """A new database (a copy of `template`, else empty); its SQLAlchemy URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with _admin() as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy_of}')
    return server().set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    """Drop the database of `url`, ending any connection to it."""
    with _admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
