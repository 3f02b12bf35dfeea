"""Screens offer exactly the keys the permissions allow: a key the service would refuse
is not offered (and pressing it opens nothing), one it would allow is."""

from __future__ import annotations

import pytest
from textual.screen import Screen
from textual.widgets import Static

from counter_tui.services import customers, followups, handoffs, staff, visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.handoffs import HandoffsScreen
from counter_tui.ui.widgets.choice import ChoiceList
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, open_record, plain, quick_sign_in, settle

PINS = {"dana": "1111", "sam": "2222", "alex": "3333", "kim": "4444"}


def offered(screen: Screen[object]) -> set[str]:
    """The keys the screen's footer offers now."""
    return {key for key, active in screen.active_bindings.items() if active.enabled}


def sams_visit_alex_helping(ctx: ShopContext, team: Team) -> int:
    """Sam's customer, on file, with Alex brought in to help; Kim is another associate."""
    staff.add_staff(ctx, None, name="Kim", pin="4444")
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    visit_id = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.add_helper(ctx, team.sam, visit_id, team.alex.staff_id or 0)
    return visit_id


# The visit keys each person is offered on Sam's visit that Alex helps with:
# c claim, e needs, o note, p helper, r hand-off, x end, g reassign, z reopen.
VISIT_KEYS = {"c", "e", "o", "p", "r", "x", "g", "z"}


@pytest.mark.parametrize(
    ("who", "keys"),
    [
        ("dana", {"e", "o", "p", "x", "g"}),
        ("sam", {"e", "o", "p", "r", "x"}),
        ("alex", {"e", "o"}),
        ("kim", set()),
    ],
)
async def test_the_visit_keys_each_person_is_offered(
    ctx: ShopContext, team: Team, who: str, keys: set[str]
) -> None:
    sams_visit_alex_helping(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, who, PINS[who])
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CustomerScreen)
        assert offered(screen) & VISIT_KEYS == keys


@pytest.mark.parametrize(("who", "hint"), [("sam", True), ("kim", False)])
async def test_the_notes_say_o_adds_one_only_to_whom_o_is_offered(
    ctx: ShopContext, team: Team, who: str, hint: bool
) -> None:
    """Kim read "No notes yet (o to add one).", pressed o to no effect, and the words she
    typed next ran as the screen's keys."""
    sams_visit_alex_helping(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, who, PINS[who])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, CustomerScreen)
        notes = plain(app.screen.query_one("#notes-block", Static).visual)
        assert "No notes yet" in notes
        assert ("o to add one" in notes) is hint
        assert ("o" in offered(app.screen)) is hint


async def test_a_helper_is_not_offered_to_end_the_visit_the_service_would_refuse(
    ctx: ShopContext, team: Team
) -> None:
    visit_id = sams_visit_alex_helping(ctx, team)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "alex", "3333")
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        await pilot.press("x")
        await settle(pilot)
        assert app.screen is screen, "x opened the end-visit dialog for a helper"
    assert visit_views.visit_detail(ctx, team.sam, visit_id).ended_at is None


async def test_someone_elses_follow_up_is_not_offered_to_check_off(ctx: ShopContext, team: Team) -> None:
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    customers.record_consent(ctx, team.sam, bob, "phone", granted=True, source="asked")
    followups.add_callback(ctx, team.sam, bob, about="repair quote")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "alex", "3333")
        screen = await open_record(pilot, bob)
        assert "d" not in offered(screen)
        await pilot.press("d")
        await settle(pilot)
        assert app.screen is screen, "d opened the check-off dialog for a follow-up that is Sam's"
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "sam", "2222")
        assert "d" in offered(await open_record(pilot, bob))


async def test_a_lead_is_offered_to_withdraw_only_their_own_hand_off_request(
    ctx: ShopContext, team: Team
) -> None:
    sams = visits.new_walk_in(ctx, team.sam, description="sofa couple", claim=True)
    handoffs.request_handoff(ctx, team.sam, sams, team.alex.staff_id or 0, "my break")
    danas = visits.new_walk_in(ctx, team.lead, description="tall man", claim=True)
    handoffs.request_handoff(ctx, team.lead, danas, team.sam.staff_id or 0, "phone call")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        await pilot.app.push_screen(HandoffsScreen())
        await settle(pilot)
        screen = app.screen
        assert "w" not in offered(screen)  # the first request is Sam's
        await pilot.press("down")
        await settle(pilot)
        assert "w" in offered(screen)  # Dana's own


@pytest.mark.parametrize(
    ("who", "outcomes"),
    [("kim", ["Left unserved"]), ("dana", ["Left unserved"])],  # a sale nobody served is no sale
)
async def test_ending_an_unclaimed_visit_offers_only_the_outcomes_the_permissions_allow(
    ctx: ShopContext, team: Team, who: str, outcomes: list[str]
) -> None:
    """Anyone may end an unclaimed visit as left unserved; a purchase needs an owner or a lead."""
    staff.add_staff(ctx, None, name="Kim", pin="4444")
    visits.new_walk_in(ctx, team.sam, description="couple by the sofas")
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, who, PINS[who])
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, EndVisitDialog)
        offered = app.screen.query_one("#outcome", ChoiceList)
        prompts = [plain(offered.get_option_at_index(index).prompt) for index in range(offered.option_count)]
        assert [prompt.split(") ", 1)[-1] for prompt in prompts] == outcomes  # "( ) Purchase" → "Purchase"
