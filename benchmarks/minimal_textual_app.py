"""The yardstick for start-up benchmarks: a minimal Textual app (Header, a 50-row
DataTable, Footer), what any Textual app pays before its first frame."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import DataTable, Footer, Header


class MinimalApp(App[None]):
    """Header, a table of 50 rows, Footer; nothing else."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield DataTable()
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns("row", "name", "note")
        for number in range(50):
            table.add_row(f"row {number}", f"Customer {number}", "waiting")


if __name__ == "__main__":
    MinimalApp().run()
