"""KioskApp: the locked-down self check-in app by the shop door.

Every way Textual offers out of an app is closed here: no inherited bindings
(ctrl+q, ctrl+c), no command palette and no system commands, and the quit,
theme, screenshot, suspend, maximise and help actions do nothing even if
something manages to call them. The only way out is `leave_kiosk`, reached from
the staff menu after a shift lead's PIN.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import events
from textual.app import SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from counter_tui.kiosk_words import ENGLISH, WORDS, words
from counter_tui.services import kiosk
from counter_tui.services.context import Actor, ShopContext
from counter_tui.themes import HIGH_CONTRAST, high_contrast_theme
from counter_tui.ui.focus_keys import FOCUS_KEYS
from counter_tui.ui.heap import QuietHeap
from counter_tui.ui.kiosk.countdown import Countdown
from counter_tui.ui.kiosk.launch import KioskExit, ignore_keyboard_signals
from counter_tui.ui.kiosk.screens.menu import StaffMenuScreen
from counter_tui.ui.kiosk.screens.unlock import UnlockScreen
from counter_tui.ui.kiosk.screens.welcome import WelcomeScreen
from counter_tui.ui.safe_text import PlainTextApp

UNEXPECTED_KIOSK = WORDS[ENGLISH]["unexpected"]


class KioskApp(PlainTextApp[KioskExit], QuietHeap[KioskExit], inherit_bindings=False):
    """The self check-in kiosk: welcome → first name → choice → thank-you, and back."""

    CSS_PATH = Path(__file__).with_name("kiosk.tcss")
    TITLE = "Check in"
    ENABLE_COMMAND_PALETTE = False
    COMMANDS = set()
    ESCAPE_TO_MINIMIZE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "f12",
            "staff_unlock",
            "Staff",
            show=False,
            priority=True,
            id="kiosk.staff",
            tooltip="Staff only: a shift lead's PIN opens the kiosk menu.",
        ),
        *FOCUS_KEYS,
    ]

    def __init__(self, ctx: ShopContext, terminal: str, *, harden_process: bool = False) -> None:
        """`harden_process` re-ignores keyboard signals once Textual's driver is running."""
        super().__init__()
        self.ctx = ctx
        self.terminal = kiosk.terminal_name(terminal)
        self.harden_process = harden_process
        self.idle = Countdown(self, ctx.rules.kiosk.idle_seconds, self.idle_expired, "kiosk idle")
        self.language = ctx.rules.kiosk.languages[0]

    @property
    def words(self) -> dict[str, str]:
        """Every sentence the customer reads, in the language they picked."""
        return words(self.language)

    def unexpected_sentence(self, nothing_saved: bool) -> str:
        """Customers get one plain sentence in their language (the details are in the log)."""
        return self.words["unexpected"]

    def get_default_screen(self) -> Screen:
        """The welcome screen sits at the bottom of the stack; everything else returns to it."""
        return WelcomeScreen()

    def on_mount(self) -> None:
        """Apply this terminal's theme (high contrast unless it chose one) and key remapping
        for kiosk bindings, and start the idle countdown."""
        if self.harden_process:
            # Textual's Linux driver installs its own ctrl+z (SIGTSTP) handler when it starts.
            ignore_keyboard_signals()
        self.register_theme(high_contrast_theme())
        settings = self.ctx.settings
        self.theme = settings.theme if "theme" in settings.model_fields_set else HIGH_CONTRAST
        keymap = {
            binding_id: keys
            for binding_id, keys in self.ctx.settings.keys.items()
            if binding_id.startswith("kiosk.")
        }
        if keymap:
            self.set_keymap(keymap)
        self.idle.start()

    async def on_event(self, event: events.Event) -> None:
        """Any key press counts as activity and restarts the idle countdown."""
        if isinstance(event, events.Key):
            self.idle.start()
        await super().on_event(event)

    def follow_shop_rules(self) -> None:
        """Take the shop's rules as they are now, for the next customer (a lead may have
        changed them at another terminal): the choices offered, how long screens wait."""
        self.ctx.forget_rules()
        self.idle.seconds = self.ctx.rules.kiosk.idle_seconds

    def idle_expired(self) -> None:
        """Nobody has pressed a key for a while: forget everything and greet the next person."""
        self.back_to_welcome()
        self.idle.start()

    def back_to_welcome(self) -> None:
        """Drop every screen above the welcome screen, which greets the next person in the
        shop's first language, with the shop's name and languages as they are now (a lead
        may have changed them at another terminal)."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.follow_shop_rules()
        self.language = self.ctx.rules.kiosk.languages[0]
        self.screen.refresh(recompose=True)

    async def start_check_in(self, language: str) -> None:
        """Ask for a first name next, in `language`, once the name box takes the keys typed
        after the one that started (`focus_keys`). Each check-in offers the shop's choices
        as they are now, so a lead's change reaches the kiosk without a restart."""
        from counter_tui.ui.kiosk.screens.name import NameScreen

        self.language = language
        self.follow_shop_rules()
        await self.push_screen(NameScreen())

    @property
    def staff_screen_open(self) -> bool:
        """Whether the PIN prompt or the staff menu is showing."""
        return isinstance(self.screen, UnlockScreen | StaffMenuScreen)

    def action_staff_unlock(self) -> None:
        """Ask for a shift lead's PIN (the customer's answers so far are dropped)."""
        if self.staff_screen_open:
            return
        self.back_to_welcome()
        self.push_screen(UnlockScreen())

    def show_staff_menu(self, lead: Actor) -> None:
        """After a good PIN: the staff menu, in place of the PIN prompt."""
        self.switch_screen(StaffMenuScreen(lead))

    def leave_kiosk(self, lead: Actor) -> None:
        """Close the kiosk for good; only the staff menu calls this."""
        self.exit(KioskExit(lead.name))

    # Doors Textual leaves open in every app, closed. Keys no longer reach them
    # (no inherited bindings, no palette), and these overrides make sure nothing
    # else can open them either, such as an action link hidden in text.

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """No system commands: no theme, screenshot, maximise, keys panel or quit."""
        return ()

    async def action_quit(self) -> None:
        """Quitting is only possible from the staff menu."""

    def action_help_quit(self) -> None:
        """No hint about how to quit."""

    def action_command_palette(self) -> None:
        """No command palette."""

    def action_change_theme(self) -> None:
        """The kiosk keeps its high-contrast look."""

    def action_toggle_dark(self) -> None:
        """The kiosk keeps its high-contrast look."""

    def action_screenshot(self, filename: str | None = None, path: str | None = None) -> None:
        """No screenshots written to disk from the kiosk."""

    def action_suspend_process(self) -> None:
        """The kiosk never suspends to a shell."""

    def action_show_help_panel(self) -> None:
        """No keys panel."""
