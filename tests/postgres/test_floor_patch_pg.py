"""On PostgreSQL, what the LISTEN feed delivers is enough for a floor board to re-read
just the rows it touched: a claim, a hand-off request and a customer's new name each
come back as the one visit they changed, as it now is."""

from __future__ import annotations

import pytest

from counter_tui.services import customers, floor_changes, handoffs, visits
from counter_tui.services.context import ShopContext
from counter_tui.sync.feed import ChangeFeed
from tests.concurrency.inbox import Inbox
from tests.conftest import Team

pytestmark = pytest.mark.postgres


def test_changes_from_the_feed_name_the_visits_to_read_again(
    ctx: ShopContext, feed: ChangeFeed, inbox: Inbox, other_terminal: ShopContext, team: Team
) -> None:
    customer_id = customers.create_customer(other_terminal, team.sam, name="Ama Owusu")
    visit_id = visits.new_walk_in(other_terminal, team.sam, customer_id=customer_id)
    bystander = visits.new_walk_in(other_terminal, team.sam, description="green scarf")
    visits.claim_visit(other_terminal, team.sam, visit_id)
    request_id = handoffs.request_handoff(
        other_terminal, team.sam, visit_id, team.alex.staff_id or 0, "Alex knows bikes"
    )
    customers.update_contact(other_terminal, team.sam, customer_id, name="Ama Mensah", phone="", email="")
    inbox.actions_until("customer.updated", customer_id)
    changes = [change for event in inbox.seen for change in event.changes]
    assert ("handoff", request_id) in {(change.entity, change.entity_id) for change in changes}
    patch = floor_changes.floor_patch(ctx, changes)
    assert patch is not None
    assert patch.visit_ids == {visit_id, bystander}  # the bystander was created, nothing more
    row = next(row for row in patch.rows if row.visit_id == visit_id)
    assert (row.owner_name, row.handoff_pending, row.who) == ("Sam", True, "Ama Mensah")
