"""A dialog's key hint and footer say what its keys do in that dialog: Enter's word is the
dialog's (an erasure erases, it does not save), and "↑↓ choose", "Space ticks" and "Tab
next field" show only where there is something to choose, tick or Tab to (every form said
all of them, a one-box note too)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Label

from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.dialogs.needs import NeedsDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle


def _hint(dialog: Screen[object]) -> str:
    return plain(dialog.query_one(".dialog-hint", Label).visual)


def _enter_in_footer(dialog: Screen[object]) -> str:
    return dialog.active_bindings["enter"].binding.description


async def test_each_dialog_offers_only_the_keys_it_has(ctx: ShopContext, team: Team) -> None:
    offered: list[tuple[FormDialog[Any], str, str]] = [
        (TextPromptDialog("Add a note", "What should colleagues know?"), "Enter saves · Esc cancels", "Save"),
        (
            TextPromptDialog("Erase personal data", "How did they ask?", enter_does=("erases", "Erase")),
            "Enter erases · Esc cancels",
            "Erase",
        ),
        (EndVisitDialog(on_file=True), "Enter saves · ↑↓ choose · Tab next field · Esc cancels", "Save"),
        (
            NeedsDialog((), can_remember=True),
            "Enter saves · Space ticks · Tab next field · Esc cancels",
            "Save",
        ),
    ]
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        for dialog, hint, enter in offered:
            await app.push_screen(dialog)
            await settle(pilot)
            assert (_hint(dialog), _enter_in_footer(dialog)) == (hint, enter)
            dialog.dismiss(None)
            await settle(pilot)


async def test_a_visit_that_can_only_end_unserved_asks_for_no_thank_you_line(
    ctx: ShopContext, team: Team
) -> None:
    """Found by a tester: ending a visit nobody greeted offers only "Left unserved", yet
    the dialog still offered a thank-you's personal line, which that outcome refuses."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        dialog = EndVisitDialog(on_file=True, template="Thanks, Bob", outcomes=("left_unserved",))
        await app.push_screen(dialog)
        await settle(pilot)
        assert not dialog.query("#personal")
        assert "personal line" not in " ".join(plain(label.visual) for label in dialog.query(Label))
        assert _hint(dialog) == "Enter saves · ↑↓ choose · Esc cancels"
