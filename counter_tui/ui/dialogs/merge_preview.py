"""Before two customer records are merged, say exactly what will change; Enter merges."""

from __future__ import annotations

from datetime import date

from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.labels import CHANNEL_LABELS
from counter_tui.services.merge import MergePreview
from counter_tui.ui.dialogs.confirm import ConfirmDialog
from counter_tui.ui.safe_text import one_line


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def preview_lines(preview: MergePreview, calendar: StoreCalendar, today: date) -> list[str]:
    """What the merge will do, one sentence a line, in the words the counter uses."""
    kept, merged = one_line(preview.kept_name, 40), one_line(preview.merged_name, 40)
    moves = ", ".join(
        [
            _count(preview.visits, "visit", "visits"),
            _count(preview.notes, "note", "notes"),
            _count(preview.open_followups, "open follow-up", "open follow-ups"),
            _count(preview.other_followups, "closed follow-up", "closed follow-ups"),
            _count(preview.feedback, "piece of feedback", "pieces of feedback"),
        ]
    )
    lines = [f"{merged} is merged into {kept}.", f"Moves to {kept}: {moves}."]
    for what, taken in (("phone", preview.phone_taken), ("email", preview.email_taken)):
        if taken:
            lines.append(f"{kept} has no {what}: {merged}'s ({one_line(taken, 60)}) becomes theirs.")
    for consent in preview.consents:
        answer = "yes" if consent.granted else "no"
        when = calendar.local(consent.recorded_at).format("D MMM HH:mm")
        winner = merged if consent.from_duplicate else kept
        source = one_line(consent.source, 40)
        lines.append(
            f"{CHANNEL_LABELS.get(consent.channel, consent.channel).capitalize()}: {answer} "
            f"({source}, {when}, the later answer, from {winner})."
        )
    if preview.standing_needs:
        lines.append(f"Remembered needs from {merged}: {', '.join(preview.standing_needs)}.")
    if preview.preferences_change:
        lines.append(f"Preferences become: {one_line(preview.preferences, 120)}")
    final = calendar.local(preview.final_at)
    day = "today" if final.date() == today else final.format("ddd D MMM")
    lines.append(
        f"{merged}'s record is hidden, not deleted. A shift lead can undo the merge (U on "
        f"{kept}'s record) until {final.format('HH:mm')} {day}; after that it is final."
    )
    return lines


class MergePreviewDialog(ConfirmDialog):
    """Show what a merge will move and change; Enter merges, Esc leaves both records be."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(
            "Merge these two records?", lines, "Enter merges · Esc leaves both records as they are."
        )
