"""PostgreSQL databases for tests, on the server named by COUNTER_TUI_TEST_POSTGRES_URL:
new empty ones, and copies of a migrated template made with `CREATE DATABASE … TEMPLATE`
(a copy takes about as long as an empty database; migrating one takes seconds more).

Making and dropping a database is the server's work, 0.2–0.4 s a test of which the test's
process waited idle: a third of the PostgreSQL tests' time. So each kind of database
(empty, or a copy of one template) is made ahead while the tests run, `MADE_AHEAD` of them
at once (the server makes several in about the time of one: most of it is waiting for its
disk), and dropped behind; a test waits only when none made ahead is ready yet.
"""

from __future__ import annotations

import os
import uuid
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor

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


MADE_AHEAD = 2
"""How many databases of each kind are made ahead, at once."""
_making = ThreadPoolExecutor(max_workers=MADE_AHEAD, thread_name_prefix="test-databases-made")
"""Makes databases ahead."""
_dropping = ThreadPoolExecutor(max_workers=1, thread_name_prefix="test-databases-dropped")
"""Drops databases behind, one at a time and in order (a template only after its copies,
each waited for until it is made)."""
_made_ahead: dict[str | None, deque[Future[str]]] = {}
"""The next databases of each kind, by the template they copy (None: empty), being made."""

TEST_PREFIX = "counter_tui_test"


def _new_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def _make(name: str, template: str | None) -> str:
    copy_of = f' TEMPLATE "{template}"' if template else ""
    with _admin() as connection:
        connection.execute(f'CREATE DATABASE "{name}"{copy_of}')
    return name


def _drop(name: str) -> None:
    with _admin() as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _drop_when_made(made: Future[str]) -> None:
    _drop(made.result())  # waits until it is made


def _url(name: str) -> str:
    return server().set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False)


def create_database(prefix: str = TEST_PREFIX, *, template: str | None = None) -> str:
    """A new database (a copy of `template`, else empty); its SQLAlchemy URL. Test
    databases come from those made ahead, and the next of the kind is started."""
    server()  # skips the test when no server is named, before any work is started
    if prefix != TEST_PREFIX:
        return _url(_make(_new_name(prefix), template))
    ahead = _made_ahead.setdefault(template, deque())
    name = ahead.popleft().result() if ahead else _make(_new_name(prefix), template)
    while len(ahead) < MADE_AHEAD:
        ahead.append(_making.submit(_make, _new_name(prefix), template))
    return _url(name)


def drop_database(url: str) -> None:
    """Drop the database of `url`, ending any connection to it, behind the tests (a
    template's copies made ahead first)."""
    name = str(make_url(url).database)
    for made in _made_ahead.pop(name, ()):
        _dropping.submit(_drop_when_made, made)
    _dropping.submit(_drop, name)


def finish() -> None:
    """Drop the databases made ahead and not used, and wait for every drop to be done."""
    for ahead in _made_ahead.values():
        for made in ahead:
            _dropping.submit(_drop_when_made, made)
    _made_ahead.clear()
    _dropping.shutdown(wait=True)
    _making.shutdown(wait=True)
