"""Alembic migrations on SQLite: an empty database goes to head, back to base and up
again; every revision steps up and down; upgrading twice changes nothing; and after
upgrading, the schema matches the SQLModel tables exactly (compare_metadata)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from counter_tui.bootstrap import open_shop
from counter_tui.db import models  # noqa: F401  (registers every table on SQLModel.metadata)
from counter_tui.db.engine import Database
from counter_tui.db.migrate import (
    alembic_config,
    current_revision,
    downgrade,
    head_revision,
    upgrade,
)
from tests.conftest import make_settings

MODEL_TABLES = set(SQLModel.metadata.tables)


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """An empty SQLite database (no tables at all)."""
    db = Database(database_url, create=True)
    yield db
    db.dispose()


def _tables(database: Database) -> set[str]:
    return set(inspect(database.engine).get_table_names()) - {"alembic_version"}


def _schema(database: Database) -> dict[str, Any]:
    """Tables with their columns, indexes, unique constraints and foreign keys."""
    inspector = inspect(database.engine)
    return {
        table: (
            [(c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)],
            sorted((i["name"] or "", tuple(i["column_names"])) for i in inspector.get_indexes(table)),
            sorted(tuple(u["column_names"]) for u in inspector.get_unique_constraints(table)),
            sorted(
                (tuple(f["constrained_columns"]), f["referred_table"])
                for f in inspector.get_foreign_keys(table)
            ),
        )
        for table in sorted(inspector.get_table_names())
    }


def _differences(database: Database) -> list[Any]:
    with database.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "render_as_batch": True})
        return list(compare_metadata(context, SQLModel.metadata))


def test_empty_database_upgrades_to_head_with_every_table(database: Database) -> None:
    assert current_revision(database) is None
    assert _tables(database) == set()
    upgrade(database)
    assert current_revision(database) == head_revision(database)
    assert _tables(database) == MODEL_TABLES


def test_downgrade_to_base_and_upgrade_again(database: Database) -> None:
    upgrade(database)
    schema_at_head = _schema(database)
    downgrade(database, "base")
    assert current_revision(database) is None
    assert _tables(database) == set()
    upgrade(database)
    assert current_revision(database) == head_revision(database)
    assert _schema(database) == schema_at_head


def test_every_revision_steps_up_and_down(database: Database) -> None:
    script = ScriptDirectory.from_config(alembic_config(database))
    revisions = [r.revision for r in reversed(list(script.walk_revisions("base", "heads")))]
    assert revisions, "the package ships no migrations"
    assert revisions[-1] == head_revision(database)
    schemas: list[dict[str, Any]] = []
    for revision in revisions:
        upgrade(database, revision)
        assert current_revision(database) == revision
        schemas.append(_schema(database))
    for index in range(len(revisions) - 1, 0, -1):
        downgrade(database, revisions[index - 1])
        assert current_revision(database) == revisions[index - 1]
        assert _schema(database) == schemas[index - 1]
    downgrade(database, "base")
    assert _tables(database) == set()


def test_upgrading_twice_is_a_no_op_and_keeps_data(database: Database) -> None:
    upgrade(database)
    with database.write() as session:
        session.connection().execute(
            text(
                "INSERT INTO staff (name, role, pin_hash, active, created_at) "
                "VALUES ('Dana', 'lead', 'x', 1, :at)"
            ).bindparams(at=datetime(2026, 11, 20, tzinfo=UTC))
        )
    before = _schema(database)
    upgrade(database)
    assert _schema(database) == before
    assert current_revision(database) == head_revision(database)
    with database.read() as session:
        names = session.connection().execute(text("SELECT name FROM staff")).all()
    assert [tuple(row) for row in names] == [("Dana",)]


def test_models_and_migrations_agree(database: Database) -> None:
    upgrade(database)
    assert _differences(database) == []


def test_compare_metadata_would_notice_a_missing_table(database: Database) -> None:
    upgrade(database)
    with database.write() as session:
        session.connection().execute(text("DROP TABLE visithelper"))
    differences = _differences(database)
    assert any(diff[0] == "add_table" and diff[1].name == "visithelper" for diff in differences)


def test_open_shop_applies_migrations_unless_told_not_to(database_url: str) -> None:
    skipped = open_shop(make_settings(database_url), migrate=False, create=True)
    try:
        assert current_revision(skipped.database) is None
    finally:
        skipped.database.dispose()
    shop = open_shop(make_settings(database_url), create=True)
    try:
        assert current_revision(shop.database) == head_revision(shop.database)
        assert _tables(shop.database) == MODEL_TABLES
    finally:
        shop.database.dispose()
