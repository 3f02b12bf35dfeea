"""How long each kind of typed text may be: one table for both databases.

PostgreSQL refuses a string longer than its VARCHAR column and SQLite stores it, so the
limits are enforced here, before any database sees the text, and the same everywhere.
Each limit names the columns that store that kind of text; a test checks that every
column is exactly as long as its limit, so the two cannot drift apart.

Lengths are counted in code points of the cleaned text (`text.clean_text`): what a
person typed, after NFC, not bytes. A copy kept in lower case can be longer than what
was typed (`"İ".lower()` is two code points), so such copies are cut with `fitted`.
"""

from __future__ import annotations

from dataclasses import dataclass

from counter_tui.errors import InvalidInput
from counter_tui.text import clean_text


@dataclass(frozen=True)
class Limit:
    """At most `most` code points of one kind of text, called `what` in the refusal."""

    what: str
    most: int
    columns: tuple[str, ...] = ()
    multiline: bool = False


LIMITS: dict[str, Limit] = {
    "name": Limit("A name", 80, ("customer.name", "customer.name_key", "staff.name")),
    "first_name": Limit("A first name", 30),
    "phone": Limit(
        "A phone number", 40, ("customer.phone", "customer.phone_digits", "customer.phone_normalised")
    ),
    "email": Limit("An email address", 200, ("customer.email", "outboxmessage.to_address")),
    "search": Limit("A search", 200, ("customersearchterm.term",)),
    "description": Limit("A description", 200, ("visit.description",)),
    "detail": Limit("A need's detail", 200, ("visitneed.detail", "standingneed.detail")),
    "note": Limit("A note", 2000, ("customernote.body",), multiline=True),
    "short_note": Limit("A note", 200, ("handoffrequest.decision_note",)),
    "preferences": Limit("Preferences", 2000, ("customer.preferences", "visit.preferences"), multiline=True),
    "consent_source": Limit("How the customer agreed", 200, ("contactconsent.source",)),
    "reason": Limit(
        "A reason",
        200,
        (
            "handoffrequest.reason",
            "followup.cancel_reason",
            "dayclose.reason",
            "dayclose.undo_reason",
            "customermerge.undo_reason",
            "followupdue.reason",
        ),
    ),
    "followup": Limit("A follow-up", 500, ("followup.summary",)),
    "personal_line": Limit("A personal line", 500, ("followup.personal_line",)),
    "what_was_done": Limit(
        "What was done", 2000, ("followup.outcome_note", "feedbacktopicstatus.action_taken"), multiline=True
    ),
    "feedback": Limit("Feedback", 2000, ("feedback.body",), multiline=True),
    "topic": Limit("A topic", 40, ("feedbacktag.topic", "feedbacktopicstatus.topic")),
    "kudos": Limit("Kudos", 500, ("kudos.body",)),
    "setting": Limit("A setting", 2000),
    "till_id": Limit("A till's customer id", 80, ("tillcustomer.till_id",)),
    "terminal": Limit(
        "A terminal name",
        80,
        ("auditevent.terminal", "pinguard.terminal", "visit.source", "terminalsession.terminal"),
    ),
}


def too_long(field: str, length: int) -> str:
    """The refusal of text `length` code points long for `field`, e.g. "A name can be at
    most 80 characters; this one has 93."."""
    limit = LIMITS[field]
    return f"{limit.what} can be at most {limit.most:,} characters; this one has {length:,}."


def limited(value: str | None, field: str, *, param: str = "") -> str:
    """`value` cleaned and within the limit of `field`, or an InvalidInput saying so about
    the service parameter `param` (default: `field`), so a form shows it beside the box."""
    limit = LIMITS[field]
    text = clean_text(value, multiline=limit.multiline)
    if len(text) > limit.most:
        raise InvalidInput(too_long(field, len(text)), field=param or field)
    return text


def fitted(value: str | None, field: str) -> str:
    """`value` cleaned and cut to the limit of `field`: for text the app builds (a reason
    with a prefix, a summary from a template, a terminal's configured name), where a
    refusal would help nobody."""
    limit = LIMITS[field]
    return clean_text(value, multiline=limit.multiline)[: limit.most].strip()


def lowered(text: str, field: str) -> str:
    """The lower-case copy of already cleaned `text`, cut to the limit of `field`: lower
    case can be longer than the text (`"İ".lower()` is two code points)."""
    return text.lower()[: LIMITS[field].most]
