"""Kudos: only leads give them, to an active colleague, for something specific (cleaned
text of at least three words); every staff member sees the thanks wall, newest first."""

from __future__ import annotations

import json

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import Kudos
from counter_tui.errors import InvalidInput, NotAllowed, NotFound
from counter_tui.services import kudos, staff
from counter_tui.services.context import Actor, ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount


def test_a_lead_gives_kudos_and_everyone_sees_it(ctx: ShopContext, team: Team, audit_log: AuditLog) -> None:
    kudos_id = kudos.give_kudos(
        ctx, team.lead, team.sam.staff_id or 0, "Found Mrs Patel's repair\x1b[31m in the back\n"
    )
    (wall_entry,) = kudos.thanks_wall(ctx, team.alex)
    assert (wall_entry.id, wall_entry.to_name, wall_entry.from_name, wall_entry.text) == (
        kudos_id,
        "Sam",
        "Dana",
        "Found Mrs Patel's repair[31m in the back",
    )
    assert wall_entry.given_at == ctx.now() and wall_entry.to_staff_id == team.sam.staff_id
    (event,) = audit_log("kudos.given")
    assert (event.actor_id, event.entity_id) == (team.lead.staff_id, kudos_id)
    assert json.loads(event.details) == {"to_staff_id": team.sam.staff_id}


def test_associates_cannot_give_kudos(ctx: ShopContext, team: Team, row_count: RowCount) -> None:
    with pytest.raises(NotAllowed, match="Only a shift lead can give kudos"):
        kudos.give_kudos(ctx, team.sam, team.alex.staff_id or 0, "Helped me with a big order")
    assert row_count(Kudos) == 0


@pytest.mark.parametrize("text", ["", "   ", "Great job", "\x07\x1b"])
def test_kudos_must_say_what_was_done(ctx: ShopContext, team: Team, text: str, row_count: RowCount) -> None:
    with pytest.raises(InvalidInput, match="Say what they did"):
        kudos.give_kudos(ctx, team.lead, team.sam.staff_id or 0, text)
    assert row_count(Kudos) == 0


def test_kudos_go_to_an_active_colleague_not_yourself(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(InvalidInput, match="colleague"):
        kudos.give_kudos(ctx, team.lead, team.lead.staff_id or 0, "Stayed late to close up")
    with pytest.raises(NotFound):
        kudos.give_kudos(ctx, team.lead, 999, "Stayed late to close up")
    staff.deactivate(ctx, None, name="Alex")
    with pytest.raises(NotFound):
        kudos.give_kudos(ctx, team.lead, team.alex.staff_id or 0, "Stayed late to close up")


def test_kudos_over_its_limit_is_refused(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(InvalidInput, match=r"^Kudos can be at most 500 characters; this one has 999\.$"):
        kudos.give_kudos(ctx, team.lead, team.sam.staff_id or 0, "word " * 200)
    assert kudos.thanks_wall(ctx, team.sam) == ()


def test_thanks_wall_is_newest_first_and_limited(ctx: ShopContext, team: Team, clock: ManualClock) -> None:
    for n in range(3):
        kudos.give_kudos(ctx, team.lead, team.sam.staff_id or 0, f"Helped customer number {n}")
        clock.advance(minutes=1)
    assert [k.text for k in kudos.thanks_wall(ctx, team.sam, limit=2)] == [
        "Helped customer number 2",
        "Helped customer number 1",
    ]
    assert len(kudos.thanks_wall(ctx, team.sam)) == 3


def test_the_kiosk_cannot_read_the_thanks_wall(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(NotAllowed):
        kudos.thanks_wall(ctx, Actor.kiosk("door"))
