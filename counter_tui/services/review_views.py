"""Read models of the lead review screens, the end-of-day report and the thanks wall.

Plain frozen dataclasses, detached from the database, so a screen or the CLI can show
them without triggering a query. Times are aware UTC datetimes; screens show them in
the store's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from counter_tui.services.views import FollowUpView, HandoffView

# --- floor health ------------------------------------------------------------------------


@dataclass(frozen=True)
class FloorAlert:
    """One open visit that needs a lead's eye, and since when."""

    visit_id: int
    who: str
    arrived_at: datetime
    owner_id: int | None
    owner_name: str | None
    since: datetime
    """When the clock started: arrival, the moment 'needs help' was set, or the check-back time."""
    minutes: int
    """Whole minutes from `since` to now."""


@dataclass(frozen=True)
class Escalation:
    """A 'needs help' customer nobody has answered within the escalation threshold.

    `key` stays the same for as long as this need stays unanswered, and changes when the
    need is set afresh, so the UI can alert exactly once per escalation.
    """

    key: str
    visit_id: int
    who: str
    arrived_at: datetime
    need_set_at: datetime
    minutes_waiting: int


@dataclass(frozen=True)
class FloorHealth:
    """What a lead watches on the floor right now."""

    waiting_unowned: tuple[FloorAlert, ...]
    needs_help_unanswered: tuple[Escalation, ...]
    check_backs_overdue: tuple[FloorAlert, ...]
    long_visits: tuple[FloorAlert, ...]


# --- hand-off log ------------------------------------------------------------------------


@dataclass(frozen=True)
class HandoffLogEntry:
    """A hand-off request, a lead's reassignment, or a blocked attempt to take a customer.

    `kind` is "handoff", "reassignment", "blocked_claim" or "blocked_handoff"; `status`
    is the request's status, or "blocked".
    """

    at: datetime
    kind: str
    visit_id: int
    who: str
    actor_name: str
    from_name: str
    to_name: str
    reason: str
    status: str
    decided_by_name: str
    decision_note: str
    decided_at: datetime | None = None


# --- follow-up oversight -----------------------------------------------------------------


@dataclass(frozen=True)
class OwnerFollowUps:
    """One staff member's open follow-ups that are overdue or due today."""

    owner_id: int
    owner_name: str
    overdue: tuple[FollowUpView, ...]
    due_today: tuple[FollowUpView, ...]


@dataclass(frozen=True)
class FollowUpOversight:
    """Overdue and due-today follow-ups by owner, and calls not yet returned today."""

    by_owner: tuple[OwnerFollowUps, ...]
    unreturned_calls: tuple[FollowUpView, ...]


# --- scorecard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Measure:
    """One scorecard figure against its target.

    `value` is a percentage (or, for hand-offs, a rate per 100 visits) rounded to one
    decimal, or None when there was nothing to measure yet.
    """

    key: str
    label: str
    value: float | None
    numerator: int
    denominator: int
    target: float
    higher_is_better: bool

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there was nothing to measure."""
        if self.value is None:
            return None
        return self.value >= self.target if self.higher_is_better else self.value <= self.target


@dataclass(frozen=True)
class Scorecard:
    """The scorecard of one period (and optionally one staff member)."""

    label: str
    start: datetime
    end: datetime
    visits: int
    greeted_on_time: Measure
    thank_yous_on_time: Measure
    calls_returned_same_day: Measure
    promises_kept_on_time: Measure
    handoffs_per_100_visits: Measure
    average_wait_seconds: int | None
    longest_wait_seconds: int | None

    @property
    def measures(self) -> tuple[Measure, ...]:
        """The five target measures, in the order screens and reports list them."""
        return (
            self.greeted_on_time,
            self.thank_yous_on_time,
            self.calls_returned_same_day,
            self.promises_kept_on_time,
            self.handoffs_per_100_visits,
        )


@dataclass(frozen=True)
class StaffScorecard:
    """One staff member's figures in a period."""

    staff_id: int
    name: str
    card: Scorecard


@dataclass(frozen=True)
class PeriodScorecard:
    """The whole shop's figures for a period, and each staff member's."""

    first_day: date
    last_day: date
    overall: Scorecard
    by_staff: tuple[StaffScorecard, ...]


@dataclass(frozen=True)
class ScorecardOverview:
    """What the scorecard screen opens with: today and this week (Monday to today)."""

    today: PeriodScorecard
    this_week: PeriodScorecard


@dataclass(frozen=True)
class TrendCell:
    """Visits in one hour-of-day or weekday bucket, and how many were greeted on time.

    `measured` leaves out visits that do not count towards the greet measure (browsing
    privately, or still within the threshold); `pct` is on_time/measured, or None.
    """

    visits: int
    measured: int
    on_time: int

    @property
    def pct(self) -> float | None:
        """Percent greeted on time, one decimal; None when nothing was measured."""
        return round(100 * self.on_time / self.measured, 1) if self.measured else None


@dataclass(frozen=True)
class Trend:
    """Arrivals and greeting by hour of day and weekday, in store time, for a sparkline or
    heat map. `by_hour` has 24 cells (0-23), `by_weekday` 7 (Monday first), `grid` 7x24."""

    first_day: date
    last_day: date
    by_hour: tuple[TrendCell, ...]
    by_weekday: tuple[TrendCell, ...]
    grid: tuple[tuple[TrendCell, ...], ...]


# --- kudos -------------------------------------------------------------------------------


@dataclass(frozen=True)
class KudosView:
    """One thanks on the wall."""

    id: int
    to_staff_id: int
    to_name: str
    from_name: str
    text: str
    given_at: datetime


# --- feedback ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackView:
    """One piece of customer feedback."""

    id: int
    customer_id: int | None
    customer_name: str
    visit_id: int | None
    recorded_by_name: str
    body: str
    rating: int | None
    topics: tuple[str, ...]
    created_at: datetime


@dataclass(frozen=True)
class TopicRow:
    """One topic on the lead's feedback board.

    `raised` counts feedback in the window; `customers` the distinct customers on file
    who raised it; `raised_since_status` the raises after the lead's last decision (a
    topic acted on that keeps coming back shows here).
    """

    topic: str
    raised: int
    customers: int
    average_rating: float | None
    last_raised_at: datetime
    status: str
    action_taken: str
    status_at: datetime | None
    status_by_name: str
    raised_since_status: int


@dataclass(frozen=True)
class ActedOnResult:
    """What marking a topic acted on did: the status updates queued (one per customer), the
    customers not contacted (no consent on any channel, or no longer on file), and how many
    raises were anonymous."""

    topic: str
    followup_ids: tuple[int, ...]
    customers_told: int
    customers_without_consent: int
    anonymous_raises: int


# --- end of day --------------------------------------------------------------------------


@dataclass(frozen=True)
class FlaggedVisit:
    """A visit flagged for a lead's review (e.g. still open at close)."""

    visit_id: int
    who: str
    arrived_at: datetime
    ended_at: datetime | None
    owner_name: str | None
    outcome: str | None


@dataclass(frozen=True)
class CloseResult:
    """What closing the day did: the visits closed as left at close, and the pending
    hand-off requests on them it cancelled (undoing the close brings them back)."""

    day: date
    closed_visit_ids: tuple[int, ...]
    day_close_id: int | None = None
    cancelled_handoff_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class EndOfDayReport:
    """The end-of-day check: what is still outstanding for work due by the end of `day`,
    and the day's scorecard. Outstanding items are as they stand now."""

    day: date
    shop_name: str
    opens_at: datetime | None
    closes_at: datetime | None
    generated_at: datetime
    unreturned_calls: tuple[FollowUpView, ...]
    overdue_followups: tuple[FollowUpView, ...]
    pending_handoffs: tuple[HandoffView, ...]
    flagged_visits: tuple[FlaggedVisit, ...]
    scorecard: PeriodScorecard
