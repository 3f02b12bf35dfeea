"""A refusal puts the focus on the field it names, visibly, in every dialog: the keys typed
next land there, and the field is marked (`REFUSED`, drawn with the error border) until it
is corrected, so nobody has to guess where the focus went.

Found by keys at 80×24: Enter on an email thank-you with "What did you do?" empty said
"Say what you did.", but nothing showed the focus had moved there; the tester pressed Tab
to reach it, and the letters went nowhere, then Shift+Tab and they went into the personal
line of the customer's email. In Kudos, after "Pick a colleague first", the arrows seemed
to choose no one. Each dialog of the registry (tests/ui/test_typing_in_fields.py) is
walked the way tests/ui/test_dialog_fit.py walks them."""

from __future__ import annotations

import pytest
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.complete_followup import CompleteFollowUpDialog
from counter_tui.ui.dialogs.form import FIELD_TYPES, REFUSED, FormDialog
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.widgets.choice import ChoiceList, Tick
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, plain, quick_sign_in, settle, type_text
from tests.ui.test_dialog_fit import SMALL, hidden
from tests.ui.test_review_ui import open_review
from tests.ui.test_typing_in_fields import DIALOG_SHARES, THANK_YOU, dialogs_share


def refusable_fields(dialog: FormDialog[object]) -> list[Widget]:
    """The fields of `dialog` on show that a refusal can name (each has a line under it)."""
    return [
        widget
        for widget in dialog.focus_chain
        if isinstance(widget, FIELD_TYPES) and widget.id and dialog.query(f"#{widget.id}-error")
    ]


def names_for(dialog: FormDialog[object], widget_id: str) -> list[str]:
    """Every name a refusal may give this field: its id, and the services' names for it."""
    return [widget_id, *(name for name, shown_as in dialog.FIELD_IDS.items() if shown_as == widget_id)]


async def a_key_lands(pilot: Pilot[None], field: Widget) -> bool:
    """Press the key a person would next press in `field` (a letter, ↓, Space): whether it
    changed the field."""
    if isinstance(field, Input):
        before = field.value
        if field.max_length and len(before) >= field.max_length:  # full: the correction starts with ⌫
            await pilot.press("backspace")
            return field.value == before[:-1]
        letter = "3" if field.restrict else "q"  # a PIN, a rating, a number of days take digits
        await type_text(pilot, letter)
        return field.value == before + letter
    if isinstance(field, ChoiceList):
        before_values, before_highlight = field.values, field.highlighted
        at_the_end = before_highlight is not None and before_highlight == field.option_count - 1
        await pilot.press("space" if field.multiple else "up" if at_the_end else "down")
        return (field.values, field.highlighted) != (before_values, before_highlight)
    if isinstance(field, Tick):
        before_tick = field.value
        await pilot.press("space")
        return field.value != before_tick
    return False


@pytest.mark.parametrize("share", range(DIALOG_SHARES))  # spread over test workers
async def test_every_refusal_takes_the_focus_to_its_field_visibly_at_80_by_24(
    ctx: ShopContext, team: Team, share: int
) -> None:
    """For every field of every dialog, under every name a refusal may give it: shown with
    the focus somewhere else, the refusal moves the focus to the field, marks it, keeps it
    and its sentence in view, the next key lands in it, and correcting it drops the mark."""
    app = StaffApp(ctx)
    wrong: list[str] = []
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs_share(ctx, share).items():
            dialog = open_dialog()
            await app.push_screen(dialog)
            await settle(pilot)
            if not isinstance(dialog, FormDialog):
                await pilot.press("escape")
                await settle(pilot)
                continue
            for field in refusable_fields(dialog):
                for field_name in names_for(dialog, field.id or ""):
                    where = f"{name}: {field_name}"
                    elsewhere = [widget for widget in dialog.focus_chain if widget is not field]
                    if elsewhere:
                        dialog.set_focus(elsewhere[-1])
                        await settle(pilot)
                    if isinstance(field, ChoiceList) and not field.multiple:
                        field.highlighted = None  # refused while nothing is chosen
                    dialog.show_error("Fix this first.", field_name)
                    await settle(pilot)
                    line = dialog.query_one(f"#{field.id}-error", Static)
                    if app.focused is not field:
                        wrong.append(f"{where}: focus on {app.focused}")
                    if not field.has_class(REFUSED):
                        wrong.append(f"{where}: not marked")
                    if hidden(field) or not line.display or hidden(line):
                        wrong.append(f"{where}: out of view")
                    if app.focused is field and not await a_key_lands(pilot, field):
                        wrong.append(f"{where}: the next key did not land")
                    await settle(pilot)
                    if field.has_class(REFUSED):
                        wrong.append(f"{where}: still marked once corrected")
            await pilot.press("escape")
            await settle(pilot)
    assert wrong == []


def marked(screen: Screen[object]) -> list[str]:
    """The ids of the fields marked as refused."""
    return [widget.id or "" for widget in screen.query(f".{REFUSED}")]


async def test_enter_with_nothing_said_puts_the_focus_in_what_did_you_do_and_keeps_the_email_line(
    ctx: ShopContext, team: Team
) -> None:
    """By keys at 80×24, the tester's steps: Enter on an email thank-you with "What did
    you do?" empty; then Tab, letters, Shift+Tab, letters. The refusal marks the field it
    asks for and has the focus there; Tab goes on to the email tick (where letters type
    nothing), Shift+Tab comes back to it, and the letters land there, never in the
    personal line that goes into the customer's email."""
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        dialog = CompleteFollowUpDialog(THANK_YOU)
        await app.push_screen(dialog)
        await settle(pilot)
        personal = dialog.query_one("#personal", Input)
        done_box = dialog.query_one("#done", Input)
        await type_text(pilot, "Enjoy that teapot.")
        await pilot.press("enter")
        await settle(pilot)
        assert plain(dialog.query_one("#done-error", Static).visual) == "Say what you did."
        assert app.focused is done_box and marked(dialog) == ["done"]
        await pilot.press("tab")
        await type_text(pilot, "Emailed")
        assert app.focused is dialog.query_one("#by-email", Tick)
        await pilot.press("shift+tab")
        await type_text(pilot, "Emailed")
        await settle(pilot)
        assert (personal.value, done_box.value) == ("Enjoy that teapot.", "Emailed")
        assert marked(dialog) == []


async def test_after_pick_a_colleague_first_the_arrows_choose_at_once(ctx: ShopContext, team: Team) -> None:
    """Kudos by keys: t, a reason, Enter with no colleague: "Pick a colleague first"; the
    list has the focus, marked, and the first ↓ chooses its first colleague (no Tab)."""
    customers.create_customer(ctx, team.sam, name="Bob Jones")
    visits.new_walk_in(ctx, team.sam, description="anyone", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL) as pilot:
        await open_review(pilot, app, "6")
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StaffPickerDialog)
        await pilot.press("tab")
        await type_text(pilot, "stayed late for Bob")
        await pilot.press("enter")
        await settle(pilot)
        colleagues = dialog.query_one("#colleagues", ChoiceList)
        said = plain(dialog.query_one("#colleagues-error", Static).visual)
        assert said.startswith("Pick a colleague first")
        assert app.focused is colleagues and marked(dialog) == ["colleagues"]
        await pilot.press("down")
        await settle(pilot)
        assert colleagues.value == colleagues.values_offered()[0]
        assert marked(dialog) == []


async def test_a_kudos_too_long_is_refused_beside_the_thanks_with_the_focus_there(
    ctx: ShopContext, team: Team
) -> None:
    """By keys at 120×40: t, a colleague, 5,000 characters of thanks (markup, emoji and a
    bidi control among them), Enter: "Kudos can be at most 500 characters" was said under
    the form, the focus left on the list of colleagues. It is said beside the thanks,
    which has the focus, marked; everything typed is kept."""
    app = StaffApp(ctx)
    thanks = "[/] [@click=app.quit]x[/] \u202eevil 🎉 " + "k" * 5000
    async with app.run_test(size=(120, 40)) as pilot:
        await open_review(pilot, app, "6")
        await pilot.press("t")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StaffPickerDialog)
        await pilot.press("down", "tab")
        reason = dialog.query_one("#reason", Input)
        reason.insert_text_at_cursor(thanks)  # as a paste: 5,000 keys take too long to press
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        said = plain(dialog.query_one("#reason-error", Static).visual)
        assert said.startswith("Kudos can be at most 500 characters")
        assert app.focused is reason and marked(dialog) == ["reason"]
        assert reason.value == thanks
