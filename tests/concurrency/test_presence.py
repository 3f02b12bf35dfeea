"""Who's looking: colleagues with the same customer open, without filling the audit log."""

from __future__ import annotations

import pytest

from counter_tui.clock import ManualClock
from counter_tui.errors import NotAllowed, NotFound
from counter_tui.services import presence, staff, visits
from counter_tui.services.changes import latest_event_id
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team


@pytest.fixture
def visit_id(ctx: ShopContext, team: Team) -> int:
    return visits.new_walk_in(ctx, team.sam, description="red coat")


def test_lookers_names_the_others_in_the_order_they_came(
    ctx: ShopContext, team: Team, visit_id: int, clock: ManualClock
) -> None:
    presence.touch(ctx, team.alex, visit_id)
    clock.advance(seconds=2)
    presence.touch(ctx, team.lead, visit_id)
    presence.touch(ctx, team.sam, visit_id)
    assert presence.lookers(ctx, team.sam, visit_id) == ["Alex", "Dana"]
    assert presence.lookers(ctx, team.alex, visit_id) == ["Dana", "Sam"]


def test_someone_looking_at_another_visit_is_not_listed(ctx: ShopContext, team: Team, visit_id: int) -> None:
    other = visits.new_walk_in(ctx, team.alex, description="blue hat")
    presence.touch(ctx, team.alex, other)
    assert presence.lookers(ctx, team.sam, visit_id) == []
    assert presence.lookers(ctx, team.sam, other) == ["Alex"]


def test_a_stopped_heartbeat_drops_out_after_the_window(
    ctx: ShopContext, team: Team, visit_id: int, clock: ManualClock
) -> None:
    presence.touch(ctx, team.alex, visit_id)
    clock.advance(seconds=14)
    assert presence.lookers(ctx, team.sam, visit_id) == ["Alex"]
    clock.advance(seconds=2)
    assert presence.lookers(ctx, team.sam, visit_id) == []


def test_heartbeats_keep_a_looker_listed(
    ctx: ShopContext, team: Team, visit_id: int, clock: ManualClock
) -> None:
    for _ in range(5):
        presence.touch(ctx, team.alex, visit_id)
        clock.advance(seconds=10)
    assert presence.lookers(ctx, team.sam, visit_id) == ["Alex"]


def test_leaving_removes_the_looker_at_once(ctx: ShopContext, team: Team, visit_id: int) -> None:
    presence.touch(ctx, team.alex, visit_id)
    presence.leave(ctx, team.alex, visit_id)
    assert presence.lookers(ctx, team.sam, visit_id) == []
    presence.touch(ctx, team.alex, visit_id)
    assert presence.lookers(ctx, team.sam, visit_id) == ["Alex"]


def test_heartbeats_write_no_audit_events(ctx: ShopContext, team: Team, visit_id: int) -> None:
    before = latest_event_id(ctx)
    presence.touch(ctx, team.alex, visit_id)
    presence.touch(ctx, team.alex, visit_id)
    presence.leave(ctx, team.alex, visit_id)
    assert latest_event_id(ctx) == before


def test_unknown_visit_is_refused(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(NotFound):
        presence.touch(ctx, team.alex, 9999)


def test_the_kiosk_and_deactivated_staff_cannot_look(ctx: ShopContext, team: Team, visit_id: int) -> None:
    with pytest.raises(NotAllowed):
        presence.touch(ctx, Actor.kiosk("door"), visit_id)
    staff.deactivate(ctx, team.lead, name="Alex")
    with pytest.raises(NotAllowed):
        presence.touch(ctx, team.alex, visit_id)
