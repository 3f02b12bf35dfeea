"""The audit log for leads: newest first, paged, filtered by customer name, staff member,
action and day; details as plain text; erased customers' events shown as redacted."""

from __future__ import annotations

from datetime import timedelta

import pytest

from counter_tui.clock import ManualClock
from counter_tui.db.models import Outcome
from counter_tui.errors import NotAllowed
from counter_tui.services import customers, erasure, followups, kudos, visits
from counter_tui.services.audit_views import (
    NO_FILTER,
    AuditFilter,
    audit_actions,
    audit_log,
    detail_lines,
    details_text,
)
from counter_tui.services.context import ShopContext
from tests.conftest import Team


@pytest.fixture
def history(ctx: ShopContext, team: Team, clock: ManualClock) -> dict[str, int]:
    """Friday: Sam puts Bob Jones on file and serves him. Saturday: Alex puts Cara Lee on
    file, and promises Bob a callback; a walk-in nobody names comes and goes."""
    bob = customers.create_customer(ctx, team.sam, name="Bob Jones", phone="07700 900123")
    sale = visits.new_walk_in(ctx, team.sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, team.sam, sale, Outcome.PURCHASE)
    clock.advance(days=1)
    cara = customers.create_customer(ctx, team.alex, name="Cara Lee")
    followups.add_callback(ctx, team.alex, bob, about="repair quote", consent_source="asked at the counter")
    walk_in = visits.new_walk_in(ctx, team.alex, description="green coat", claim=True)
    visits.end_visit(ctx, team.alex, walk_in, Outcome.NO_PURCHASE)
    return {"bob": bob, "cara": cara}


def actions_of(ctx: ShopContext, team: Team, filters: AuditFilter = NO_FILTER) -> list[str]:
    return [entry.action for entry in audit_log(ctx, team.lead, filters).entries]


def test_newest_first_a_page_at_a_time(ctx: ShopContext, team: Team, history: dict[str, int]) -> None:
    everything = audit_log(ctx, team.lead)
    assert not everything.has_older
    ids = [entry.id for entry in everything.entries]
    assert ids == sorted(ids, reverse=True) and len(ids) >= 6

    first = audit_log(ctx, team.lead, page_size=4)
    second = audit_log(ctx, team.lead, before_id=first.entries[-1].id, page_size=4)
    assert first.has_older
    assert [e.id for e in first.entries + second.entries] == ids[:8]


def test_filter_by_customer_name_finds_their_record_visits_and_follow_ups(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    found = audit_log(ctx, team.lead, AuditFilter(customer="jones")).entries
    assert [(e.action, e.subject) for e in found] == [
        ("followup.queued", "followup 2"),
        ("customer.consent_recorded", f"customer {history['bob']}"),
        ("followup.queued", "followup 1"),
        ("visit.ended", "visit 1"),
        ("visit.claimed", "visit 1"),
        ("visit.created", "visit 1"),
        ("customer.created", f"customer {history['bob']}"),
    ]
    assert actions_of(ctx, team, AuditFilter(customer="CARA")) == ["customer.created"]
    assert actions_of(ctx, team, AuditFilter(customer="nobody by that name")) == []


def test_filter_by_customer_name_folds_accents_and_apostrophes_as_find_customer_does(
    ctx: ShopContext, team: Team
) -> None:
    zoe = customers.create_customer(ctx, team.sam, name="Zoë O'Neill")
    customers.create_customer(ctx, team.sam, name="Zora Oates")
    for typed in ("zoe", "ZOË", "oneill", "o'neill", "zoe onei"):
        found = audit_log(ctx, team.lead, AuditFilter(customer=typed)).entries
        assert [(e.action, e.subject) for e in found] == [("customer.created", f"customer {zoe}")], typed
    assert actions_of(ctx, team, AuditFilter(customer="zoe oates")) == []


def test_filter_by_staff_action_and_day(
    ctx: ShopContext, team: Team, history: dict[str, int], clock: ManualClock
) -> None:
    by_sam = audit_log(ctx, team.lead, AuditFilter(staff_id=team.sam.staff_id)).entries
    assert by_sam and {e.staff_name for e in by_sam} == {"Sam"}

    created = actions_of(ctx, team, AuditFilter(action="customer.created"))
    assert created == ["customer.created", "customer.created"]
    assert "customer.created" in audit_actions(ctx, team.lead)

    today = ctx.calendar.local_date(ctx.now())
    yesterday = today - timedelta(days=1)
    on_friday = audit_log(ctx, team.lead, AuditFilter(day=yesterday)).entries
    assert {e.staff_name for e in on_friday} == {"Sam", "Dana", "Alex", ""}
    assert "customer.created" in {e.action for e in on_friday}
    on_saturday = audit_log(ctx, team.lead, AuditFilter(day=today)).entries
    assert {e.staff_name for e in on_saturday} == {"Alex"}
    both = AuditFilter(action="customer.created", day=today, staff_id=team.alex.staff_id)
    [cara] = audit_log(ctx, team.lead, both).entries
    assert cara.details == "name: Cara Lee"


def test_an_erased_customers_events_show_as_redacted(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    erasure.erase_customer(ctx, team.lead, history["bob"], "asked to be forgotten")
    entries = audit_log(ctx, team.lead).entries
    about_bob = f"customer {history['bob']}"
    created = [e for e in entries if e.action == "customer.created" and e.subject == about_bob]
    assert [(e.redacted, e.details) for e in created] == [(True, "")]
    assert not any("Bob" in e.details or "Jones" in e.details for e in entries)


def test_details_are_plain_text_never_markup() -> None:
    assert details_text('{"name": "[b]Bob[/b]", "topics": ["parking", "[/]"], "owner_id": 3}') == (
        "name: [b]Bob[/b] · topics: parking, [/] · owner_id: 3"
    )
    assert details_text('{"events": {"12": "ab", "13": "cd"}}') == "events: 12, 13"
    assert details_text("not json") == "not json"


def test_the_whole_event_shows_every_value_nested_and_changes_as_from_to() -> None:
    """The one-line table names a mapping's keys; the whole event shows every value, so a
    lead sees what a setting was changed from and to."""
    details = (
        '{"changes": {"mail.host": {"from": "[@click=app.quit]x[/]", "to": "127.0.0.1"}},'
        ' "topics": ["parking", "[/]"], "owner_id": 3, "note": ""}'
    )
    assert detail_lines(details) == (
        "changes:",
        "  mail.host: [@click=app.quit]x[/] → 127.0.0.1",
        "topics: parking, [/]",
        "owner_id: 3",
    )
    assert detail_lines('{"from_due_at": "2026-11-03 17:30", "moved": {"from": null, "to": "x"}}') == (
        "from_due_at: 2026-11-03 17:30",
        "moved: — → x",
    )
    assert detail_lines("not json") == ("not json",)


def test_only_leads_may_read_the_audit(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(NotAllowed, match="shift lead"):
        audit_log(ctx, team.sam)
    with pytest.raises(NotAllowed):
        audit_actions(ctx, team.alex)


def test_each_event_names_who_it_is_about_not_only_an_id(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    """A lead reads "Bob Jones", not "visit 240": visits, follow-ups and records name the
    customer (a walk-in nobody named by its description), staff events the staff member;
    the entity and id stay beside the name for the detail view."""
    entries = audit_log(ctx, team.lead).entries
    about = {(entry.action, entry.about) for entry in entries}
    assert ("customer.created", "Bob Jones") in about
    assert ("customer.created", "Cara Lee") in about
    assert ("visit.claimed", "Bob Jones") in about
    assert ("visit.claimed", "green coat") in about
    assert ("followup.queued", "Bob Jones") in about
    bob_visit = next(e for e in entries if e.action == "visit.claimed" and e.about == "Bob Jones")
    assert bob_visit.subject.startswith("visit ") and bob_visit.subject.split()[1].isdigit()


def test_an_erased_customer_is_not_named_in_the_log(
    ctx: ShopContext, team: Team, history: dict[str, int]
) -> None:
    erasure.erase_customer(ctx, team.lead, history["bob"], "asked to be forgotten")
    abouts = {entry.about for entry in audit_log(ctx, team.lead).entries}
    assert "Bob Jones" not in abouts
    assert f"erased customer #{history['bob']}" in abouts


def test_kudos_and_staff_events_name_the_staff_member(ctx: ShopContext, team: Team) -> None:
    kudos.give_kudos(ctx, team.lead, team.sam.staff_id, "stayed late to help a customer")
    about = {(entry.action, entry.about) for entry in audit_log(ctx, team.lead).entries}
    assert ("kudos.given", "Sam") in about
