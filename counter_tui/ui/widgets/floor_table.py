"""The floor board's table: a `FittedTable` whose flags, need badges and overdue waiting
times take their looks from its component classes (`floor-board--flag-alarm`, …), which
app.tcss styles with the theme's variables."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from counter_tui.ui.widgets.badges import Looks
from counter_tui.ui.widgets.column_fit import Col
from counter_tui.ui.widgets.component_looks import looks_of
from counter_tui.ui.widgets.fitted_table import ListTable
from counter_tui.ui.widgets.floor_cells import LOOK_NAMES

PREFIX = "floor-board"


class FloorTable(ListTable):
    """The floor board. `looks()` are the cells' styles, worked out again only when the
    stylesheet was parsed again (a theme change, a stylesheet reload): a busy board asks
    for them hundreds of times, and working all out costs milliseconds."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"{PREFIX}--{name}" for name in LOOK_NAMES}

    def __init__(self, columns: Sequence[Col], **kwargs: Any) -> None:
        super().__init__(columns, **kwargs)
        self._looks: Looks = {}
        self._rules: object = None
        """The stylesheet's rules the looks were worked out from."""
        self._check = True

    def looks(self) -> Looks:
        """The cells' styles by look name; the same object until they change."""
        if self._check:
            self._check = False
            rules = self.app.stylesheet.rules
            if rules is not self._rules:
                self._rules = rules
                fresh = looks_of(self, PREFIX, LOOK_NAMES)
                if fresh != self._looks:
                    self._looks = fresh
        return self._looks

    def notify_style_update(self) -> None:
        """Styles were applied to the table (a theme change, a stylesheet reload, or just
        focus): see whether the stylesheet changed when the looks are next asked for. No
        rule for the looks depends on the table's state, only on the stylesheet."""
        super().notify_style_update()
        self._check = True
