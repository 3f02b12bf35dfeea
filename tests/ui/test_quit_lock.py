"""Quitting the staff app needs a shift lead's PIN: ctrl+q (and any other way to the quit
action) asks for it; an associate's PIN, a wrong PIN or Esc keep the app running."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from counter_tui.db.models import AuditEvent
from counter_tui.services import staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.lead_pin import LeadPinDialog
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from counter_tui.ui.widgets.keys_footer import SteadyFooter
from tests.conftest import Team
from tests.quiet_pilot import workers_held
from tests.ui.staff_pilot import SIZE, StaffApp, burst, screen_text, settle, sign_in, type_text


def closed_events(ctx: ShopContext) -> list[tuple[int | None, str]]:
    """(actor id, terminal) of every 'staff app closed' audit event."""
    with ctx.database.read() as session:
        rows = session.exec(select(AuditEvent).where(AuditEvent.action == "terminal.closed"))
        return [(row.actor_id, row.terminal) for row in rows]


async def open_quit_dialog(pilot: Pilot[None]) -> LeadPinDialog:
    """ctrl+q, then settle until the dialog has listed the leads: it reads them in a worker
    started when it mounts, which a busy machine can start after one settle is done."""
    await pilot.press("ctrl+q")
    for _ in range(10):
        await settle(pilot)
        dialog = pilot.app.screen
        if isinstance(dialog, LeadPinDialog) and dialog.query_one("#leads", OptionList).option_count:
            return dialog
    raise AssertionError("the quit dialog never listed the leads")


async def test_ctrl_q_on_sign_in_asks_for_a_lead_and_esc_keeps_running(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+q")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, LeadPinDialog)
        assert "shift lead's PIN" in screen_text(app.screen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.is_running
    assert closed_events(ctx) == []


async def test_an_associates_pin_or_a_wrong_pin_does_not_quit(ctx: ShopContext, team: Team) -> None:
    """Sam, signed in with a customer, presses ctrl+q: Sam's own PIN is not enough."""
    visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("ctrl+q")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, LeadPinDialog)
        await type_text(pilot, "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.screen is dialog
        assert "Wrong PIN for Dana" in screen_text(dialog)
        await type_text(pilot, "1112")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.screen is dialog
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None and app.actor.name == "Sam"
    assert closed_events(ctx) == []


async def test_a_leads_pin_closes_the_app_and_is_audited(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "alex", "3333")
        await pilot.press("ctrl+q")
        await settle(pilot)
        await type_text(pilot, "1111")
        await pilot.press("enter")
        await settle(pilot)
        assert not app.is_running
    assert closed_events(ctx) == [(team.lead.staff_id, "counter")]


async def test_the_lead_is_picked_with_the_arrow_keys(ctx: ShopContext, team: Team) -> None:
    """With two leads the list starts on the first by name; ↓ picks the other."""
    staff.add_staff(ctx, None, name="Lee", pin="7777", role="lead")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_quit_dialog(pilot)
        await pilot.press("down", "tab")
        await type_text(pilot, "7777")
        await pilot.press("enter")
        await settle(pilot)
        assert not app.is_running
    [(actor_id, _terminal)] = closed_events(ctx)
    assert actor_id != team.lead.staff_id


async def test_the_quit_action_from_anywhere_else_asks_too(ctx: ShopContext, team: Team) -> None:
    """An action link or any other caller of app.quit gets the same question."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await app.run_action("quit")
        await settle(pilot)
        assert app.is_running
        assert isinstance(app.screen, LeadPinDialog)


async def test_a_pin_being_typed_keeps_the_keys_when_the_list_of_leads_arrives(
    ctx: ShopContext, team: Team
) -> None:
    """With several leads the list takes the keys to pick one, but not from a PIN already
    being typed: the list loads in a worker, and the rest of the PIN must not go to it."""
    staff.add_staff(ctx, team.lead, name="Lee", pin="4444", role="lead")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        dialog = await open_quit_dialog(pilot)
        assert app.focused is dialog.query_one("#leads")
        pin = dialog.query_one("#lead-pin", Input)
        pin.focus()
        await settle(pilot)
        await type_text(pilot, "11")
        dialog._show_leads(staff.list_staff(ctx))
        await type_text(pilot, "11")
        assert app.focused is pin and pin.value == "1111"


async def second_lead_picked(pilot: Pilot[None]) -> LeadPinDialog:
    """Open the quit dialog (two leads: the list has the keys) and move down to the second."""
    await settle(pilot)
    dialog = await open_quit_dialog(pilot)
    assert pilot.app.focused is dialog.query_one("#leads")
    await pilot.press("down")
    return dialog


async def test_a_pin_typed_while_the_list_of_leads_has_the_keys_goes_to_the_pin_box(
    ctx: ShopContext, team: Team
) -> None:
    """With several leads the list has the keys; the digits of a PIN typed straight away
    are the highlighted lead's PIN, not keys the list drops (Dana's 1111 then Enter was lost
    and Enter only picked her)."""
    staff.add_staff(ctx, team.lead, name="Lee", pin="4444", role="lead")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await second_lead_picked(pilot)
        await type_text(pilot, "4444")
        pin = dialog.query_one("#lead-pin", Input)
        assert app.focused is pin and pin.value == "4444"
        await pilot.press("enter")
        await settle(pilot)
        assert not app.is_running
    [(actor_id, _terminal)] = closed_events(ctx)
    assert actor_id != team.lead.staff_id


async def test_a_pin_and_enter_typed_in_one_burst_on_the_list_of_leads_quit(
    ctx: ShopContext, team: Team
) -> None:
    """The same typed fast (or pasted): the Enter after the digits is the PIN's, not the
    list's, so it checks the PIN instead of only picking the lead again (found in tmux:
    a second Enter was needed)."""
    staff.add_staff(ctx, team.lead, name="Lee", pin="4444", role="lead")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await second_lead_picked(pilot)
        await burst(pilot, "4444\n")
        await settle(pilot)
        assert not app.is_running
    [(actor_id, _terminal)] = closed_events(ctx)
    assert actor_id != team.lead.staff_id


async def test_the_quit_question_names_whose_kept_screens_close_with_the_app(
    ctx: ShopContext, team: Team
) -> None:
    """Sam locked mid-note and Alex signed in: closing the app would close Sam's kept
    note too, so the question says so before a lead's PIN is asked."""
    visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("enter", "o")
        await settle(pilot)
        await type_text(pilot, "half a note")
        await pilot.press("ctrl+l")
        await settle(pilot)
        await sign_in(pilot, "alex", "3333")
        dialog = await open_quit_dialog(pilot)
        assert "What Sam left open under a lock closes with it." in screen_text(dialog)


def keys_offered(app: StaffApp) -> dict[str, str]:
    """The keys the footer offers now, each with its name."""
    return {
        key: active.binding.description for key, active in app.active_bindings.items() if active.binding.show
    }


async def test_the_footer_names_enter_in_the_pin_box_and_on_the_list_of_leads(
    ctx: ShopContext, team: Team
) -> None:
    """The footer offers Enter as what it does here, wherever the focus is: the PIN box's
    and the list's own Enter (which Textual shows no name for) hid it, leaving only Esc."""
    staff.add_staff(ctx, None, name="Lee", pin="7777", role="lead")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_quit_dialog(pilot)
        assert isinstance(app.focused, OptionList)
        assert keys_offered(app) == {"enter": "Check PIN", "escape": "Cancel"}
        await pilot.press("tab")
        assert app.focused is dialog.query_one("#lead-pin", Input)
        assert keys_offered(app) == {"enter": "Check PIN", "escape": "Cancel"}
        assert [key.description for key in dialog.query_one(SteadyFooter).keys] == ["Check PIN", "Cancel"]


def held_leads(monkeypatch: pytest.MonkeyPatch) -> threading.Event:
    """Hold the next reads of the staff (the quit dialog's list of leads) until the
    returned gate is set."""
    gate = threading.Event()
    read = staff.list_staff

    def held(*args: Any, **kwargs: Any) -> list[staff.StaffSummary]:
        gate.wait(timeout=60)  # a safety net only: the test opens the gate itself
        return read(*args, **kwargs)

    monkeypatch.setattr(staff, "list_staff", held)
    return gate


async def pin_sent_before_the_leads_are_listed(
    pilot: Pilot[None], monkeypatch: pytest.MonkeyPatch, pin: str
) -> tuple[LeadPinDialog, threading.Event]:
    """ctrl+q, then `pin` and Enter while the list of leads is held; the dialog, and the
    gate that lets the list load."""
    await settle(pilot)
    gate = held_leads(monkeypatch)
    with workers_held(pilot):  # the list of leads
        await pilot.press("ctrl+q")
        await type_text(pilot, pin)
        await pilot.press("enter")
    dialog = pilot.app.screen
    assert isinstance(dialog, LeadPinDialog) and pilot.app.is_running
    assert dialog.query_one("#lead-pin", Input).value == pin
    return dialog, gate


async def leads_listed(pilot: Pilot[None], gate: threading.Event) -> None:
    """Let the held list of leads load, and what it starts (a check of the PIN kept) finish."""
    gate.set()
    await settle(pilot)
    await settle(pilot)


async def test_a_pin_and_enter_typed_before_the_leads_are_listed_are_checked_once_they_are(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One lead: a PIN typed and Enter pressed while the list still loads (a busy machine)
    is checked as soon as the list is there; it was wiped with "Pick a shift lead first"."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        _dialog, gate = await pin_sent_before_the_leads_are_listed(pilot, monkeypatch, "1111")
        await leads_listed(pilot, gate)
        assert not app.is_running
    assert closed_events(ctx) == [(team.lead.staff_id, "counter")]


async def test_with_several_leads_a_pin_typed_before_they_are_listed_waits_for_the_pick(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several leads: the PIN typed early is kept, the list takes the keys and says to pick
    the lead; ↓ and Enter pick Lee and check the PIN kept, with no retyping."""
    staff.add_staff(ctx, None, name="Lee", pin="7777", role="lead")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog, gate = await pin_sent_before_the_leads_are_listed(pilot, monkeypatch, "7777")
        await leads_listed(pilot, gate)
        assert app.is_running
        assert app.focused is dialog.query_one("#leads", OptionList)
        assert dialog.query_one("#lead-pin", Input).value == "7777"
        assert "Pick the shift lead" in screen_text(dialog)
        await pilot.press("down", "enter")
        await settle(pilot)
        assert not app.is_running
    [(actor_id, _terminal)] = closed_events(ctx)
    assert actor_id != team.lead.staff_id


async def test_enter_on_an_empty_pin_before_the_leads_are_listed_keeps_nothing_waiting(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enter with no PIN typed while the list loads: once it is there, nothing claims a
    PIN was kept, and the list has the keys to pick a lead as usual."""
    staff.add_staff(ctx, None, name="Lee", pin="7777", role="lead")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog, gate = await pin_sent_before_the_leads_are_listed(pilot, monkeypatch, "")
        await leads_listed(pilot, gate)
        assert app.focused is dialog.query_one("#leads", OptionList)
        assert "PIN typed is kept" not in screen_text(dialog)
        assert "Finding the shift leads" not in screen_text(dialog)
