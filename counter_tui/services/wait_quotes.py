"""The wait the kiosk quotes at check-in, from the floor as it is (customers waiting
unowned ahead, colleagues free), in plain words; and how quoted waits compared with the
actual ones, for the scorecard and the end-of-day report.

The rule: nobody signed in or serving gives no figure; more colleagues free than people
ahead is "a moment"; otherwise the customer's place among those left once the free
colleagues have picked someone up, times the time between two colleagues coming free (a
typical recent visit, the median from claim to end or 10 minutes until there are visits
to go on, shared by everyone on the floor), rounded up to the minute and never under a
minute a place. So each place in the queue is quoted a longer wait than the one before:
a quote that says the same for 1 and 2 people ahead is one the shop cannot keep for both.
Someone who chose to browse privately is given no quote and is not counted as waiting
ahead.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median

from sqlmodel import Session, col, select

from counter_tui.db.models import NeedKind, Visit, VisitNeed
from counter_tui.kiosk_words import ENGLISH, say
from counter_tui.services import terminal_sessions
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, require

TYPICAL_VISIT_MINUTES = 10
RECENT_VISITS = 50


@dataclass(frozen=True)
class WaitQuote:
    """A quoted wait: minutes (0 "a moment", None no figure), and the floor it came from."""

    minutes: int | None
    ahead: int
    free: int

    def sentence(self, language: str = ENGLISH) -> str:
        """What the customer reads at the kiosk, in the language they picked."""
        if self.minutes is None:
            return say(language, "wait_unknown")
        if self.minutes == 0:
            return say(language, "wait_moment")
        minutes = say(language, "minutes_one" if self.minutes == 1 else "minutes_many", minutes=self.minutes)
        ahead_key = {0: "ahead_none", 1: "ahead_one"}.get(self.ahead, "ahead_many")
        return say(language, "wait_quote", minutes=minutes, ahead=say(language, ahead_key, ahead=self.ahead))


def _signed_in_staff(session: Session, now: datetime) -> set[int]:
    """Everyone signed in at a running staff app (each app counts, whatever its name)."""
    return {staff_id for staff_id, _since in terminal_sessions.signed_in_staff(session, now)}


def typical_visit_minutes(session: Session) -> float:
    """The median minutes from claim to end of the latest visits (10 before there are any)."""
    rows = session.exec(
        select(Visit.claimed_at, Visit.ended_at)
        .where(col(Visit.claimed_at).is_not(None), col(Visit.ended_at).is_not(None))
        .order_by(col(Visit.ended_at).desc())
        .limit(RECENT_VISITS)
    ).all()
    minutes = [(ended - claimed).total_seconds() / 60 for claimed, ended in rows if claimed and ended]
    return max(1.0, median(minutes)) if minutes else TYPICAL_VISIT_MINUTES


def quote_wait(session: Session, need: str, now: datetime) -> WaitQuote | None:
    """The wait to quote a customer checking in at `now` with `need` (None when browsing)."""
    if need == NeedKind.BROWSE_PRIVATELY:
        return None
    open_visits = session.exec(select(Visit.id, Visit.owner_id).where(col(Visit.ended_at).is_(None))).all()
    browsing = set(
        session.exec(
            select(VisitNeed.visit_id).where(
                VisitNeed.kind == NeedKind.BROWSE_PRIVATELY, col(VisitNeed.cleared_at).is_(None)
            )
        )
    )
    ahead = sum(1 for visit_id, owner in open_visits if owner is None and visit_id not in browsing)
    busy = {owner for _visit_id, owner in open_visits if owner is not None}
    on_floor = _signed_in_staff(session, now) | busy
    free = len(on_floor - busy)
    if not on_floor:
        return WaitQuote(None, ahead, free)
    if free > ahead:
        return WaitQuote(0, ahead, free)
    return WaitQuote(
        wait_for_place(ahead - free + 1, len(on_floor), typical_visit_minutes(session)), ahead, free
    )


def wait_for_place(place: int, on_floor: int, typical_minutes: float) -> int:
    """Whole minutes until the colleague who serves the `place`-th customer still waiting
    comes free: one of `on_floor` colleagues comes free every `typical_minutes / on_floor`
    on average; at least a minute a place, so a longer queue is always quoted longer."""
    return max(place, math.ceil(round(place * typical_minutes / on_floor, 6)))


@dataclass(frozen=True)
class QuotedWaits:
    """Kiosk quotes given to visits that arrived in a period, against the actual waits: the
    averages and `within_quote` are of those seen (arrival to being claimed); those who
    left before anyone saw them are counted apart, as their wait ended unserved."""

    quoted: int
    quoted_average: float
    actual_average: float
    within_quote: int
    left_unseen: int = 0

    def line(self) -> str:
        """One line for the scorecard and the end-of-day report."""
        if not self.quoted:
            return "Kiosk wait quotes: none given."
        seen = self.quoted - self.left_unseen
        said = f"Kiosk wait quotes: {self.quoted} given; "
        if seen:
            said += (
                f"the {seen} seen were quoted {self.quoted_average:.0f} min on average and waited "
                f"{self.actual_average:.0f} min, {self.within_quote} within the quote"
            )
        else:
            said += "none seen"
        if self.left_unseen:
            said += f"; {self.left_unseen} left before being seen"
        return said + "."


def quoted_waits(session: Session, start: datetime, end: datetime) -> QuotedWaits:
    """How the quotes given to visits arriving in [start, end) compare with their actual
    waits (to the first claim: a hand-off later does not lengthen it); visits still
    waiting are left out until they are seen or leave."""
    quoted_visits = session.exec(
        select(Visit).where(
            col(Visit.arrived_at) >= start,
            col(Visit.arrived_at) < end,
            col(Visit.quoted_wait_minutes).is_not(None),
        )
    ).all()
    seen: list[tuple[int, float]] = []
    left_unseen = 0
    for visit in quoted_visits:
        arrived, ended, quoted = visit.arrived_at, visit.ended_at, visit.quoted_wait_minutes
        if quoted is None:
            continue
        claimed = visit.claimed_at
        if claimed is not None:
            seen.append((quoted, (claimed - arrived).total_seconds() / 60))
        elif ended is not None:
            left_unseen += 1
    if not seen:
        return QuotedWaits(left_unseen, 0.0, 0.0, 0, left_unseen)
    return QuotedWaits(
        quoted=len(seen) + left_unseen,
        quoted_average=sum(q for q, _a in seen) / len(seen),
        actual_average=sum(a for _q, a in seen) / len(seen),
        within_quote=sum(1 for q, a in seen if a <= max(q, 1)),
        left_unseen=left_unseen,
    )


def quote_accuracy(ctx: ShopContext, actor: Actor, first_day: date, last_day: date) -> QuotedWaits:
    """Quoted against actual waits for visits arriving on store-local days `first_day`
    to `last_day` (inclusive), for the scorecard."""
    start = ctx.calendar.start_of_day(first_day)
    end = ctx.calendar.start_of_day(last_day + timedelta(days=1))
    with ctx.database.read() as session:
        require(session, actor, Action.SEE_SCORECARD)
        return quoted_waits(session, start, end)
