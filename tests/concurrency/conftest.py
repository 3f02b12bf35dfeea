"""Fixtures for tests with real processes: one shared database, SQLite or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from counter_tui.services import staff
from tests.concurrency.race import RacePool

RACERS = 8


@pytest.fixture(autouse=True)
def _cheap_pin_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hash PINs at argon2's lowest cost: at the default (about 0.3 s a PIN) the six hashes
    of the `team` fixture would dominate these tests, which are not about PIN strength."""
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    monkeypatch.setattr(staff, "_hasher", cheap)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database several processes share: an SQLite file, or a fresh PostgreSQL database
    (skipped when COUNTER_TUI_TEST_POSTGRES_URL is unset)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


@pytest.fixture(scope="session")
def eight_workers() -> Iterator[RacePool]:
    """Eight worker processes, started once (spawning costs about a second each on a busy
    two-core machine) and shared by every eight-way race."""
    with RacePool(RACERS) as pool:
        yield pool
