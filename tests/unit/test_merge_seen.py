"""A merge moves what its lead was shown, or nothing: a visit, note, follow-up or piece of
feedback that came to (or left) the duplicate after the preview, a follow-up closed, a
consent answer, remembered need or preference that changes the outcome, a phone or email
that would no longer be taken, is refused with one sentence saying what changed, and
nothing is written; merging what the refusal now shows goes ahead. A second lead
confirming after the first merged is told so. An undo is of the merge its dialog named,
and a second lead's undo after the first is told who undid it. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import col, select

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, Channel, Customer, CustomerMerge, CustomerNote, Outcome, Visit
from counter_tui.errors import Conflict
from counter_tui.services import customers, followups, merge, merge_undo, staff, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.merge_seen import MergeChanged
from tests.conftest import Team, postgres_url

MERGE_EVENTS = ["customer.merged", "customer.merge_undone"]
AGAIN = "check the summary and press Enter again to merge."


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Both databases: the check and the merge are one transaction on each."""
    if request.param == "postgresql":
        return postgres_url(request)
    return f"sqlite:///{tmp_path / 'counter.sqlite3'}"


def _pair(ctx: ShopContext, team: Team) -> tuple[int, int]:
    """ "Quoted, Name" on file with a phone, and "Dup" with another and nothing else yet."""
    kept = customers.create_customer(ctx, team.sam, name="Quoted, Name", phone="07700 900123")
    dup = customers.create_customer(ctx, team.sam, name="Dup", phone="07700 900456", email="dup@example.com")
    return kept, dup


def _written(ctx: ShopContext) -> tuple[list[CustomerMerge], list[str], int | None]:
    """Merges recorded, merge audit events (oldest first), and where the duplicate points."""
    with ctx.database.read() as session:
        merges = list(session.exec(select(CustomerMerge).order_by(col(CustomerMerge.id))).all())
        events = [
            event.action
            for event in session.exec(
                select(AuditEvent)
                .where(col(AuditEvent.action).in_(MERGE_EVENTS))
                .order_by(col(AuditEvent.id))
            )
        ]
        dup = session.exec(select(Customer).where(Customer.name == "Dup")).one()
        return merges, events, dup.merged_into_id


def _lead_priya(ctx: ShopContext, team: Team) -> Actor:
    """Priya, a second shift lead, signed in."""
    priya = staff.add_staff(ctx, team.lead, name="Priya", pin="7777", role="lead")
    return staff.sign_in(ctx, priya.id, "7777")


def test_a_visit_and_note_added_to_the_duplicate_after_the_preview_refuse_the_merge(
    ctx: ShopContext, team: Team
) -> None:
    kept, dup = _pair(ctx, team)
    shown = merge.preview_merge(ctx, team.lead, kept, dup)
    assert (shown.visits, shown.notes) == (0, 0)
    visit = visits.new_walk_in(ctx, team.sam, customer_id=dup, claim=True)  # Sam, at the till
    visits.add_visit_note(ctx, team.sam, visit, "Allergic to nuts - important")

    with pytest.raises(MergeChanged) as refused:
        merge.merge_customers(ctx, team.lead, shown.seen)
    assert str(refused.value) == f"Since you opened this, Dup gained a visit and a note; {AGAIN}"
    assert _written(ctx) == ([], [], None)
    now = refused.value.now
    assert now is not None and (now.visits, now.notes) == (1, 1)

    result = merge.merge_customers(ctx, team.lead, now.seen)  # Enter again, having seen it
    [record] = _written(ctx)[0]
    with ctx.database.read() as session:
        [note] = session.exec(select(CustomerNote)).all()
        assert session.get_one(Visit, visit).customer_id == kept and note.customer_id == kept
    moved = json.loads(record.moved)
    assert (moved["visits"], moved["notes"]) == ([visit], [note.id])
    assert result.merge_id == record.id


def test_nothing_changed_merges_what_was_shown(ctx: ShopContext, team: Team) -> None:
    kept, dup = _pair(ctx, team)
    customers.add_note(ctx, team.sam, dup, "Ordered the oak table")
    shown = merge.preview_merge(ctx, team.lead, kept, dup)
    merge.merge_customers(ctx, team.lead, shown.seen)
    merges, events, merged_into = _written(ctx)
    assert (len(merges), events, merged_into) == (1, ["customer.merged"], kept)
    assert len(json.loads(merges[0].moved)["notes"]) == 1


def test_a_follow_up_closed_and_a_consent_answered_since_are_said(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    kept, dup = _pair(ctx, team)
    callback = followups.add_callback(
        ctx, team.sam, dup, about="table delivery date", consent_source="asked for a call"
    )
    customers.record_consent(ctx, team.sam, dup, Channel.EMAIL, granted=True, source="said yes")
    shown = merge.preview_merge(ctx, team.lead, kept, dup)
    clock.advance(minutes=1)
    followups.cancel_followup(ctx, team.sam, callback, reason="customer came in")
    customers.record_consent(ctx, team.sam, kept, Channel.EMAIL, granted=False, source="no emails")

    with pytest.raises(MergeChanged) as refused:
        merge.merge_customers(ctx, team.lead, shown.seen)
    assert str(refused.value) == (
        "Since you opened this, Dup's open follow-up was closed and the email consent answer "
        f"changed; {AGAIN}"
    )
    assert _written(ctx) == ([], [], None)
    assert refused.value.now is not None
    merge.merge_customers(ctx, team.lead, refused.value.now.seen)
    assert _written(ctx)[2] == kept


def test_a_phone_the_kept_record_gained_meanwhile_is_not_taken_unseen(ctx: ShopContext, team: Team) -> None:
    kept = customers.create_customer(ctx, team.sam, name="Quoted, Name")
    customers.create_customer(ctx, team.sam, name="Dup", phone="020 7946 0000")
    dup = _written_dup(ctx)
    shown = merge.preview_merge(ctx, team.lead, kept, dup)
    assert shown.phone_taken == "020 7946 0000"
    customers.update_contact(ctx, team.sam, kept, name="Quoted, Name", phone="07700 900999", email="")
    with pytest.raises(MergeChanged) as refused:
        merge.merge_customers(ctx, team.lead, shown.seen)
    assert str(refused.value) == (
        f"Since you opened this, Quoted, Name would no longer take Dup's phone; {AGAIN}"
    )
    assert _written(ctx) == ([], [], None)


def _written_dup(ctx: ShopContext) -> int:
    with ctx.database.read() as session:
        return session.exec(select(Customer).where(Customer.name == "Dup")).one().id or 0


def test_a_second_lead_confirming_after_the_first_merged_is_told_so(ctx: ShopContext, team: Team) -> None:
    kept, dup = _pair(ctx, team)
    priya = _lead_priya(ctx, team)
    danas_view = merge.preview_merge(ctx, team.lead, kept, dup)
    merge.merge_customers(ctx, priya, merge.preview_merge(ctx, priya, kept, dup).seen)

    with pytest.raises(MergeChanged) as refused:
        merge.merge_customers(ctx, team.lead, danas_view.seen)
    assert str(refused.value) == (
        "Priya already merged Dup into Quoted, Name at 11:00; nothing is left to merge."
    )
    assert refused.value.nothing_left and refused.value.now is None
    merges, events, _ = _written(ctx)
    assert (len(merges), events) == (1, ["customer.merged"])


def test_an_undo_is_of_the_merge_its_dialog_named_and_a_second_is_told_who_undid_it(
    ctx: ShopContext, team: Team, clock: ManualClock
) -> None:
    kept, dup = _pair(ctx, team)
    priya = _lead_priya(ctx, team)
    first = merge.merge_customers(ctx, team.lead, merge.preview_merge(ctx, team.lead, kept, dup).seen)
    [shown] = merge_undo.undoable_merges(ctx, team.lead, kept)  # Dana's undo dialog names it
    clock.advance(minutes=4)
    merge_undo.undo_merge(ctx, priya, first.merge_id, "checking")
    again = merge.merge_customers(ctx, priya, merge.preview_merge(ctx, priya, kept, dup).seen)

    with pytest.raises(Conflict) as refused:
        merge_undo.undo_merge(ctx, team.lead, shown.merge_id, "different people")
    assert str(refused.value) == "Priya already undid this merge at 11:04; nothing is left to undo."
    merges, events, merged_into = _written(ctx)
    assert merged_into == kept  # Priya's second merge, which Dana's dialog never named, stands
    assert [m.undone_at is None for m in merges] == [False, True] and again.merge_id == merges[1].id
    assert events == ["customer.merged", "customer.merge_undone", "customer.merged"]


def test_an_open_visit_ended_and_another_begun_since_is_said_as_a_visit_gained(
    ctx: ShopContext, team: Team
) -> None:
    kept, dup = _pair(ctx, team)
    visit = visits.new_walk_in(ctx, team.sam, customer_id=dup, claim=True)
    shown = merge.preview_merge(ctx, team.lead, kept, dup)
    visits.end_visit(ctx, team.sam, visit, Outcome.NO_PURCHASE)
    other = visits.new_walk_in(ctx, team.sam, customer_id=dup, claim=True)
    with pytest.raises(MergeChanged) as refused:
        merge.merge_customers(ctx, team.lead, shown.seen)
    assert str(refused.value) == f"Since you opened this, Dup gained a visit; {AGAIN}"
    assert refused.value.now is not None
    merge.merge_customers(ctx, team.lead, refused.value.now.seen)
    with ctx.database.read() as session:
        assert {session.get_one(Visit, v).customer_id for v in (visit, other)} == {kept}
