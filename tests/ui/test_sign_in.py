"""Sign-in: filter the staff list, PIN, wrong PIN and lockout, idle lock, sign-out."""

from __future__ import annotations

import time

from textual.widgets import Input, OptionList

from counter_tui.services import visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, plain, settle, sign_in, type_text


def staff_options(app: StaffApp) -> list[str]:
    """The names the sign-in list offers."""
    options = app.screen.query_one("#staff-list", OptionList)
    return [plain(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_typing_filters_the_staff_list(ctx: ShopContext, team: Team) -> None:
    """Every active staff member is offered; typing narrows the list, leads are marked."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert sorted(staff_options(app)) == ["Alex", "Dana  (lead)", "Sam"]
        assert app.focused is app.screen.query_one("#staff-filter", Input)
        await type_text(pilot, "da")
        await settle(pilot)
        assert staff_options(app) == ["Dana  (lead)"]
        await pilot.press("backspace", "backspace", "x")
        await settle(pilot)
        assert staff_options(app) == ["Alex"]


async def test_right_pin_opens_the_floor_as_that_person(ctx: ShopContext, team: Team) -> None:
    """Name, Enter, PIN, Enter: the floor board, titled with who is signed in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None and app.actor.staff_id == team.sam.staff_id
        assert app.screen.sub_title == "Sam"
        assert "Signed in as Sam." in app.messages


async def test_enter_with_no_match_says_so(ctx: ShopContext, team: Team) -> None:
    """A name nobody has is explained, and the PIN box is not offered."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "zed")
        await pilot.press("enter")
        await settle(pilot)
        assert app.messages == ["Nobody matches that name. Check the spelling or ask a shift lead."]
        assert app.focused is app.screen.query_one("#staff-filter", Input)


async def test_wrong_pin_is_refused_and_cleared(ctx: ShopContext, team: Team) -> None:
    """A wrong PIN leaves you on sign-in with a message naming who tried."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "9999")
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None
        assert app.messages[-1] == "Wrong PIN for Sam. Try again."
        assert app.screen.query_one("#pin", Input).value == ""


async def test_too_many_wrong_pins_lock_the_person_out(ctx: ShopContext, team: Team) -> None:
    """After five wrong PINs even the right one is refused, with what to do."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "9999")
        for _ in range(4):
            await type_text(pilot, "9999")
            await pilot.press("enter")
            await settle(pilot)
        await type_text(pilot, "2222")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None
        assert app.messages[-1] == (
            "Too many wrong PINs for Sam at this terminal. Wait 5 minutes, "
            "or ask a shift lead to clear the lockout or set a new PIN."
        )


async def test_demo_pins_are_shown_only_in_the_demo(ctx: ShopContext, team: Team) -> None:
    """The demo shop lists its PINs on the sign-in screen; a real shop never does."""
    demo = StaffApp(ctx, demo_pins={"Dana": "1111", "Sam": "2222"})
    async with demo.run_test(size=SIZE) as pilot:
        await settle(pilot)
        pins = demo.screen.query_one("#demo-pins")
        assert pins.display
        assert "Dana: 1111" in plain(pins.visual)  # type: ignore[attr-defined]
    real = StaffApp(ctx)
    async with real.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert not real.screen.query_one("#demo-pins").display


async def test_idle_terminal_locks_back_to_sign_in(ctx: ShopContext, team: Team) -> None:
    """Past the idle minutes the terminal locks; the next person signs in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        app.lock_if_idle()
        assert isinstance(app.screen, FloorScreen), "fresh input must not lock"
        limit = ctx.settings.thresholds.idle_lock_minutes * 60
        app._last_input = time.monotonic() - limit - 1
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None
        assert app.messages[-1] == "Locked after being idle. Sign in to carry on."
        await sign_in(pilot, "alex", "3333")
        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None and app.actor.name == "Alex"


async def test_lock_key_from_the_customer_view(ctx: ShopContext, team: Team) -> None:
    """Ctrl+L with a customer open locks to sign-in, and the app keeps running."""
    visits.new_walk_in(ctx, team.sam, description="kitchen scales", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.is_running


async def test_idle_lock_closes_open_dialogs_too(ctx: ShopContext, team: Team) -> None:
    """A terminal left with a dialog open over a customer locks to a bare sign-in screen:
    nothing of the last person's work stays on show."""
    visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("enter", "o")
        await settle(pilot)
        await type_text(pilot, "half a note")
        assert len(app.screen_stack) == 4
        app._last_input = time.monotonic() - ctx.settings.thresholds.idle_lock_minutes * 60 - 1
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert len(app.screen_stack) == 2
        assert app.is_running


async def test_lock_key_switches_user(ctx: ShopContext, team: Team) -> None:
    """Ctrl+L on the floor locks at once; the next person signs in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert len(app.screen_stack) == 2
        await sign_in(pilot, "dana", "1111")
        assert app.screen.sub_title == "Dana · lead"


async def test_sign_out_is_refused_while_you_own_a_visit(ctx: ShopContext, team: Team) -> None:
    """Sign-out names the customers still yours; once the visit ends it goes through."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="green scarf", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None
        assert app.messages[-1] == (
            "You still own 1 customer (green scarf). Hand them off or end the visits before signing out."
        )
        visits.end_visit(ctx, team.sam, visit_id, "no_purchase")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None
