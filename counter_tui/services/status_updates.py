"""Status updates on an open order or repair: started from the customer view with what it
is about, how the customer will hear and every how many days; each one comes back to its
owner that many days on (at close, on an open day, in the shop's time zone) until it is
checked off as done ("still open" queues the next, in `followups.complete_followup`)."""

from __future__ import annotations

from sqlmodel import col, func, select

from counter_tui.config import STATUS_UPDATE_DAYS
from counter_tui.db.models import Channel, FollowUp, FollowUpKind, FollowUpStatus
from counter_tui.errors import Conflict, InvalidInput, NotAllowed
from counter_tui.limits import limited
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import consented_channels, load_customer
from counter_tui.services.followups import insert_followup, status_update_due
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.permissions import Action, require

STATUS_UPDATE_CHANNELS = (Channel.PHONE, Channel.SMS, Channel.EMAIL, Channel.IN_PERSON)
MOST_DAYS = STATUS_UPDATE_DAYS[1]
"""The longest interval between updates, the same as the shop's default may be set to."""


def every_days_from(typed: str | int) -> int:
    """The interval as a whole number of days from 1 to `MOST_DAYS`, or a sentence saying
    what to type."""
    text = str(typed).strip()
    if not text.isdigit() or not 1 <= int(text) <= MOST_DAYS:
        raise InvalidInput(
            f"Type how many days between updates, a whole number from 1 to {MOST_DAYS} (e.g. 3).",
            field="every_days",
        )
    return int(text)


def start_status_update(
    ctx: ShopContext,
    actor: Actor,
    customer_id: int,
    *,
    about: str,
    channel: str,
    every_days: int,
) -> int:
    """Start keeping a customer up to date on an open order or repair; returns the first
    update's id. The one who starts it owns it; it is due `every_days` on, at close.

    Needs the customer's consent for `channel` (in person needs none). Refused when an
    update on the same thing is already open for them, so nobody hears it twice."""
    about = limited(about, "followup", param="about")
    if not about:
        raise InvalidInput(
            "Say which order or repair it is (e.g. 'Watch repair, new crown ordered').", field="about"
        )
    if channel not in STATUS_UPDATE_CHANNELS:
        raise InvalidInput(
            "Pick how they will hear: phone, text message, email or in person.", field="channel"
        )
    days = every_days_from(every_days)
    with ctx.database.write() as session:
        staff = require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        customer = load_customer(session, customer_id)
        if channel != Channel.IN_PERSON and channel not in consented_channels(session, customer_id):
            raise NotAllowed(
                f"{customer.name} has not agreed to be contacted by {CHANNEL_LABELS[channel]}. "
                "Record their consent first, or pick 'in person'."
            )
        already = session.exec(
            select(FollowUp.due_at).where(
                FollowUp.customer_id == customer_id,
                FollowUp.kind == FollowUpKind.STATUS_UPDATE,
                FollowUp.status == FollowUpStatus.OPEN,
                func.lower(col(FollowUp.summary)) == about.lower(),
            )
        ).first()
        if already is not None:
            raise Conflict(
                f"{customer.name} is already kept up to date on this; the next update is due "
                f"{ctx.calendar.local(already).format('ddd D MMM, HH:mm')}."
            )
        return insert_followup(
            session,
            ctx,
            actor,
            staff,
            customer_id,
            FollowUpKind.STATUS_UPDATE,
            channel,
            about,
            status_update_due(ctx, ctx.now(), days),
            owner_id=staff.id,
            every_days=days,
        )
