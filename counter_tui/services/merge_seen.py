"""A merge moves what its lead was shown, or nothing, and says what changed.

The merge dialog shows what merging a duplicate would move and change
(`merge.preview_merge`); `merge.merge_customers` takes that back as the preview's
`MergeSeen` and, in its write transaction, with both customer rows locked, reads the same
again. Any difference (a visit, note, follow-up or piece of feedback that came to the
duplicate or left it, a follow-up closed or reopened, a consent answer, remembered need,
preference, phone or email that would now come out differently, a record renamed)
refuses the merge with `MergeChanged`: one sentence saying what changed ("Since you
opened this, Dup gained a visit and a note; check the summary and press Enter again to
merge.") and the preview as it is now, for the dialog to show; Enter again merges that.
A second lead confirming after the first merged the duplicate is told who did, with
nothing left to merge (found by the tester: Sam's visit and nuts-allergy note, added
while Dana's dialog said "0 visits, 0 notes", were moved unseen).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session, col, select

from counter_tui.db.models import Customer, CustomerMerge
from counter_tui.sentences import counted, listed
from counter_tui.services.changed_meanwhile import ChangedMeanwhile
from counter_tui.services.context import ShopContext
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.queries import staff_names

if TYPE_CHECKING:
    from counter_tui.services.merge import MergePreview

AGAIN = "check the summary and press Enter again to merge."
SAID = 3
"""How many changes the sentence names before "and n more"."""
RACED = f"What would move changed just as you pressed Enter; {AGAIN}"
NOTHING_LEFT = "nothing is left to merge."


@dataclass(frozen=True)
class ConsentOutcome:
    """Where the kept customer will stand on one channel after the merge."""

    channel: str
    granted: bool
    source: str
    recorded_at: datetime
    from_duplicate: bool


@dataclass(frozen=True)
class MergeSeen:
    """What a lead was shown before merging `merged_id` into `kept_id`, for the merge to
    check it still holds: the rows that move, by id (follow-ups with whether each is open),
    the consent answers that result, the remembered needs taken (kind, detail), the
    combined preferences, and the phone and email the kept record takes."""

    kept_id: int
    merged_id: int
    kept_name: str
    merged_name: str
    visits: tuple[int, ...]
    notes: tuple[int, ...]
    followups: tuple[tuple[int, bool], ...]
    feedback: tuple[int, ...]
    consents: tuple[ConsentOutcome, ...]
    standing_needs: tuple[tuple[str, str], ...]
    preferences: str
    phone_taken: str
    email_taken: str


class MergeChanged(ChangedMeanwhile):
    """What the lead was shown before merging has changed; nothing was merged. `now` is
    the preview as it is now (None with `nothing_left`: the duplicate was merged already,
    and the dialog has nothing more to offer)."""

    def __init__(self, message: str, now: MergePreview | None, *, nothing_left: bool = False) -> None:
        super().__init__(message, now)
        self.now: MergePreview | None = now
        self.nothing_left = nothing_left


def already_merged(session: Session, ctx: ShopContext, merged_id: int, merged_name: str) -> MergeChanged:
    """The refusal for a duplicate merged (into this record or another) since the dialog
    opened: who merged it into whom, and when."""
    record = session.exec(
        select(CustomerMerge)
        .where(CustomerMerge.merged_id == merged_id, col(CustomerMerge.undone_at).is_(None))
        .order_by(col(CustomerMerge.id).desc())
    ).first()
    kept = session.get(Customer, record.kept_id) if record is not None else None
    if record is None or kept is None:
        return MergeChanged(f"{merged_name} was merged already; {NOTHING_LEFT}", None, nothing_left=True)
    who = staff_names(session).get(record.merged_by, "Someone")
    at = ctx.calendar.local(record.merged_at).format("HH:mm")
    said = f"{who} already merged {merged_name} into {kept.name} at {at}; {NOTHING_LEFT}"
    return MergeChanged(said, None, nothing_left=True)


def what_changed(seen: MergeSeen, now: MergePreview) -> MergeChanged | None:
    """The refusal saying how `now` differs from what the lead `seen`, or None."""
    current = now.seen
    changes = [
        *_renamed(seen, current),
        *_rows_changed(seen, current),
        *_followups_decided(seen, current),
        *_outcomes_changed(seen, current),
    ]
    if not changes:
        return None
    named = changes if len(changes) <= SAID + 1 else [*changes[:SAID], _more(len(changes) - SAID)]
    return MergeChanged(f"Since you opened this, {listed(named)}; {AGAIN}", now)


def _more(count: int) -> str:
    return counted(count, "more change")


def _counted(counts: list[tuple[int, str, str]]) -> str:
    """ "a visit and 2 notes": each non-zero count, in words."""
    return listed([one if number == 1 else f"{number} {many}" for number, one, many in counts if number])


def _renamed(seen: MergeSeen, now: MergeSeen) -> list[str]:
    pairs = ((seen.kept_name, now.kept_name), (seen.merged_name, now.merged_name))
    return [f"{before} was renamed {after}" for before, after in pairs if before != after]


def _rows_changed(seen: MergeSeen, now: MergeSeen) -> list[str]:
    """What came to the duplicate since, and what left it."""
    shown, current = dict(seen.followups), dict(now.followups)
    came = [row for row in current if row not in shown]
    gained = _counted(
        [
            (len(set(now.visits) - set(seen.visits)), "a visit", "visits"),
            (len(set(now.notes) - set(seen.notes)), "a note", "notes"),
            (sum(1 for row in came if current[row]), "an open follow-up", "open follow-ups"),
            (sum(1 for row in came if not current[row]), "a closed follow-up", "closed follow-ups"),
            (len(set(now.feedback) - set(seen.feedback)), "a piece of feedback", "pieces of feedback"),
        ]
    )
    lost = _counted(
        [
            (len(set(seen.visits) - set(now.visits)), "a visit", "visits"),
            (len(set(seen.notes) - set(now.notes)), "a note", "notes"),
            (sum(1 for row in shown if row not in current), "a follow-up", "follow-ups"),
            (len(set(seen.feedback) - set(now.feedback)), "a piece of feedback", "pieces of feedback"),
        ]
    )
    name = now.merged_name
    return [f"{name} {did} {what}" for did, what in (("gained", gained), ("lost", lost)) if what]


def _followups_decided(seen: MergeSeen, now: MergeSeen) -> list[str]:
    """The duplicate's follow-ups shown open and closed since, or the other way round."""
    shown, current = dict(seen.followups), dict(now.followups)
    both = [row for row in shown if row in current]
    said = []
    for was, became, verb in ((True, False, "closed"), (False, True, "reopened")):
        count = sum(1 for row in both if shown[row] is was and current[row] is became)
        state = "open" if was else "closed"
        if count == 1:
            said.append(f"{now.merged_name}'s {state} follow-up was {verb}")
        elif count:
            said.append(f"{count} of {now.merged_name}'s {state} follow-ups were {verb}")
    return said


def _outcomes_changed(seen: MergeSeen, now: MergeSeen) -> list[str]:
    """Consent answers, remembered needs, preferences, phone and email that would come
    out differently now."""
    shown = {outcome.channel: outcome for outcome in seen.consents}
    current = {outcome.channel: outcome for outcome in now.consents}
    channels = [
        CHANNEL_LABELS.get(channel, channel)
        for channel in sorted(shown.keys() | current.keys())
        if shown.get(channel) != current.get(channel)
    ]
    said = []
    if channels:
        said.append(f"the {listed(channels)} consent answer{'s' if len(channels) > 1 else ''} changed")
    if seen.standing_needs != now.standing_needs:
        said.append(f"the remembered needs {now.kept_name} would take changed")
    if seen.preferences != now.preferences:
        said.append("the combined preferences changed")
    contact = (("phone", seen.phone_taken, now.phone_taken), ("email", seen.email_taken, now.email_taken))
    for what, before, after in contact:
        if after and before != after:
            said.append(f"{now.kept_name} would now take {now.merged_name}'s {what} ({after})")
        elif before != after:
            said.append(f"{now.kept_name} would no longer take {now.merged_name}'s {what}")
    return said
