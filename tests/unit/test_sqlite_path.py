"""Which database URLs name a file on this machine: only SQLite ones."""

from __future__ import annotations

from pathlib import Path

from counter_tui.db.engine import sqlite_path


def test_an_sqlite_url_names_its_file(tmp_path: Path) -> None:
    assert sqlite_path(f"sqlite:///{tmp_path / 'shop.sqlite3'}") == tmp_path / "shop.sqlite3"


def test_in_memory_sqlite_names_no_file() -> None:
    assert sqlite_path("sqlite://") is None
    assert sqlite_path("sqlite:///:memory:") is None


def test_a_postgresql_database_name_is_not_a_file() -> None:
    assert sqlite_path("postgresql+psycopg://postgres@127.0.0.1:5432/shop") is None
