"""The staff list read early for the sign-in screen (`services/staff_roster`) is the one
`staff.list_staff` gives, and is not read where it cannot be trusted this cheaply."""

from __future__ import annotations

from pathlib import Path

from counter_tui.db.migrate import downgrade
from counter_tui.services import staff
from counter_tui.services.context import ShopContext
from counter_tui.services.staff_roster import early_roster
from tests.conftest import Team


def test_the_early_list_is_the_sign_in_list(ctx: ShopContext, team: Team) -> None:
    staff.add_staff(ctx, None, name="bea", pin="4444")
    staff.add_staff(ctx, None, name="Zed", pin="5555")
    staff.deactivate(ctx, team.lead, name="Zed")

    assert early_roster(ctx.database.url) == staff.list_staff(ctx)


def test_nothing_is_read_early_from_a_shop_to_upgrade(ctx: ShopContext, team: Team) -> None:
    downgrade(ctx.database, "0014")

    assert early_roster(ctx.database.url) is None


def test_nothing_is_read_early_from_a_missing_file_or_postgresql(tmp_path: Path) -> None:
    assert early_roster(f"sqlite:///{tmp_path}/missing.sqlite3") is None
    assert early_roster("postgresql+psycopg://shop@db.example/shop") is None
