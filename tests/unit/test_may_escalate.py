"""Which changes from another terminal make a lead's terminal look for new escalations
(a read of every open visit): those that can leave a 'needs help' customer unanswered at
once, not those that can only answer one (a claim, an ending, a note)."""

from __future__ import annotations

import pytest

from counter_tui.services.changes import Change
from counter_tui.services.floor_health import may_escalate


@pytest.mark.parametrize(
    ("entity", "action"),
    [
        ("visit", "visit.created"),
        ("visit", "visit.need_set"),
        ("visit", "visit.needs_updated"),
        ("visit", "visit.reassigned"),
        ("visit", "visit.reopened"),
        ("visit", "visit.some_future_action"),
        ("day", "day.reopened"),
        ("shop_settings", "shop_settings.changed"),
    ],
)
def test_a_change_that_can_leave_someone_unanswered_is_checked(entity: str, action: str) -> None:
    assert may_escalate([Change(1, entity, 7, action)])


@pytest.mark.parametrize(
    "action",
    [
        "visit.claimed",
        "visit.ended",
        "visit.note_added",
        "visit.helper_added",
        "visit.customer_attached",
        "visit.preferences_set",
        "visit.claim_blocked",
        "visit.reviewed",
    ],
)
def test_a_change_that_can_only_answer_is_not(action: str) -> None:
    assert not may_escalate([Change(1, "visit", 7, action)])


def test_one_change_that_can_escalate_among_many_is_enough() -> None:
    assert may_escalate([Change(1, "visit", 7, "visit.claimed"), Change(2, "visit", 8, "visit.need_set")])
    assert not may_escalate([Change(1, "kudos", 1, "kudos.given"), Change(2, "visit", 7, "visit.ended")])
