"""The one choice widget of every dialog: arrows, Space and Enter behave the same everywhere,
and what is chosen is shown with a glyph, not colour alone.

`ChoiceList(choices)` picks one. Nothing is chosen until the person acts, and until then no
option is highlighted either: the cursor stands before the first option, so the first ↓
chooses the first option (a first option highlighted but not chosen looks current, and ↓
from it would choose the second). The first ↑ chooses the first option too: the arrows never
jump to the far end of the list, whose last option is often the costly one ("Create a new
customer anyway", "Left unserved"). Space, Home and a click choose as well (Space the first
option, Home the first, End the last). After that an arrow moves the cursor and chooses where
it lands (the ● moves with it), and the arrows stop at the first and last options instead of
wrapping round (Textual's OptionList wraps, so ↓↓ on two options would land back on the
first). So what is highlighted is what is chosen, what is on screen is what Enter saves, and
a dialog refuses Enter while `value` is None. A harmless default can be given with `value=`;
it starts highlighted.

`ChoiceList(choices, multiple=True)` ticks several and moves the same way (the cursor starts
before the first option, the arrows stop at the ends); Space ticks or unticks the option
under the cursor (the first one before any arrow), and `values` is what is ticked. `Tick` is
one yes/no box whose mark is a glyph.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar, Generic, Literal, TypeVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.widgets import Checkbox, OptionList
from textual.widgets.option_list import Option

from counter_tui.ui.focus_keys import ListInOrder, OwnKeysInOrder
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import one_line, plain

ValueT = TypeVar("ValueT")

CHOSEN, NOT_CHOSEN = "(●) ", "( ) "
TICKED, NOT_TICKED = "[x] ", "[ ] "


class ChoiceList(ListInOrder, Generic[ValueT]):
    """Pick one of `choices` (value, label), or tick several with `multiple=True`; says
    `Changed` whenever what is chosen or ticked changes (as Input and Checkbox do)."""

    class Changed(Message):
        """What is chosen (or ticked) changed: a refusal about it can go."""

        def __init__(self, choice_list: ChoiceList[Any]) -> None:
            super().__init__()
            self.choice_list = choice_list

        @property
        def control(self) -> ChoiceList[Any]:
            """The list whose choice changed."""
            return self.choice_list

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "space",
            "choose",
            "Choose",
            show=False,
            id="choice.choose",
            tooltip="Choose the option under the cursor (tick or untick in a tick list).",
        ),
    ]

    def __init__(
        self,
        choices: Sequence[tuple[ValueT, str]],
        *,
        value: ValueT | None = None,
        multiple: bool = False,
        ticked: Iterable[ValueT] = (),
        id: str | None = None,
    ) -> None:
        self._choices = tuple(choices)
        self._multiple = multiple
        self._ticked = {
            index for index, (choice, _label) in enumerate(self._choices) if choice in set(ticked)
        }
        super().__init__(*[Option(self._prompt(index, False)) for index in range(len(self._choices))], id=id)
        # OptionList highlighted the first option; the cursor starts before it unless a default is chosen.
        start = self.index_of(value) if value is not None and not multiple else None
        self.set_reactive(OptionList.highlighted, start)
        self._refresh_prompts()

    @property
    def multiple(self) -> bool:
        """Whether several can be ticked (else one is chosen)."""
        return self._multiple

    @property
    def value(self) -> ValueT | None:
        """The one option chosen (the highlighted one), or None while nothing is."""
        if self._multiple or self.highlighted is None:
            return None
        return self._choices[self.highlighted][0]

    @property
    def values(self) -> tuple[ValueT, ...]:
        """Every option ticked (or the one chosen), in the order shown."""
        if not self._multiple:
            value = self.value
            return () if value is None else (value,)
        return tuple(choice for index, (choice, _label) in enumerate(self._choices) if index in self._ticked)

    def index_of(self, value: ValueT) -> int:
        """The position of `value` among the choices."""
        return self.values_offered().index(value)

    def choose(self, value: ValueT) -> None:
        """Choose (or tick) `value`, as the keys would."""
        self.highlighted = self.index_of(value)
        if self._multiple:
            self._ticked.add(self.index_of(value))
            self.post_message(self.Changed(self))
        self._refresh_prompts()

    def withdraw(self, value: ValueT) -> None:
        """Stop offering `value` (it can no longer be picked); if it was chosen, nothing
        is chosen (nor highlighted) until the arrows move again."""
        if value not in self.values_offered():
            return
        chosen = self.value
        index = self.index_of(value)
        self._choices = self._choices[:index] + self._choices[index + 1 :]
        self._ticked = {tick - (tick > index) for tick in self._ticked if tick != index}
        self.remove_option_at_index(index)  # keeps the highlighted index, not the option
        if not self._multiple:
            self.highlighted = None if chosen is None or chosen == value else self.index_of(chosen)
        self._refresh_prompts()

    def values_offered(self) -> tuple[ValueT, ...]:
        """Every option on the list, in the order shown."""
        return tuple(choice for choice, _label in self._choices)

    def action_choose(self) -> None:
        """Space: choose the option under the cursor (before any arrow, the first one);
        with `multiple`, tick or untick it."""
        if self.highlighted is None:
            super().action_first()
        index = self.highlighted
        if index is not None and self._multiple:
            self._ticked ^= {index}
            self.post_message(self.Changed(self))
        self._refresh_prompts()

    def watch_highlighted(self, highlighted: int | None) -> None:
        """Redraw the glyphs: in a pick-one list the choice moves with the cursor."""
        super().watch_highlighted(highlighted)
        self._refresh_prompts()
        if not self._multiple:
            self.post_message(self.Changed(self))

    def _step(self, direction: Literal[-1, 1]) -> None:
        """Move the cursor one option in `direction`, staying put at either end (no wrapping
        round); from before the first option, onto the first."""
        if self.highlighted is None:
            super().action_first()
            return
        index = self.highlighted + direction
        while 0 <= index < self.option_count:
            if not self.get_option_at_index(index).disabled:
                self.highlighted = index
                return
            index += direction

    def action_cursor_up(self) -> None:
        """Up: move (never from the first round to the last), choosing where the cursor lands."""
        self._step(-1)

    def action_cursor_down(self) -> None:
        """Down: move (never from the last round to the first), choosing where the cursor lands."""
        self._step(1)

    def action_page_down(self) -> None:
        """Page down: move a page (from before the first option, a page from the top, where
        Textual's would jump to the last), choosing where the cursor lands."""
        if self.highlighted is None:
            super().action_first()
        super().action_page_down()

    def action_select(self) -> None:
        """A click (or Enter outside a dialog) chooses the option under the cursor."""
        self.action_choose()
        super().action_select()

    def _chosen(self, index: int) -> bool:
        if self._multiple:
            return index in self._ticked
        return index == self.highlighted

    def _prompt(self, index: int, chosen: bool) -> Text:
        on, off = (TICKED, NOT_TICKED) if self._multiple else (CHOSEN, NOT_CHOSEN)
        glyph = on if chosen else off
        return Text(glyph + one_line(self._choices[index][1], 70))

    def _refresh_prompts(self) -> None:
        for index in range(len(self._choices)):
            self.replace_option_prompt_at_index(index, self._prompt(index, self._chosen(index)))


class Tick(Guarded, OwnKeysInOrder, Checkbox):
    """A yes/no box showing X when ticked and a blank when not (not colour alone). A label
    longer than the line wraps (Textual's cuts it with "…": a tick box has to say whole
    what ticking it means)."""

    DEFAULT_CSS = "Tick { text-wrap: wrap; text-overflow: fold; }"

    def __init__(self, label: str, value: bool = False, *, id: str | None = None) -> None:
        super().__init__(plain(label), value, id=id)
        self.BUTTON_INNER = "X" if value else " "

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As many lines as the label needs at `width` (Textual's toggle is one line)."""
        return max(1, len(self.render().wrap(width)))

    def watch_value(self) -> None:
        """Redraw the mark with the value."""
        super().watch_value()
        self.BUTTON_INNER = "X" if self.value else " "
        self.refresh()
