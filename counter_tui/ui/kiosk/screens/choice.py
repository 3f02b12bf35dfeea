"""The "What would you like?" screen: the shop's choices, by number or arrows."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from counter_tui.config import KioskChoice
from counter_tui.kiosk_words import shop_text
from counter_tui.services.kiosk import CheckIn
from counter_tui.ui.focus_keys import ListInOrder, keys_landed
from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.kiosk.screens.thanks import ThanksScreen
from counter_tui.ui.safe_text import plain


def _number_bindings() -> list[BindingType]:
    return [
        Binding(
            str(number),
            f"choose({number})",
            show=False,
            priority=True,
            id=f"kiosk.choice.{number}",
            tooltip="Choose the answer with that number.",
        )
        for number in range(1, 10)
    ]


class ChoiceScreen(KioskScreen):
    """Offers the configured choices; a number key, or Enter on one the arrows moved to,
    checks the customer in. Nothing is highlighted at first, so Enter alone chooses
    nothing: the customer chooses, and a held Enter (or one pressed again and again)
    never checks in someone who chose nothing. The keys that leave the screen are
    priority keys, decided in the order they were typed (`focus_keys`)."""

    BINDINGS = [
        Binding(
            "enter",
            "choose_highlighted",
            "Choose",
            show=False,
            priority=True,
            id="kiosk.choice.choose",
            tooltip="Choose the highlighted answer.",
        ),
        Binding("escape", "back", "Back", priority=True, id="kiosk.choice.back", tooltip="Back to the name."),
        *_number_bindings(),
    ]

    def __init__(self, first_name: str) -> None:
        super().__init__()
        self.first_name = first_name

    @property
    def choices(self) -> list[KioskChoice]:
        """The shop's choices, in the order they are numbered."""
        return self.ctx.rules.kiosk.choices

    def _options(self) -> list[Option | None]:
        """One option a choice, with a blank separator line between them (9 still fit 80x24)."""
        options: list[Option | None] = []
        for number, choice in enumerate(self.choices, start=1):
            if options:
                options.append(None)
            options.append(Option(self._prompt(number, choice, highlighted=False), id=f"choice-{number}"))
        return options

    def _prompt(self, number: int, choice: KioskChoice, *, highlighted: bool) -> Text:
        """A choice's line: its number and words, `▶` before the highlighted one (so it is
        not shown by colour alone)."""
        label = shop_text(self.kiosk.language, choice.label)
        return plain(f"{'▶' if highlighted else ' '} {number}  {label}")

    @property
    def question(self) -> str:
        """The screen's title: what would they like (by name, if they gave one)."""
        words = self.words
        if self.first_name:
            return words["choice_title_named"].format(name=self.first_name)
        return words["choice_title"]

    def compose(self) -> ComposeResult:
        """A greeting, the numbered choices (none highlighted), and the keys."""
        words = self.words
        with Vertical(classes="kiosk-panel"):
            yield Static(plain(self.question), id="choice-title", classes="kiosk-title")
            choices = ListInOrder(*self._options(), id="choices")
            choices.set_reactive(OptionList.highlighted, None)  # OptionList starts on the first
            yield choices
        count = len(self.choices)
        numbers = "1" if count == 1 else f"1-{count}"
        yield KeyHints(
            (words["choose_keys"].format(numbers=numbers), words["hint_choose"]), ("Esc", words["hint_back"])
        )

    @on(OptionList.OptionHighlighted, "#choices")
    def _mark_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        """Move the `▶` to the choice highlighted now (none for OptionList's own first
        highlight, undone before mounting), and ask the question again (in place of asking
        them to choose)."""
        event.stop()
        option = event.option_list.highlighted_option
        if option is not None:
            self._ask(self.question)
        for number, choice in enumerate(self.choices, start=1):
            option_id = f"choice-{number}"
            highlighted = option is not None and option.id == option_id
            event.option_list.replace_option_prompt(
                option_id, self._prompt(number, choice, highlighted=highlighted)
            )

    @on(OptionList.OptionSelected, "#choices")
    async def picked(self, event: OptionList.OptionSelected) -> None:
        """A choice selected in the list itself (a click in a browser)."""
        event.stop()
        if self.is_current:
            await self.action_choose(event.option_index + 1)

    async def action_choose_highlighted(self) -> None:
        """Enter: the choice highlighted once the arrows typed before it have moved it; with
        none highlighted (the customer has not chosen yet), a request to choose one."""
        await keys_landed(self)
        if not self.is_current:
            return
        highlighted = self.query_one("#choices", OptionList).highlighted
        if highlighted is None:
            self._ask(self.words["choose_first"])
        else:
            await self.action_choose(highlighted + 1)

    def _ask(self, sentence: str) -> None:
        self.query_one("#choice-title", Static).update(plain(sentence))

    async def action_choose(self, number: int) -> None:
        """Check in with choice `number` (1-based); numbers with no choice do nothing. The
        thank-you is awaited, so the keys typed after this one go to it (which drops them)."""
        if not 1 <= number <= len(self.choices):
            return
        choice = self.choices[number - 1]
        check_in = CheckIn(first_name=self.first_name, need=choice.need, language=self.kiosk.language)
        await self.app.push_screen(
            ThanksScreen(
                check_in,
                shop_text(self.kiosk.language, choice.next_step),
                reset_seconds=self.ctx.rules.kiosk.reset_seconds,
            )
        )

    async def action_back(self) -> None:
        """Back to the name, to correct it (the keys after Esc go to the name box)."""
        await self.app.pop_screen()
