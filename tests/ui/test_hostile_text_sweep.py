"""Hostile text everywhere, every screen: nothing crashes and nothing is read as markup.

One shop is built for the module in which every text field holds a hostile value
(markup that closes nothing, a live action link, bold markup, a bidi override, NFD text,
5,000 characters, an emoji family joined with ZWJ, terminal escapes); the staff name,
customer, note, need, preference, consent, hand-off, follow-up, feedback and kudos
texts are written behind the services' back, as an import or an older version might
have stored them. Then the staff app is walked by keys through every screen and dialog,
and the kiosk through its flow, checking everything shown (issue 9, finding 1).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from sqlalchemy import update
from sqlmodel import select
from textual.app import App
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import ModalScreen
from textual.widgets import Checkbox, DataTable, Input, OptionList, Static

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.models import (
    ContactConsent,
    Customer,
    CustomerNote,
    Feedback,
    FeedbackTag,
    FollowUp,
    HandoffRequest,
    Kudos,
    NeedKind,
    Staff,
    StandingNeed,
    Visit,
    VisitNeed,
)
from counter_tui.services import (
    customers,
    feedback,
    followups,
    handoffs,
    kudos,
    shop_settings,
    staff,
    visit_needs,
    visit_views,
    visits,
)
from counter_tui.services.context import ShopContext
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.choice import ChoiceScreen
from counter_tui.ui.kiosk.screens.name import NameScreen
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.review import ReviewScreen
from tests.conftest import FRIDAY_11AM, make_settings
from tests.ui.staff_pilot import SIZE, StaffApp, plain, quick_sign_in, settle, sign_in

HOSTILE = (
    "[/]",
    "[@click=app.quit]x[/]",
    "[b]bold[/b]",
    "\u202eevil\u202c [b]",
    "Rene\u0301e [i]",
    "[/]" + "W" * 4997,
    "👩\u200d👩\u200d👧 [@click=app.bell]y[/]",
    "\x1b]0;pwned\x07Bob [/b]",
)
SHOP_NAME = "[b]bold[/b] shop [/]"
#: Text that would appear only if markup was interpreted or escapes reached the screen.
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: (table, column) pairs overwritten with hostile values.
TEXT_COLUMNS: list[tuple[Any, str]] = [
    (Customer, "name"),
    (Customer, "phone"),
    (Customer, "email"),
    (Customer, "preferences"),
    (CustomerNote, "body"),
    (StandingNeed, "detail"),
    (ContactConsent, "source"),
    (Visit, "description"),
    (Visit, "preferences"),
    (VisitNeed, "detail"),
    (HandoffRequest, "reason"),
    (FollowUp, "summary"),
    (Feedback, "body"),
    (FeedbackTag, "topic"),
    (Kudos, "body"),
]


def build_shop(ctx: ShopContext) -> None:
    """Staff, customers in the shop, walk-ins, hand-offs, follow-ups, feedback and kudos,
    made through the services with ordinary words, then overwritten with hostile ones."""
    dana_row = staff.add_staff(ctx, None, name="Dana", pin="1111", role="lead")
    dana = staff.sign_in(ctx, dana_row.id, "1111")
    shop_settings.change(ctx, dana, {"shop.name": SHOP_NAME})
    for index in range(len(HOSTILE)):
        person = staff.add_staff(ctx, dana, name=f"Person {index}", pin=f"{2000 + index}")
        actor = staff.sign_in(ctx, person.id, f"{2000 + index}")
        customer_id = customers.create_customer(
            ctx, actor, name=f"Customer {index}", phone=f"07700 900{index:03d}", email=f"c{index}@example.com"
        )
        customers.add_note(ctx, actor, customer_id, f"note {index}")
        customers.set_preferences(ctx, actor, customer_id, f"prefers {index}")
        customers.set_standing_need(ctx, actor, customer_id, NeedKind.LANGUAGE, remember=True, detail="Welsh")
        customers.record_consent(ctx, actor, customer_id, "email", granted=True, source="asked")
        visit_id = visits.new_walk_in(ctx, actor, customer_id=customer_id, claim=True)
        visit_needs.set_need(ctx, actor, visit_id, NeedKind.ACCESSIBILITY, detail="ramp")
        handoffs.request_handoff(ctx, actor, visit_id, dana.staff_id, f"break {index}")
        followups.add_callback(ctx, dana, customer_id, about=f"call {index}", consent_source="asked")
        followups.add_promise(
            ctx, dana, customer_id, promise=f"order {index}", due_at=ctx.now() + timedelta(days=1)
        )
        feedback.record_feedback(
            ctx, actor, body=f"said {index}", customer_id=customer_id, topics=[f"topic {index}"]
        )
        kudos.give_kudos(ctx, dana, person.id, f"Stayed late to find the repair number {index}")
        visits.new_walk_in(ctx, dana, description=f"walk-in {index}")
    with ctx.database.write() as session:
        connection = session.connection()
        for table, column in [(Staff, "name"), *TEXT_COLUMNS]:
            query = select(table.id).order_by(table.id)  # type: ignore[attr-defined]
            if table is Staff:
                query = query.where(Staff.name != "Dana")
            for index, row_id in enumerate(connection.execute(query).scalars()):
                value = HOSTILE[index % len(HOSTILE)]
                if table is Staff or table is FeedbackTag:
                    value = f"{value} {index}"  # unique
                connection.execute(update(table).where(table.id == row_id).values({column: value}))


@pytest.fixture(scope="session")
def hostile_shop(tmp_path_factory: pytest.TempPathFactory, template_shop: Path) -> Path:
    """The database file of the hostile shop, built once per test run (per worker: the
    module's tests are spread over the workers, see `pytest_collection_modifyitems`)."""
    path = tmp_path_factory.mktemp("hostile") / "counter.sqlite3"
    shutil.copy(template_shop, path)
    shop = open_shop(make_settings(f"sqlite:///{path}"), clock=ManualClock(FRIDAY_11AM), migrate=False)
    build_shop(shop)
    shop.database.dispose()
    return path


@pytest.fixture
def shop(hostile_shop: Path, tmp_path: Path) -> Iterator[ShopContext]:
    """A copy of the hostile shop for one test (the walk changes nothing, but may try)."""
    path = tmp_path / "counter.sqlite3"
    shutil.copy(hostile_shop, path)
    ctx = open_shop(make_settings(f"sqlite:///{path}"), clock=ManualClock(FRIDAY_11AM), migrate=False)
    yield ctx
    ctx.database.dispose()


def shown_values(app: App[Any]) -> Iterator[object]:
    """Everything the current screen draws from text: statics and labels (their visual is
    built, so markup would be parsed here), table cells and headers, options, ticks."""
    screen = app.screen
    for static in screen.query(Static):
        yield static.visual
    for table in screen.query(DataTable):
        for column in table.columns.values():
            yield column.label
        for index in range(table.row_count):
            yield from table.get_row_at(index)
    for options in screen.query(OptionList):
        for index in range(options.option_count):
            yield options.get_option_at_index(index).prompt
    for box in screen.query(Checkbox):
        yield box.label
    for field in screen.query(Input):
        yield field.value
    title = screen.title if screen.title is not None else app.title
    sub_title = screen.sub_title if screen.sub_title is not None else app.sub_title
    yield app.format_title(title, sub_title)


def assert_shown_literally(app: App[Any], where: str) -> None:
    """Nothing on screen is an action link, markup was never eaten, and no escape or bidi
    control reaches the terminal."""
    assert app.is_running, where
    for value in shown_values(app):
        spans = value.spans if isinstance(value, Text | Content) else []
        for span in spans:
            assert "@click" not in repr(span.style), f"{where}: live link in {value!r}"[:300]
            assert "app.quit" not in repr(span.style), f"{where}: live link in {value!r}"[:300]
        text = value.plain if isinstance(value, Text | Content) else str(value)
        assert "\x1b" not in text and "\x07" not in text, f"{where}: terminal escape in {text[:80]!r}"
        assert not BIDI & set(text), f"{where}: bidi control in {text[:80]!r}"
        for marker, literal in (
            ("bold", "[b]bold"),
            ("app.quit", "[@click=app.quit"),
            ("app.bell", "[@click=app.bell"),
        ):
            assert text.count(marker) == text.count(literal), f"{where}: markup eaten in {text[:120]!r}"


async def visit(pilot: Pilot[None], keys: list[str], where: str, seen: set[str]) -> None:
    """Press `keys`, check the screen (a dialog, if one opened, noting its name in `seen`),
    then close any dialog."""
    await pilot.press(*keys)
    await settle(pilot)
    assert_shown_literally(pilot.app, where)
    seen.add(type(pilot.app.screen).__name__)
    while isinstance(pilot.app.screen, ModalScreen):
        await pilot.press("escape")
        await settle(pilot)


#: Every screen and dialog the walk must reach, so it cannot pass by reaching none.
EXPECTED_SCREENS = {
    "AuditFilterDialog",
    "AuditScreen",
    "CallbackDialog",
    "CloseDayDialog",
    "CompleteFollowUpDialog",
    "ConsentDialog",
    "CustomerFormDialog",
    "CustomerScreen",
    "DeactivateDialog",
    "EndVisitDialog",
    "FeedbackDialog",
    "FindCustomerScreen",
    "FollowUpsScreen",
    "HandoffsScreen",
    "LeadPinDialog",
    "NeedsDialog",
    "NewPinDialog",
    "PromiseDialog",
    "ReviewScreen",
    "SettingDialog",
    "ShopSettingsScreen",
    "StaffAdminScreen",
    "StaffPickerDialog",
    "TextPromptDialog",
    "NewWalkInDialog",
}
#: Keys of the customer view that open a dialog or screen (on file; a walk-in's subset).
CUSTOMER_DIALOG_KEYS = ["e", "o", "p", "r", "x", "b", "m", "s", "k", "u", "f", "E", "g", "M", "z", "U", "d"]

WALK_IN_DIALOG_KEYS = ["e", "a"]
#: The floor's rows: each hostile value's customer on file, and a walk-in not on file.
FLOOR_ROWS = 2 * len(HOSTILE)
#: What the walk from a floor row must reach: from a customer on file, and from a walk-in.
ON_FILE_SCREENS = {
    "CallbackDialog",
    "CompleteFollowUpDialog",
    "ConsentDialog",
    "CustomerFormDialog",
    "CustomerScreen",
    "EndVisitDialog",
    "FeedbackDialog",
    "FindCustomerScreen",
    "NeedsDialog",
    "PromiseDialog",
    "StaffPickerDialog",
    "TextPromptDialog",
}
WALK_IN_SCREENS = {"CustomerFormDialog", "CustomerScreen", "NeedsDialog"}
#: What the walk through the floor's own keys and screens must reach.
FLOOR_SCREENS = {
    "DeactivateDialog",
    "FindCustomerScreen",
    "FollowUpsScreen",
    "HandoffsScreen",
    "LeadPinDialog",
    "NewPinDialog",
    "NewWalkInDialog",
    "SettingDialog",
    "ShopSettingsScreen",
    "StaffAdminScreen",
    "TextPromptDialog",
}
#: What the walk through the review screen's tabs and the audit log must reach.
REVIEW_SCREENS = {
    "AuditFilterDialog",
    "AuditScreen",
    "CloseDayDialog",
    "ReviewScreen",
    "StaffPickerDialog",
    "TextPromptDialog",
}

# The walk is split (a floor row per test, then the floor's screens, then the review) so
# that test workers can share it out: walked in one test it took minutes, the longest
# test of the suite. Each part checks it reached its own screens; together they reach all.


def test_the_walks_together_reach_every_screen_and_dialog(shop: ShopContext) -> None:
    """The parts' screens add up to every screen, and the floor rows the row walks take one
    by one are both kinds: customers on file and walk-ins."""
    board = visit_views.floor_board(shop)
    assert len(board) == FLOOR_ROWS
    assert sum(row.customer_id is not None for row in board) == len(HOSTILE)
    together = ON_FILE_SCREENS | WALK_IN_SCREENS | FLOOR_SCREENS | REVIEW_SCREENS
    assert together >= EXPECTED_SCREENS, f"never reached: {sorted(EXPECTED_SCREENS - together)}"


@pytest.mark.parametrize("row", range(FLOOR_ROWS))
async def test_each_floor_row_and_its_dialogs_show_hostile_text_literally(
    shop: ShopContext, row: int
) -> None:
    app = StaffApp(shop)
    seen: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        assert isinstance(app.screen, FloorScreen)
        assert app.screen.query_one(DataTable).row_count == FLOOR_ROWS
        await pilot.press(*["down"] * row, "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen), f"floor row {row}"
        assert_shown_literally(app, f"customer view, floor row {row}")
        seen.add(type(app.screen).__name__)
        on_file = app.screen.customer is not None
        for key in CUSTOMER_DIALOG_KEYS if on_file else WALK_IN_DIALOG_KEYS:
            await visit(pilot, [key], f"customer view row {row}, key {key}", seen)
            if not isinstance(app.screen, CustomerScreen):
                await pilot.press("escape")
                await settle(pilot)
        assert app.is_running
    expected = ON_FILE_SCREENS if on_file else WALK_IN_SCREENS
    assert seen >= expected, f"never reached: {sorted(expected - seen)}"


async def test_sign_in_the_floor_and_its_screens_show_hostile_text_literally(shop: ShopContext) -> None:
    app = StaffApp(shop)
    seen: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert_shown_literally(app, "sign-in")
        await sign_in(pilot, "dana", "1111")
        assert isinstance(app.screen, FloorScreen)
        assert_shown_literally(app, "floor")
        await visit(pilot, ["n"], "walk-in", seen)
        await visit(pilot, ["ctrl+q"], "quit", seen)
        await visit(pilot, ["slash"], "find", seen)
        await pilot.press("escape")
        for screen_key, dialog_keys in (
            ("f", ["enter", "x"]),
            ("h", ["d"]),
            ("s", ["down", "p", "d", "r"]),
            ("o", ["enter"]),
        ):
            await visit(pilot, [screen_key], f"screen {screen_key}", seen)
            for key in dialog_keys:
                await visit(pilot, [key], f"screen {screen_key}, key {key}", seen)
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running
    assert seen >= FLOOR_SCREENS, f"never reached: {sorted(FLOOR_SCREENS - seen)}"


async def test_the_review_and_audit_log_show_hostile_text_literally(shop: ShopContext) -> None:
    app = StaffApp(shop)
    seen: set[str] = set()
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        assert isinstance(app.screen, FloorScreen)
        await visit(pilot, ["l"], "review", seen)
        assert isinstance(app.screen, ReviewScreen)
        for tab, dialog_keys in (
            ("1", ["d"]),
            ("2", []),
            ("3", ["r"]),
            ("4", []),
            ("5", ["x"]),
            ("6", ["t"]),
            ("7", ["c"]),
        ):
            await visit(pilot, [tab], f"review tab {tab}", seen)
            for key in dialog_keys:
                await visit(pilot, [key], f"review tab {tab}, key {key}", seen)
        await visit(pilot, ["l"], "audit log", seen)
        await visit(pilot, ["f"], "audit log filter", seen)
        assert app.is_running
    assert seen >= REVIEW_SCREENS, f"never reached: {sorted(REVIEW_SCREENS - seen)}"


@pytest.mark.parametrize(
    "first_name", ["[/]", "[b]bold[/b]", "Rene\u0301e", "Mia [@click=app.quit]x[/]", "👩\u200d👩\u200d👧 Ann"]
)
async def test_the_kiosk_shows_hostile_text_literally(shop: ShopContext, first_name: str) -> None:
    """The shop's name, a typed first name and any refusal of it read literally through the
    whole flow; a name with a letter in it checks in."""
    app = KioskApp(shop, "door")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert_shown_literally(app, "kiosk welcome")
        assert SHOP_NAME in "\n".join(plain(value) for value in shown_values(app))
        await pilot.press("enter")
        await settle(pilot)
        for char in first_name:
            await pilot.press(char)
        await settle(pilot)
        assert_shown_literally(app, "kiosk name")
        await pilot.press("enter")
        await settle(pilot)
        assert_shown_literally(app, "kiosk name, Enter")
        if not any(char.isalpha() for char in first_name):
            assert isinstance(app.screen, NameScreen)
            return
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("1")
        await settle(pilot)
        assert isinstance(app.screen, ThanksScreen)
        assert_shown_literally(app, "kiosk thanks")
