"""A promise or callback being typed for a customer a lead erases at another terminal
meanwhile: Enter keeps the dialog open with everything typed and one sentence saying the
customer was erased, and nothing is saved (no follow-up, no consent, no audit event);
whether the erasure reached this terminal's live updates before Enter or not."""

from __future__ import annotations

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from counter_tui.db.models import AuditEvent, ContactConsent, FollowUp
from counter_tui.services import changes, customers, erasure
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.followup_forms import CallbackDialog, PromiseDialog
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, plain, quick_sign_in, settle, type_text
from tests.ui.test_live_ui import feed_since

ERASED = "This customer's details were erased at their request, so nothing was saved."


def _saved(ctx: ShopContext) -> tuple[list[FollowUp], list[ContactConsent], list[str]]:
    with ctx.database.read() as session:
        return (
            list(session.exec(select(FollowUp))),
            list(session.exec(select(ContactConsent))),
            [event.action for event in session.exec(select(AuditEvent))],
        )


@pytest.mark.parametrize("told_live", [True, False], ids=["erasure-seen", "erasure-not-seen-yet"])
@pytest.mark.parametrize("kind", ["promise", "callback"])
async def test_the_typing_stays_with_one_sentence_and_nothing_is_saved(
    ctx: ShopContext, team: Team, kind: str, told_live: bool
) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    before = _saved(ctx)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("m" if kind == "promise" else "b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromiseDialog if kind == "promise" else CallbackDialog)
        await type_text(pilot, "Order the blue kettle")
        if kind == "promise":
            await pilot.press("tab")
            await type_text(pilot, "mon 12:00")
        else:
            await pilot.press("tab", "tab", "space")  # "agreed just now" to be called
        seen = changes.latest_event_id(ctx)
        erasure.erase_customer(ctx, team.lead, bob, "asked at the till")
        erased = _saved(ctx)
        if told_live:
            app.apply_feed_event(feed_since(ctx, seen))
            await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        typed = [field.value for field in dialog.query(Input)]
        assert "Order the blue kettle" in typed
        assert kind == "callback" or "mon 12:00" in typed
        shown = [plain(line.visual) for line in dialog.query(Static) if line.display and plain(line.visual)]
        assert [line for line in shown if "erased" in line] == [ERASED]
        assert _saved(ctx) == erased
    assert len(erased[0]) == len(before[0])
