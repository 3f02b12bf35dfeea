"""A shift lead saves everything held about a customer from their record (D, then Enter
once the dialog has said what and where: a slipped Shift on d writes nothing), and is
told where the file is; associates are not offered the key."""

from __future__ import annotations

import json
from pathlib import Path

from counter_tui.db.engine import sqlite_path
from counter_tui.services import customers
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.confirm import ConfirmDialog
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, quick_sign_in, screen_text, settle


def exports_folder(ctx: ShopContext) -> Path:
    database_file = sqlite_path(ctx.database.url)
    assert database_file is not None
    return database_file.parent / "exports"


async def test_a_lead_saves_a_customers_data_and_is_told_where(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada [b]Lovelace[/b]", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        screen = await open_record(pilot, ada)
        await pilot.press("D")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)  # nothing written by one key
        assert str(exports_folder(ctx)) in screen_text(app.screen)
        await pilot.press("escape")
        await settle(pilot)
        assert not exports_folder(ctx).exists()
        await pilot.press("D")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        [written] = exports_folder(ctx).glob(f"customer-{ada}-subject-access-*.json")
        assert app.messages[-1] == f"Everything held about Ada [b]Lovelace[/b] is saved in {written}"
    assert json.loads(written.read_text())["customer"]["phone"] == "07700 900123"


async def test_an_associate_is_not_offered_the_key(ctx: ShopContext, team: Team) -> None:
    ada = customers.create_customer(ctx, team.sam, name="Ada Lovelace")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, ada)
        await pilot.press("D")
        await settle(pilot)
    assert not exports_folder(ctx).exists()
