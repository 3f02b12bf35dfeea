"""The floor board's reads: one at a time, of the whole board or of only the rows that
changes touched, and on coming back to the board a catch-up from where it was left.

Reads run one at a time, so a slower, older read never overwrites a newer one; what is
wanted meanwhile (the whole board, the changes reported, visits changed here) waits for
the next. A read that fails asks for the whole board next time.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from counter_tui.errors import DomainError
from counter_tui.services import floor_changes
from counter_tui.services.changes import Change
from counter_tui.services.floor_changes import FloorPatch
from counter_tui.services.views import FloorRow
from counter_tui.ui.messages import DataChanged

if TYPE_CHECKING:
    from counter_tui.ui.screens.base import CounterScreen as _Screen
else:
    _Screen = object


class FloorReads(_Screen):
    """Mixed into the floor board, which shows `_board` (`_show`) and the thanks wall."""

    if TYPE_CHECKING:

        def _show(self, touched: Collection[int] | None = None) -> None: ...

        def _reload_thanks(self) -> None: ...

        def _read_worked(self) -> None: ...

        def _read_went_wrong(self) -> None: ...

    def __init__(self, board: tuple[int, list[FloorRow]] | None = None) -> None:
        """`board`: the whole board read just before (with its mark), shown at once and
        caught up from its mark, instead of waiting for a read."""
        super().__init__()
        self._board: dict[int, FloorRow] | None = None
        """The open visits shown, by id; None until the whole board was read."""
        self._reading = False
        """Whether a read of the board (whole or some rows) is under way: one at a time,
        so a slower, older read never overwrites a newer one."""
        self._whole_wanted = False
        self._changes_waiting: list[Change] = []
        self._visits_waiting: set[int] = set()
        self._mark = 0
        """The newest change the rows read reflect (a return catches up from there)."""
        self._catch_up = False
        if board is not None:
            self._mark, rows = board
            self._board = {row.visit_id: row for row in rows}

    def reload(self) -> None:
        """Read the whole board and the thanks wall again."""
        self._whole_wanted = True
        self._read_next()
        self._reload_thanks()

    def apply_changes(self, message: DataChanged) -> None:
        """Another terminal changed something: read again only the rows it touched, or
        the whole board when the feed cannot say what changed (after a reconnect)."""
        if message.replaced:
            self._mark = 0  # the restored log numbers its changes from the backup's
        if not self.signed_in:
            return
        if message.resumed:
            self.reload()
            return
        if any(change.entity == "kudos" for change in message.changes):
            self._reload_thanks()
        if message.changes:
            self._changes_waiting.extend(message.changes)
            self._mark = max(self._mark, *(change.event_id for change in message.changes))
            self._read_next()

    def note_while_covered(self, message: DataChanged) -> None:
        """Keep what changed while a customer screen (or any other) covers the board, so
        the return reads only those visits; after a reconnect, the whole board."""
        if message.replaced:
            self._mark = 0
        if message.resumed:
            self._whole_wanted = True
        self._changes_waiting.extend(message.changes)
        self._mark = max(self._mark, *(change.event_id for change in message.changes), 0)

    def back_on_top(self) -> None:
        """Back on the board: read what changed while it was covered (nothing if nothing
        did; the whole board if the database was away meanwhile or it was never read)."""
        if not self.counter.online:
            self._whole_wanted = True
        if self._board is not None:
            self._show()
        self._catch_up = True
        self._read_next()
        self._reload_thanks()  # a few rows; kudos given here may not have reached the feed yet

    def _refresh_visit(self, visit_id: int) -> None:
        """Read one visit's row again (after this terminal changed it)."""
        self._visits_waiting.add(visit_id)
        self._read_next()

    def _read_next(self) -> None:
        """Start the next read, if one is wanted and none is under way."""
        if self._reading or not self.signed_in:
            return
        if self._whole_wanted or self._board is None:
            self._whole_wanted = False
            self._changes_waiting.clear()
            self._visits_waiting.clear()
            self._catch_up = False
            self._reading = True
            self.call(floor_changes.whole_board, self.ctx, then=self._read_whole, refused=self._read_failed)
        elif self._catch_up:
            changes = tuple(self._changes_waiting)
            self._changes_waiting.clear()
            self._catch_up = False
            self._reading = True
            self.call(
                floor_changes.floor_catch_up,
                self.ctx,
                self._mark,
                changes,
                then=self._caught_up,
                refused=self._read_failed,
            )
        elif self._changes_waiting or self._visits_waiting:
            changes, visit_ids = tuple(self._changes_waiting), tuple(self._visits_waiting)
            self._changes_waiting.clear()
            self._visits_waiting.clear()
            self._reading = True
            self.call(
                floor_changes.floor_patch,
                self.ctx,
                changes,
                visit_ids=visit_ids,
                then=self._read_some,
                refused=self._read_failed,
            )

    def _read_whole(self, marked: tuple[int, list[FloorRow]]) -> None:
        self._reading = False
        self._read_worked()
        mark, rows = marked
        self._mark = max(self._mark, mark)
        self._board = {row.visit_id: row for row in rows}
        if self.is_current:
            self._show()
        self._read_next()

    def _read_some(self, patch: FloorPatch | None) -> None:
        """Rows read again; kept even if the board was covered meanwhile (shown on return)."""
        self._reading = False
        if patch is None or self._board is None:
            self._whole_wanted = True
        else:
            self._read_worked()
            for visit_id in patch.visit_ids:
                self._board.pop(visit_id, None)
            for row in patch.rows:
                self._board[row.visit_id] = row
            if self.is_current:  # else shown whole on return (`back_on_top`)
                self._show(patch.visit_ids)
        self._read_next()

    def _caught_up(self, marked: tuple[int, FloorPatch | None]) -> None:
        self._mark = max(self._mark, marked[0])
        self._read_some(marked[1])

    def _read_failed(self, error: DomainError) -> None:
        """The read failed (e.g. the database is away): read the whole board next time
        (the next change, tick or reconnect), say on the board that it could not be
        read (never that nobody is waiting), and say why unless offline is shown."""
        self._reading = False
        self._whole_wanted = True
        if self.still_shown:
            self._read_went_wrong()
        if self.still_shown and self.counter.online:
            self.say_read_failed(error)
