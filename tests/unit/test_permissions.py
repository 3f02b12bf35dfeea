"""The permissions module's rules, asked directly: who may do what to whose work."""

from __future__ import annotations

import pytest

from counter_tui.errors import AlreadyOwned, Conflict, NotAllowed
from counter_tui.services.context import Actor
from counter_tui.services.permissions import LEAD_ONLY, Action, Target, allows, bare, refusal

LEAD = Actor(staff_id=1, name="Dana", role="lead")
OWNER = Actor(staff_id=2, name="Sam", role="associate")
HELPER = Actor(staff_id=3, name="Alex", role="associate")
OTHER = Actor(staff_id=4, name="Kim", role="associate")
KIOSK = Actor.kiosk("door")
SAMS_VISIT = Target(owner_id=2, owner_name="Sam", owner_since="10:42", helper_ids=frozenset({3}))
UNOWNED = Target()


@pytest.mark.parametrize("action", list(Action))
def test_a_kiosk_may_only_check_customers_in(action: Action) -> None:
    refused = refusal(KIOSK, action, SAMS_VISIT)
    if action == Action.CHECK_IN:
        assert refused is None
    else:
        assert refused is not None and refused.sentence.startswith("The kiosk can only check customers in.")


@pytest.mark.parametrize("action", sorted(LEAD_ONLY))
def test_lead_only_actions_refuse_an_associate_naming_what_needs_a_lead(action: Action) -> None:
    refused = refusal(OWNER, action)
    assert refused is not None and refused.kind is NotAllowed
    assert refused.sentence == f"Only a shift lead can {action}. Ask a shift lead."
    assert allows(LEAD, action, Target(owner_id=2))


@pytest.mark.parametrize(
    ("action", "allowed"),
    [
        (Action.WORK_ON_VISIT, {"lead", "owner", "helper"}),
        (Action.ADD_HELPER, {"lead", "owner"}),
        (Action.END_VISIT, {"lead", "owner"}),
        (Action.END_VISIT_UNSERVED, {"lead", "owner"}),
        (Action.REQUEST_HANDOFF, {"owner"}),
    ],
)
def test_work_on_an_owned_visit(action: Action, allowed: set[str]) -> None:
    people = {"lead": LEAD, "owner": OWNER, "helper": HELPER, "other": OTHER}
    for who, actor in people.items():
        refused = refusal(actor, action, SAMS_VISIT)
        if who in allowed:
            assert refused is None, who
        else:
            assert refused is not None and refused.kind is AlreadyOwned, who
            assert refused.sentence == (
                "Sam has this customer since 10:42. Ask Sam, or a shift lead can approve a hand-off."
            )


def test_an_unowned_visit_is_anyones_to_work_on_but_needs_a_claim_for_an_owners_steps() -> None:
    assert allows(OTHER, Action.WORK_ON_VISIT, UNOWNED)
    assert allows(OTHER, Action.END_VISIT_UNSERVED, UNOWNED)
    for action in (Action.ADD_HELPER, Action.END_VISIT, Action.REQUEST_HANDOFF):
        refused = refusal(OTHER, action, UNOWNED)
        assert refused is not None and refused.kind is Conflict and "laim" in refused.sentence
    refused = refusal(LEAD, Action.END_VISIT, UNOWNED)  # a sale nobody served is not a sale
    assert refused is not None and refused.kind is Conflict and "laim" in refused.sentence
    assert allows(LEAD, Action.END_VISIT_UNSERVED, UNOWNED)


def test_a_follow_up_is_its_owners_or_a_leads() -> None:
    sams = Target(owner_id=2, owner_name="Sam")
    assert allows(OWNER, Action.WORK_ON_FOLLOWUP, sams) and allows(LEAD, Action.WORK_ON_FOLLOWUP, sams)
    refused = refusal(HELPER, Action.WORK_ON_FOLLOWUP, sams)
    assert (
        refused is not None
        and refused.sentence == "This follow-up is Sam's. Ask Sam, or a shift lead can reassign it."
    )


@pytest.mark.parametrize("action", list(Action))
def test_whose_it_is_alone_never_allows_what_the_whole_target_refuses(action: Action) -> None:
    """`require_visit` asks with the owner's id alone first and reads the owner's name, the
    claim time and the helpers only when that is refused: so knowing them must never turn
    an allowed action into a refused one (helpers only let more people in; the name and
    time only make the sentence)."""
    targets = [SAMS_VISIT, UNOWNED, Target(owner_id=3, owner_name="Alex", helper_ids=frozenset({2, 4}))]
    for actor in (LEAD, OWNER, HELPER, OTHER, KIOSK):
        for target in targets:
            if allows(actor, action, bare(target)):
                assert allows(actor, action, target), (actor.name, target)


def test_a_refusal_on_the_owner_alone_is_asked_again_with_the_helpers() -> None:
    assert not allows(HELPER, Action.WORK_ON_VISIT, bare(SAMS_VISIT))
    assert allows(HELPER, Action.WORK_ON_VISIT, SAMS_VISIT)
