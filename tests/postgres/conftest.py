"""Run against PostgreSQL: `ctx` and `team` from the top-level conftest here use a fresh
PostgreSQL database per test, a copy of a migrated template shop (skipped when
COUNTER_TUI_TEST_POSTGRES_URL is unset)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import postgres_url
from tests.pg_databases import POSTGRES_ENV
from tests.postgres.plug import refuse_connections


@pytest.fixture
def database_url(request: pytest.FixtureRequest) -> str:
    """This test's own PostgreSQL database instead of an SQLite file."""
    return postgres_url(request)


@pytest.fixture
def server(database_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit admin connection to the server's own database (not the one under
    test), for pulling the plug; lets connections in again afterwards."""
    admin = make_url(os.environ[POSTGRES_ENV]).set(drivername="postgresql")
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        yield conn
        refuse_connections(conn, database_url, refuse=False)
