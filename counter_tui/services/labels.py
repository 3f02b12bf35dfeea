"""Words people read for the stored enumeration values."""

from __future__ import annotations

from counter_tui.db.models import Channel, FollowUpKind, NeedKind, Outcome

NEED_LABELS: dict[str, str] = {
    NeedKind.BROWSE_PRIVATELY: "browse privately",
    NeedKind.NEEDS_HELP: "needs help",
    NeedKind.CALLBACK_WANTED: "callback wanted",
    NeedKind.ACCESSIBILITY: "accessibility",
    NeedKind.LANGUAGE: "language",
    NeedKind.PICKUP: "pickup",
    NeedKind.ORDER_QUESTION: "order question",
}

OUTCOME_LABELS: dict[str, str] = {
    Outcome.PURCHASE: "purchase",
    Outcome.NO_PURCHASE: "no purchase",
    Outcome.LEFT_UNSERVED: "left unserved",
    Outcome.LEFT_AT_CLOSE: "left (closed at end of day)",
}

FOLLOWUP_LABELS: dict[str, str] = {
    FollowUpKind.THANK_YOU: "thank-you",
    FollowUpKind.CALLBACK: "callback",
    FollowUpKind.PROMISE: "promise",
    FollowUpKind.STATUS_UPDATE: "status update",
    FollowUpKind.APOLOGY: "apology",
    FollowUpKind.FEEDBACK_ACTED_ON: "feedback acted on",
}

CHANNEL_LABELS: dict[str, str] = {
    Channel.PHONE: "phone",
    Channel.SMS: "text message",
    Channel.EMAIL: "email",
    Channel.IN_PERSON: "in person at next visit",
}


def need_label(kind: str) -> str:
    """The label of a need kind."""
    return NEED_LABELS.get(kind, kind.replace("_", " "))
