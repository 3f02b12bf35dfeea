"""Set a visit's needs: tick what applies; each ticked need has its own detail line, and
(for a need about the person, not this visit) its own Remember box."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label

from counter_tui.services.customers import ONE_OFF_NEEDS
from counter_tui.services.labels import NEED_LABELS
from counter_tui.services.views import NeedView
from counter_tui.ui.dialogs.form import FormDialog, field_error
from counter_tui.ui.focus_keys import KeysInOrder
from counter_tui.ui.safe_text import one_line, plain
from counter_tui.ui.widgets.choice import ChoiceList, Tick


@dataclass(frozen=True)
class NeedsChange:
    """Needs to set (new ones, and set ones whose detail changed or that are to be
    remembered) and to clear; each need's own detail, and which to remember."""

    add: tuple[str, ...]
    clear: tuple[str, ...]
    details: dict[str, str] = field(default_factory=dict)
    remember: tuple[str, ...] = ()


class NeedChoices(ChoiceList[str]):
    """The tick list of needs, telling the dialog at once when a tick changes (so the
    need's detail line is there for the Tab typed next)."""

    def __init__(
        self, choices: Sequence[tuple[str, str]], *, ticked: set[str], on_tick: Callable[[], None]
    ) -> None:
        super().__init__(choices, multiple=True, ticked=ticked, id="needs")
        self._on_tick = on_tick

    def action_choose(self) -> None:
        """Space: tick or untick, then show or hide that need's detail line."""
        super().action_choose()
        self._on_tick()


class NeedsDialog(FormDialog[NeedsChange]):
    """Tick the needs that apply now, a detail for each."""

    TITLE_TEXT = "What does this customer need?"
    HINT_TEXT = "Enter saves · Space ticks · Tab next field · Esc cancels"
    DEFAULT_CSS = """
    NeedsDialog .need-row { height: auto; }
    NeedsDialog .need-line { height: auto; }
    NeedsDialog .need-name { width: 18; padding: 1 1 0 0; }
    NeedsDialog .need-line Input { width: 1fr; }
    NeedsDialog .need-line Tick { width: auto; }
    NeedsDialog .need-once { width: auto; padding: 1 1 0 1; color: $text-muted; }
    """

    def __init__(self, current: tuple[NeedView, ...], *, can_remember: bool) -> None:
        super().__init__()
        self._current = {need.kind: one_line(need.detail) for need in current}
        self._can_remember = can_remember

    def fields(self) -> ComposeResult:
        yield Label("Space ticks or unticks · browse privately and needs help replace each other")
        yield NeedChoices(list(NEED_LABELS.items()), ticked=set(self._current), on_tick=self._show_rows)
        yield Label("Each ticked need has its own detail (e.g. language spoken, wheelchair, order number)")
        for kind, label in NEED_LABELS.items():
            yield self._row(kind, label)

    def _row(self, kind: str, label: str) -> Vertical:
        """One need's detail line (and Remember box), shown while the need is ticked."""
        detail = KeysInOrder(self._current.get(kind, ""), id=f"detail_{kind}")
        line: list[Label | KeysInOrder | Tick] = [Label(plain(label), classes="need-name"), detail]
        if self._can_remember and kind in ONE_OFF_NEEDS:
            line.append(Label("this visit only", classes="need-once"))
        elif self._can_remember:
            line.append(Tick("Remember", False, id=f"remember_{kind}"))
        row = Vertical(
            Horizontal(*line, classes="need-line"),
            field_error(f"detail_{kind}"),
            field_error(f"remember_{kind}"),
            id=f"row_{kind}",
            classes="need-row",
        )
        row.display = kind in self._current
        return row

    def _show_rows(self) -> None:
        ticked = set(self.query_one("#needs", NeedChoices).values)
        for kind in NEED_LABELS:
            self.query_one(f"#row_{kind}", Vertical).display = kind in ticked

    def collect(self) -> NeedsChange:
        chosen = self.query_one("#needs", NeedChoices).values
        details: dict[str, str] = {}
        remember: list[str] = []
        for kind in chosen:
            text = self.query_one(f"#detail_{kind}", Input).value
            if text != self._current.get(kind, ""):
                details[kind] = text
            ticks = self.query(f"#remember_{kind}").results(Tick)
            if any(tick.value for tick in ticks):
                remember.append(kind)
        changed = {*details, *remember}
        return NeedsChange(
            add=tuple(kind for kind in chosen if kind not in self._current or kind in changed),
            clear=tuple(kind for kind in NEED_LABELS if kind in self._current and kind not in chosen),
            details=details,
            remember=tuple(remember),
        )
