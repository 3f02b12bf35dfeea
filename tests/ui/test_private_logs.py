"""A customer save that fails in the database is logged without the customer's name,
phone or email (SQLAlchemy's "[parameters: …]" and PostgreSQL's "Failing row contains
(…)" both repeat them), and the screen says truthfully that nothing was saved."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from tests.conftest import Team, postgres_url
from tests.ui.staff_pilot import SIZE, StaffApp, settle, sign_in

NAME, PHONE, EMAIL = "Grace Hopper", "020 7946 0321", "grace.hopper@example.com"
PERSONAL = ("Grace", "Hopper", "grace", "hopper", "7946", "0321", "example.com")


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: their error messages differ in what they repeat."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


def refuse_grace(ctx: ShopContext) -> None:
    """Make the database itself refuse to store this customer, as a failing disk would."""
    with ctx.database.write() as session:
        if ctx.database.is_sqlite:
            session.connection().exec_driver_sql(
                "CREATE TRIGGER refuse_grace BEFORE INSERT ON customer "
                "BEGIN SELECT RAISE(ABORT, 'the disk said no'); END"
            )
        else:
            session.connection().exec_driver_sql(
                "ALTER TABLE customer ADD CONSTRAINT refuse_grace CHECK (length(name) < 5) NOT VALID"
            )


def log_text(tmp_path: Path) -> str:
    return (tmp_path / "state" / "counter-tui" / "log" / "counter-tui.log").read_text(encoding="utf-8")


async def test_a_failed_customer_save_logs_no_personal_data(
    ctx: ShopContext, team: Team, tmp_path: Path, unexpected_errors: list[logging.LogRecord]
) -> None:
    refuse_grace(ctx)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        app.call(customers.create_customer, ctx, team.sam, name=NAME, phone=PHONE, email=EMAIL)
        await settle(pilot)
        assert app.is_running
        assert app.messages[-1] == "Something went wrong and was logged. Nothing was saved; please try again."

    logged = log_text(tmp_path)
    assert "service call create_customer failed" in logged
    assert [record.getMessage() for record in unexpected_errors] == [
        "service call create_customer failed (on FloorScreen)"
    ]
    assert "IntegrityError" in logged and "INSERT INTO customer" in logged
    for fragment in PERSONAL:
        assert fragment not in logged, fragment
