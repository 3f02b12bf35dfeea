"""Letters typed into a text field only ever become text: every letter a-z and A-Z typed
into every text field of every staff screen and dialog appears in the field, and nothing
else happens (no screen opens or closes, nothing is said, nothing is stored). Letter
keys of a screen are never priority bindings, and are not offered while a field has
focus. A key that needs something first opens what it needs, so the words typed after
it land in a field rather than on the screen's letter keys."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlmodel import func, select
from textual import events
from textual.binding import Binding
from textual.keys import key_to_character
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

import counter_tui.ui
from counter_tui.db.models import AuditEvent, Channel, HandoffRequest
from counter_tui.services import customer_record, customers, handoffs, visits
from counter_tui.services.audit_views import NO_FILTER, AuditEntry
from counter_tui.services.closing_views import ClosePreview, ClosingHandoff, ClosingVisit
from counter_tui.services.context import ShopContext
from counter_tui.services.due_history import DueHistory
from counter_tui.services.open_work import OpenWork
from counter_tui.services.outbox import MailPreview
from counter_tui.services.permissions import Action
from counter_tui.services.staff import StaffSummary
from counter_tui.services.views import FollowUpView, NeedView
from counter_tui.ui.dialogs.audit_event import AuditEventDialog
from counter_tui.ui.dialogs.audit_filter import AuditFilterDialog
from counter_tui.ui.dialogs.complete_followup import CompleteFollowUpDialog
from counter_tui.ui.dialogs.confirm import ConfirmDialog
from counter_tui.ui.dialogs.consent import ConsentDialog
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.deactivate import DeactivateDialog
from counter_tui.ui.dialogs.due_history import DueHistoryDialog
from counter_tui.ui.dialogs.duplicate_choice import DuplicateChoiceDialog
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.export_period import ExportPeriodDialog
from counter_tui.ui.dialogs.feedback import FeedbackDialog
from counter_tui.ui.dialogs.followup_forms import CallbackDialog, PromiseDialog
from counter_tui.ui.dialogs.form import FormDialog, ReadOnlyDialog
from counter_tui.ui.dialogs.lead_pin import LeadPinDialog
from counter_tui.ui.dialogs.mail_preview import MailPreviewDialog
from counter_tui.ui.dialogs.merge_preview import MergePreviewDialog
from counter_tui.ui.dialogs.needs import NeedsDialog
from counter_tui.ui.dialogs.new_pin import NewPinDialog
from counter_tui.ui.dialogs.setting import SettingDialog
from counter_tui.ui.dialogs.snooze_followup import SnoozeDialog
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.dialogs.status_update import StatusUpdateDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.dialogs.walk_in import NewWalkInDialog
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from counter_tui.ui.review.close_day import CloseDayDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.screens.review import ReviewScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, burst, quick_sign_in, settle, type_text

LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
NOON = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
SAM = StaffSummary(2, "Sam", "associate", True)
ALEX = StaffSummary(3, "Alex", "associate", True)
CALLBACK = FollowUpView(
    1, "callback", "Callback", 1, "Bob Jones", 2, "Sam", Channel.PHONE, "repair quote", NOON,
    "open", False, "", "",
)  # fmt: skip
THANK_YOU = FollowUpView(
    2, "thank_you", "Thank-you", 1, "Bob Jones", 2, "Sam", Channel.EMAIL, "", NOON, "open", False, "", ""
)


def dialogs(ctx: ShopContext) -> dict[str, Callable[[], Screen[object]]]:
    """One way to open each dialog of the staff app (several for dialogs whose text fields
    depend on what they are asked for)."""
    closing = ClosePreview(  # the longest it gets: more visits and hand-offs than it lists
        NOON.date(),
        NOON,
        True,
        tuple(  # owned by many, as at a real close: the summary of whose they are wraps
            ClosingVisit(n, f"customer {n}", owner)
            for n, owner in enumerate(("Sam", "Alex", "Dana", "Jordan", "Priya", None, None, None, None), 1)
        ),
        "The shop is open until 17:30.",
        tuple(ClosingHandoff(n, n, f"customer {n}", "Sam", "Alex") for n in range(1, 5)),
    )
    return {
        "AuditEventDialog": lambda: AuditEventDialog(
            AuditEntry(1, NOON, "Sam", "till-1", "visit.ended", "Bob Jones", "outcome=purchase", False),
            "Fri 12:00",
        ),
        "AuditFilterDialog": lambda: AuditFilterDialog(NO_FILTER, [SAM, ALEX], ("visit.ended",), NOON.date()),
        "CloseDayDialog": lambda: CloseDayDialog(ctx, closing),
        "CompleteFollowUpDialog": lambda: CompleteFollowUpDialog(CALLBACK),
        "CompleteFollowUpDialog thank-you": lambda: CompleteFollowUpDialog(THANK_YOU),
        "ConsentDialog": lambda: ConsentDialog({Channel.PHONE}),
        "CustomerFormDialog": lambda: CustomerFormDialog(),
        "DeactivateDialog": lambda: DeactivateDialog(OpenWork("Sam", ["red hat"], 1), [ALEX]),
        "DuplicateChoiceDialog": lambda: DuplicateChoiceDialog("Bob is on file.", [(1, "Bob Jones")]),
        "EndVisitDialog": lambda: EndVisitDialog(on_file=True, template="Thanks, Bob"),
        "ExportPeriodDialog": lambda: ExportPeriodDialog(NOON.date()),
        "FeedbackDialog": lambda: FeedbackDialog(),
        "CallbackDialog": lambda: CallbackDialog({Channel.PHONE}),
        "PromiseDialog": lambda: PromiseDialog(set(), ctx.calendar, ctx.now()),
        "SnoozeDialog": lambda: SnoozeDialog(ctx.calendar, ctx.now()),
        "StatusUpdateDialog": lambda: StatusUpdateDialog({Channel.SMS}, 3),
        "DueHistoryDialog": lambda: DueHistoryDialog(
            ctx, DueHistory(1, "promise", "Bob Jones", "Order the kettle", NOON, NOON, ())
        ),
        "LeadPinDialog": lambda: LeadPinDialog(
            "Close the staff app?",
            lambda lead, pin: None,  # type: ignore[arg-type, return-value]
            allowing=Action.CLOSE_STAFF_APP,
        ),
        "MailPreviewDialog": lambda: MailPreviewDialog(
            MailPreview("bob@example.com", "Thank you", "Hello\n\nBob\n")
        ),
        "MergePreviewDialog": lambda: MergePreviewDialog(["Bob Jones merges into Bob Jones"]),
        "NeedsDialog": lambda: NeedsDialog(
            (
                NeedView(1, "callback_wanted", "callback wanted", "", None),
                NeedView(2, "language", "language", "Welsh", None),
            ),
            can_remember=True,
        ),
        "NewPinDialog": lambda: NewPinDialog("Sam"),
        "StaffPickerDialog": lambda: StaffPickerDialog("Hand off to", [SAM, ALEX], reason_prompt="Why?"),
        "TextPromptDialog": lambda: TextPromptDialog("Add a note", "What should colleagues know?"),
        "NewWalkInDialog": lambda: NewWalkInDialog(),
        "ReadOnlyDialog": lambda: ReadOnlyDialog(),
        "SettingDialog": lambda: SettingDialog("hours.friday", "Opening hours on Fridays", "09:00-17:30"),
        "ConfirmDialog": lambda: ConfirmDialog("A copy?", ["Save it in exports."], "Enter saves."),
    }


def subclasses(cls: type) -> Iterator[type]:
    """Every subclass of `cls` defined in the staff app's modules, at any depth."""
    for sub in cls.__subclasses__():
        if sub.__module__.startswith("counter_tui.ui") and ".kiosk" not in sub.__module__:
            yield sub
        yield from subclasses(sub)


def ui_classes() -> Iterator[type]:
    """Every class defined in counter_tui.ui (all modules imported)."""
    for module in pkgutil.walk_packages(counter_tui.ui.__path__, "counter_tui.ui."):
        imported = importlib.import_module(module.name)
        for value in vars(imported).values():
            if isinstance(value, type) and value.__module__ == module.name:
                yield value


def after_typing(field: Input, before: str, letters: str) -> str:
    """What an Input holds after `letters` are typed at its end: its length limit and
    `restrict` pattern refuse some keys, and nothing else may."""
    value = before
    for letter in letters:
        candidate = value + letter
        if field.max_length and len(candidate) > field.max_length:
            continue
        if field.restrict and not re.fullmatch(field.restrict, candidate):
            continue
        value = candidate
    return value


def field_text_kept(field: Input) -> str:
    """What a field holds when typing starts: all of it. Focusing a field never selects its
    text, so a letter typed into a prefilled field (a personal line, a setting) adds to it
    instead of silently replacing it."""
    assert field.selection.is_empty, f"focusing {field.id} selected its text"
    return field.value


def stored_events(ctx: ShopContext) -> int:
    """How many audit events the shop holds (every change writes one)."""
    with ctx.database.read() as session:
        return session.exec(select(func.count()).select_from(AuditEvent)).one()


def text_fields(screen: Screen[object]) -> list[Widget]:
    """The text fields a person can reach on `screen`, in Tab order."""
    return [widget for widget in screen.focus_chain if isinstance(widget, Input | TextArea)]


async def tab_to(pilot: Pilot[None], field: Widget) -> None:
    """Press Tab until `field` has focus."""
    for _ in range(12):
        if pilot.app.focused is field:
            return
        await pilot.press("tab")
    assert pilot.app.focused is field, f"Tab never reaches {field!r}"


async def type_into_every_field(pilot: Pilot[None], app: StaffApp, ctx: ShopContext, where: str) -> int:
    """Type every letter into each text field of the screen on show; check only the
    text changed. Returns how many fields were typed into."""
    screen = app.screen
    fields = text_fields(screen)
    events_before = stored_events(ctx)
    for field in fields:
        await tab_to(pilot, field)
        stack, said = list(app.screen_stack), len(app.messages)
        before = field.text if isinstance(field, TextArea) else field_text_kept(field)
        await burst(pilot, LETTERS)
        assert app.screen_stack == stack, f"{where}: typing into {field.id} changed the screen"
        assert app.focused is field, f"{where}: typing into {field.id} moved the focus"
        assert app.messages[said:] == [], f"{where}: typing into {field.id} said something"
        if isinstance(field, Input):
            assert field.value == after_typing(field, before, LETTERS), f"{where}: {field.id}"
        else:
            assert field.text == before + LETTERS, f"{where}: {field.id}"
        assert not screen.query("HelpPanel"), f"{where}: typing into {field.id} opened the key panel"
    assert stored_events(ctx) == events_before, f"{where}: typing stored something"
    return len(fields)


#: Printable priority keys that open a field to type in (so the keys typed after them land
#: in it) and are refused while a field has focus, so that in a field they are text.
TYPING_STARTERS = {"ReviewScreen: slash"}

#: Screens with no field to type in (checked below), whose printable keys may be priority
#: keys: the kiosk's welcome (a language's number) and choices (a choice's number), decided
#: as they arrive so that the keys typed after them reach the next step.
FIELDLESS_SCREENS = {WelcomeScreen, ChoiceScreen}


async def test_the_fieldless_screens_have_no_field_to_type_in(ctx: ShopContext) -> None:
    app = KioskApp(ctx, "door")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter", "enter")  # welcome, then the name skipped: the choices
        assert [type(screen) for screen in app.screen_stack][::2] == [WelcomeScreen, ChoiceScreen]
        for screen in app.screen_stack[::2]:
            assert not screen.query(Input) and not screen.query(TextArea), type(screen).__name__


def test_no_letter_key_is_a_priority_binding() -> None:
    """A priority binding would fire before the focused field sees the key (on a screen
    that has a field)."""
    offenders = []
    for cls in ui_classes():
        for binding in Binding.make_bindings(getattr(cls, "BINDINGS", [])):
            for key in binding.key.split(","):
                character = key_to_character(key.strip())
                starts_typing = f"{cls.__name__}: {key}" in TYPING_STARTERS
                if (
                    binding.priority
                    and character is not None
                    and character.isprintable()
                    and not starts_typing
                    and cls not in FIELDLESS_SCREENS
                ):
                    offenders.append(f"{cls.__name__}: {key} → {binding.action}")
    assert offenders == []


#: The dialogs in a few shares, for the tests that walk them all to spread over test
#: workers (walked in one test, each took 20 to 35 s, the longest tests of the suite).
DIALOG_SHARES = 4


def dialogs_share(ctx: ShopContext, share: int) -> dict[str, Callable[[], Screen[object]]]:
    """Every `DIALOG_SHARES`th dialog of `dialogs`, from the `share`th."""
    return dict(list(dialogs(ctx).items())[share::DIALOG_SHARES])


def test_every_dialog_is_in_the_registry(ctx: ShopContext) -> None:
    known = {name.split()[0] for name in dialogs(ctx)}
    assert {cls.__name__ for cls in [*subclasses(FormDialog), LeadPinDialog]} <= known


@pytest.mark.parametrize("share", range(DIALOG_SHARES))
async def test_letters_typed_into_every_dialog_field_only_become_text(
    ctx: ShopContext, team: Team, share: int
) -> None:
    """Each dialog is opened over the floor board of a signed-in lead; every text field
    it has (tabbed to) takes all 52 letters after what it held, and nothing else happens.
    (A share of the dialogs per test, each with at least 5 fields: 20 or more together.)"""
    app = StaffApp(ctx)
    typed_into = 0
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs_share(ctx, share).items():
            await app.push_screen(open_dialog())
            await settle(pilot)
            typed_into += await type_into_every_field(pilot, app, ctx, name)
            await pilot.press("escape")
            await settle(pilot)
    assert typed_into >= 20 // DIALOG_SHARES


async def test_letters_typed_into_sign_in_and_find_only_become_text(ctx: ShopContext, team: Team) -> None:
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert await type_into_every_field(pilot, app, ctx, "sign in") == 2
        await pilot.press("escape")
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("slash")
        await settle(pilot)
        assert isinstance(app.screen, FindCustomerScreen)
        assert await type_into_every_field(pilot, app, ctx, "find") == 1


async def test_typing_into_the_hand_off_log_filter_decides_nothing(ctx: ShopContext, team: Team) -> None:
    """The lead tabs to the log filter of the hand-offs tab, with a request waiting: every
    letter (a approves, d denies) goes into the filter, and approve and deny are not
    offered while the filter has focus; Enter hands the keys back to the list."""
    hat = visits.new_walk_in(ctx, team.alex, description="red hat", claim=True)
    handoffs.request_handoff(ctx, team.alex, hat, team.sam.staff_id or 0, "needs a tiler")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("l", "1")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        assert {"a", "d"} <= offered_keys(app)
        assert text_fields(screen) == [], "the filter box is shown before it is asked for"
        await pilot.press("slash")
        assert await type_into_every_field(pilot, app, ctx, "hand-off log") == 1
        assert not {"a", "d"} & offered_keys(app)
        await pilot.press("enter")
        await settle(pilot)
        assert {"a", "d"} <= offered_keys(app)
    with ctx.database.read() as session:
        [request] = session.exec(select(HandoffRequest)).all()
        assert request.status == "pending"


async def test_a_filter_typed_in_one_burst_on_the_hand_offs_tab_decides_nothing(
    ctx: ShopContext, team: Team
) -> None:
    """l, 1, then / and "today sam" typed in one burst: the filter box is shown with the
    focus, every letter lands in it, and no hand-off is denied or approved (d and a).
    / is a priority key (decided before the keys after it are handed on) that stands
    aside while a field has focus, so a / typed in the box is text."""
    hat = visits.new_walk_in(ctx, team.alex, description="red hat", claim=True)
    handoffs.request_handoff(ctx, team.alex, hat, team.sam.staff_id or 0, "needs a tiler")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.press("l", "1")
        await settle(pilot)
        screen = app.screen
        await burst(pilot, "/today sam/alex")
        assert app.screen is screen
        assert screen.query_one("#log-filter", Input).value == "today sam/alex"
        await burst(pilot, "\n")
        assert not screen.query_one("#log-filter", Input).has_focus
        # Found by a tester: Enter put the keys in the pending list, and an a typed next,
        # meant for the filtered log, approved the request highlighted there. The keys go
        # to the log just filtered; a then asks to pick a request first.
        assert screen.query_one("#log-table").has_focus
        await burst(pilot, "a")
        await settle(pilot)
        assert app.screen is screen
    with ctx.database.read() as session:
        [request] = session.exec(select(HandoffRequest)).all()
        assert request.status == "pending"


def offered_keys(app: StaffApp) -> set[str]:
    """The keys the footer offers now."""
    return {key for key, active in app.active_bindings.items() if active.binding.show and active.enabled}


async def test_a_promise_typed_for_a_walk_in_not_on_file_lands_in_a_field(
    ctx: ShopContext, team: Team
) -> None:
    """m on a walk-in not on file opens the form that puts them on file first (a promise
    needs someone to contact), so the promise typed straight after it cannot press r
    (hand-off) or any other key of the customer view; once on file, the promise form
    follows."""
    visits.new_walk_in(ctx, team.sam, description="man with a sofa", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await type_text(pilot, "mring her re the sofa")
        await settle(pilot)
        assert isinstance(app.screen, CustomerFormDialog)
        assert app.screen.query_one("#name", Input).value == "ring her re the sofa"
        await pilot.press("ctrl+u")
        await type_text(pilot, "Rita Sofa")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PromiseDialog)
        await type_text(pilot, "ring her re the sofa")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    with ctx.database.read() as session:
        assert session.exec(select(HandoffRequest)).all() == []
    [rita] = customers.find_customers(ctx, "Rita").items
    assert [f.summary for f in customer_record.customer_detail(ctx, team.sam, rita.id).open_followups] == [
        "ring her re the sofa"
    ]


async def test_a_burst_across_tab_lands_each_part_in_its_own_field(ctx: ShopContext, team: Team) -> None:
    """A fast typist (or a scanner) types a field, Tab and the next field in one burst:
    the letters after Tab belong to the next field, in every dialog with two text fields.
    (Tab is handled before the keys after it reach a field.)"""
    app = StaffApp(ctx)
    checked = 0
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs(ctx).items():
            await app.push_screen(open_dialog())
            await settle(pilot)
            fields = [field for field in text_fields(app.screen) if isinstance(field, Input)]
            chain = list(app.screen.focus_chain)
            pair = len(fields) >= 2 and chain.index(fields[1]) == chain.index(fields[0]) + 1
            later = next(
                (c for c in "z7" if pair and after_typing(fields[1], fields[1].value, c).endswith(c)), None
            )
            if later is not None:
                first, second = fields[0], fields[1]
                await tab_to(pilot, first)
                first_before = field_text_kept(first)
                for key, char in [("q", "q"), ("tab", "\t"), (later, later)]:
                    app.post_message(events.Key(key, char))
                await settle(pilot)
                assert first.value == after_typing(first, first_before, "q"), name
                assert app.focused is second, name
                assert second.value.endswith(later), name
                checked += 1
            await pilot.press("escape")
            await settle(pilot)
    assert checked >= 3


async def test_a_dialog_that_saves_nothing_never_offers_to_save(ctx: ShopContext, team: Team) -> None:
    """A dialog that only shows something (an audit event, a due history) says Enter and
    Esc go back: its hint and keys never promise a save that does not happen."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name in ("AuditEventDialog", "DueHistoryDialog"):
            await app.push_screen(dialogs(ctx)[name]())
            await settle(pilot)
            hint = " ".join(str(label.render()) for label in app.screen.query(".dialog-hint"))
            offered = {b.binding.description for b in app.active_bindings.values() if b.binding.show}
            assert "save" not in hint.lower() and "Save" not in offered, name
            assert "goes back" in hint, name
            await pilot.press("escape")
            await settle(pilot)


SENTENCE = "S1 then a much longer second burst of text"


def record_reads(dialog: Screen[object], fields: list[Widget]) -> list[list[str]]:
    """What the dialog's fields held each time it read them to save (a FormDialog's
    `collect`, the lead PIN dialog's `check`)."""
    reads: list[list[str]] = []

    def snapshot() -> None:
        reads.append([field.text if isinstance(field, TextArea) else field.value for field in fields])

    if isinstance(dialog, LeadPinDialog):
        check = dialog.check

        def checked(lead: int, pin: str) -> object:
            reads.append([pin])
            return check(lead, pin)

        dialog.check = checked  # type: ignore[assignment]
    else:
        assert isinstance(dialog, FormDialog)
        collect = dialog.collect

        def collected() -> object:
            snapshot()
            return collect()

        dialog.collect = collected  # type: ignore[method-assign]
    return reads


@pytest.mark.parametrize("share", range(DIALOG_SHARES))
async def test_text_typed_in_one_burst_then_enter_is_saved_whole(
    ctx: ShopContext, team: Team, share: int
) -> None:
    """A fast typist (or a scanner, or a paste without bracketed paste) types into a field
    and presses Enter in one burst: when the dialog reads its fields to save, every key
    typed before Enter has landed, in every text field of every dialog (a share of them
    per test, each with at least 5 fields: 20 or more together). (Enter is decided by the
    app as it arrives; the letters before it wait in the field's own queue.)"""
    app = StaffApp(ctx)
    checked = 0
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        for name, open_dialog in dialogs_share(ctx, share).items():
            index = 0
            while True:
                dialog = open_dialog()
                await app.push_screen(dialog)
                await settle(pilot)
                fields = text_fields(dialog)
                if index == len(fields):
                    await pilot.press("escape")
                    await settle(pilot)
                    break
                field = fields[index]
                index += 1
                await tab_to(pilot, field)
                if isinstance(dialog, LeadPinDialog):
                    fields, typed = [field], "1234"
                else:
                    typed = SENTENCE
                before = field.text if isinstance(field, TextArea) else field_text_kept(field)
                reads = record_reads(dialog, fields)
                await burst(pilot, typed + "\n")
                wanted = before + typed if isinstance(field, TextArea) else after_typing(field, before, typed)
                assert reads, f"{name}: Enter never read {field.id}"
                assert reads[0][fields.index(field)] == wanted, f"{name}: {field.id}"
                checked += 1
                while app.screen is dialog:
                    await pilot.press("escape")
                    await settle(pilot)
    assert checked >= 20 // DIALOG_SHARES
