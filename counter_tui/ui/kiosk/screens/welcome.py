"""The welcome screen: what the kiosk shows while nobody is using it, in the shop's first
language, with a key for each other language the shop offers."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Static

from counter_tui.kiosk_words import say
from counter_tui.ui.kiosk.screens.base import KeyHints, KioskScreen
from counter_tui.ui.safe_text import plain


def _language_bindings() -> list[BindingType]:
    return [
        Binding(
            str(number),
            f"language({number})",
            show=False,
            priority=True,
            id=f"kiosk.welcome.language.{number}",
            tooltip="Check in in the language with that number.",
        )
        for number in range(1, 10)
    ]


class WelcomeScreen(KioskScreen):
    """Greets the customer and starts a check-in on Enter, or on a language's number in
    that language. Both are priority keys, so the name typed right after one goes to the
    name box (`focus_keys`)."""

    BINDINGS = [
        Binding(
            "enter",
            "start",
            "Start",
            priority=True,
            id="kiosk.welcome.start",
            tooltip="Start checking in.",
        ),
        *_language_bindings(),
    ]

    @property
    def languages(self) -> list[str]:
        """The languages the shop offers, numbered from 1."""
        return self.ctx.rules.kiosk.languages

    def compose(self) -> ComposeResult:
        """A big greeting with the shop's name, one thing to do, and each language's key
        (in that language) when the shop offers more than one."""
        words = self.words
        with Vertical(classes="kiosk-panel"):
            yield Static(
                plain(words["welcome_title"].format(shop=self.ctx.rules.shop.name)), classes="kiosk-title"
            )
            yield Static(plain(words["welcome_text"]), classes="kiosk-text")
            yield Static(plain(words["welcome_call"]), classes="kiosk-call")
            if len(self.languages) > 1:
                lines = [
                    say(code, "language_key", name=say(code, "language_name"), number=number)
                    for number, code in enumerate(self.languages, start=1)
                ]
                yield Static(plain("\n".join(lines)), id="languages", classes="kiosk-text")
        yield KeyHints((words["key_enter"], words["hint_start"]))

    async def action_start(self) -> None:
        """Check in in the language shown."""
        await self.kiosk.start_check_in(self.kiosk.language)

    async def action_language(self, number: int) -> None:
        """Check in in the language with that number (numbers with none do nothing)."""
        if len(self.languages) > 1 and 1 <= number <= len(self.languages):
            await self.kiosk.start_check_in(self.languages[number - 1])
