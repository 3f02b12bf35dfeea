"""The line under a list that says what its last read found: that nothing is there, or
that it could not be read. A list that failed to read must never look like an empty
shop: once, every read of the floor board failed and it said "Nobody is waiting" with
nine people in the shop. So the empty sentence shows only after a read that found
nothing; before the first read it says it is reading, and after a failed read it says
the list could not be read, whether the rows of the last good read stay shown or not."""

from __future__ import annotations

from textual.widgets import Static

from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import plain


class ReadNotice(Guarded, Static):
    """What `what` (e.g. "the board") shows instead of, or under, its rows."""

    def __init__(self, what: str, empty: str, again: str, *, id: str) -> None:
        """`empty`: the sentence for a read that found nothing; `again`: how a failed
        read is tried again (e.g. "It tries again by itself.")."""
        super().__init__(plain(f"Reading {what}…"), id=id)
        self._what = what
        self._empty = empty
        self._again = again
        self.failed_at: str | None = None
        """When the last read failed (store time), or None once a read worked."""
        self._saying_empty = False

    def read(self, rows: int) -> None:
        """A read worked and found `rows` rows: the empty sentence when there are none."""
        self.failed_at = None
        self.remove_class("-read-failed", "-over-rows")
        if self.display != (rows == 0):
            self.display = rows == 0
        if not self._saying_empty:  # no new layout for every read of a board in use
            self._saying_empty = True
            self.update(plain(self._empty))

    def read_failed(self, rows: int, at: str) -> None:
        """A read failed at `at`; `rows` rows from an earlier read stay shown."""
        self.failed_at = at
        kept = " The rows shown are from the last read that worked." if rows else ""
        self.display = True
        self.add_class("-read-failed")
        self.set_class(bool(rows), "-over-rows")  # one line under the rows kept, not a block
        self._saying_empty = False
        self.update(plain(f"{self._what.capitalize()} could not be read ({at}).{kept} {self._again}"))
