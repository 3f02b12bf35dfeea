"""The shift lead's review: hand-offs, floor health, follow-ups, scorecard, feedback,
kudos and end of day, one tab each (keys 1-7); l opens the audit log.

1-7 switch tabs wherever the focus is, and the tab shown by its number puts the focus in
its list (`ReviewPane.LIST_ID`), so the arrows move the highlight its keys act on; ↓ from
the tab bar goes there too. (Textual moves the focus out of a pane being hidden to another
widget of that hidden pane, whose tab then came back: the focus leaves the pane first.)

Only the tab on show is built and loaded: a pane is mounted the first time its tab is
shown, so opening review never waits for the figures of the other six."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Header, Input, TabbedContent, TabPane, Tabs

from counter_tui.ui.focus_keys import focus_now
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.review.end_of_day import EndOfDayPane
from counter_tui.ui.review.feedback_board import FeedbackBoardPane
from counter_tui.ui.review.floor_health import FloorHealthPane
from counter_tui.ui.review.followup_oversight import FollowUpOversightPane
from counter_tui.ui.review.handoff_log import HandoffLogPane
from counter_tui.ui.review.kudos_wall import KudosPane
from counter_tui.ui.review.pane import ReviewPane
from counter_tui.ui.review.scorecard import ScorecardPane
from counter_tui.ui.safe_text import content
from counter_tui.ui.screens.audit import AuditScreen
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.widgets.keys_footer import KeysFooter

#: (id, tab label, what the tab is): the labels are short so all seven fit in 80 columns.
TABS: tuple[tuple[str, str, str, type[ReviewPane]], ...] = (
    ("handoffs", "1 Hand-offs", "Hand-offs", HandoffLogPane),
    ("health", "2 Health", "Floor health", FloorHealthPane),
    ("followups", "3 Follow-ups", "Follow-ups", FollowUpOversightPane),
    ("scorecard", "4 Score", "Scorecard", ScorecardPane),
    ("feedback", "5 Feedback", "Feedback", FeedbackBoardPane),
    ("kudos", "6 Kudos", "Kudos", KudosPane),
    ("end_of_day", "7 Day end", "End of day", EndOfDayPane),
)
PANE_ACTIONS: dict[str, tuple[str, str]] = {
    "approve": ("handoffs", "approve"),
    "deny": ("handoffs", "deny"),
    "filter_log": ("handoffs", "start_filter"),
    "reassign_followup": ("followups", "reassign"),
    "due_history": ("followups", "due_history"),
    "acknowledge": ("feedback", "acknowledge"),
    "acted_on": ("feedback", "act_on"),
    "give_kudos": ("kudos", "give"),
    "close_day": ("end_of_day", "close_day"),
    "undo_close": ("end_of_day", "undo_close"),
    "reopen_visit": ("end_of_day", "reopen"),
    "mark_reviewed": ("end_of_day", "mark_reviewed"),
    "download_report": ("end_of_day", "download_report"),
    "export_followups": ("followups", "download_export"),
    "export_customers": ("end_of_day", "download_customers"),
    "export_visits": ("end_of_day", "download_visits"),
}
#: Actions that only make sense in a web browser (`counter-tui serve`).
BROWSER_ONLY = frozenset({"download_report", "export_followups", "export_customers", "export_visits"})


class ReviewScreen(CounterScreen):
    """Everything a shift lead reviews during and after a shift."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="review.back", tooltip="Back to the floor board."),
        Binding(
            "l",
            "audit_log",
            "Audit log",
            id="review.audit_log",
            tooltip="Every recorded change, filtered by customer, staff, action or day.",
        ),
        *[
            Binding(
                str(index),
                f"show_tab('{tab_id}')",
                name,
                show=False,
                id=f"review.tab_{tab_id}",
            )
            for index, (tab_id, _label, name, _pane) in enumerate(TABS, start=1)
        ],
        Binding(
            "down",
            "into_list",
            "Into the list",
            show=False,
            id="review.into_list",
            tooltip="From the tab bar: into the tab's list, whose highlight the keys act on.",
        ),
        Binding("a", "approve", "Approve", id="review.approve", tooltip="Approve the highlighted hand-off."),
        Binding("d", "deny", "Deny…", id="review.deny", tooltip="Deny the highlighted hand-off, saying why."),
        Binding(
            "slash",
            "filter_log",
            "Filter",
            id="review.filter_log",
            priority=True,
            tooltip="Filter the hand-off log by day, staff name or reason; Enter when done.",
        ),
        Binding(
            "r",
            "reassign_followup",
            "Reassign…",
            id="review.reassign_followup",
            tooltip="Give the follow-up to a colleague.",
        ),
        Binding(
            "h",
            "due_history",
            "Due history",
            show=False,
            id="review.due_history",
            tooltip="When the follow-up was first due, and each snooze with its reason and who.",
        ),
        Binding(
            "k",
            "acknowledge",
            "Acknowledge",
            id="review.acknowledge",
            tooltip="Mark the topic as being looked at.",
        ),
        Binding(
            "x",
            "acted_on",
            "Acted on…",
            id="review.acted_on",
            tooltip="Say what was done; customers who raised it hear.",
        ),
        Binding(
            "t", "give_kudos", "Give kudos…", id="review.give_kudos", tooltip="Thank a colleague publicly."
        ),
        Binding(
            "c",
            "close_day",
            "Close day…",
            id="review.close_day",
            tooltip="End visits left open as 'left at close' (shows which first).",
        ),
        Binding(
            "u",
            "undo_close",
            "Undo close…",
            id="review.undo_close",
            tooltip="Undo today's day close: its visits go back on the floor.",
        ),
        Binding(
            "o",
            "reopen_visit",
            "Reopen…",
            id="review.reopen_visit",
            tooltip="Reopen the highlighted flagged visit, saying why.",
        ),
        Binding(
            "v",
            "mark_reviewed",
            "Reviewed…",
            id="review.mark_reviewed",
            tooltip="Mark a flagged visit reviewed.",
        ),
        Binding(
            "s",
            "download_report",
            "Download",
            id="review.download_report",
            tooltip="In a browser: download the day's report as CSV, for a spreadsheet.",
        ),
        Binding(
            "e",
            "export_followups",
            "Export",
            id="review.export_followups",
            tooltip="In a browser: download every follow-up as CSV (recorded as an export).",
        ),
        Binding(
            "p",
            "export_customers",
            "Customers",
            id="review.export_customers",
            tooltip="In a browser: download every customer on file as CSV (recorded as an export).",
        ),
        Binding(
            "w",
            "export_visits",
            "Visits…",
            id="review.export_visits",
            tooltip="In a browser: download the visits of chosen days as CSV (recorded as an export).",
        ),
    ]

    def __init__(self, tab: str = "handoffs") -> None:
        super().__init__()
        self.first_tab = tab
        self._into_list = True
        """The tab coming into view was asked for by its number (or is the first): its list
        takes the focus once it is shown (not when the tab bar's own arrows move along it)."""

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial=self.first_tab, id="review-tabs"):
            for tab_id, label, _name, _pane in TABS:
                yield TabPane(content(label), id=tab_id)
        yield KeysFooter()

    def on_mount(self) -> None:
        """Name the screen."""
        self.sub_title = "Lead review"

    @property
    def active_tab(self) -> str:
        """The id of the tab on show."""
        return self.query_one(TabbedContent).active

    def active_pane(self) -> ReviewPane | None:
        """The pane on show, once it is built."""
        return next(self.query(f"#pane-{self.active_tab}").results(ReviewPane), None)

    async def on_tabbed_content_tab_activated(self) -> None:
        """Build the pane coming into view the first time (it loads when mounted), or
        refresh it; and offer its keys."""
        tab_id = self.active_tab
        if self.active_pane() is None:
            pane_class = next(pane for each_id, _label, _name, pane in TABS if each_id == tab_id)
            await self.query_one(f"#{tab_id}", TabPane).mount(pane_class(id=f"pane-{tab_id}"))
        else:
            self.reload()
        if self._into_list:
            self._into_list = False
            self._focus_list()
        self.refresh_bindings()

    def _focus_list(self) -> None:
        pane = self.active_pane()
        if pane is not None:
            pane.focus_list()

    def reload(self) -> None:
        """Reload the pane on show."""
        pane = self.active_pane()
        if pane is not None:
            pane.reload()

    def on_data_changed(self, message: DataChanged) -> None:
        """Keep the visible pane live."""
        if message.changes or message.resumed:
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer each pane's keys only while that pane is on show (downloads only in a browser)."""
        if action in BROWSER_ONLY and not self.app.is_web:
            return False
        if action == "filter_log" and isinstance(self.focused, Input):
            return False
        if action == "into_list":
            return isinstance(self.focused, Tabs)
        if action in PANE_ACTIONS:
            return PANE_ACTIONS[action][0] == self.active_tab
        return True

    def run_pane_action(self, action: str) -> None:
        """Call the active pane's method for `action`."""
        tab, method = PANE_ACTIONS[action]
        pane = self.active_pane()
        if tab == self.active_tab and pane is not None:
            getattr(pane, method)()

    def action_show_tab(self, tab_id: str) -> None:
        """Switch tabs by number, from wherever the focus is, and put the focus in the
        tab's list. The focus first leaves the pane being hidden (for the tab bar): Textual
        moved it to another widget of that pane, and its tab came back."""
        tabs = self.query_one(TabbedContent)
        if tabs.active == tab_id:
            self._focus_list()
            return
        focus_now(tabs.query_one(Tabs))
        self._into_list = True
        tabs.active = tab_id

    def action_into_list(self) -> None:
        """↓ on the tab bar: into the tab's list."""
        self._focus_list()

    def action_approve(self) -> None:
        """Approve the highlighted hand-off."""
        self.run_pane_action("approve")

    def action_deny(self) -> None:
        """Deny the highlighted hand-off."""
        self.run_pane_action("deny")

    def action_filter_log(self) -> None:
        """Type a filter for the hand-off log."""
        self.run_pane_action("filter_log")

    def action_reassign_followup(self) -> None:
        """Reassign the highlighted follow-up."""
        self.run_pane_action("reassign_followup")

    def action_due_history(self) -> None:
        """Show the highlighted follow-up's due history."""
        self.run_pane_action("due_history")

    def action_acknowledge(self) -> None:
        """Acknowledge the highlighted feedback topic."""
        self.run_pane_action("acknowledge")

    def action_acted_on(self) -> None:
        """Mark the highlighted topic acted on."""
        self.run_pane_action("acted_on")

    def action_give_kudos(self) -> None:
        """Give kudos to a colleague."""
        self.run_pane_action("give_kudos")

    def action_close_day(self) -> None:
        """Close the day."""
        self.run_pane_action("close_day")

    def action_undo_close(self) -> None:
        """Undo today's day close."""
        self.run_pane_action("undo_close")

    def action_reopen_visit(self) -> None:
        """Reopen the highlighted flagged visit."""
        self.run_pane_action("reopen_visit")

    def action_mark_reviewed(self) -> None:
        """Mark a flagged visit reviewed."""
        self.run_pane_action("mark_reviewed")

    def action_download_report(self) -> None:
        """Download the day's report (in a browser)."""
        self.run_pane_action("download_report")

    def action_export_followups(self) -> None:
        """Download every follow-up (in a browser)."""
        self.run_pane_action("export_followups")

    def action_export_customers(self) -> None:
        """Download every customer on file (in a browser)."""
        self.run_pane_action("export_customers")

    def action_export_visits(self) -> None:
        """Download the visits of chosen days (in a browser)."""
        self.run_pane_action("export_visits")

    def action_audit_log(self) -> None:
        """Open the audit log."""
        self.app.push_screen(AuditScreen())

    def action_back(self) -> None:
        """Back to the floor."""
        self.dismiss()
