"""Nothing typed is lost: a dialog calls its service itself and closes only when it
succeeds. A refusal (or an unexpected failure) stays in the dialog, beside the field it
concerns, with every field kept."""

from __future__ import annotations

import logging
import re

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from counter_tui.db.models import ContactConsent, Customer, HandoffRequest, Visit
from counter_tui.services import handoffs, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.guarded_app import UNEXPECTED
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.widgets.choice import Tick
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, type_text
from tests.ui.test_review_ui import open_review


def beside(dialog: FormDialog[object], field_id: str) -> str:
    """The sentence under one field ('' when none is shown)."""
    line = dialog.query_one(f"#{field_id}-error", Static)
    return plain(line.visual) if line.display else ""


def typed(dialog: FormDialog[object]) -> dict[str, object]:
    """Every field's value."""
    values: dict[str, object] = {field.id or "": field.value for field in dialog.query(Input)}
    values.update({tick.id or "": tick.value for tick in dialog.query(Tick)})
    return values


async def test_put_on_file_with_a_bad_phone_keeps_the_dialog_and_everything_typed(
    ctx: ShopContext, team: Team
) -> None:
    """The finding: phone 'abc' closed the dialog and lost the name, email and consent
    ticks. Now the sentence shows beside the phone, the phone takes the keys, and after
    correcting it Enter puts the walk-in on file with what was typed the first time."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="red coat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CustomerFormDialog)
        await type_text(pilot, "Ann Lee")
        await pilot.press("tab")
        await type_text(pilot, "abc")
        await pilot.press("tab")
        await type_text(pilot, "ann@example.com")
        await pilot.press("tab", "space", "tab", "tab", "space", "enter")  # phone calls, email
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "phone").startswith("A phone number has only digits")
        assert beside(dialog, "name") == beside(dialog, "email") == ""
        assert typed(dialog) == {
            "name": "Ann Lee",
            "phone": "abc",
            "email": "ann@example.com",
            "opt-phone": True,
            "opt-sms": False,
            "opt-email": True,
        }
        assert app.focused is dialog.query_one("#phone", Input)
        with ctx.database.read() as session:
            assert session.exec(select(Customer)).all() == []
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "07700 900123")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    with ctx.database.read() as session:
        [customer] = session.exec(select(Customer)).all()
        visit = session.get(Visit, visit_id)
        consents = {c.channel for c in session.exec(select(ContactConsent)) if c.granted}
    assert (customer.name, customer.phone, customer.email) == ("Ann Lee", "07700 900123", "ann@example.com")
    assert visit is not None and visit.customer_id == customer.id
    assert consents == {"phone", "email"}


async def test_new_customer_from_find_refuses_a_bad_email_beside_it(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, FindCustomerScreen)
        await type_text(pilot, "Ann Lee")
        await pilot.press("ctrl+n")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CustomerFormDialog)
        await pilot.press("tab", "tab")
        await type_text(pilot, "ann-at-example")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "email").startswith("That email address looks wrong")
        assert typed(dialog)["name"] == "Ann Lee"
        await pilot.press("backspace")  # correcting it: what was wrong no longer shows
        await settle(pilot)
        assert beside(dialog, "email") == ""
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, FindCustomerScreen)
    with ctx.database.read() as session:
        assert session.exec(select(Customer)).all() == []


async def test_a_conflict_from_another_till_shows_in_the_dialog_and_keeps_the_note(
    ctx: ShopContext, team: Team
) -> None:
    """Dana types a denial while another lead approves the same request on another till:
    the refusal shows in the dialog, the note stays, and nothing else changes."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    request_id = handoffs.request_handoff(
        ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes"
    )
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_review(pilot, app, "1")
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        await type_text(pilot, "Sam is nearly done")
        handoffs.approve_handoff(ctx, team.lead, request_id)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert re.fullmatch(r"Dana already approved this hand-off at \d\d:\d\d\.", beside(dialog, "answer"))
        assert typed(dialog) == {"answer": "Sam is nearly done"}
    with ctx.database.read() as session:
        request = session.get(HandoffRequest, request_id)
        assert request is not None and request.status == "approved"


async def test_an_unexpected_failure_keeps_the_dialog_open_with_one_sentence(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch, unexpected_errors: list[logging.LogRecord]
) -> None:
    """A bug in a service is logged; the dialog says so in one sentence and keeps the note,
    so the person can try again once it works."""
    visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(visits, "add_visit_note", broken)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter", "o")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, TextPromptDialog)
        await type_text(pilot, "wants the blue one")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "answer") == UNEXPECTED
        assert typed(dialog) == {"answer": "wants the blue one"}
        assert len(unexpected_errors) == 1
