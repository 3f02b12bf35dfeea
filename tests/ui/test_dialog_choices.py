"""Every choice in a dialog, by keys only, checked in the database: nothing is chosen for
the person (and no option is highlighted as if it were), the first arrow chooses the first
option, arrows stop at the ends instead of wrapping round, Space chooses what is under the
cursor, Enter saves what is shown (or refuses until something is chosen), and the choice is
shown with a glyph."""

from __future__ import annotations

from sqlmodel import select
from textual.app import App, ComposeResult
from textual.pilot import Pilot
from textual.widgets import Static

from counter_tui.db.models import ContactConsent, FollowUp, FollowUpKind, Visit, VisitHelper, VisitNeed
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.followup_forms import CallbackDialog, PromiseDialog
from counter_tui.ui.dialogs.form import FormDialog
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.widgets.choice import ChoiceList
from tests.conftest import Team
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    open_record,
    open_walk_in,
    plain,
    quick_sign_in,
    settle,
    type_text,
)


def beside(dialog: FormDialog[object], field_id: str) -> str:
    """The sentence shown under one field of a dialog ('' when none)."""
    line = dialog.query_one(f"#{field_id}-error", Static)
    return plain(line.visual) if line.display else ""


def options(dialog: FormDialog[object], field_id: str) -> list[str]:
    """What a choice list shows, glyphs included."""
    choice = dialog.query_one(f"#{field_id}", ChoiceList)
    return [plain(choice.get_option_at_index(index).prompt) for index in range(choice.option_count)]


def visit_row(ctx: ShopContext, visit_id: int) -> Visit:
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit


def followups_of(ctx: ShopContext, kind: str) -> list[FollowUp]:
    with ctx.database.read() as session:
        return list(session.exec(select(FollowUp).where(FollowUp.kind == kind)))


async def end_dialog(pilot: Pilot[None], app: StaffApp) -> EndVisitDialog:
    """Sign Sam in, open the first visit, press x."""
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("x")
    await settle(pilot)
    assert isinstance(app.screen, EndVisitDialog)
    return app.screen


def bobs_visit(ctx: ShopContext, team: Team) -> int:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    return visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)


class OneList(App[None]):
    """A ChoiceList alone on a screen, focused, to press keys at."""

    def __init__(self, choices: list[tuple[str, str]], *, multiple: bool = False) -> None:
        super().__init__()
        self.choices = choices
        self.multiple = multiple

    def compose(self) -> ComposeResult:
        yield ChoiceList(self.choices, multiple=self.multiple, id="choice")

    def on_mount(self) -> None:
        self.query_one(ChoiceList).focus()


TWO = [("link", "Link to Rhys Papadopoulos"), ("create", "Create a new customer anyway")]
THREE = [("purchase", "Purchase"), ("no_purchase", "No purchase"), ("left_unserved", "Left unserved")]


def shown(app: App[None]) -> list[str]:
    choice = app.query_one(ChoiceList)
    return [plain(choice.get_option_at_index(index).prompt) for index in range(choice.option_count)]


async def test_a_fresh_list_highlights_nothing_and_the_first_down_chooses_the_first_option() -> None:
    """The finding: the cursor stood on option 1 unchosen, and the first ↓ chose option 2."""
    app = OneList(THREE)
    async with app.run_test(size=SIZE) as pilot:
        choice = app.query_one(ChoiceList)
        assert choice.highlighted is None, "nothing looks current while nothing is chosen"
        await pilot.press("down")
        assert shown(app) == ["(●) Purchase", "( ) No purchase", "( ) Left unserved"]
        assert choice.value == "purchase"


async def test_down_down_on_two_options_gives_the_second_and_a_third_down_keeps_it() -> None:
    """The finding: on "Already on file?" ↓↓ meant the second option, but ↓ chose the
    second and the next ↓ wrapped round to the first (the wrong person linked)."""
    app = OneList(TWO)
    async with app.run_test(size=SIZE) as pilot:
        choice = app.query_one(ChoiceList)
        await pilot.press("down", "down")
        assert choice.value == "create"
        await pilot.press("down")
        assert choice.value == "create"
        assert shown(app) == ["( ) Link to Rhys Papadopoulos", "(●) Create a new customer anyway"]


async def test_up_on_a_fresh_list_chooses_the_first_option_not_the_last() -> None:
    app = OneList(THREE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("up")
        assert app.query_one(ChoiceList).value == "purchase"


async def test_up_at_the_top_stays_on_the_first_option() -> None:
    app = OneList(THREE)
    async with app.run_test(size=SIZE) as pilot:
        choice = app.query_one(ChoiceList)
        await pilot.press("down", "down", "up", "up", "up")
        assert choice.value == "purchase"
        assert shown(app) == ["(●) Purchase", "( ) No purchase", "( ) Left unserved"]


async def test_space_on_a_fresh_list_chooses_the_first_option() -> None:
    app = OneList(THREE)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        assert app.query_one(ChoiceList).value == "purchase"


async def test_home_end_and_page_keys_choose_where_they_land() -> None:
    app = OneList(THREE)
    async with app.run_test(size=SIZE) as pilot:
        choice = app.query_one(ChoiceList)
        await pilot.press("end")
        assert choice.value == "left_unserved"
        await pilot.press("home")
        assert choice.value == "purchase"
        await pilot.press("pagedown")
        assert choice.value == "left_unserved"
        await pilot.press("pageup")
        assert choice.value == "purchase"
    for key, value in [("end", "left_unserved"), ("home", "purchase"), ("pageup", "purchase")]:
        app = OneList(THREE)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.press(key)
            assert app.query_one(ChoiceList).value == value, key


async def test_a_click_chooses_the_option_clicked() -> None:
    app = OneList(THREE)
    async with app.run_test(size=SIZE) as pilot:
        choice = app.query_one(ChoiceList)
        top = choice.content_region.y - choice.region.y
        await pilot.click(ChoiceList, offset=(4, top + 1))
        assert choice.value == "no_purchase"
        assert shown(app) == ["( ) Purchase", "(●) No purchase", "( ) Left unserved"]


async def test_a_tick_list_starts_before_the_first_option_and_does_not_wrap() -> None:
    """Tick lists move the same way: the first ↓ lands on the first option, the arrows
    stop at the ends; Space ticks what the cursor is on."""
    app = OneList(THREE, multiple=True)
    async with app.run_test(size=SIZE) as pilot:
        choice = app.query_one(ChoiceList)
        assert choice.highlighted is None
        await pilot.press("down", "space")
        assert choice.values == ("purchase",)
        await pilot.press("down", "down", "down", "space")
        assert choice.values == ("purchase", "left_unserved")
        await pilot.press("up", "up", "up", "space")
        assert choice.values == ("left_unserved",)


async def test_down_then_enter_saves_purchase_and_queues_a_thank_you(ctx: ShopContext, team: Team) -> None:
    """End visit: x, ↓ chooses the first outcome, Purchase, and Enter saves it (it used to
    choose No purchase, which queues no thank-you)."""
    visit_id = bobs_visit(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await end_dialog(pilot, app)
        assert options(dialog, "outcome") == ["( ) Purchase", "( ) No purchase", "( ) Left unserved"]
        assert dialog.query_one("#outcome", ChoiceList).highlighted is None
        await pilot.press("down")
        assert options(dialog, "outcome") == ["(●) Purchase", "( ) No purchase", "( ) Left unserved"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
    assert visit_row(ctx, visit_id).outcome == "purchase"
    assert len(followups_of(ctx, FollowUpKind.THANK_YOU)) == 1


async def test_down_then_enter_saves_no_purchase_and_queues_no_thank_you(
    ctx: ShopContext, team: Team
) -> None:
    """The finding: x, ↓ to "No purchase", Enter was saved as a purchase. Now nothing is
    chosen (nor highlighted) at first, ↓ chooses Purchase, ↓ No purchase, Enter saves that."""
    visit_id = bobs_visit(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await end_dialog(pilot, app)
        assert options(dialog, "outcome") == ["( ) Purchase", "( ) No purchase", "( ) Left unserved"]
        await pilot.press("down", "down")
        assert options(dialog, "outcome") == ["( ) Purchase", "(●) No purchase", "( ) Left unserved"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
    assert visit_row(ctx, visit_id).outcome == "no_purchase"
    assert followups_of(ctx, FollowUpKind.THANK_YOU) == []


async def test_enter_with_nothing_chosen_refuses_beside_the_outcome(ctx: ShopContext, team: Team) -> None:
    """No outcome is chosen for the person: Enter straight away says to pick one."""
    visit_id = bobs_visit(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await end_dialog(pilot, app)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "outcome") == "Pick how the visit ended: arrows to choose, then Enter."
    assert visit_row(ctx, visit_id).ended_at is None


async def test_space_then_enter_saves_the_option_under_the_cursor(ctx: ShopContext, team: Team) -> None:
    """Space chooses the option the cursor is on (Purchase); the personal line goes with it."""
    visit_id = bobs_visit(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await end_dialog(pilot, app)
        await pilot.press("space")
        assert options(dialog, "outcome")[0] == "(●) Purchase"
        await pilot.press("tab")
        await type_text(pilot, "Hope the drill makes light work of the shelves")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
    assert visit_row(ctx, visit_id).outcome == "purchase"
    [thank_you] = followups_of(ctx, FollowUpKind.THANK_YOU)
    assert thank_you.personal_line == "Hope the drill makes light work of the shelves"


async def test_arrows_down_down_down_up_then_space_and_enter(ctx: ShopContext, team: Team) -> None:
    """The choice follows the cursor however it moves; Space on a chosen option keeps it."""
    visit_id = bobs_visit(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await end_dialog(pilot, app)
        await pilot.press("down", "down", "down", "up", "space", "enter")
        await settle(pilot)
    assert visit_row(ctx, visit_id).outcome == "no_purchase"


async def test_left_unserved_by_keys(ctx: ShopContext, team: Team) -> None:
    visit_id = bobs_visit(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await end_dialog(pilot, app)
        await pilot.press("down", "down", "down", "enter")
        await settle(pilot)
    assert visit_row(ctx, visit_id).outcome == "left_unserved"


async def test_callback_how_down_then_enter_saves_text_message(ctx: ShopContext, team: Team) -> None:
    """Callback "How": ↓ moves the choice to text message; ticking "agreed just now" with
    Tab and Space records the consent; the stored callback is by text message."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("b")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, CallbackDialog)
        assert options(dialog, "channel")[0] == "(●) phone (no consent yet)"
        await type_text(pilot, "Is the mitre saw back")
        await pilot.press("tab", "down")
        assert options(dialog, "channel") == [
            "( ) phone (no consent yet)",
            "(●) text message (no consent yet)",
        ]
        await pilot.press("tab", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    [callback] = followups_of(ctx, FollowUpKind.CALLBACK)
    assert callback.channel == "sms"
    with ctx.database.read() as session:
        consents = {(c.channel, c.granted) for c in session.exec(select(ContactConsent))}
    assert consents == {("sms", True)}


async def test_promise_how_down_then_enter_refuses_an_unconsented_channel_beside_it(
    ctx: ShopContext, team: Team
) -> None:
    """Promise "How will they hear": ↓ to phone (no consent) is refused beside the choice;
    ↑ back to in person and Enter saves in person."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await open_record(pilot, bob)
        await pilot.press("m")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, PromiseDialog)
        await type_text(pilot, "Order the blue kettle")
        await pilot.press("tab")
        await type_text(pilot, "mon 12:00")
        await pilot.press("tab", "down", "enter")
        await settle(pilot)
        assert app.screen is dialog
        assert beside(dialog, "channel").startswith("No consent on file for phone.")
        assert followups_of(ctx, FollowUpKind.PROMISE) == []
        await pilot.press("up", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    [promise] = followups_of(ctx, FollowUpKind.PROMISE)
    assert promise.channel == "in_person"


async def test_colleague_picker_chooses_nobody_until_the_arrows_do(ctx: ShopContext, team: Team) -> None:
    """p: Enter with nobody chosen refuses; ↓ chooses Alex, Enter saves the helper."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="big order", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, StaffPickerDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert beside(dialog, "colleagues") == "Pick a colleague first: arrows to choose."
        await pilot.press("down")  # Alex, Dana: the first ↓ chooses the first, Alex
        assert options(dialog, "colleagues") == ["(●) Alex", "( ) Dana  (lead)"]
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    with ctx.database.read() as session:
        helpers = [
            h.staff_id for h in session.exec(select(VisitHelper).where(VisitHelper.visit_id == visit_id))
        ]
    assert helpers == [team.alex.staff_id]


async def test_new_walk_in_ticks_needs_with_space_and_unticks_greeting(ctx: ShopContext, team: Team) -> None:
    """n: ↓ ↓ Space ticks "needs help", the second need ([x] shown), Tab, Space unticks
    "I'm greeting them"."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await open_walk_in(pilot)
        await type_text(pilot, "red coat")
        await pilot.press("tab", "down", "down", "space")
        assert options(dialog, "needs")[:2] == ["[ ] browse privately", "[x] needs help"]
        await pilot.press("tab", "space", "enter")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
    with ctx.database.read() as session:
        [visit] = session.exec(select(Visit)).all()
        needs = [n.kind for n in session.exec(select(VisitNeed))]
    assert (visit.description, visit.owner_id, needs) == ("red coat", None, ["needs_help"])
