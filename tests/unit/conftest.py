"""Fixtures for service tests: reading the audit log and counting rows, and a customer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlmodel import SQLModel, col, func, select

from counter_tui.db.models import AuditEvent
from counter_tui.services import customers
from counter_tui.services.context import ShopContext

if TYPE_CHECKING:
    from tests.conftest import Team

AuditLog = Callable[..., list[AuditEvent]]
RowCount = Callable[[type[SQLModel]], int]


@pytest.fixture
def audit_log(ctx: ShopContext) -> AuditLog:
    """`audit_log("visit.claimed", …)`: committed audit events, oldest first (all when no
    action is named)."""

    def read(*actions: str) -> list[AuditEvent]:
        with ctx.database.read() as session:
            query = select(AuditEvent).order_by(col(AuditEvent.id))
            if actions:
                query = query.where(col(AuditEvent.action).in_(actions))
            return list(session.exec(query))

    return read


@pytest.fixture
def row_count(ctx: ShopContext) -> RowCount:
    """`row_count(Model)`: how many committed rows a table holds."""

    def count(model: type[SQLModel]) -> int:
        with ctx.database.read() as session:
            return int(session.exec(select(func.count()).select_from(model)).one())

    return count


@pytest.fixture
def fetch(ctx: ShopContext) -> Callable[..., Any]:
    """`fetch(Model, id)`: a committed row, read in a fresh session."""

    def get(model: type[SQLModel], row_id: int) -> Any:
        with ctx.database.read() as session:
            return session.get(model, row_id)

    return get


@pytest.fixture
def bob(ctx: ShopContext, team: Team) -> int:
    """A customer on file with a phone and an email, but no contact consent yet."""
    return customers.create_customer(
        ctx, team.sam, name="Bob Jones", phone="07700 900123", email="bob@example.com"
    )


@pytest.fixture
def shop_with_lead(tmp_path: Path) -> str:
    """A shop started with `counter-tui db init`, whose first lead, Dana (PIN 1111), was
    added without anyone's PIN, then Sam (with Dana's), as whoever sets up a shop would."""
    from typer.testing import CliRunner

    from counter_tui.cli import app

    runner = CliRunner()
    database_url = f"sqlite:///{tmp_path / 'counter.sqlite3'}"
    for args, typed in (
        (["db", "init"], None),
        (["staff", "add", "Dana", "--role", "lead", "--pin", "1111"], None),
        (["staff", "add", "Sam", "--pin", "2222"], "Dana\n1111\n"),
    ):
        result = runner.invoke(app, ["--db", database_url, *args], input=typed)
        assert result.exit_code == 0, result.output
    return database_url
