"""The people a change of hands concerns are told on whatever screen they are, from the
change feed: three terminals on one shop, each signed in as someone else, all driven by
keys. Sam asks to pass his customer to Alex; Dana (lead) is alerted and approves; Alex,
on the find screen, is told the customer is now theirs and who passed them; a lead's
reassignment tells the new owner and the previous one."""

from __future__ import annotations

from textual.pilot import Pilot

from counter_tui.clock import ManualClock
from counter_tui.services import changes, visit_views, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.events import FeedEvent
from counter_tui.ui.dialogs.staff_picker import StaffPickerDialog
from counter_tui.ui.screens.customer import CustomerScreen
from counter_tui.ui.screens.find import FindCustomerScreen
from tests.conftest import Team
from tests.ui.staff_pilot import SIZE, StaffApp, quick_sign_in, settle, type_text


async def deliver(ctx: ShopContext, seen: int, terminals: dict[StaffApp, Pilot[None]]) -> int:
    """Give every terminal what its change feed would report since `seen`; returns the
    newest change id."""
    event = FeedEvent(online=True, changes=tuple(changes.changes_since(ctx, seen)))
    for app, pilot in terminals.items():
        app.apply_feed_event(event)
        await settle(pilot)
    return changes.latest_event_id(ctx)


def told(app: StaffApp, since: int) -> list[str]:
    """What a terminal said after its `since`-th message."""
    return app.messages[since:]


async def test_lead_alerted_new_owner_told_after_approval_and_reassignment(
    ctx: ShopContext, other_terminal: ShopContext, team: Team
) -> None:
    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    sams, danas, alexs = StaffApp(ctx), StaffApp(other_terminal), StaffApp(other_terminal)
    async with (
        sams.run_test(size=SIZE) as sam,
        danas.run_test(size=SIZE) as dana,
        alexs.run_test(size=SIZE) as alex,
    ):
        terminals = {sams: sam, danas: dana, alexs: alex}
        await quick_sign_in(sam, "sam", "2222")
        await quick_sign_in(dana, "dana", "1111")
        await quick_sign_in(alex, "alex", "3333")
        await alex.press("slash")
        await settle(alex)
        assert isinstance(alexs.screen, FindCustomerScreen)
        heard = {app: len(app.messages) for app in terminals}
        seen = changes.latest_event_id(ctx)

        await sam.press("enter", "r")
        await settle(sam)
        assert isinstance(sams.screen, StaffPickerDialog)
        await sam.press("space", "enter")  # Alex, the first colleague
        await type_text(sam, "Alex fixes bikes")
        await sam.press("enter")
        await settle(sam)
        seen = await deliver(ctx, seen, terminals)
        assert told(danas, heard[danas]) == [
            "Sam asks to pass bike repair to Alex: Alex fixes bikes. Press h to approve or deny."
        ]
        assert told(alexs, heard[alexs]) == []
        heard = {app: len(app.messages) for app in terminals}

        await dana.press("h")
        await settle(dana)
        await dana.press("a")
        await settle(dana)
        seen = await deliver(ctx, seen, terminals)
        assert told(alexs, heard[alexs]) == [
            "bike repair is now yours: Sam passed them to you (Alex fixes bikes). Dana approved it."
        ]
        assert told(sams, heard[sams])[-1] == "Dana approved your hand-off: bike repair is now with Alex."
        assert told(danas, heard[danas]) == ["Approved: bike repair is now with Alex (from Sam)."]
        assert isinstance(alexs.screen, FindCustomerScreen)
        heard = {app: len(app.messages) for app in terminals}

        await dana.press("escape")
        await settle(dana)
        await dana.press("enter", "g")
        await settle(dana)
        assert isinstance(danas.screen, StaffPickerDialog)
        await dana.press("down", "down")  # Dana, Sam: Sam (the list leaves out the owner, Alex)
        assert danas.screen.query_one("#colleagues").value == team.sam.staff_id  # type: ignore[attr-defined]
        await dana.press("enter")
        await type_text(dana, "Alex went home")
        await dana.press("enter")
        await settle(dana)
        assert isinstance(danas.screen, CustomerScreen)
        await deliver(ctx, seen, terminals)
        assert told(sams, heard[sams]) == ["Dana passed bike repair to you (was with Alex): Alex went home."]
        assert told(alexs, heard[alexs]) == ["Dana passed bike repair to Sam: Alex went home."]
    assert visit_views.visit_detail(ctx, team.sam, visit_id).owner_name == "Sam"


async def test_a_lead_signing_in_is_alerted_to_escalations_at_once(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    """A customer has needed help unclaimed for 25 minutes when Dana signs in: she is
    told straight away, not at the next periodic check; the next check does not repeat it."""
    visits.new_walk_in(ctx, team.alex, description="man in a green coat", needs=["needs_help"])
    clock.advance(minutes=25)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "dana", "1111")
        assert app.messages[-1] == (
            "man in a green coat needs help and nobody has claimed them for 25 min. "
            "Send someone, or go yourself."
        )
        heard = len(app.messages)
        app.check_escalations()
        await settle(pilot)
        assert app.messages[heard:] == []


async def test_a_customer_passed_while_signed_out_is_told_at_sign_in(ctx: ShopContext, team: Team) -> None:
    """Alex was at no terminal when the lead approved Sam's hand-off to him: signing in
    (by keys) tells him the customer is his and who passed them."""
    from counter_tui.services import handoffs

    visit_id = visits.new_walk_in(ctx, team.sam, description="bike repair", claim=True)
    request_id = handoffs.request_handoff(
        ctx, team.sam, visit_id, team.alex.staff_id or 0, "Alex fixes bikes"
    )
    handoffs.approve_handoff(ctx, team.lead, request_id)
    app = StaffApp(ctx)
    async with app.run_test(size=SIZE) as pilot:
        await quick_sign_in(pilot, "alex", "3333")
        await settle(pilot)
        assert "bike repair is now yours: Sam passed them to you (Alex fixes bikes). Dana approved it." in (
            app.messages
        )
