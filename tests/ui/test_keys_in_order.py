"""Keys typed in one burst (a fast typist, a scanner, a paste) are applied in the order
typed, also a field's own editing keys (Backspace, arrows, Home, Space in a choice list)
typed just before a dialog's Enter: what is saved is what was typed, corrections included.
(Textual resolves a field's bound keys at the app, behind a priority Enter; our fields
resolve them as they reach the field: `focus_keys.KeysInOrder`, `ListInOrder`.)"""

from __future__ import annotations

from sqlmodel import col, func, select
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input

from counter_tui.db.models import ContactConsent, Customer, HandoffRequest, Visit
from counter_tui.services import customers, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.duplicate_choice import DuplicateChoiceDialog
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.kiosk.app import KioskApp
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, burst, open_walk_in, quick_sign_in, settle, type_text
from tests.ui.test_kiosk_flow import SIZE as KIOSK_SIZE
from tests.ui.test_kiosk_flow import visits_with_needs


async def keys_burst(pilot: Pilot[None], *keys: str) -> None:
    """Send `keys` (a character, or a key's name such as "left", "home", "enter") as one
    burst, all queued before the app handles the first; then settle."""
    for key in keys:
        if key == " ":
            pilot.app.post_message(events.Key("space", " "))
        else:
            pilot.app.post_message(events.Key(key, key if len(key) == 1 else None))
    await settle(pilot)


def descriptions(ctx: ShopContext) -> list[str]:
    with ctx.database.read() as session:
        return [visit.description for visit in session.exec(select(Visit)).all()]


async def test_a_backspace_typed_just_before_enter_is_saved(ctx: ShopContext, team: Team) -> None:
    """ "abc⌫⏎" in one burst saves "ab", not "abc"."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_walk_in(pilot)
        await burst(pilot, "abc\x7f\n")
        assert isinstance(app.screen, FloorScreen)
    assert descriptions(ctx) == ["ab"]


async def test_arrows_home_and_end_typed_just_before_enter_are_saved(ctx: ShopContext, team: Team) -> None:
    """ "bc Home a End d ← x ⏎" in one burst saves "abcxd"."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await open_walk_in(pilot)
        await keys_burst(pilot, "b", "c", "home", "a", "end", "d", "left", "x", "enter")
        assert isinstance(app.screen, FloorScreen)
    assert descriptions(ctx) == ["abcxd"]


def on_file(ctx: ShopContext) -> int:
    with ctx.database.read() as session:
        return int(session.exec(select(func.count()).select_from(Customer)).one())


def linked_to(ctx: ShopContext, visit_id: int) -> int | None:
    with ctx.database.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit.customer_id


async def offer_on_file(pilot: Pilot[None], app: StaffApp) -> None:
    """Put the walk-in on file with a phone already on file: the "already on file" offer."""
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press("enter")  # the walk-in
    await settle(pilot)
    assert isinstance(app.screen, CustomerScreen)
    await pilot.press("a")
    await settle(pilot)
    assert isinstance(app.screen, CustomerFormDialog)
    await type_text(pilot, "Priya S")
    await pilot.press("tab")
    await type_text(pilot, "+44 7700 900456")
    await pilot.press("enter")
    await settle(pilot)
    assert isinstance(app.screen, DuplicateChoiceDialog)


async def test_space_then_enter_in_one_burst_chooses_on_a_choice_list(ctx: ShopContext, team: Team) -> None:
    priya = customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await offer_on_file(pilot, app)
        await burst(pilot, " \n")  # the first choice: link to Priya Shah
        assert isinstance(app.screen, CustomerScreen), app.messages
    assert linked_to(ctx, walk_in) == priya
    assert on_file(ctx) == 1


async def test_down_then_enter_in_one_burst_chooses_where_the_cursor_went(
    ctx: ShopContext, team: Team
) -> None:
    customers.create_customer(ctx, team.sam, name="Priya Shah", phone="07700 900456")
    visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await offer_on_file(pilot, app)
        await keys_burst(pilot, "down", "down", "enter")  # the second choice: create anyway
        assert isinstance(app.screen, CustomerScreen), app.messages
    assert on_file(ctx) == 2


async def open_customer_form(pilot: Pilot[None], app: StaffApp) -> CustomerFormDialog:
    """Sam signs in, opens the highlighted visit and adds its customer's details (a)."""
    await quick_sign_in(pilot, "sam", "2222")
    await pilot.press("enter")
    await settle(pilot)
    await pilot.press("a")
    await settle(pilot)
    form = app.screen
    assert isinstance(form, CustomerFormDialog)
    return form


async def test_a_correction_in_a_form_field_is_saved(ctx: ShopContext, team: Team) -> None:
    """The customer form: a name typed with a slip corrected at once (Backspace, ←) and
    Enter, all in one burst, puts the corrected name on file."""
    visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_customer_form(pilot, app)
        await keys_burst(pilot, *"ita Sofx", "backspace", "a", "home", "R", "enter")
        assert not form.is_active, form.query_one("#name", Input).value
    [rita] = customers.find_customers(ctx, "Sofa").items
    assert rita.name == "Rita Sofa"


async def test_space_then_enter_in_one_burst_ticks_a_box(ctx: ShopContext, team: Team) -> None:
    """The customer form's Email tick: Space and Enter in one burst puts the yes on file."""
    visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_customer_form(pilot, app)
        await type_text(pilot, "Tia Tick")
        await pilot.press("tab", "tab")
        await type_text(pilot, "tia@example.com")
        await pilot.press("tab", "tab", "tab")
        assert app.focused is form.query_one("#opt-email")
        await burst(pilot, " \n")
        assert not form.is_active
    [tia] = customers.find_customers(ctx, "Tia").items
    with ctx.database.read() as session:
        agreed = session.exec(
            select(ContactConsent.channel).where(
                ContactConsent.customer_id == tia.id, col(ContactConsent.granted).is_(True)
            )
        ).all()
    assert set(agreed) == {"email"}


async def test_an_arrow_then_enter_in_one_burst_on_the_kiosk_chooses_where_it_went(ctx: ShopContext) -> None:
    """The kiosk's choices: ↓ ↓ then Enter, typed with the name in one burst, checks in with
    the second choice (nothing is highlighted at first; the Enter once read where the
    highlight was, the ↓ still on its way)."""
    need = ctx.rules.kiosk.choices[1].need
    app = KioskApp(ctx, "door")
    async with app.run_test(size=KIOSK_SIZE) as pilot:
        await keys_burst(pilot, "enter", *"Ann", "enter", "down", "down", "enter")
        assert isinstance(app.screen, ThanksScreen)
    [(visit, needs)] = visits_with_needs(ctx)
    assert (visit.description, needs) == ("Ann", [need])


async def test_a_hand_off_typed_in_one_burst_goes_to_the_colleague_chosen_with_the_reason(
    ctx: ShopContext, team: Team
) -> None:
    """r on a visit, then ↓↓ (Dana, the second), Enter (on to the reason box), the reason
    with a slip corrected, and Enter, all in one burst: the request goes to the colleague
    the arrows chose, with the reason as corrected (the reason's keys once went to the
    list, still focused)."""
    visits.new_walk_in(ctx, team.sam, description="red hat", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, StaffPickerDialog)
        await keys_burst(pilot, "down", "down", "enter", *"needs a tilex", "backspace", "r", "enter")
        assert isinstance(app.screen, CustomerScreen), app.messages
    with ctx.database.read() as session:
        [request] = session.exec(select(HandoffRequest)).all()
    assert (request.to_staff_id, request.reason) == (team.lead.staff_id, "needs a tiler")


async def test_keys_typed_after_a_refused_enter_land_in_the_field_it_asks_for(
    ctx: ShopContext, team: Team
) -> None:
    """The customer form, the email typed but the name forgotten: in one burst Enter (refused:
    the name is needed, and the form moves to it) then the name then Enter. The name lands
    in the name box, not at the end of the email, and both are put on file."""
    visits.new_walk_in(ctx, team.sam, claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        form = await open_customer_form(pilot, app)
        await pilot.press("tab", "tab")
        await type_text(pilot, "rita@example.com")
        await burst(pilot, "\nRita\n")
        assert not form.is_active, [form.query_one(f"#{box}", Input).value for box in ("name", "email")]
    [rita] = customers.find_customers(ctx, "Rita").items
    assert (rita.name, rita.email) == ("Rita", "rita@example.com")
