"""Sign-in: filter the staff list, PIN, wrong PIN and lockout, idle lock, sign-out."""

from __future__ import annotations

import time

from textual.pilot import Pilot
from textual.widgets import Input, OptionList

from counter_tui.db.models import Outcome
from counter_tui.services import presence, visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.floor import FloorScreen
from counter_tui.ui.screens.sign_in import SignInScreen
from tests.conftest import Team
from tests.ui.staff_pilot import (
    SIZE,
    StaffApp,
    burst,
    option_labels,
    plain,
    screen_text,
    settle,
    sign_in,
    type_text,
)


def staff_options(app: StaffApp) -> list[str]:
    """The names the sign-in list offers."""
    return option_labels(app.screen.query_one("#staff-list", OptionList))


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
        limit = ctx.rules.thresholds.idle_lock_minutes * 60
        app._last_input = time.monotonic() - limit - 1
        app.lock_if_idle()
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None
        assert app.messages[-1] == "Locked after being idle. Sign in again to carry on where you were."
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


async def lock_mid_note(pilot: Pilot[None], app: StaffApp, ctx: ShopContext) -> None:
    """Sam opens his customer, starts a note and leaves the terminal until it locks."""
    await sign_in(pilot, "sam", "2222")
    await pilot.press("enter", "o")
    await settle(pilot)
    await type_text(pilot, "half a note")
    app._last_input = time.monotonic() - ctx.rules.thresholds.idle_lock_minutes * 60 - 1
    app.lock_if_idle()
    await settle(pilot)
    assert isinstance(app.screen, SignInScreen)
    assert app.actor is None
    assert app.messages[-1] == "Locked after being idle. Sign in again to carry on where you were."


async def test_the_idle_lock_keeps_a_half_typed_dialog_for_the_same_person(
    ctx: ShopContext, team: Team
) -> None:
    """Sam signs in again: his note dialog is back with what he typed, and finishing it
    saves the whole note."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await lock_mid_note(pilot, app, ctx)
        await sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, TextPromptDialog)
        assert app.screen.query_one("#answer", Input).value == "half a note"
        assert app.focused is app.screen.query_one("#answer", Input)
        await type_text(pilot, " about the sofa")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
    assert [note.body for note in visit_views.visit_detail(ctx, team.sam, visit_id).notes] == [
        "half a note about the sofa"
    ]


async def test_someone_else_signing_in_gets_a_fresh_floor_and_the_draft_waits_for_its_owner(
    ctx: ShopContext, team: Team
) -> None:
    """Alex signs in after the lock: a fresh floor board, with nothing of Sam's screens in
    his; Sam's half-typed note waits for Sam alone, and comes back whole when he signs in
    again after Alex locks (typing is never thrown away because someone else came by)."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await lock_mid_note(pilot, app, ctx)
        await sign_in(pilot, "alex", "3333")
        assert isinstance(app.screen, FloorScreen)
        assert app.screen.sub_title == "Alex"
        assert [type(screen).__name__ for screen in app.screen_stack[1:]] == ["FloorScreen"]
        await pilot.press("ctrl+l")
        await settle(pilot)
        await sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, TextPromptDialog)
        assert app.screen.query_one("#answer", Input).value == "half a note"
        assert app.messages[-1].startswith("Welcome back, Sam")
        await type_text(pilot, " about the sofa")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        await pilot.press("ctrl+l")
        await settle(pilot)
        await sign_in(pilot, "alex", "3333")
        assert isinstance(app.screen, FloorScreen), "Alex's own floor, kept for him"
        assert app.screen.sub_title == "Alex"
    assert [note.body for note in visit_views.visit_detail(ctx, team.sam, visit_id).notes] == [
        "half a note about the sofa"
    ]


async def test_a_kept_draft_sees_what_changed_while_it_waited(ctx: ShopContext, team: Team) -> None:
    """While Sam's screens wait, Alex ends a visit on another terminal: when Sam comes back
    his floor board no longer shows it (kept screens read again on return)."""
    visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    gone = visits.new_walk_in(ctx, team.alex, description="blue teapot", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await lock_mid_note(pilot, app, ctx)
        sams_floor = app.screen_stack[1]
        assert "blue teapot" in screen_text(sams_floor)
        await sign_in(pilot, "alex", "3333")
        await pilot.press("ctrl+l")
        await settle(pilot)
        visits.end_visit(ctx, team.alex, gone, Outcome.PURCHASE)
        await sign_in(pilot, "sam", "2222")
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is sams_floor
        assert "blue teapot" not in screen_text(sams_floor)


async def test_kept_screens_do_nothing_as_the_person_signed_in(ctx: ShopContext, team: Team) -> None:
    """Sam's customer screen, kept under his lock while Alex works, does not tell other
    terminals that Alex is looking at Sam's customer (its heartbeat is Sam's alone)."""
    visit_id = visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await lock_mid_note(pilot, app, ctx)
        sams_customer = app.screen_stack[2]
        assert isinstance(sams_customer, CustomerScreen)
        await sign_in(pilot, "alex", "3333")
        sams_customer.heartbeat()
        await settle(pilot)
        assert "Alex" not in presence.lookers(ctx, team.lead, visit_id)


async def test_signing_out_drops_nothing_of_anyone_else(ctx: ShopContext, team: Team) -> None:
    """Alex signs out after using the terminal over Sam's lock: the sign-in screen, and
    Sam's note still waits for him."""
    visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await lock_mid_note(pilot, app, ctx)
        await sign_in(pilot, "alex", "3333")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, TextPromptDialog)
        assert app.screen.query_one("#answer", Input).value == "half a note"


async def test_lock_key_switches_user(ctx: ShopContext, team: Team) -> None:
    """Ctrl+L on the floor locks at once; the next person signs in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        await sign_in(pilot, "dana", "1111")
        assert app.screen.sub_title == "Dana · lead"
        assert [type(screen).__name__ for screen in app.screen_stack[1:]] == ["FloorScreen"]


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


def record_values(app: StaffApp, selector: str) -> list[str]:
    """Every value the input at `selector` takes from now on."""
    seen: list[str] = []
    app.screen.watch(
        app.screen.query_one(selector, Input), "value", lambda value: seen.append(value), init=False
    )
    return seen


async def test_name_enter_and_pin_in_one_burst_sign_in_without_showing_the_pin(
    ctx: ShopContext, team: Team
) -> None:
    """A fast typist: name, Enter, PIN, Enter arrive before the screen has moved focus.
    The PIN goes to the PIN box, never into the name box in clear."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = record_values(app, "#staff-filter")
        await burst(pilot, "sam\n2222\n")
        assert names == ["s", "sa", "sam"]
        assert isinstance(app.screen, FloorScreen)
        assert app.actor is not None and app.actor.name == "Sam"


async def test_a_burst_picks_the_person_typed_not_the_one_highlighted_before(
    ctx: ShopContext, team: Team
) -> None:
    """The list had not caught up with the typing when Enter came: the name typed counts."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert staff_options(app)[0] == "Alex"
        await burst(pilot, "dana\n1111\n")
        assert app.actor is not None and app.actor.name == "Dana"


async def test_a_burst_with_a_wrong_pin_never_shows_the_pin(ctx: ShopContext, team: Team) -> None:
    """Wrong PIN in a burst: refused, PIN box cleared, and the name box never held it."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = record_values(app, "#staff-filter")
        await burst(pilot, "sam\n9876\n")
        assert not any("9876" in value for value in names)
        assert isinstance(app.screen, SignInScreen)
        assert app.messages[-1] == "Wrong PIN for Sam. Try again."
        assert app.screen.query_one("#pin", Input).value == ""


async def test_a_burst_for_nobody_keeps_the_pin_out_of_the_name_box(ctx: ShopContext, team: Team) -> None:
    """A name nobody has, then a PIN, in one burst: nobody signs in and the digits are not shown."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        names = record_values(app, "#staff-filter")
        await burst(pilot, "zed\n2222\n")
        assert not any("2222" in value for value in names)
        assert app.actor is None
        assert "Nobody matches that name. Check the spelling or ask a shift lead." in app.messages


async def test_a_burst_before_the_staff_list_has_loaded(ctx: ShopContext, team: Team) -> None:
    """Typing ahead while the sign-in screen is still loading the staff list."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, SignInScreen)
        names = record_values(app, "#staff-filter")
        await burst(pilot, "alex\n3333\n")
        assert not any("3333" in value for value in names)
        assert app.actor is not None and app.actor.name == "Alex"


async def test_a_pin_typed_into_the_name_box_goes_to_the_pin_box(ctx: ShopContext, team: Team) -> None:
    """Forgetting Enter after the name: the digits land hidden in the PIN box, and the
    next Enter picks the name; the one after it signs in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "sam2222")
        assert app.screen.query_one("#staff-filter", Input).value == "sam"
        assert app.screen.query_one("#pin", Input).value == "2222"
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is None
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.name == "Sam"


async def test_a_burst_for_nobody_before_the_list_loads_gives_the_name_box_back(
    ctx: ShopContext, team: Team
) -> None:
    """No match once the list arrives: what is typed next is a name again, shown in the box."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await burst(pilot, "zed\n")
        assert "Nobody matches that name. Check the spelling or ask a shift lead." in app.messages
        await pilot.press("backspace", "backspace", "backspace")
        await type_text(pilot, "sam")
        assert app.screen.query_one("#staff-filter", Input).value == "sam"


async def test_ctrl_l_locks_from_inside_a_dialog_and_the_draft_waits(ctx: ShopContext, team: Team) -> None:
    """The lock key works anywhere, a half-typed dialog included (a person walking away
    mid-note must not leave it on show); signing in again brings the dialog back."""
    visits.new_walk_in(ctx, team.sam, description="left mid-note", claim=True)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await sign_in(pilot, "sam", "2222")
        await pilot.press("enter", "o")
        await settle(pilot)
        await type_text(pilot, "half a note")
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, SignInScreen)
        assert app.actor is None
        await sign_in(pilot, "sam", "2222")
        assert isinstance(app.screen, TextPromptDialog)
        assert app.screen.query_one("#answer", Input).value == "half a note"


async def test_a_pin_typed_ahead_keeps_every_digit_when_focus_arrives_in_the_middle(
    ctx: ShopContext, team: Team
) -> None:
    """Enter and the first digit arrive before the PIN box has focus, the rest after (as
    keys reach a browser session): the first digit is kept, not selected and typed over."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "sam")
        await burst(pilot, "\n2")
        await burst(pilot, "222\n")
        assert app.actor is not None and app.actor.staff_id == team.sam.staff_id


async def test_tab_from_the_name_to_the_pin_picks_the_highlighted_name(ctx: ShopContext, team: Team) -> None:
    """Name, Tab, Tab (past the list), PIN, Enter signs in as the highlighted match, as
    Enter would: the PIN box is for the person highlighted when it got the keys."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await type_text(pilot, "alex")
        await pilot.press("tab", "tab")
        await type_text(pilot, "3333")
        await pilot.press("enter")
        await settle(pilot)
        assert "Pick your name first." not in app.messages
        assert app.actor is not None and app.actor.staff_id == team.alex.staff_id


async def test_tab_to_the_list_and_an_arrow_picks_the_name_moved_to(ctx: ShopContext, team: Team) -> None:
    """Tab to the list, ↓ to the next name, Tab to the PIN: that person signs in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        second = staff_options(app)[1].removesuffix("  (lead)")
        await pilot.press("tab", "down", "tab")
        await type_text(pilot, {"Sam": "2222", "Alex": "3333", "Dana": "1111"}[second])
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.name == second


async def test_a_pin_typed_in_the_list_after_one_tab_goes_to_the_pin_box(
    ctx: ShopContext, team: Team
) -> None:
    """Name, Tab, PIN, Enter (one Tab, as in most sign-in forms) signs in as the highlighted
    name: the list takes no digits, so they go to the PIN box in the order typed, never lost."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await burst(pilot, "sam\t2222\n")
        await settle(pilot)
        assert app.actor is not None and app.actor.staff_id == team.sam.staff_id


async def test_digits_typed_in_the_list_are_the_pin_for_the_name_highlighted(
    ctx: ShopContext, team: Team
) -> None:
    """Tab to the list, ↓ to the next name, then its PIN and Enter: that person signs in."""
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        second = staff_options(app)[1].removesuffix("  (lead)")
        await pilot.press("tab", "down")
        await type_text(pilot, {"Sam": "2222", "Alex": "3333", "Dana": "1111"}[second])
        assert app.screen.query_one("#pin", Input).has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert app.actor is not None and app.actor.name == second
