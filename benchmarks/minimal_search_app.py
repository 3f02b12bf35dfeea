"""The yardstick for find-customer: a minimal Textual search screen (Header, an Input, a
DataTable of one page of results, Footer) running the same service call on the same
shop, in a thread per keystroke, a newer keystroke's search cancelling the older one.

    python benchmarks/minimal_search_app.py DATABASE_URL
"""

from __future__ import annotations

import sys

from textual import on, work
from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header, Input
from textual.worker import get_current_worker

from counter_tui.bootstrap import open_shop
from counter_tui.config import load_settings
from counter_tui.services import customers
from counter_tui.services.views import Page


class MinimalSearch(App[None]):
    """Type, and the first page of matches shows; nothing else."""

    def __init__(self, database_url: str) -> None:
        super().__init__()
        self.ctx = open_shop(load_settings(database_url=database_url))

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(placeholder="Name, phone or email")
        yield DataTable(cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(DataTable).add_columns("Name", "Phone", "Email")
        self.search("")

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        self.search(event.value)

    @work(thread=True, exclusive=True)
    def search(self, query: str) -> None:
        page = customers.find_customers(self.ctx, query)
        if not get_current_worker().is_cancelled:
            self.call_from_thread(self.show, page)

    def show(self, page: Page) -> None:
        table = self.query_one(DataTable)
        table.clear()
        for match in page.items:
            table.add_row(match.name, match.phone, match.email)


if __name__ == "__main__":
    MinimalSearch(sys.argv[1]).run()
