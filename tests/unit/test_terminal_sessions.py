"""Who is signed in is kept per running app (its session), not per terminal name: every
app on a computer is "counter" unless configured otherwise, and two of them are two
people signed in. An app that stops beating (crashed, killed) stops counting."""

from __future__ import annotations

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import NeedKind
from counter_tui.errors import Conflict
from counter_tui.services import backup, kiosk, sessions, staff
from counter_tui.services.context import ShopContext
from counter_tui.services.walkouts import lead_on_shift
from tests.conftest import Team


def _names(ctx: ShopContext) -> list[tuple[str, str]]:
    return [(s.terminal, s.name) for s in sessions.signed_in_terminals(ctx)]


def test_two_apps_with_one_name_are_two_signed_in_terminals(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    assert ctx.terminal == other_terminal.terminal == "counter"
    assert ctx.session_id != other_terminal.session_id
    staff.sign_in(other_terminal, team.lead.staff_id or 0, "1111")
    assert _names(ctx) == [("counter", "Alex"), ("counter", "Dana")]

    sessions.sign_out(other_terminal, team.lead)
    assert _names(ctx) == [("counter", "Alex")]


def test_restore_is_refused_naming_everyone_signed_in_on_apps_sharing_a_name(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    made = backup.back_up(ctx, team.lead)
    staff.sign_in(other_terminal, team.sam.staff_id or 0, "2222")
    with pytest.raises(
        Conflict, match=r"Staff are signed in \(Alex at counter since .*; Sam at counter since"
    ):
        backup.restore(ctx, team.lead, made.path)


def test_the_kiosk_counts_every_app_someone_is_signed_in_at(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    staff.sign_in(other_terminal, team.sam.staff_id or 0, "2222")
    kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name="Ann", need=NeedKind.NEEDS_HELP))
    # Alex and Sam are both free, on two apps called "counter": one waits, two are free.
    assert kiosk.check_in(ctx, "door", kiosk.CheckIn(first_name="Bo", need=NeedKind.NEEDS_HELP)).wait == (
        "Someone should be with you in a moment."
    )


def test_an_app_that_stops_beating_stops_counting_and_a_beating_one_stays(
    ctx: ShopContext, team: Team, other_terminal: ShopContext, clock: ManualClock
) -> None:
    staff.sign_in(other_terminal, team.sam.staff_id or 0, "2222")
    for _ in range(5):
        clock.advance(seconds=sessions.HEARTBEAT_SECONDS)
        sessions.heartbeat(ctx, team.alex.staff_id)  # this app runs on; the other crashed
    assert _names(ctx) == [("counter", "Alex")]

    sessions.heartbeat(other_terminal, team.sam.staff_id)  # it was only cut off: back
    assert _names(ctx) == [("counter", "Alex"), ("counter", "Sam")]


def test_a_locked_app_still_counts_and_a_closed_one_does_not(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    staff.sign_in(other_terminal, team.sam.staff_id or 0, "2222")
    sessions.heartbeat(other_terminal, team.sam.staff_id)  # locked on Sam: the app beats for Sam
    assert ("counter", "Sam") in _names(ctx)
    sessions.close_terminal(other_terminal, team.lead.staff_id or 0, "1111")
    assert _names(ctx) == [("counter", "Alex")]
    sessions.heartbeat(ctx, None)  # nobody signed in here any more
    assert _names(ctx) == []


def test_the_lead_on_shift_is_the_lead_signed_in_at_any_app(
    ctx: ShopContext, team: Team, other_terminal: ShopContext
) -> None:
    staff.sign_in(other_terminal, team.lead.staff_id or 0, "1111")
    with ctx.database.read() as session:
        lead = lead_on_shift(session, None, ctx.now())
    assert lead is not None and lead.name == "Dana"
