"""At 80×24 (the smallest terminal we support) every dialog keeps the field with focus in
view: Tab to any field of any dialog and it is drawn whole, so nobody ticks consent or
types into a field they cannot see."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.errors import NoWidget
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Checkbox, Static
from textual.widgets._toast import Toast

from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.complete_followup import CompleteFollowUpDialog
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.followup_forms import PromiseDialog
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.customer import CustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import StaffApp, quick_sign_in, settle, type_text
from tests.ui.test_typing_in_fields import CALLBACK, DIALOG_SHARES, dialogs, dialogs_share

SMALL = (80, 24)


def hidden(widget: Widget) -> bool:
    """True when `widget` is not drawn whole on the screen (clipped by a scrolling parent,
    below the terminal's edge, or under the dialog's docked foot, which is drawn over the
    fields scrolling beneath it: the close dialog's reason box was behind it)."""
    screen = widget.screen
    geometry = screen.find_widget(widget)
    visible = geometry.clip.intersection(Region(0, 0, *SMALL))
    if visible.intersection(geometry.region) != geometry.region:
        return True
    feet = [
        foot for foot in screen.query(".dialog-foot") if widget is not foot and foot not in widget.ancestors
    ]
    return any(screen.find_widget(foot).region.overlaps(geometry.region) for foot in feet)


@pytest.mark.parametrize("share", range(DIALOG_SHARES))  # spread over test workers
async def test_tab_keeps_every_dialog_field_in_view_at_80_by_24(
    ctx: ShopContext, team: Team, share: int
) -> None:
    app = StaffApp(ctx)
    out_of_view: list[str] = []
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs_share(ctx, share).items():
            await app.push_screen(open_dialog())
            await settle(pilot)
            chain = list(app.screen.focus_chain)
            for _ in chain:
                focused = app.focused
                if focused is not None and hidden(focused):
                    out_of_view.append(f"{name}: {focused.id or type(focused).__name__}")
                await pilot.press("tab")
                await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
    assert out_of_view == []


def cut_words(screen: Screen[object]) -> list[str]:
    """The lines of text in `screen`'s dialog box drawn wider than the box (so cut at its
    edge rather than wrapped), with the start of what they say."""
    box = screen.query_one(".dialog-box")
    inside = box.scrollable_content_region
    return [
        str(static.visual)[:40]
        for static in box.query(Static)
        if static.display and static.region.width and static.region.right > inside.right
    ]


ERASE_PROMPT = (
    "Erase Bartholomew Featherstonehaugh's name, contact details, notes and feedback? "
    "Queued emails to them will not be sent. Visits stay, anonymous. "
    "Type how they asked (e.g. 'asked by email on 3 Nov')."
)


def cut_ticks(screen: Screen[object]) -> list[str]:
    """The labels of `screen`'s tick boxes on show (laid out: not hidden themselves nor
    inside something hidden, as the needs dialog hides an unticked need's line) not drawn
    whole, with the start of what they say."""
    shown = [tick for tick in screen.query(Checkbox) if tick.display and tick.region.area]
    labels = [(tick, " ".join(str(tick.label).split())) for tick in shown]
    return [label[:40] for tick, label in labels if label not in drawn_words(tick)]


async def refusal_unseen(pilot: Pilot[None], dialog: Screen[object]) -> bool:
    """Whether a service's refusal shown in the form `dialog` is missing or out of view."""
    assert isinstance(dialog, FormDialog)
    dialog.show_error("This visit is already linked to a customer on file.")
    await settle(pilot)
    shown = [line for line in dialog.query(".dialog-error, .field-error") if line.display]
    return not shown or any(hidden(line) for line in shown)


@pytest.mark.parametrize("share", range(DIALOG_SHARES))  # spread over test workers
async def test_every_dialog_opens_whole_at_80_by_24(ctx: ShopContext, team: Team, share: int) -> None:
    """Each dialog, opened at 80×24, is read whole before anything is typed:
    - a dialog that scrolls opens at its top, its title (what it is for) in view (found by
      the tester: put on file, needs and new walk-in opened scrolled to their first field);
    - a consequence it explains (an erasure's, a link's, a reopening's) wraps inside the box
      rather than being cut at its edge, in the longest prompts too;
    - a tick box says whole what ticking it means (seen: the follow-up Done dialog's "Still
      open: the next update comes back in 14 days (untick when it is done)" cut);
    - a service's refusal with no field of its own ('This visit is already linked to a
      customer on file.') is scrolled to under the form, not left below the edge (Enter
      looked like it did nothing; found by the tester)."""
    openers = {
        **dialogs(ctx),
        "erase prompt": lambda: TextPromptDialog("Erase personal data", ERASE_PROMPT),
        "EndVisitDialog not on file": lambda: EndVisitDialog(on_file=False, template=""),
        "Done, status update": lambda: CompleteFollowUpDialog(STATUS_UPDATE),
        "Done, promise": lambda: CompleteFollowUpDialog(replace(CALLBACK, kind="promise")),
    }
    app = StaffApp(ctx)
    title_cut: list[str] = []
    words_cut: list[str] = []
    ticks_cut: list[str] = []
    refusal_cut: list[str] = []
    async with app.run_test(size=SMALL) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in list(openers.items())[share::DIALOG_SHARES]:
            dialog = open_dialog()
            await app.push_screen(dialog)
            await settle(pilot)
            titles = list(dialog.query(".dialog-title"))
            if titles and hidden(titles[0]):
                title_cut.append(name)
            words_cut.extend(f"{name}: {words}" for words in cut_words(dialog))
            ticks_cut.extend(f"{name}: {label}" for label in cut_ticks(dialog))
            if isinstance(dialog, FormDialog) and await refusal_unseen(pilot, dialog):
                refusal_cut.append(name)
            await pilot.press("escape")
            await settle(pilot)
    assert title_cut == []
    assert words_cut == []
    assert ticks_cut == []
    assert refusal_cut == []


NOTICE = "Needs help: Bartholomew Featherstonehaugh has waited 12 minutes at the counter."


def drawn_region(widget: Widget) -> Region | None:
    """Where `widget` is drawn on its screen, or None when it is not drawn."""
    try:
        geometry = widget.screen.find_widget(widget)
    except NoWidget:
        return None
    region = geometry.clip.intersection(geometry.region)
    return region if region.area and widget.visible else None


@pytest.mark.parametrize("share", range(DIALOG_SHARES))  # spread over test workers
async def test_a_notice_never_covers_a_dialogs_focused_field_or_key_hint_at_80_by_24(
    ctx: ShopContext, team: Team, share: int
) -> None:
    """A notice raised while a dialog is open ("Needs help" while reassigning, a hand-off
    while a lead types why one is denied) is read without hiding the field being typed in or
    the line saying which keys do what (seen: a toast over the Reassign dialog's key hint)."""
    app = StaffApp(ctx)
    covered: list[str] = []
    unread: list[str] = []
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs_share(ctx, share).items():
            await app.push_screen(open_dialog())
            await settle(pilot)
            app.notify(NOTICE, timeout=60)
            await settle(pilot)
            screen = app.screen
            toasts = [region for toast in screen.query(Toast) if (region := drawn_region(toast))]
            kept_clear = [*screen.query(".dialog-hint"), *([app.focused] if app.focused else [])]
            for widget in kept_clear:
                where = drawn_region(widget)
                if where and any(toast.overlaps(where) for toast in toasts):
                    covered.append(f"{name}: {widget.id or widget.classes or type(widget).__name__}")
            shown = [str(notice.visual) for notice in screen.query(".dialog-notice") if notice.display]
            if not toasts and NOTICE not in shown:  # raised in the dialog: not marked as earlier
                unread.append(name)
            app.clear_notifications()
            await pilot.press("escape")
            await settle(pilot)
    assert covered == []
    assert unread == []


def drawn_words(widget: Widget) -> str:
    """The words `widget` draws inside its border (its lines joined, spaces collapsed)."""
    lines = widget.render_lines(Region(widget.gutter.left, widget.gutter.top, *widget.size))
    return " ".join(" ".join(strip.text for strip in lines).split())


STATUS_UPDATE = replace(CALLBACK, kind="status_update", kind_label="Status update", every_days=14)


LONG_NOTICE = (
    "Hand-off asked: Sam asks a shift lead to take Bartholomew Featherstonehaugh, who has "
    "waited 25 minutes at the counter for a watch repair and would like to speak to someone "
    "who knows the order; Alex and Jordan are both with customers at the moment."
)


def out_of_view(name: str, screen: Screen[object], focused: Widget | None) -> list[str]:
    """The key hint and the focused field of the dialog `screen`, named, when not drawn whole."""
    kept = [*screen.query(".dialog-hint"), *([focused] if focused is not None else [])]
    return [f"{name}: {widget.id or ' '.join(sorted(widget.classes))}" for widget in kept if hidden(widget)]


@pytest.mark.parametrize("share", range(DIALOG_SHARES))  # spread over test workers
async def test_with_a_notice_every_dialogs_key_hint_and_focused_field_stay_in_view_at_80_by_24(
    ctx: ShopContext, team: Team, share: int
) -> None:
    """The line saying which keys do what and the field being typed in stay on the screen,
    whichever field has focus, before and after a notice is raised in the dialog (seen: a
    notice line scrolled a dialog's key hint off an 80×24 screen; the status-update dialog's
    hint was below the edge with no notice at all)."""
    app = StaffApp(ctx)
    unseen: list[str] = []
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs_share(ctx, share).items():
            await app.push_screen(open_dialog())
            await settle(pilot)
            unseen.extend(out_of_view(f"{name} (no notice)", app.screen, app.focused))
            for notice in (NOTICE, LONG_NOTICE):
                app.notify(notice, timeout=60)
                await settle(pilot)
                for _ in list(app.screen.focus_chain):
                    unseen.extend(out_of_view(name, app.screen, app.focused))
                    await pilot.press("tab")
                    await settle(pilot)
            app.clear_notifications()
            await pilot.press("escape")
            await settle(pilot)
    assert sorted(set(unseen)) == []


@pytest.mark.parametrize("share", range(DIALOG_SHARES))  # spread over test workers
async def test_a_notice_showing_when_a_dialog_opens_is_read_in_the_dialog_at_80_by_24(
    ctx: ShopContext, team: Team, share: int
) -> None:
    """A notice already showing as a toast when a dialog opens is not hidden behind the
    dialog until it closes: the dialog's notice line shows it, in view, marked as earlier
    than the dialog; and the line goes when the notice does (timed out or cleared)."""
    app = StaffApp(ctx)
    unread: list[str] = []
    stale: list[str] = []
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs_share(ctx, share).items():
            app.notify(NOTICE, timeout=60)
            await settle(pilot)
            await app.push_screen(open_dialog())
            await settle(pilot)
            shown = [
                notice
                for notice in app.screen.query(".dialog-notice")
                if notice.display and str(notice.visual) == f"Earlier: {NOTICE}" and not hidden(notice)
            ]
            if not shown:
                unread.append(name)
            app.clear_notifications()
            await settle(pilot)
            if any(notice.display for notice in app.screen.query(".dialog-notice")):
                stale.append(name)
            await pilot.press("escape")
            await settle(pilot)
    assert unread == []
    assert stale == []


async def test_a_notice_too_long_for_two_lines_ends_with_an_ellipsis(ctx: ShopContext, team: Team) -> None:
    """A notice longer than the dialog's two notice lines says it goes on ("…"), rather than
    stopping mid-sentence as if that were all (its whole text is the toast after the dialog)."""
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await app.push_screen(TextPromptDialog("Add a note", "What should colleagues know?"))
        await settle(pilot)
        app.notify(LONG_NOTICE, timeout=60)
        await settle(pilot)
        notice = app.screen.query_one(".dialog-notice")
        assert drawn_words(notice).endswith("…")


async def test_a_notice_line_goes_when_its_toast_times_out(ctx: ShopContext, team: Team) -> None:
    """A notice shown in a dialog goes when its time is up, as its toast would (Textual's toast
    timing out forgets it without refreshing the notices: the line stayed)."""
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        app.clear_notifications()
        await app.push_screen(TextPromptDialog("Add a note", "What should colleagues know?"))
        await settle(pilot)
        app.notify(NOTICE, timeout=60)
        await settle(pilot)
        app.screen.query_one(Toast)._expire()  # what its timer does when the time is up
        await settle(pilot)
        assert not any(notice.display for notice in app.screen.query(".dialog-notice"))


def bold_words(widget: Widget) -> str:
    """The characters `widget` draws in bold on its first line."""
    strip = widget.render_line(0)
    return "".join(segment.text for segment in strip if segment.style is not None and segment.style.bold)


async def test_a_notice_from_before_a_dialog_opened_is_marked_earlier_not_read_as_its_answer(
    ctx: ShopContext, team: Team
) -> None:
    """By keys at 80×24: b, a callback, Enter ("Callback queued."), then m at once: the
    promise dialog showed "Callback queued." in bold at its foot, where its own answer
    goes, before anything was typed. It is still there to read (it was not read yet), but
    marked "Earlier:" and plain; a notice raised while the dialog is open is not marked."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123", opted_in=["phone"])
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SMALL, notifications=True) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        app.clear_notifications()
        await app.push_screen(CustomerScreen(visit_id=visit_id))
        await settle(pilot)
        await pilot.press("b")
        await settle(pilot)
        await type_text(pilot, "price of the knife block")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages[-1] == "Callback queued."
        await pilot.press("m")
        await settle(pilot)
        assert isinstance(app.screen, PromiseDialog)
        [notice] = [notice for notice in app.screen.query(".dialog-notice") if notice.display]
        assert str(notice.visual) == "Earlier: Callback queued."
        assert not hidden(notice)
        assert bold_words(notice) == ""
        app.notify("Needs help: Cara has waited 6 min.", timeout=60)
        await settle(pilot)
        assert str(notice.visual) == "Needs help: Cara has waited 6 min."
        assert bold_words(notice).strip() == "Needs help: Cara has waited 6 min."
