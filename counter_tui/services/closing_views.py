"""Read models for closing the day and undoing it: which visits, and whose."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from counter_tui.sentences import counted

NOBODY = "nobody"


@dataclass(frozen=True)
class ClosingVisit:
    """An open visit a close would end (or a closed visit an undo would reopen)."""

    visit_id: int
    who: str
    owner_name: str | None
    owner_id: int | None = None


@dataclass(frozen=True)
class ClosingHandoff:
    """A pending hand-off request a close would cancel (or an undo would bring back)."""

    request_id: int
    visit_id: int
    who: str
    from_name: str
    to_name: str

    def said(self) -> str:
        """`Kwame: Jordan → Sam`."""
        return f"{self.who}: {self.from_name} → {self.to_name}"


def handoffs_said(count: int) -> str:
    """`1 pending hand-off request`, `2 pending hand-off requests`."""
    return counted(count, "pending hand-off request")


def owners_count(visits: tuple[ClosingVisit, ...]) -> tuple[tuple[str, int], ...]:
    """(owner, how many) for `visits`, most first, unowned ones ("nobody") last."""
    counts = Counter(visit.owner_name or NOBODY for visit in visits)
    return tuple(sorted(counts.items(), key=lambda item: (item[0] == NOBODY, -item[1], item[0].lower())))


def visits_summary(visits: tuple[ClosingVisit, ...]) -> str:
    """`4 visits: 2 with Sam, 1 with Alex, 1 nobody had greeted` (or `no visits`)."""
    if not visits:
        return "no visits"
    owners = ", ".join(
        f"{count} nobody had greeted" if name == NOBODY else f"{count} with {name}"
        for name, count in owners_count(visits)
    )
    return f"{counted(len(visits), 'visit')}: {owners}"


@dataclass(frozen=True)
class CloseSeen:
    """What a lead was shown before closing the day, for the close to check it still
    holds: the open visits and whose they were, the pending hand-off requests on them, and
    the newest day close then (a close made since, not undone, is a change too)."""

    visits: tuple[tuple[int, int | None], ...]  # (visit id, owner id), oldest first
    handoffs: tuple[int, ...]  # request ids, in id order
    last_close_id: int | None

    @property
    def visit_ids(self) -> tuple[int, ...]:
        """The visits shown, oldest first."""
        return tuple(visit_id for visit_id, _owner in self.visits)


@dataclass(frozen=True)
class ClosePreview:
    """What closing the day now would do. `early` while the shop is still open today:
    then the lead must say why."""

    day: date
    closes_at: datetime | None
    early: bool
    visits: tuple[ClosingVisit, ...]
    hours_said: str = ""  # while `early`: "The shop is open until 16:00." or not opened yet
    handoffs: tuple[ClosingHandoff, ...] = ()  # the pending requests on those visits it cancels
    last_close_id: int | None = None  # the newest day close when this was read

    @property
    def visit_ids(self) -> tuple[int, ...]:
        """The visits the lead is shown."""
        return tuple(visit.visit_id for visit in self.visits)

    @property
    def seen(self) -> CloseSeen:
        """What this shows, for `close_day` to close exactly that or refuse."""
        return CloseSeen(
            visits=tuple((visit.visit_id, visit.owner_id) for visit in self.visits),
            handoffs=tuple(sorted(handoff.request_id for handoff in self.handoffs)),
            last_close_id=self.last_close_id,
        )

    @property
    def by_owner(self) -> tuple[tuple[str, int], ...]:
        """Whose visits they are, most first, unowned last."""
        return owners_count(self.visits)

    def summary(self) -> str:
        """`4 visits: 2 with Sam, 1 with Alex, 1 nobody had greeted`."""
        return visits_summary(self.visits)


@dataclass(frozen=True)
class UndoableClose:
    """The day close a lead may undo now: the latest one made today, not yet undone,
    with the visits undoing it would reopen."""

    day_close_id: int
    day: date
    closed_at: datetime
    auto: bool
    closed_by_name: str
    visits: tuple[ClosingVisit, ...]
    handoffs: tuple[ClosingHandoff, ...] = ()  # the pending requests it cancelled
    staying: tuple[tuple[int, str], ...] = ()
    """The visits it ended that undoing it would leave ended, each with why (the undo's own rule)."""

    def summary(self) -> str:
        """`3 visits: 1 with Sam, 1 with Alex, 1 nobody had greeted`, and what else undoing
        it brings back (`, and brings back 1 pending hand-off request`)."""
        if not self.handoffs:
            return visits_summary(self.visits)
        return f"{visits_summary(self.visits)}, and brings back {handoffs_said(len(self.handoffs))}"

    @property
    def seen(self) -> tuple[tuple[int, ...], ...]:
        """What undoing it would do, as shown: the visits it would reopen, those staying
        ended and the requests it would bring back (`undo_day_close` undoes only that)."""
        return (
            tuple(visit.visit_id for visit in self.visits),
            tuple(visit_id for visit_id, _why in self.staying),
            tuple(handoff.request_id for handoff in self.handoffs),
        )

    def staying_said(self) -> str:
        """`1 visit will stay ended: Kwame Mensah came back at 17:50, …` (the first one's
        why), or ""."""
        if not self.staying:
            return ""
        return f"{counted(len(self.staying), 'visit')} will stay ended: {self.staying[0][1]}"


@dataclass(frozen=True)
class UndoResult:
    """What undoing a day close did: visits reopened, and those left ended with why."""

    day_close_id: int
    reopened: tuple[int, ...]
    skipped: tuple[tuple[int, str], ...]
    handoffs_restored: tuple[int, ...] = ()  # pending again, as the close found them
    handoffs_not_restored: tuple[tuple[int, str], ...] = ()  # moot meanwhile, with why


@dataclass(frozen=True)
class ReopenResult:
    """A reopened visit, and the sentence to show."""

    visit_id: int
    message: str
