"""Before two customer records are merged, say exactly what will change; Enter merges
exactly that (`ask_merge`). If it changed meanwhile at another terminal (Sam started a
visit on the duplicate and noted an allergy), the refusal says what, the dialog shows the
summary as it is now, and Enter again merges what is shown then."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.widgets import Static

from counter_tui.errors import DomainError
from counter_tui.sentences import counted
from counter_tui.services import merge
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.merge import MergePreview, MergeView
from counter_tui.services.merge_seen import MergeChanged
from counter_tui.services.when import day_words
from counter_tui.ui.dialogs.confirm import ConfirmDialog
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.safe_text import one_line, plain

if TYPE_CHECKING:
    from counter_tui.services.context import Actor
    from counter_tui.ui.shop_access import ServiceCaller

NOTHING_LEFT_SECONDS = 10


def preview_lines(preview: MergePreview, calendar: StoreCalendar, now: datetime) -> list[str]:
    """What the merge will do, one sentence a line, in the words the counter uses (a day
    not this year's with its year: an answer from years ago must not read as this year's)."""
    kept, merged = one_line(preview.kept_name, 40), one_line(preview.merged_name, 40)
    moves = ", ".join(
        [
            counted(preview.visits, "visit"),
            counted(preview.notes, "note"),
            counted(preview.open_followups, "open follow-up"),
            counted(preview.other_followups, "closed follow-up"),
            counted(preview.feedback, "piece of feedback", "pieces of feedback"),
        ]
    )
    lines = [
        f"{_told_apart(preview)} is merged into {_told_apart(preview, kept=True)}.",
        f"Moves to {kept}: {moves}.",
    ]
    for what, taken in (("phone", preview.phone_taken), ("email", preview.email_taken)):
        if taken:
            lines.append(f"{kept} has no {what}: {merged}'s ({one_line(taken, 60)}) becomes theirs.")
    for consent in preview.consents:
        answer = "yes" if consent.granted else "no"
        when = day_words(calendar, consent.recorded_at, now, at_time=True)
        winner = merged if consent.from_duplicate else kept
        source = one_line(consent.source, 40)
        lines.append(
            f"{CHANNEL_LABELS.get(consent.channel, consent.channel).capitalize()}: {answer} "
            f"({source}; {when}; the later answer, from {winner})."
        )
    if preview.standing_needs:
        lines.append(f"Remembered needs from {merged}: {', '.join(preview.standing_needs)}.")
    if preview.preferences_change:
        lines.append(f"Preferences become: {one_line(preview.preferences, 120)}")
    final = calendar.local(preview.final_at)
    today = calendar.local_date(now)
    day = "today" if final.date() == today else day_words(calendar, preview.final_at, now)
    lines.append(
        f"{merged}'s record is hidden, not deleted. A shift lead can undo the merge (U on "
        f"{kept}'s record) until {final.format('HH:mm')} {day}; after that it is final."
    )
    return lines


def _told_apart(preview: MergePreview, *, kept: bool = False) -> str:
    """One record's name, with its phone or email when both records have the same name
    ("Alice Import is merged into Alice Import" told a lead nothing)."""
    name, contact = (
        (preview.kept_name, preview.kept_contact) if kept else (preview.merged_name, preview.merged_contact)
    )
    if preview.kept_name.casefold() != preview.merged_name.casefold():
        return one_line(name, 40)
    return f"{one_line(name, 40)} ({one_line(contact, 60) if contact else 'no phone or email'})"


class MergePreviewDialog(ConfirmDialog):
    """Show what a merge will move and change; Enter merges, Esc leaves both records be.
    `show_lines` shows a newer summary in place."""

    ENTER_DOES = ("merges", "Merge")

    def __init__(self, lines: list[str]) -> None:
        super().__init__(
            "Merge these two records?", lines, "Enter merges · Esc leaves both records as they are."
        )

    def fields(self) -> ComposeResult:
        yield Static(plain("\n".join(self._lines)), classes="confirm-line", id="merge-summary")

    def show_lines(self, lines: list[str]) -> None:
        """Show what the merge would do now (after a refusal said what changed)."""
        self._lines = lines
        self.query_one("#merge-summary", Static).update(plain("\n".join(lines)))


def ask_merge(where: ServiceCaller, preview: MergePreview, then: Callable[[MergeView], None]) -> None:
    """Ask in the merge dialog; Enter merges exactly what it shows (`preview.seen`). If
    that changed meanwhile, the refusal says what, the dialog shows the summary as it is
    now, and the next Enter merges that; when another lead merged the duplicate already,
    the dialog goes, saying who did."""
    ctx = where.ctx
    shown = [preview]

    def lines(now: MergePreview) -> list[str]:
        return preview_lines(now, ctx.calendar, ctx.now())

    dialog = MergePreviewDialog(lines(preview))

    def save(actor: Actor, _yes: bool) -> MergeView:
        return merge.merge_customers(ctx, actor, shown[0].seen)

    def refused(error: DomainError) -> bool:
        if not isinstance(error, MergeChanged):
            return False
        if error.now is None:  # merged already: nothing is left to offer
            dialog.dismiss(None)
            where.app.notify(str(error), markup=False, timeout=NOTHING_LEFT_SECONDS)
            where.reload()
            return True
        shown[0] = error.now
        dialog.show_lines(lines(error.now))
        return False

    ask(where, dialog, save, then=then, refused=refused)
