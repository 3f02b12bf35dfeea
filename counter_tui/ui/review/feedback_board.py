"""Feedback that gets fixed: topics raised in the last 30 days, their status, and acting
on them (which tells every customer who raised it and agreed to be contacted)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import DataTable, Label, Static

from counter_tui.limits import LIMITS
from counter_tui.sentences import counted
from counter_tui.services import feedback
from counter_tui.services.review_views import ActedOnResult, FeedbackView, TopicRow
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.format import day_and_time
from counter_tui.ui.review.pane import ReviewPane, new_table, row_key
from counter_tui.ui.safe_text import answer_key, clean, line, one_line
from counter_tui.ui.tones import GOOD, INFO, STRONG_WARNING, tone
from counter_tui.ui.widgets.column_fit import Col, name_col
from counter_tui.ui.widgets.fitted_table import FittedTable

STATUS_STYLES = {"new": STRONG_WARNING, "acknowledged": INFO, "acted_on": GOOD}


class FeedbackBoardPane(ReviewPane):
    """Topics by count; Enter shows what customers said, k acknowledges, x acts on it."""

    LIST_ID = "topics-table"

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.topics: dict[str, TopicRow] = {}
        self.saying_empty = False

    def compose(self) -> ComposeResult:
        yield Label(
            "Topics raised in the last 30 days (Enter: what they said · k acknowledge · x acted on)",
            classes="section-title",
        )
        yield new_table(
            "topics-table",
            (
                name_col("topic", "Topic", 24),
                Col("raised", "Raised", 6),
                Col("customers", "Customers", 9, min_width=5, short="Cust."),
                Col("rating", "Rating", 6, min_width=4, short="★"),
                Col("last", "Last raised", 18),  # "Thu 19 Nov 14:05" whole: a cut hid the hour
                Col("status", "Status", 16, min_width=8),
                Col("done", "What was done", 30, min_width=4, short="Done", grow=True, shrink_first=True),
            ),
            picks_rows=True,
        )
        yield Static(id="topic-detail")

    def reload(self) -> None:
        """Fetch the topic board."""
        self.load("topic_board", feedback.topic_board, self.ctx, self.actor, then=self.show)

    def show(self, rows: tuple[TopicRow, ...]) -> None:
        """Show topics, most raised first."""
        self.topics = {row.topic: row for row in rows}
        cells: list[tuple[str, list[Text]]] = []
        for row in rows:
            again = (
                f" (+{row.raised_since_status} since)"
                if row.status != "new" and row.raised_since_status
                else ""
            )
            cells.append(
                (
                    row.topic,
                    [
                        Text(one_line(row.topic), style="bold"),
                        Text(f"{row.raised:d}"),
                        Text(f"{row.customers:d}"),
                        Text(f"{row.average_rating:.1f}" if row.average_rating is not None else "—"),
                        Text(day_and_time(self.ctx, row.last_raised_at)),
                        line(
                            row.status.replace("_", " ") + again,
                            style=tone(STATUS_STYLES.get(row.status, "")),
                        ),
                        Text(one_line(row.action_taken)),
                    ],
                )
            )
        self.query_one("#topics-table", FittedTable).fill(cells)
        detail = self.query_one("#topic-detail", Static)
        if not rows:
            detail.update(Text("No feedback recorded in the last 30 days.", style="dim"))
        elif self.saying_empty:
            detail.update("")
        self.saying_empty = not rows

    def selected_topic(self) -> str | None:
        """The topic under the cursor."""
        return row_key(self.query_one("#topics-table", DataTable))

    def picked_topic(self) -> str | None:
        """The topic the lead picked in the list (`ReviewPane.pick`)."""
        if not self.topics:
            answer_key(self, "No feedback topic has been raised in the last 30 days.")
            return None
        topic = self.pick("topics-table", "a topic")
        return topic if topic in self.topics else None

    def on_data_table_row_selected(self) -> None:
        """Enter shows what customers said about the topic."""
        topic = self.selected_topic()
        if topic is not None:
            self.load(
                "topic_feedback", feedback.topic_feedback, self.ctx, self.actor, topic, then=self.show_detail
            )

    def show_detail(self, items: tuple[FeedbackView, ...]) -> None:
        """What customers said, newest first."""
        text = Text()
        for item in items[:12]:
            rating = f" ★{item.rating}" if item.rating else ""
            who = one_line(item.customer_name, LIMITS["name"].most)  # whole: the line wraps
            text.append(clean(f"{day_and_time(self.ctx, item.created_at)} {who}{rating}: "), style="dim")
            text.append(one_line(item.body, 90) + "\n")
        self.query_one("#topic-detail", Static).update(text)

    def acknowledge(self) -> None:
        """Mark the picked topic seen and being looked at."""
        topic = self.picked_topic()
        if topic is not None:
            self.call(feedback.acknowledge_topic, self.ctx, self.actor, topic, then=lambda _: self.reload())

    def act_on(self) -> None:
        """Say what was done about the picked topic; everyone who raised it and agreed to
        contact will hear."""
        topic = self.picked_topic()
        if topic is None:
            return

        prompt = f"What was done about '{one_line(topic, 30)}'? Customers who raised it will be told."
        ask(
            self,
            TextPromptDialog("Acted on", prompt),
            lambda actor, what: feedback.mark_topic_acted_on(self.ctx, actor, topic, what),
            then=self._acted,
        )

    def _acted(self, result: ActedOnResult) -> None:
        message = f"Marked acted on. {counted(result.customers_told, 'customer')} will be updated"
        if result.customers_without_consent:
            message += f"; {result.customers_without_consent} can't be contacted (no consent)"
        self.notify(message + ".", markup=False, timeout=8)
        self.reload()
