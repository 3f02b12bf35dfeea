"""Thank-yous after a purchase: the stock opening the owner adds a personal line to, and
queueing one inside the visit's end transaction (owned by the visit owner, due by the
end of the next business day, on a channel the customer agreed to)."""

from __future__ import annotations

from sqlmodel import Session, select

from counter_tui.db.models import Channel, FollowUp, FollowUpKind, FollowUpStatus, Visit
from counter_tui.limits import fitted, limited
from counter_tui.services.context import Actor, ShopContext, load_staff_actor
from counter_tui.services.customers import consented_channels, load_customer
from counter_tui.services.followups import insert_followup
from counter_tui.services.personal_line import require_personal
from counter_tui.services.queries import first_name

THANK_YOU_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PHONE)


def thank_you_template(shop_name: str, first_name: str) -> str:
    """The stock opening of every thank-you; the owner adds a personal line to it (cut
    to a follow-up's length, should the shop's name be very long)."""
    return fitted(f"Thank you for visiting {shop_name}, {first_name}.", "followup")


def _best_channel(consented: set[str], order: tuple[str, ...]) -> str:
    return next((channel for channel in order if channel in consented), Channel.IN_PERSON)


def queue_thank_you(
    session: Session, ctx: ShopContext, actor: Actor, visit: Visit, personal_line: str
) -> int:
    """Queue the thank-you for a purchase, inside the visit's end transaction.

    Owned by the visit owner, due by the end of the next business day, on a channel the
    customer agreed to (else in person at the next visit). A customer who already has an
    open thank-you gets that one, not a second (no hounding).
    """
    assert visit.customer_id is not None
    customer = load_customer(session, visit.customer_id)
    template = thank_you_template(ctx.rules.shop.name, first_name(customer.name))
    personal_line = limited(personal_line, "personal_line")
    if personal_line:
        require_personal(personal_line, template, can_wait=True)
    existing = session.exec(
        select(FollowUp).where(
            FollowUp.customer_id == visit.customer_id,
            FollowUp.kind == FollowUpKind.THANK_YOU,
            FollowUp.status == FollowUpStatus.OPEN,
        )
    ).first()
    if existing is not None:
        if personal_line:
            existing.personal_line = personal_line
            session.add(existing)
        assert existing.id is not None
        return existing.id
    return insert_followup(
        session,
        ctx,
        actor,
        load_staff_actor(session, actor),
        visit.customer_id,
        FollowUpKind.THANK_YOU,
        _best_channel(consented_channels(session, visit.customer_id), THANK_YOU_CHANNELS),
        template,
        ctx.calendar.thank_you_due(ctx.now()),
        owner_id=visit.owner_id or actor.staff_id,
        visit_id=visit.id,
        personal_line=personal_line,
    )
