"""The merge dialog merges what it shows, by keys: a visit and a note added to the
duplicate at another terminal after the dialog opened make Enter refuse, saying so, with
the summary shown as it is now; the next Enter merges that. A second lead confirming after
the first merged is told so, the dialog goes, and nothing more is recorded. Checked in
the database."""

from __future__ import annotations

import json

from sqlmodel import col, select
from textual.pilot import Pilot
from textual.widgets import Label, Static

from counter_tui.db.models import Customer, CustomerMerge, CustomerNote, Visit
from counter_tui.services import customers, staff, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.merge_preview import MergePreviewDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, type_text


async def _open_merge_dialog(pilot: Pilot[None], app: StaffApp, who: tuple[str, str]) -> MergePreviewDialog:
    """Sign in as a lead and, by keys: find "Quoted, Name", open them, press M, pick Dup.
    (Keys, not screens pushed from the test: with two apps running, a screen pushed from
    here could be taken for the other app's.)"""
    await quick_sign_in(pilot, *who)
    await pilot.press("slash")
    await type_text(pilot, "quoted")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    await pilot.press("M")
    await settle(pilot)
    assert isinstance(app.screen, FindCustomerScreen)
    await type_text(pilot, "dup")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, MergePreviewDialog)
    return app.screen


def _summary(dialog: MergePreviewDialog) -> str:
    return plain(dialog.query_one("#merge-summary", Static).visual)


def _merges(ctx: ShopContext) -> list[tuple[int | None, list[int], list[int]]]:
    """Each merge recorded: who merged, and the visits and notes it moved."""
    with ctx.database.read() as session:
        rows = session.exec(select(CustomerMerge).order_by(col(CustomerMerge.id))).all()
        return [
            (row.merged_by, json.loads(row.moved)["visits"], json.loads(row.moved)["notes"]) for row in rows
        ]


async def test_a_note_added_to_the_duplicate_at_another_terminal_is_shown_before_it_is_merged(
    ctx: ShopContext, other_terminal: ShopContext, team: Team
) -> None:
    kept = customers.create_customer(ctx, team.sam, name="Quoted, Name", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Dup", phone="07700 900456")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _open_merge_dialog(pilot, app, ("dana", "1111"))
        assert "Moves to Quoted, Name: 0 visits, 0 notes" in _summary(dialog)

        visit = visits.new_walk_in(other_terminal, team.sam, customer_id=dup, claim=True)  # Sam's till
        visits.add_visit_note(other_terminal, team.sam, visit, "Allergic to nuts - important")
        await pilot.press("enter")
        await settle(pilot)

        assert app.screen is dialog
        assert plain(dialog.query_one(".dialog-error", Static).visual) == (
            "Since you opened this, Dup gained a visit and a note; "
            "check the summary and press Enter again to merge."
        )
        assert "Moves to Quoted, Name: 1 visit, 1 note" in _summary(dialog)
        assert _merges(ctx) == []
        # What Enter and Esc do is the foot's hint (in view whatever the summary's length),
        # said once, and not a form's "Space ticks · Tab next field"; the footer says Merge.
        assert plain(dialog.query_one(".dialog-hint", Label).visual) == (
            "Enter merges · Esc leaves both records as they are."
        )
        said = [plain(w.visual) for w in dialog.query(Static) if not w.has_class("dialog-hint")]
        assert not any("Enter merges" in words for words in said)
        assert dialog.active_bindings["enter"].binding.description == "Merge"

        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, MergePreviewDialog)
        assert app.messages[-1].startswith("Merged Dup into this record.")
    with ctx.database.read() as session:
        [note] = session.exec(select(CustomerNote)).all()
        assert session.get_one(Visit, visit).customer_id == kept and note.customer_id == kept
        assert session.get_one(Customer, dup).merged_into_id == kept
    assert _merges(ctx) == [(team.lead.staff_id, [visit], [note.id])]


async def test_a_second_lead_confirming_after_the_first_merged_is_told_so(
    ctx: ShopContext, other_terminal: ShopContext, team: Team
) -> None:
    kept = customers.create_customer(ctx, team.sam, name="Quoted, Name", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Dup", phone="07700 900456")
    priya = staff.add_staff(ctx, team.lead, name="Priya", pin="7777", role="lead")
    danas, priyas = StaffApp(ctx), StaffApp(other_terminal)
    async with danas.run_test(size=SIZE) as dana, priyas.run_test(size=SIZE) as priya_keys:
        await _open_merge_dialog(dana, danas, ("dana", "1111"))
        await _open_merge_dialog(priya_keys, priyas, ("priya", "7777"))
        await priya_keys.press("enter")
        await settle(priya_keys)
        assert priyas.messages[-1].startswith("Merged Dup into this record.")

        await dana.press("enter")
        await settle(dana)
        assert not isinstance(danas.screen, MergePreviewDialog)
        assert (
            danas.messages[-1]
            == "Priya already merged Dup into Quoted, Name at 11:00; nothing is left to merge."
        )
    assert [merged_by for merged_by, _visits, _notes in _merges(ctx)] == [priya.id]
    with ctx.database.read() as session:
        assert session.get_one(Customer, dup).merged_into_id == kept
