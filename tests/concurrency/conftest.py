"""Fixtures for tests with real processes: one shared database, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.concurrency.race import RacePool

RACERS = 8


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database several processes share: an SQLite file, or a fresh PostgreSQL database
    (skipped when COUNTER_TUI_TEST_POSTGRES_URL is unset)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def eight_workers() -> Iterator[RacePool]:
    """Eight worker processes, started once and shared by every eight-way race."""
    with RacePool(RACERS) as pool:
        yield pool
