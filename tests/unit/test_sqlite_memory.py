"""A terminal's SQLite memory stays bounded on a large shop, whatever number of pooled
connections have read it: every connection keeps a page cache (up to SQLITE_CACHE_KIB),
and on a million-customer shop a lead's terminal held 33 MiB of them after two rounds of
its screens. The pages of all connections together stay under SQLITE_HEAP_LIMIT_KIB, and
the pool hands out the connection used last, whose cache is warm.

SQLite's own count of its memory is read through ctypes from the library this Python's
`sqlite3` module has loaded (Linux: found in /proc/self/maps)."""

from __future__ import annotations

import ctypes
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from counter_tui.db.engine import SQLITE_CACHE_KIB, SQLITE_HEAP_LIMIT_KIB, make_engine

MIB = 1024 * 1024
READERS = 3
"""Connections reading the whole shop at once: each alone would fill its page cache."""


def sqlite_library() -> ctypes.CDLL:
    """The SQLite library loaded by this Python's `sqlite3` module (skips the test where it
    cannot be found: not Linux, or SQLite built into the module)."""
    sqlite3.connect(":memory:").close()
    maps = Path("/proc/self/maps")
    if not maps.exists():
        pytest.skip("reads SQLite's memory through /proc/self/maps (Linux)")
    paths = {line.split()[-1] for line in maps.read_text().splitlines() if "libsqlite3" in line}
    for path in paths:
        library = ctypes.CDLL(path)
        library.sqlite3_libversion.restype = ctypes.c_char_p
        if library.sqlite3_libversion().decode() == sqlite3.sqlite_version:
            library.sqlite3_memory_used.restype = ctypes.c_int64
            return library
    pytest.skip("this Python's sqlite3 module has SQLite built in, not loaded as a library")


@pytest.fixture
def large_shop(tmp_path: Path) -> Iterator[Engine]:
    """An engine on a file larger than every reader's page cache together."""
    rows = (READERS * SQLITE_CACHE_KIB + SQLITE_CACHE_KIB) // 4
    engine = make_engine(f"sqlite:///{tmp_path / 'large.sqlite3'}", create=True)
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE page (body BLOB)")
        connection.exec_driver_sql(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?) "
            "INSERT INTO page SELECT randomblob(3500) FROM n",
            (rows,),
        )
        connection.commit()
    yield engine
    engine.dispose()


def test_connections_reading_a_large_shop_at_once_stay_under_the_limit(large_shop: Engine) -> None:
    library = sqlite_library()
    before = library.sqlite3_memory_used()
    connections = [large_shop.connect() for _ in range(READERS)]
    try:
        for connection in connections:
            read = connection.exec_driver_sql("SELECT sum(length(body)) FROM page").scalar()
            assert read and read > SQLITE_CACHE_KIB * 1024
        grown = library.sqlite3_memory_used() - before
    finally:
        for connection in connections:
            connection.close()
    assert grown <= SQLITE_HEAP_LIMIT_KIB * 1024 + 2 * MIB, f"SQLite grew {grown / MIB:.1f} MiB"


def test_the_connection_used_last_is_the_one_handed_out_next(large_shop: Engine) -> None:
    first, second = large_shop.connect(), large_shop.connect()
    warm = second.connection.dbapi_connection
    first.close()
    second.close()
    for _ in range(3):
        with large_shop.connect() as connection:
            assert connection.connection.dbapi_connection is warm
