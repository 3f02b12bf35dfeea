"""Merging two records of one customer (shift leads): what moves, which consent wins,
what the lead is shown first, and undoing it until the end of the shop's day."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import (
    Channel,
    ContactConsent,
    Customer,
    CustomerMerge,
    FollowUp,
    NeedKind,
    Outcome,
    StandingNeed,
    Visit,
)
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound
from counter_tui.services import (
    customer_record,
    customers,
    feedback,
    followups,
    merge,
    merge_undo,
    visit_customer,
    visits,
)
from counter_tui.services.context import ShopContext
from counter_tui.services.duplicates import PossibleDuplicate
from counter_tui.services.merge_seen import MergeSeen
from counter_tui.ui.dialogs.merge_preview import preview_lines
from tests.conftest import Team
from tests.unit.conftest import AuditLog


@dataclass
class Duplicates:
    """Bob Jones on file twice, each record with its own history."""

    kept: int
    dup: int
    kept_visit: int
    dup_visit: int
    dup_followup: int
    dup_feedback: int


def _consents(ctx: ShopContext, customer_id: int) -> dict[str, tuple[bool, str]]:
    with ctx.database.read() as session:
        rows = session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
        return {row.channel: (row.granted, row.source) for row in rows}


def _standing(ctx: ShopContext, customer_id: int) -> dict[str, str]:
    with ctx.database.read() as session:
        rows = session.exec(select(StandingNeed).where(StandingNeed.customer_id == customer_id))
        return {row.kind: row.detail for row in rows}


def _owner_of(ctx: ShopContext, model: Any, row_id: int) -> int | None:
    with ctx.database.read() as session:
        return session.get(model, row_id).customer_id  # type: ignore[no-any-return]


def _seen(ctx: ShopContext, team: Team, kept: int, dup: int) -> MergeSeen:
    """What the lead's merge dialog shows for merging `dup` into `kept`, now."""
    return merge.preview_merge(ctx, team.lead, kept, dup).seen


@pytest.fixture
def dups(ctx: ShopContext, team: Team, clock: ManualClock, bob: int) -> Duplicates:
    """Bob (07700 900123) and "Robert Jones" (rj@example.com), each with visits, notes,
    consents, needs and preferences recorded at different times."""
    sam = team.sam
    dup = customers.create_customer(
        ctx, sam, name="Robert Jones", phone="020 7946 0000", email="rj@example.com"
    )
    customers.record_consent(ctx, sam, bob, Channel.EMAIL, granted=True, source="said yes in March")
    customers.record_consent(ctx, sam, bob, Channel.SMS, granted=True, source="texts are fine")
    customers.set_standing_need(ctx, sam, bob, NeedKind.LANGUAGE, remember=True, detail="Welsh")
    customers.set_preferences(ctx, sam, bob, "Card only")
    kept_visit = visits.new_walk_in(ctx, sam, customer_id=bob, claim=True)
    visits.end_visit(ctx, sam, kept_visit, Outcome.NO_PURCHASE)
    clock.advance(minutes=5)
    customers.record_consent(ctx, sam, dup, Channel.EMAIL, granted=False, source="asked us to stop emailing")
    customers.record_consent(ctx, sam, dup, Channel.PHONE, granted=True, source="call any time")
    customers.set_standing_need(ctx, sam, dup, NeedKind.ACCESSIBILITY, remember=True, detail="ramp")
    customers.set_preferences(ctx, sam, dup, "Quiet corner")
    customers.add_note(ctx, sam, dup, "Ordered the oak table")
    dup_visit = visits.new_walk_in(ctx, sam, customer_id=dup, claim=True)
    visits.end_visit(ctx, sam, dup_visit, Outcome.NO_PURCHASE)
    dup_followup = followups.add_callback(ctx, sam, dup, about="table delivery date")
    dup_feedback = feedback.record_feedback(ctx, sam, body="Lovely shop", customer_id=dup)
    clock.advance(minutes=5)
    customers.record_consent(ctx, sam, bob, Channel.SMS, granted=False, source="no more texts")
    return Duplicates(bob, dup, kept_visit, dup_visit, dup_followup, dup_feedback)


def test_only_a_lead_may_merge(ctx: ShopContext, team: Team, dups: Duplicates) -> None:
    with pytest.raises(NotAllowed, match="shift lead"):
        merge.preview_merge(ctx, team.sam, dups.kept, dups.dup)
    with pytest.raises(NotAllowed, match="shift lead"):
        merge.merge_customers(ctx, team.sam, _seen(ctx, team, dups.kept, dups.dup))


def test_the_preview_says_what_will_move_and_which_consent_wins(
    ctx: ShopContext, team: Team, dups: Duplicates
) -> None:
    preview = merge.preview_merge(ctx, team.lead, dups.kept, dups.dup)
    assert (preview.kept_name, preview.merged_name) == ("Bob Jones", "Robert Jones")
    assert (preview.visits, preview.notes, preview.open_followups, preview.feedback) == (1, 1, 1, 1)
    outcomes = {c.channel: (c.granted, c.source, c.from_duplicate) for c in preview.consents}
    assert outcomes == {
        "email": (False, "asked us to stop emailing", True),
        "phone": (True, "call any time", True),
    }
    assert preview.standing_needs == ("accessibility",)
    assert preview.preferences == "Card only\nQuiet corner"
    assert preview.final_at == datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
    assert _consents(ctx, dups.kept)["email"] == (True, "said yes in March")  # nothing written


def test_the_preview_names_the_year_of_an_answer_given_in_another_year(
    ctx: ShopContext, team: Team, dups: Duplicates, clock: ManualClock
) -> None:
    """Which answer is the later one must be plain: from last year, it says so."""
    clock.advance(days=60)
    lines = preview_lines(merge.preview_merge(ctx, team.lead, dups.kept, dups.dup), ctx.calendar, ctx.now())
    answers = [line for line in lines if "the later answer" in line]
    assert answers == [
        "Email: no (asked us to stop emailing; Fri 20 Nov 2026, 11:05; the later answer, from Robert Jones).",
        "Phone: yes (call any time; Fri 20 Nov 2026, 11:05; the later answer, from Robert Jones).",
    ]


def test_merge_moves_everything_to_the_kept_record(
    ctx: ShopContext, team: Team, dups: Duplicates, fetch: Callable[..., Any], audit_log: AuditLog
) -> None:
    result = merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    assert result.final_at == datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
    assert _owner_of(ctx, Visit, dups.dup_visit) == dups.kept
    assert _owner_of(ctx, FollowUp, dups.dup_followup) == dups.kept
    record = customer_record.customer_detail(ctx, team.sam, dups.kept)
    assert [note.body for note in record.notes] == ["Ordered the oak table"]
    assert [f.summary for f in record.open_followups] == ["table delivery date"]
    assert len(record.history) == 2
    assert _consents(ctx, dups.kept) == {
        "email": (False, "asked us to stop emailing"),  # the later answer, with its source
        "phone": (True, "call any time"),
        "sms": (False, "no more texts"),  # the kept record's own answer was later
    }
    assert _standing(ctx, dups.kept) == {"language": "Welsh", "accessibility": "ramp"}
    assert record.preferences == "Card only\nQuiet corner"
    duplicate: Customer = fetch(Customer, dups.dup)
    assert duplicate.merged_into_id == dups.kept and duplicate.erased_at is None
    assert _consents(ctx, dups.dup) == {} and _standing(ctx, dups.dup) == {}
    [event] = audit_log("customer.merged")
    assert (event.entity_id, event.actor_id) == (dups.kept, team.lead.staff_id)
    assert f'"merged_id": {dups.dup}' in event.details


def test_the_kept_record_is_found_by_the_duplicates_details_and_the_duplicate_is_gone(
    ctx: ShopContext, team: Team, dups: Duplicates
) -> None:
    merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    assert [m.id for m in customers.find_customers(ctx, "rj@").items] == [dups.kept]
    assert [m.id for m in customers.find_customers(ctx, "robert").items] == [dups.kept]
    assert [m.id for m in customers.find_customers(ctx, "").items] == [dups.kept]
    with pytest.raises(NotFound, match="merged into Bob Jones's record"):
        customer_record.customer_detail(ctx, team.sam, dups.dup)


def test_a_walk_in_with_the_duplicates_email_is_offered_the_kept_record(
    ctx: ShopContext, team: Team, dups: Duplicates
) -> None:
    merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    walk_in = visits.new_walk_in(ctx, team.sam, claim=True)
    with pytest.raises(PossibleDuplicate) as refused:
        visit_customer.add_customer_to_visit(ctx, team.sam, walk_in, name="Rob", email="RJ@example.com")
    assert [c.customer_id for c in refused.value.candidates] == [dups.kept]


def test_a_phone_or_email_the_kept_record_lacks_comes_from_the_duplicate_and_goes_back_on_undo(
    ctx: ShopContext, team: Team, fetch: Callable[..., Any]
) -> None:
    """Found by the tester: the kept record took the duplicate's email consent but not its
    address, so it said 'may contact by email' with no email to use."""
    ann = customers.create_customer(ctx, team.sam, name="Ann Jones", phone="07700 900999")
    zoe = customers.create_customer(ctx, team.sam, name="Zoë Smith", email="zoe@example.com")
    customers.record_consent(ctx, team.sam, zoe, Channel.EMAIL, granted=True, source="at the counter")
    preview = merge.preview_merge(ctx, team.lead, ann, zoe)
    assert (preview.phone_taken, preview.email_taken) == ("", "zoe@example.com")
    assert "Ann Jones has no email: Zoë Smith's (zoe@example.com) becomes theirs." in preview_lines(
        preview, ctx.calendar, ctx.now()
    )
    view = merge.merge_customers(ctx, team.lead, _seen(ctx, team, ann, zoe))
    kept: Customer = fetch(Customer, ann)
    assert (kept.phone, kept.email) == ("07700 900999", "zoe@example.com")
    assert [c.name for c in customers.find_customers(ctx, "zoe@ex").items] == ["Ann Jones"]
    merge_undo.undo_merge(ctx, team.lead, view.merge_id, "not the same person")
    assert fetch(Customer, ann).email == ""


def test_merge_refusals(ctx: ShopContext, team: Team, dups: Duplicates) -> None:
    with pytest.raises(InvalidInput, match="itself"):
        merge.preview_merge(ctx, team.lead, dups.kept, dups.kept)
    shown = _seen(ctx, team, dups.kept, dups.dup)
    visits.new_walk_in(ctx, team.sam, customer_id=dups.kept)
    visits.new_walk_in(ctx, team.sam, customer_id=dups.dup)
    with pytest.raises(Conflict, match="both have a visit open"):
        merge.merge_customers(ctx, team.lead, shown)


def test_undo_puts_everything_back(
    ctx: ShopContext, team: Team, dups: Duplicates, clock: ManualClock, audit_log: AuditLog
) -> None:
    before = (_consents(ctx, dups.kept), _consents(ctx, dups.dup), _standing(ctx, dups.kept))
    done = merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    clock.advance(hours=6)  # 17:10, before the 17:30 close
    assert [m.merge_id for m in merge_undo.undoable_merges(ctx, team.sam, dups.kept)] == [done.merge_id]
    with pytest.raises(NotAllowed):
        merge_undo.undo_merge(ctx, team.sam, done.merge_id, "different people")
    with pytest.raises(InvalidInput, match="Say why"):
        merge_undo.undo_merge(ctx, team.lead, done.merge_id, "  ")
    merge_undo.undo_merge(ctx, team.lead, done.merge_id, "different people, same family email")
    assert (_consents(ctx, dups.kept), _consents(ctx, dups.dup), _standing(ctx, dups.kept)) == before
    assert _standing(ctx, dups.dup) == {"accessibility": "ramp"}
    assert _owner_of(ctx, Visit, dups.dup_visit) == dups.dup
    assert _owner_of(ctx, FollowUp, dups.dup_followup) == dups.dup
    assert customer_record.customer_detail(ctx, team.sam, dups.kept).preferences == "Card only"
    assert customer_record.customer_detail(ctx, team.sam, dups.dup).notes[0].body == "Ordered the oak table"
    assert [m.id for m in customers.find_customers(ctx, "rj@").items] == [dups.dup]
    assert merge_undo.undoable_merges(ctx, team.sam, dups.kept) == ()
    [event] = audit_log("customer.merge_undone")
    assert "same family email" in event.details
    with pytest.raises(Conflict, match="Dana already undid this merge"):
        merge_undo.undo_merge(ctx, team.lead, done.merge_id, "again")


def test_undo_keeps_what_changed_on_the_kept_record_after_the_merge(
    ctx: ShopContext, team: Team, dups: Duplicates, clock: ManualClock
) -> None:
    done = merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    clock.advance(minutes=1)
    customers.record_consent(ctx, team.sam, dups.kept, Channel.PHONE, granted=False, source="changed mind")
    customers.add_note(ctx, team.sam, dups.kept, "Written after the merge")
    merge_undo.undo_merge(ctx, team.lead, done.merge_id, "not the same person")
    assert _consents(ctx, dups.kept)["phone"] == (False, "changed mind")
    assert "Written after the merge" in [
        n.body for n in customer_record.customer_detail(ctx, team.sam, dups.kept).notes
    ]


def test_a_merge_is_final_after_the_shop_closes(
    ctx: ShopContext, team: Team, dups: Duplicates, clock: ManualClock, fetch: Callable[..., Any]
) -> None:
    done = merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    clock.moment = datetime(2026, 11, 20, 17, 30, tzinfo=UTC)
    assert merge_undo.undoable_merges(ctx, team.lead, dups.kept) == ()
    with pytest.raises(Conflict, match="became final at 17:30 on Fri 20 Nov"):
        merge_undo.undo_merge(ctx, team.lead, done.merge_id, "too late")
    assert fetch(CustomerMerge, done.merge_id).undone_at is None


@pytest.mark.parametrize(
    ("made_at", "final_at"),
    [
        (datetime(2026, 11, 20, 9, 0), datetime(2026, 11, 20, 17, 30)),  # Friday, open
        (datetime(2026, 11, 20, 18, 0), datetime(2026, 11, 21, 0, 0)),  # Friday after close
        (datetime(2026, 11, 22, 12, 0), datetime(2026, 11, 23, 0, 0)),  # Sunday, closed
        (datetime(2026, 7, 4, 12, 0), datetime(2026, 7, 4, 15, 0)),  # Saturday in BST: 16:00 local
    ],
)
def test_end_of_the_day_comes_from_the_shop_calendar(
    ctx: ShopContext, made_at: datetime, final_at: datetime
) -> None:
    made = made_at.replace(tzinfo=UTC)
    assert merge.merge_final_at(ctx.calendar, made) == final_at.replace(tzinfo=UTC)
    assert merge.merge_final_at(ctx.calendar, made) - made < timedelta(days=1)


def test_erasing_the_kept_customer_erases_the_merged_record_too(
    ctx: ShopContext, team: Team, dups: Duplicates, fetch: Callable[..., Any]
) -> None:
    from counter_tui.services import erasure

    done = merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    erasure.erase_customer(ctx, team.lead, dups.kept, "asked in person")
    duplicate: Customer = fetch(Customer, dups.dup)
    assert (duplicate.name, duplicate.phone, duplicate.email) == (f"erased customer #{dups.dup}", "", "")
    assert duplicate.erased_at is not None
    assert fetch(CustomerMerge, done.merge_id).moved == "{}"
    assert customers.find_customers(ctx, "rj@").items == ()


def _by_import(ctx: ShopContext, customer_id: int) -> dict[str, bool]:
    with ctx.database.read() as session:
        rows = session.exec(select(ContactConsent).where(ContactConsent.customer_id == customer_id))
        return {row.channel: row.by_import for row in rows}


def test_a_consent_an_import_gave_stays_an_imports_through_a_merge_and_its_undo(
    ctx: ShopContext, team: Team, dups: Duplicates
) -> None:
    with ctx.database.write() as session:
        for row in session.exec(select(ContactConsent).where(ContactConsent.customer_id == dups.dup)):
            row.by_import = True
            session.add(row)
    kept_before, dup_before = _by_import(ctx, dups.kept), _by_import(ctx, dups.dup)
    assert dup_before and all(dup_before.values())

    done = merge.merge_customers(ctx, team.lead, _seen(ctx, team, dups.kept, dups.dup))
    taken = {channel for channel, by_import in _by_import(ctx, dups.kept).items() if by_import}
    assert taken and taken <= set(dup_before)

    merge_undo.undo_merge(ctx, team.lead, done.merge_id, "different people")
    assert (_by_import(ctx, dups.kept), _by_import(ctx, dups.dup)) == (kept_before, dup_before)


def test_two_records_of_the_same_name_are_told_apart_by_what_is_on_file(ctx: ShopContext, team: Team) -> None:
    """Found by a tester: "Alice Import is merged into Alice Import." gave a lead nothing to
    tell which record stays. With the same name, each is named with its phone or email."""
    kept = customers.create_customer(ctx, team.sam, name="Alice Import", phone="07700 900001")
    dup = customers.create_customer(ctx, team.sam, name="alice import", email="alice@example.com")
    bare = customers.create_customer(ctx, team.sam, name="Alice Import")

    lines = preview_lines(merge.preview_merge(ctx, team.lead, kept, dup), ctx.calendar, ctx.now())
    bare_lines = preview_lines(merge.preview_merge(ctx, team.lead, kept, bare), ctx.calendar, ctx.now())

    assert lines[0] == ("alice import (alice@example.com) is merged into Alice Import (07700 900001).")
    assert bare_lines[0] == ("Alice Import (no phone or email) is merged into Alice Import (07700 900001).")
