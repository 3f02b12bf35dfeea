"""Applying the shop's retention rules (`retention.*` shop settings): erase customers
who have not visited for longer than the shop keeps them, and blank what was typed
about visits older than the shop keeps that.

Customers are erased one by one through the erasure service (the same as a lead erasing
them on request: history kept anonymous, earlier audit events redacted), each with its
own audit event giving the rule as the reason; visit text is blanked by
`erasure.blank_visit_text`. A customer counts as seen when they last arrived for a
visit, or when they were put on file if they never came. A rule set to 0 does nothing.
A dry run says what would go and changes nothing; a run ends with one `retention.run`
event with the counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func
from sqlmodel import col, or_, select

from counter_tui.db.models import Customer, CustomerNote, Visit, VisitNeed
from counter_tui.sentences import counted
from counter_tui.services import audit, erasure
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require

RAN = "retention.run"


@dataclass(frozen=True)
class RetentionPlan:
    """What the rules reach now: customers to erase, and the visit-text cutoff (None
    when a rule is off)."""

    customer_ids: tuple[int, ...]
    unseen_since: datetime | None
    text_before: datetime | None
    visits_with_text: int


@dataclass(frozen=True)
class RetentionResult:
    """What a run did (or, dry, would do)."""

    plan: RetentionPlan
    customers_erased: int
    visits_blanked: int
    dry_run: bool


def plan_retention(ctx: ShopContext, actor: Actor) -> RetentionPlan:
    """What the retention rules would erase now; a shift lead only."""
    rules = ctx.read_rules().retention
    now = ctx.now()
    unseen_since = now - timedelta(days=rules.customers_unseen_days) if rules.customers_unseen_days else None
    text_before = now - timedelta(days=rules.visit_text_days) if rules.visit_text_days else None
    with ctx.database.read() as session:
        require(session, actor, Action.APPLY_RETENTION)
        customer_ids: tuple[int, ...] = ()
        if unseen_since is not None:
            last_visit = (
                select(Visit.customer_id, func.max(Visit.arrived_at).label("last"))
                .group_by(col(Visit.customer_id))
                .subquery()
            )
            seen = func.coalesce(last_visit.c.last, Customer.created_at)
            query = (
                select(Customer.id)
                .outerjoin(last_visit, last_visit.c.customer_id == Customer.id)
                .where(
                    col(Customer.erased_at).is_(None),
                    col(Customer.merged_into_id).is_(None),
                    seen < unseen_since,
                )
                .order_by(col(Customer.id))
            )
            customer_ids = tuple(found for found in session.exec(query) if found is not None)
        visits_with_text = 0
        if text_before is not None:
            visits_with_text = len(
                session.exec(
                    select(Visit.id).where(
                        col(Visit.arrived_at) < text_before,
                        col(Visit.ended_at).is_not(None),
                        or_(
                            col(Visit.description) != "",
                            col(Visit.preferences) != "",
                            col(Visit.id).in_(select(VisitNeed.visit_id).where(VisitNeed.detail != "")),
                            col(Visit.id).in_(
                                select(CustomerNote.visit_id).where(CustomerNote.body != erasure.ERASED_TEXT)
                            ),
                        ),
                    )
                ).all()
            )
    return RetentionPlan(customer_ids, unseen_since, text_before, visits_with_text)


def run_retention(ctx: ShopContext, actor: Actor, *, dry_run: bool = False) -> RetentionResult:
    """Apply the retention rules (or, with `dry_run`, only say what they reach)."""
    plan = plan_retention(ctx, actor)
    if dry_run:
        return RetentionResult(plan, len(plan.customer_ids), plan.visits_with_text, dry_run=True)
    erased = 0
    if plan.unseen_since is not None:
        days = ctx.read_rules().retention.customers_unseen_days
        reason = f"retention rule: not seen for {counted(days, 'day')}"
        for customer_id in plan.customer_ids:
            erasure.erase_customer(ctx, actor, customer_id, reason)
            erased += 1
    blanked = 0
    if plan.text_before is not None:
        days = ctx.read_rules().retention.visit_text_days
        blanked = erasure.blank_visit_text(
            ctx, actor, plan.text_before, reason=f"retention rule: visit text kept {counted(days, 'day')}"
        )
    with ctx.database.write() as session:
        require(session, actor, Action.APPLY_RETENTION)
        audit.record(session, ctx, actor, RAN, "shop", None, customers_erased=erased, visits_blanked=blanked)
    return RetentionResult(plan, erased, blanked, dry_run=False)
