"""Customer feedback that gets fixed: staff record what customers say, leads see the
recurring topics, and acting on a topic tells the customers who raised it.

Topics are free tags, normalised (trimmed, lower case, inner spaces folded, a leading
'#' dropped, at most 40 characters, no duplicates) so "Parking", " parking " and
"#parking" count as one topic on the board.

When a lead marks a topic acted on, every customer on file who raised it since it was
last acted on, and who agreed to be contacted on some channel, gets a status-update
follow-up ("feedback acted on") saying what was done. Its owner is the staff member who recorded that
customer's feedback: they heard it, so the customer hears back from the same person
(the principle that the customer always knows who their person is). If that colleague
is no longer active, the lead who acted owns it. Customers without consent, erased
customers and anonymous feedback are not contacted. All of it is one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlmodel import Session, col, select

from counter_tui.db.models import (
    Channel,
    ContactConsent,
    Customer,
    Feedback,
    FeedbackStatus,
    FeedbackTag,
    FeedbackTopicStatus,
    FollowUpKind,
    Staff,
)
from counter_tui.errors import InvalidInput, NotFound
from counter_tui.limits import fitted, limited, lowered
from counter_tui.sentences import counted
from counter_tui.services import audit
from counter_tui.services.cadence import allowed_from, holding_contact
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.customers import load_customer
from counter_tui.services.followups import insert_followup
from counter_tui.services.permissions import Action, require
from counter_tui.services.queries import staff_names
from counter_tui.services.review_views import ActedOnResult, FeedbackView, TopicRow
from counter_tui.services.visits import load_visit
from counter_tui.text import clean_text

TOPICS_PER_FEEDBACK = 8
BOARD_DAYS = 30
# Preferred order for telling a customer a topic was fixed.
UPDATE_CHANNELS = (Channel.EMAIL, Channel.SMS, Channel.PHONE)


def normalise_topic(topic: str, param: str = "topic") -> str:
    """One topic as stored: cleaned, single spaces, no leading '#', lower case ("" if
    nothing is left); longer than the topic limit is refused about `param`."""
    text = limited(" ".join(clean_text(topic).split()).lstrip("#").strip(), "topic", param=param)
    return lowered(text, "topic").strip()


def normalise_topics(topics: Iterable[str]) -> tuple[str, ...]:
    """Topics normalised, empty ones dropped, duplicates removed (first spelling kept)."""
    cleaned = (normalise_topic(topic, "topics") for topic in topics)
    return tuple(dict.fromkeys(topic for topic in cleaned if topic))


def parse_topics(text: str) -> tuple[str, ...]:
    """Topics typed in one field, separated by commas."""
    return normalise_topics(text.split(","))


def record_feedback(
    ctx: ShopContext,
    actor: Actor,
    *,
    body: str,
    customer_id: int | None = None,
    visit_id: int | None = None,
    rating: int | None = None,
    topics: Iterable[str] = (),
) -> int:
    """Record what a customer said, at the end of a visit or any time; returns its id.

    With a visit, the customer defaults to the visit's. The rating is optional, 1 to 5.
    """
    body = limited(body, "feedback", param="body")
    if not body:
        raise InvalidInput("Write down what the customer said, in their words.", field="body")
    if rating is not None and (isinstance(rating, bool) or rating not in range(1, 6)):
        raise InvalidInput("A rating is 1 to 5, or leave it out.", field="rating")
    tags = normalise_topics(topics)
    if len(tags) > TOPICS_PER_FEEDBACK:
        raise InvalidInput(
            f"Use at most {counted(TOPICS_PER_FEEDBACK, 'topic')}; pick the main ones.", field="topics"
        )
    with ctx.database.write() as session:
        staff = require(session, actor, Action.KEEP_CUSTOMER_RECORD)
        if visit_id is not None:
            visit = load_visit(session, visit_id)
            if customer_id is None:
                customer_id = visit.customer_id
            elif visit.customer_id not in (None, customer_id):
                raise InvalidInput("That visit belongs to another customer.")
        if customer_id is not None:
            load_customer(session, customer_id)
        feedback = Feedback(
            customer_id=customer_id,
            visit_id=visit_id,
            recorded_by=staff.id or 0,
            body=body,
            rating=rating,
            created_at=ctx.now(),
        )
        session.add(feedback)
        session.flush()
        assert feedback.id is not None
        for topic in tags:
            session.add(FeedbackTag(feedback_id=feedback.id, topic=topic))
        audit.record(
            session,
            ctx,
            actor,
            "feedback.recorded",
            "feedback",
            feedback.id,
            customer_id=customer_id,
            visit_id=visit_id,
            rating=rating,
            topics=list(tags),
        )
        return feedback.id


def _raises_since(
    session: Session, since: datetime, topic: str | None = None
) -> list[tuple[FeedbackTag, Feedback]]:
    query = (
        select(FeedbackTag, Feedback)
        .join(Feedback, col(Feedback.id) == col(FeedbackTag.feedback_id))
        .where(col(Feedback.created_at) >= since)
    )
    if topic is not None:
        query = query.where(FeedbackTag.topic == topic)
    return [(tag, feedback) for tag, feedback in session.exec(query)]


def topic_board(ctx: ShopContext, actor: Actor, *, days: int = BOARD_DAYS) -> tuple[TopicRow, ...]:
    """Topics raised in the last `days` days, most raised first, with the lead's status
    (new / acknowledged / acted on, with what was done)."""
    since = ctx.now() - timedelta(days=max(days, 1))
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_FEEDBACK_BOARD)
        raises = _raises_since(session, since)
        topics = {tag.topic for tag, _ in raises}
        statuses = {
            row.topic: row
            for row in session.exec(
                select(FeedbackTopicStatus).where(col(FeedbackTopicStatus.topic).in_(topics))
            )
        }
        names = staff_names(session)
    grouped: dict[str, list[Feedback]] = {}
    for tag, feedback in raises:
        grouped.setdefault(tag.topic, []).append(feedback)
    rows = []
    for topic, items in grouped.items():
        status = statuses.get(topic)
        ratings = [f.rating for f in items if f.rating is not None]
        rows.append(
            TopicRow(
                topic=topic,
                raised=len(items),
                customers=len({f.customer_id for f in items if f.customer_id is not None}),
                average_rating=round(sum(ratings) / len(ratings), 1) if ratings else None,
                last_raised_at=max(f.created_at for f in items),
                status=status.status if status else FeedbackStatus.NEW,
                action_taken=status.action_taken if status else "",
                status_at=status.updated_at if status else None,
                status_by_name=names.get(status.updated_by, "?") if status else "",
                raised_since_status=sum(1 for f in items if f.created_at > status.updated_at)
                if status
                else len(items),
            )
        )
    rows.sort(key=lambda row: (-row.raised, row.topic))
    return tuple(rows)


def topic_feedback(
    ctx: ShopContext, actor: Actor, topic: str, *, days: int = BOARD_DAYS
) -> tuple[FeedbackView, ...]:
    """The feedback behind one topic on the board, newest first."""
    topic = normalise_topic(topic)
    since = ctx.now() - timedelta(days=max(days, 1))
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_FEEDBACK_BOARD)
        items = [feedback for _, feedback in _raises_since(session, since, topic)]
        ids = [f.id for f in items]
        tags: dict[int, list[str]] = {}
        for tag in session.exec(
            select(FeedbackTag).where(col(FeedbackTag.feedback_id).in_(ids)).order_by(col(FeedbackTag.id))
        ):
            tags.setdefault(tag.feedback_id, []).append(tag.topic)
        customer_ids = {f.customer_id for f in items if f.customer_id is not None}
        customers = {
            c.id: c.name
            for c in session.exec(select(Customer).where(col(Customer.id).in_(customer_ids)))
            if c.erased_at is None
        }
        names = staff_names(session)
    items.sort(key=lambda f: (f.created_at, f.id or 0), reverse=True)
    return tuple(
        FeedbackView(
            id=f.id or 0,
            customer_id=f.customer_id,
            customer_name=customers.get(f.customer_id, "") if f.customer_id else "",
            visit_id=f.visit_id,
            recorded_by_name=names.get(f.recorded_by, "?"),
            body=f.body,
            rating=f.rating,
            topics=tuple(tags.get(f.id or 0, ())),
            created_at=f.created_at,
        )
        for f in items
    )


def _require_topic(session: Session, topic: str) -> str:
    topic = normalise_topic(topic)
    exists = session.exec(select(FeedbackTag.id).where(FeedbackTag.topic == topic)).first()
    if not topic or exists is None:
        raise NotFound("No feedback has that topic. Pick one from the board.")
    return topic


def _set_status(
    session: Session, ctx: ShopContext, lead: Staff, topic: str, status: str, action: str
) -> FeedbackTopicStatus:
    row = session.exec(
        select(FeedbackTopicStatus).where(FeedbackTopicStatus.topic == topic)
    ).first() or FeedbackTopicStatus(topic=topic, updated_at=ctx.now(), updated_by=lead.id or 0)
    row.status, row.action_taken = status, action
    row.updated_at, row.updated_by = ctx.now(), lead.id or 0
    session.add(row)
    session.flush()
    return row


def acknowledge_topic(ctx: ShopContext, actor: Actor, topic: str, note: str = "") -> None:
    """A lead marks a topic as seen and being looked into."""
    note = limited(note, "short_note", param="note")
    with ctx.database.write() as session:
        lead = require(session, actor, Action.CHANGE_FEEDBACK_BOARD)
        topic = _require_topic(session, topic)
        row = _set_status(session, ctx, lead, topic, FeedbackStatus.ACKNOWLEDGED, "")
        audit.record(
            session,
            ctx,
            actor,
            "feedback.topic_acknowledged",
            "feedback_topic",
            row.id,
            topic=topic,
            note=note,
        )


def mark_topic_acted_on(ctx: ShopContext, actor: Actor, topic: str, what_was_done: str) -> ActedOnResult:
    """A lead records what was done about a topic, and every customer who raised it (since
    it was last acted on) and agreed to contact gets a follow-up owned by the
    colleague who heard them, due by the end of the next business day (or, for someone
    contacted within the contact cadence, once the cadence allows: `services/cadence.py`)."""
    what_was_done = limited(what_was_done, "what_was_done")
    if not what_was_done:
        raise InvalidInput("Say what was done, so customers can be told what changed.")
    with ctx.database.write() as session:
        lead = require(session, actor, Action.CHANGE_FEEDBACK_BOARD)
        topic = _require_topic(session, topic)
        now = ctx.now()
        open_raises = session.exec(
            select(FeedbackTag, Feedback)
            .join(Feedback, col(Feedback.id) == col(FeedbackTag.feedback_id))
            .where(FeedbackTag.topic == topic, col(FeedbackTag.resolved_at).is_(None))
            .order_by(col(Feedback.created_at), col(Feedback.id))
        ).all()
        heard_by: dict[int, int] = {}
        anonymous = 0
        for tag, feedback in open_raises:
            tag.resolved_at = now
            session.add(tag)
            if feedback.customer_id is None:
                anonymous += 1
            else:
                heard_by[feedback.customer_id] = feedback.recorded_by  # latest wins
        contactable = _contactable_customers(session, list(heard_by))
        active = set(session.exec(select(Staff.id).where(col(Staff.active).is_(True))))
        summary = fitted(f"We acted on your feedback about '{topic}': {what_was_done}", "followup")
        due = ctx.calendar.thank_you_due(now)
        followup_ids = []
        for customer_id in sorted(contactable):
            recorder = heard_by[customer_id]
            held = holding_contact(session, ctx, customer_id)
            when = max(due, allowed_from(ctx, held)) if held is not None else due
            followup_ids.append(
                insert_followup(
                    session,
                    ctx,
                    actor,
                    lead,
                    customer_id,
                    FollowUpKind.FEEDBACK_ACTED_ON,
                    contactable[customer_id],
                    summary,
                    when,
                    owner_id=recorder if recorder in active else lead.id,
                )
            )
        row = _set_status(session, ctx, lead, topic, FeedbackStatus.ACTED_ON, what_was_done)
        without_consent = len(heard_by) - len(contactable)
        audit.record(
            session,
            ctx,
            actor,
            "feedback.topic_acted_on",
            "feedback_topic",
            row.id,
            topic=topic,
            what_was_done=what_was_done,
            followup_ids=followup_ids,
            without_consent=without_consent,
            anonymous=anonymous,
        )
        return ActedOnResult(
            topic=topic,
            followup_ids=tuple(followup_ids),
            customers_told=len(followup_ids),
            customers_without_consent=without_consent,
            anonymous_raises=anonymous,
        )


def _contactable_customers(session: Session, customer_ids: list[int]) -> dict[int, str]:
    """Customers on file (not erased) with a channel they agreed to, and that channel."""
    on_file = set(
        session.exec(
            select(Customer.id).where(col(Customer.id).in_(customer_ids), col(Customer.erased_at).is_(None))
        )
    )
    granted: dict[int, set[str]] = {}
    for consent in session.exec(
        select(ContactConsent).where(
            col(ContactConsent.customer_id).in_(customer_ids), col(ContactConsent.granted).is_(True)
        )
    ):
        granted.setdefault(consent.customer_id, set()).add(consent.channel)
    chosen: dict[int, str] = {}
    for customer_id in customer_ids:
        channel = next((c for c in UPDATE_CHANNELS if c in granted.get(customer_id, set())), None)
        if customer_id in on_file and channel is not None:
            chosen[customer_id] = channel
    return chosen
