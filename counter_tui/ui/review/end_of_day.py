"""End of day: unreturned calls, overdue follow-ups, undecided hand-offs and visits
flagged for review, with the day's figures; leads close the day (after confirming what
it ends), undo a close, reopen a flagged visit, and review flags; in a browser
(`counter-tui serve`) the day's report, every customer and the visits of chosen days
download as CSV."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Label, Static

from counter_tui.errors import DomainError
from counter_tui.report import render_day_report
from counter_tui.sentences import counted, join_sentences
from counter_tui.services import closing, end_of_day, flagged_visits, reversals
from counter_tui.services.close_seen import CloseChanged
from counter_tui.services.closing_views import ClosePreview, UndoableClose, UndoResult, handoffs_said
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.exports import ExportKind, Period
from counter_tui.services.labels import OUTCOME_LABELS
from counter_tui.services.review_views import CloseResult, EndOfDayReport, FlaggedVisit
from counter_tui.services.views import FollowUpView, HandoffView
from counter_tui.ui.dialogs.export_period import ExportPeriodDialog
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.format import clock_time, day_and_time
from counter_tui.ui.reopen import reopen_with_reason
from counter_tui.ui.review.close_day import CloseDayDialog
from counter_tui.ui.review.downloads import deliver_csv, exported_csv
from counter_tui.ui.review.pane import ReviewPane, new_table
from counter_tui.ui.review.scorecard import fitted_scorecard
from counter_tui.ui.safe_text import answer_key, clean, line, one_line
from counter_tui.ui.tones import GOOD, URGENT, tone
from counter_tui.ui.widgets.column_fit import Col, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable


def followup_line(ctx: ShopContext, item: FollowUpView) -> str:
    """`thank-you: Ada Lovelace due today 17:30 (Sam) — …`"""
    due = day_and_time(ctx, item.due_at)
    return (
        f"{item.kind_label}: {one_line(item.customer_name, 24)} due {due} "
        f"({one_line(item.owner_name, 12)}) — {one_line(item.summary, 40)}"
    )


def handoff_line(request: HandoffView) -> str:
    """`Ada: Sam → Dana, knows the grinders`"""
    return (
        f"{one_line(request.who, 24)}: {one_line(request.from_name, 12)} → "
        f"{one_line(request.to_name, 12)}, {one_line(request.reason, 40)}"
    )


class EndOfDayPane(ReviewPane):
    """The day's loose ends; c closes the day, u undoes a close, o reopens and v marks
    reviewed the highlighted flagged visit."""

    LIST_ID = "flagged-table"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.report: EndOfDayReport | None = None
        self.flagged: dict[str, FlaggedVisit] = {}

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(id="eod-body")
            yield Label(
                "Visits flagged for review (v to mark the highlighted one reviewed)", classes="section-title"
            )
            yield new_table(
                "flagged-table",
                (
                    Col("arrived", "Arrived", 16, min_width=11),
                    name_col("who", "Customer", 30),
                    Col("outcome", "Outcome", 28, min_width=12),
                    name_col("owner", "With", 16, grow=True),
                ),
                picks_rows=True,
            )
            yield Static(id="eod-score")

    def reload(self) -> None:
        """Fetch today's end-of-day report."""
        self.load("end_of_day", end_of_day.end_of_day, self.ctx, self.actor, then=self.show)

    def show(self, report: EndOfDayReport) -> None:
        """Render the loose ends and the figures."""
        self.report = report
        text = Text(f"{one_line(report.shop_name)} — {report.day:%A %d %B}", style="bold")
        if report.closes_at:
            text.append(f"   closes {clock_time(self.ctx, report.closes_at)}", style="dim")
        text.append("   (c close the day · u undo a close · o reopen a flagged visit)\n", style="dim")
        ctx = self.ctx
        self._list(text, "Unreturned calls", [followup_line(ctx, f) for f in report.unreturned_calls])
        self._list(text, "Overdue follow-ups", [followup_line(ctx, f) for f in report.overdue_followups])
        self._list(text, "Hand-offs not decided", [handoff_line(h) for h in report.pending_handoffs])
        self.query_one("#eod-body", Static).update(text)
        self.show_flagged(report.flagged_visits)
        self.query_one("#eod-score", Static).update(fitted_scorecard(report.scorecard))

    def _list(self, text: Text, title: str, lines: list[str]) -> None:
        text.append(clean(f"\n{title} ({len(lines)})\n"), style="bold underline")
        if not lines:
            text.append("  none\n", style=tone(GOOD))
        for entry in lines:
            text.append(clean(f"  • {entry}\n"), style=tone(URGENT) if title == "Unreturned calls" else "")

    def close_day(self) -> None:
        """Show what closing the day would end and whose; close only once confirmed."""
        self.call(closing.close_day_preview, self.ctx, self.actor, then=self._confirm_close)

    def _confirm_close(self, preview: ClosePreview) -> None:
        """Ask in the close dialog; Enter closes exactly what it shows. If that changed
        meanwhile (another terminal claimed a visit, asked for a hand-off, closed the day),
        the refusal says what, the dialog shows the list as it is now with the reason kept,
        and the next Enter closes that; when another close left nothing, the dialog goes."""
        dialog = CloseDayDialog(self.ctx, preview)

        def close(actor: Actor, reason: str) -> CloseResult:
            return closing.close_day(self.ctx, actor, seen=dialog.preview.seen, reason=reason)

        def shown(now: ClosePreview) -> None:
            if dialog.is_active:  # not cancelled meanwhile
                dialog.show_preview(now)

        def refused(error: DomainError) -> bool:
            if not isinstance(error, CloseChanged):
                return False
            if error.nothing_left:
                dialog.dismiss(None)
                self.notify(str(error), markup=False, timeout=10)
                self.reload()
                return True
            self.call(closing.close_day_preview, self.ctx, self.actor, then=shown)
            return False

        ask(self, dialog, close, then=self._after_close, refused=refused)

    def _after_close(self, result: CloseResult) -> None:
        count = len(result.closed_visit_ids)
        message = f"Day closed: {counted(count, 'open visit')} ended as left at close and flagged for review."
        if result.cancelled_handoff_ids:
            cancelled = handoffs_said(len(result.cancelled_handoff_ids))
            message = join_sentences(
                message, f"{cancelled} cancelled. u undoes it today and brings them back."
            )
        else:
            message = join_sentences(message, "u undoes it today.")
        self.notify(message, markup=False)
        self.reload()

    def undo_close(self) -> None:
        """Undo today's latest day close, with a reason: its visits go back on the floor."""
        self.call(reversals.undoable_close, self.ctx, self.actor, then=self._confirm_undo)

    def _confirm_undo(self, close: UndoableClose | None) -> None:
        """Ask why, saying what undoing the close does; Enter undoes exactly that. If it
        changed meanwhile (a visit reopened or its customer back), the refusal says so,
        the prompt says what it does now with the reason kept, and the next Enter does that."""
        if close is None:
            self.notify("No day close to undo today.", markup=False)
            return
        shown = [close]
        dialog = TextPromptDialog("Undo the day close", self._undo_prompt(close))

        def undo(actor: Actor, reason: str) -> UndoResult:
            return reversals.undo_day_close(self.ctx, actor, close.day_close_id, reason, seen=shown[0].seen)

        def refused(error: DomainError) -> bool:
            if isinstance(error, reversals.UndoChanged) and isinstance(error.now, UndoableClose):
                shown[0] = error.now
                dialog.show_prompt(self._undo_prompt(error.now))
            return False

        ask(self, dialog, undo, then=self._after_undo, refused=refused)

    def _undo_prompt(self, close: UndoableClose) -> str:
        how = "automatically" if close.auto else f"by {one_line(close.closed_by_name, 20)}"
        return join_sentences(
            f"The day was closed at {clock_time(self.ctx, close.closed_at)} {how}",
            f"Undoing it reopens {close.summary()}",
            close.staying_said(),
            "Why?",
        )

    def _after_undo(self, result: UndoResult) -> None:
        count = len(result.reopened)
        message = f"Day close undone: {counted(count, 'visit')} back on the floor."
        if result.skipped:
            message = join_sentences(message, f"{len(result.skipped)} stayed ended:", result.skipped[0][1])
        if result.handoffs_restored:
            back = len(result.handoffs_restored)
            message = join_sentences(
                message,
                f"{handoffs_said(back).capitalize()} {'is' if back == 1 else 'are'} waiting again.",
            )
        for _request_id, why in result.handoffs_not_restored:
            message = join_sentences(message, why)
        self.notify(message, markup=False, timeout=10)
        self.reload()

    def picked_visit(self) -> FlaggedVisit | None:
        """The flagged visit the lead picked in the list (`ReviewPane.pick`)."""
        if not self.flagged:
            answer_key(self, "No visit is flagged for review.")
            return None
        return self.flagged.get(self.pick("flagged-table", "a flagged visit") or "")

    def reopen(self) -> None:
        """Reopen the picked flagged visit, with a reason."""
        visit = self.picked_visit()
        if visit is not None:
            reopen_with_reason(self, visit.visit_id, visit.who)

    def show_flagged(self, flagged: tuple[FlaggedVisit, ...]) -> None:
        """One row per flagged visit, so a lead can pick which one was reviewed."""
        self.flagged = {str(visit.visit_id): visit for visit in flagged}
        rows = [
            (
                str(visit.visit_id),
                [
                    Text(day_and_time(self.ctx, visit.arrived_at)),
                    Text(one_line(visit.who)),
                    line(OUTCOME_LABELS.get(visit.outcome or "", visit.outcome or "still open")),
                    Text(one_line(visit.owner_name or "nobody")),
                ],
            )
            for visit in flagged
        ]
        if not flagged:
            rows.append(("none", [Text("none", style=tone(GOOD)), Text(""), Text(""), Text("")]))
        self.query_one("#flagged-table", FittedTable).fill(rows)

    def mark_reviewed(self) -> None:
        """Mark the picked flagged visit reviewed, with a note."""
        visit = self.picked_visit()
        if visit is None:
            return

        ask(
            self,
            TextPromptDialog(f"Reviewed: {one_line(visit.who, 30)}", "What happened? (kept in the log)"),
            lambda actor, note: flagged_visits.mark_reviewed(self.ctx, actor, visit.visit_id, note),
            then=lambda _: self.reload(),
        )

    def download_report(self) -> None:
        """Send the day's report, as CSV for a spreadsheet, to the browser as a download
        (the same figures as `counter-tui report day --format csv`)."""
        if self.report is None:
            self.notify("The day's report is still loading; try again in a moment.", markup=False)
            return
        day = self.report.day
        self.call(render_day_report, self.ctx, day, "csv", then=lambda text: self._deliver(day, text))

    def _deliver(self, day: date, csv_text: str) -> None:
        deliver_csv(self, f"day-report-{day.isoformat()}.csv", csv_text, f"The report for {day:%A %d %B}")

    def download_customers(self) -> None:
        """Every customer on file, as `counter-tui customers export` writes them, to the
        browser as a download (audited as an export)."""
        today = self.ctx.calendar.local_date(self.ctx.now())
        self.call(
            exported_csv,
            self.ctx,
            self.actor,
            ExportKind.CUSTOMERS,
            then=lambda text: deliver_csv(self, f"customers-{today.isoformat()}.csv", text, "Every customer"),
        )

    def download_visits(self) -> None:
        """Ask which days (this week unless changed), then download their visits, as
        `counter-tui visits export --from --to` writes them (audited as an export)."""
        today = self.ctx.calendar.local_date(self.ctx.now())
        ask(self, ExportPeriodDialog(today), self._visits_csv, then=self._deliver_visits)

    def _visits_csv(self, actor: Actor, period: Period) -> tuple[Period, str]:
        return period, exported_csv(self.ctx, actor, ExportKind.VISITS, period)

    def _deliver_visits(self, result: tuple[Period, str]) -> None:
        period, csv_text = result
        days = period.describe()  # "2026-11-23 to 2026-11-27"
        deliver_csv(self, f"visits-{days.replace(' ', '-')}.csv", csv_text, f"The visits of {days}")
