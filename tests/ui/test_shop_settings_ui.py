"""The leads' shop settings screen, by keys only: every shop-wide setting listed, Enter
changes the highlighted one in a dialog holding its value, a refused value is explained
beside the field with what was typed kept, and the database holds what was saved. A
change made at another terminal reaches a running staff app and kiosk; due times follow
the shop's (split) hours."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlmodel import select
from textual.widgets import DataTable, Input, OptionList, Static

from counter_tui.clock import ManualClock
from counter_tui.db.models import FollowUp, FollowUpKind
from counter_tui.services import changes, customers, followups, shop_settings
from counter_tui.services.context import ShopContext
from counter_tui.shop_rules import SETTING_KEYS
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.dialogs.setting import SettingDialog
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.shop_settings import ShopSettingsScreen
from tests.conftest import FRIDAY_11AM, Team
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    open_record,
    plain,
    quick_sign_in,
    settle,
    table_rows,
    type_text,
)

FRIDAY_ROW = SETTING_KEYS.index("shop.hours.fri")


async def open_settings(app: StaffApp, pilot: object) -> None:
    await quick_sign_in(pilot, "dana", "1111")  # type: ignore[arg-type]
    await pilot.press("o")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, ShopSettingsScreen)


async def test_a_lead_changes_the_closing_time_by_keys(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        rows = table_rows(app.screen.query_one(DataTable))
        assert [row[0] for row in rows] == list(SETTING_KEYS)
        assert rows[FRIDAY_ROW][1] == "09:00-17:30"

        await pilot.press(*["down"] * FRIDAY_ROW, "enter")
        await settle(pilot)
        assert isinstance(app.screen, SettingDialog)
        assert app.screen.query_one("#answer", Input).value == "09:00-17:30"
        await pilot.press("ctrl+u")
        await type_text(pilot, "09:00-12:30,13:30-16:00")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, ShopSettingsScreen)
        assert table_rows(app.screen.query_one(DataTable))[FRIDAY_ROW][1] == "09:00-12:30,13:30-16:00"
    assert shop_settings.current(ctx).shop.hours["fri"] == "09:00-12:30,13:30-16:00"


async def test_a_refused_value_is_explained_beside_the_field_and_kept(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        await pilot.press(*["down"] * FRIDAY_ROW, "enter")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "17:30-09:00")
        await pilot.press("enter")
        await settle(pilot)

        assert isinstance(app.screen, SettingDialog)
        error = app.screen.query_one("#answer-error", Static)
        assert error.display
        assert "closing time must be after opening time" in plain(error.render())
        assert app.screen.query_one("#answer", Input).value == "17:30-09:00"
    assert shop_settings.current(ctx).shop.hours["fri"] == "09:00-17:30"


async def test_an_associate_has_no_settings_key(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)


async def test_a_change_at_another_terminal_shows_here_without_a_restart(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        assert app.title == "Test Shop"
        seen = changes.latest_event_id(ctx)

        shop_settings.change(
            other_terminal, team.lead, {"shop.name": "Harbour Books", "shop.hours.fri": "closed"}
        )
        app.apply_feed_event(FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, seen))))
        await settle(pilot)

        assert app.title == "Harbour Books"
        rows = table_rows(app.screen.query_one(DataTable))
        assert rows[0][1] == "Harbour Books"
        assert rows[FRIDAY_ROW][1] == "closed"
        assert ctx.calendar.closing(FRIDAY_11AM.date()) is None


async def test_a_running_kiosk_offers_the_choices_a_lead_just_set(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # type: ignore[arg-type]
        assert len(ctx.rules.kiosk.choices) == 4  # read and kept by the kiosk
        repairs = [{"label": "Repairs", "need": "needs_help", "next_step": "A technician will come."}]
        shop_settings.change(
            other_terminal, team.lead, {"kiosk.choices": json.dumps(repairs), "kiosk.idle_seconds": "90"}
        )

        await pilot.press("enter", "enter")  # the next customer starts, no name
        await settle(pilot)  # type: ignore[arg-type]

        assert isinstance(app.screen, ChoiceScreen)
        choices = app.screen.query_one("#choices", OptionList)
        assert choices.option_count == 1
        assert "Repairs" in str(choices.get_option_at_index(0).prompt)
        assert app.idle.seconds == 90


async def test_a_renamed_shop_is_welcomed_by_its_new_name_at_the_kiosk(
    ctx: ShopContext, other_terminal: ShopContext, team: Team
) -> None:
    """A lead renames the shop at another terminal; the kiosk's welcome says the new name
    once it greets the next person (it kept the old one; found by the tester)."""
    app = KioskApp(ctx, "door")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)  # type: ignore[arg-type]
        shop_settings.change(other_terminal, team.lead, {"shop.name": "Corner Books"})
        app.idle_expired()
        await settle(pilot)  # type: ignore[arg-type]
        title = app.screen.query_one(".kiosk-title")
        assert "Welcome to Corner Books" in plain(title.visual)  # type: ignore[attr-defined]


async def test_a_promise_in_working_hours_skips_the_shops_lunch_break(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """Friday 09:00-12:30,13:30-17:30: at 11:30, "in 2 working hours" is 14:30."""
    shop_settings.set_hours(ctx, team.lead, "fri", "09:00-12:30,13:30-17:30")
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    clock.moment = datetime(2026, 11, 20, 11, 30, tzinfo=UTC)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("m")
        await settle(pilot)
        await type_text(pilot, "Ring the supplier about the kettle")
        await pilot.press("tab")
        await type_text(pilot, "in 2 working hours")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Promise recorded."
    with ctx.database.read() as session:
        [promise] = session.exec(select(FollowUp).where(FollowUp.kind == FollowUpKind.PROMISE)).all()
    assert promise.due_at == datetime(2026, 11, 20, 14, 30, tzinfo=UTC)


async def test_the_lead_is_told_how_many_follow_ups_a_change_of_hours_moved(
    ctx: ShopContext, team: Team
) -> None:
    """Friday cut to 09:00-13:00 at 11:00: Sam's callback due at 17:30 moves to 13:00, and
    the toast says so beside the change."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    followups.add_callback(
        ctx, team.sam, bob, about="Price of the kettle", consent_source="asked at the counter"
    )
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_settings(app, pilot)
        await pilot.press(*["down"] * FRIDAY_ROW, "enter")
        await settle(pilot)
        await pilot.press("ctrl+u")
        await type_text(pilot, "09:00-13:00")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == (
            "shop.hours.fri changed, for every terminal. Moved 1 follow-up due when the shop is "
            "now closed to when it is open; each owner is told."
        )
