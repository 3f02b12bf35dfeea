"""The end-of-day report's typed read model (`DayReport` and its parts): plain values,
times as ISO 8601 in store time, as `counter-tui report day --format json` prints them
and the text and CSV renderers in report.py read them.
"""

from __future__ import annotations

from typing import TypedDict


class MeasureFigures(TypedDict):
    """One scorecard measure: its figure, how it was counted, and its target."""

    label: str
    value: float | None
    numerator: int
    denominator: int
    target: float
    higher_is_better: bool
    met: bool | None


class CardFigures(TypedDict):
    """A scorecard (the shop's or one person's): visits, measures by key, waits."""

    visits: int
    average_wait_seconds: int | None
    longest_wait_seconds: int | None
    measures: dict[str, MeasureFigures]


class StaffFigures(CardFigures):
    """One person's scorecard, with their name."""

    staff: str


class ReportSummary(TypedDict):
    """How many of each outstanding item."""

    unreturned_calls: int
    overdue_followups: int
    pending_handoffs: int
    flagged_visits: int


class FollowUpItem(TypedDict):
    """An unreturned call or overdue follow-up; times ISO 8601 in store time."""

    id: int
    kind: str
    customer: str
    owner: str
    channel: str
    due_at: str | None
    summary: str


# "from" is a Python keyword, so this one is declared by call.
HandoffItem = TypedDict(
    "HandoffItem",
    {
        "id": int,
        "visit_id": int,
        "customer": str,
        "from": str,
        "to": str,
        "reason": str,
        "requested_at": str | None,
    },
)


class FlaggedItem(TypedDict):
    """A visit flagged for review by an early day close."""

    visit_id: int
    customer: str
    owner: str | None
    arrived_at: str | None
    ended_at: str | None
    outcome: str | None


class WaitQuoteFigures(TypedDict):
    """The kiosk's wait quotes for the day's visits against the actual waits (minutes)."""

    quoted: int
    quoted_average: float
    actual_average: float
    within_quote: int
    left_unseen: int


class DayReport(TypedDict):
    """The end-of-day report as plain values: what `--format json` prints, and what the
    text and CSV renderers read."""

    shop: str
    date: str
    timezone: str
    opens: str | None
    closes: str | None
    generated_at: str | None
    summary: ReportSummary
    scorecard: CardFigures
    wait_quotes: WaitQuoteFigures
    by_staff: list[StaffFigures]
    unreturned_calls: list[FollowUpItem]
    overdue_followups: list[FollowUpItem]
    pending_handoffs: list[HandoffItem]
    flagged_visits: list[FlaggedItem]
