"""The base of every staff screen: access to the shop, the signed-in actor, and
service calls that run off the UI thread."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable, Coroutine
from dataclasses import replace
from typing import Any, ClassVar, Literal, TypeVar

from textual.binding import ActiveBinding, BindingsMap
from textual.screen import Screen

from counter_tui.ui.focus_keys import screen_ready
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.own_keys_first import own_keys_first
from counter_tui.ui.shop_access import ShopAccess

T = TypeVar("T")
RecordState = Literal["none", "pending", "in", "failed"]


class CounterScreen(Guarded, ShopAccess, Screen[None]):
    """A staff screen that reloads itself when data changes."""

    CHANGES_SHOWN: ClassVar[frozenset[str] | None] = None
    """The kinds of thing (audit entities: "visit", "handoff", …) whose changes can alter
    what this screen shows; None for any. Changes to other kinds do not reload it."""

    RECORD_ACTIONS: ClassVar[frozenset[str]] = frozenset()
    """The actions that need the record this screen reads in a worker (`load_record`). A
    key for one, typed before the first read is in (in the burst that opened the screen),
    is not refused: `check_action` offers it while the read is pending
    (`waits_for_record`) and the action waits for the record, the app handing on no key
    meanwhile, so it runs in the order typed and the keys typed after it reach the dialog
    it opens. If the read fails, the waiting actions are dropped (the read says why)."""

    record_state: RecordState = "none"
    """"pending" from the start of a screen with a record until its first read is in
    ("in") or failed ("failed"); "none" for a screen without one."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for action in cls.RECORD_ACTIONS:
            # Textual runs `_action_<name>` before `action_<name>`: the wait goes first.
            setattr(cls, f"_action_{action}", _after_record(action))
        if cls.RECORD_ACTIONS and cls._merged_bindings is not None:
            # Their keys are priority keys, run by the app as they arrive: a bound key
            # that is not goes to the focused widget and comes back up to the app later,
            # when the keys typed after it ("␣⏎" for the dialog it opens) are already in
            # this screen's widgets, and lost.
            cls._merged_bindings = BindingsMap.from_keys(
                {
                    key: [
                        replace(binding, priority=True) if binding.action in cls.RECORD_ACTIONS else binding
                        for binding in found
                    ]
                    for key, found in cls._merged_bindings.key_to_bindings.items()
                }
            )

    def waits_for_record(self, action: str) -> bool:
        """Whether `action` is to be offered now, to wait for the record being read."""
        return self.record_state == "pending" and action in self.RECORD_ACTIONS

    def load_record(
        self, key: str, fn: Callable[..., T], *args: Any, then: Callable[[T], None], **kwargs: Any
    ) -> None:
        """`load` for the record the RECORD_ACTIONS need: once `then` has shown it, the
        actions waiting for it run; if the read fails, they are dropped."""
        loop = asyncio.get_running_loop()

        def read(*read_args: Any, **read_kwargs: Any) -> T:
            try:
                return fn(*read_args, **read_kwargs)
            except BaseException:
                loop.call_soon_threadsafe(self.record_failed)
                raise

        def show(result: T) -> None:
            self.record_state = "in"  # what `then` shows offers the keys as for a record in
            then(result)
            self.record_in()

        self.load(key, read, *args, then=show, **kwargs)

    def record_in(self) -> None:
        """The record is shown: the actions waiting for it run, in the order typed."""
        self.record_state = "in"
        self._settle_record(True)

    def record_failed(self) -> None:
        """The first read failed: the actions waiting for it are dropped, and later keys
        are refused as before until a read is in."""
        if self.record_state == "pending":
            self.record_state = "failed"
        self._settle_record(False)

    def _settle_record(self, arrived: bool) -> None:
        waiting: list[asyncio.Future[bool]] = self.__dict__.pop("_record_waiting", [])
        for future in waiting:
            if not future.done():
                future.set_result(arrived)

    async def record_arrived(self) -> bool:
        """Wait while the record is pending; whether it is in."""
        if self.record_state == "pending":
            future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
            self.__dict__.setdefault("_record_waiting", []).append(future)
            return await future
        return self.record_state == "in"

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys on offer, this screen's own first (for the footer and the F1 panel)."""
        return own_keys_first(self, super().active_bindings)

    def reload(self) -> None:
        """Load what the screen shows from the services (override)."""

    def on_mount(self) -> None:
        """Restyle when the theme changes (Textual calls every class's `on_mount`)."""
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.restyle())

    def on_unmount(self) -> None:
        """Closed: nothing waits any longer for its record (the keys go on)."""
        self._settle_record(False)

    def restyle(self) -> None:
        """Draw again, in the new theme's colours, what was drawn in Python (table cells,
        charts): by reloading (override to redraw from what was already read)."""
        if self.signed_in:
            self.reload()

    def on_data_changed(self, message: DataChanged) -> None:
        """Data changed on some terminal: let the screen bring what it shows up to date."""
        self.apply_changes(message)

    def apply_changes(self, message: DataChanged) -> None:
        """Reload when data changed (presence alone does not concern most screens).
        Override to update only what the changes touched (Textual calls every class's
        `on_data_changed`, so a screen overrides this one instead)."""
        shown = self.CHANGES_SHOWN
        changed = {change.entity for change in message.changes}
        concerned = message.resumed or (bool(changed) and (shown is None or bool(changed & shown)))
        if self.signed_in and concerned:
            self.reload()

    def note_while_covered(self, message: DataChanged) -> None:
        """Data changed while another screen covers this one (only the top screen hears
        `DataChanged`). Override to keep what a return needs; by default a return reloads."""

    def on_screen_resume(self) -> None:
        """Bring the screen up to date when coming back to it."""
        if self.signed_in:
            self.back_on_top()

    def back_on_top(self) -> None:
        """The screen is shown again: reload (override to read only what changed; Textual
        calls every class's `on_screen_resume`, so a screen overrides this one instead)."""
        self.reload()


def _after_record(action: str) -> Callable[..., Coroutine[Any, Any, None]]:
    """The `_action_<action>` of a screen whose `action_<action>` needs its record: while
    the record is pending, wait for it, then run the action if it is still offered and
    wait for the dialog it opened to take the keys; otherwise run it at once."""

    async def run(screen: CounterScreen, *params: Any) -> None:
        if screen.record_state == "pending":
            if not await screen.record_arrived() or screen.check_action(action, params) is not True:
                return
            await _run(screen, action, params)
            top = screen.app.screen
            if top is not screen:
                await screen_ready(top)
            return
        await _run(screen, action, params)

    run.__name__ = f"_action_{action}"
    return run


async def _run(screen: CounterScreen, action: str, params: tuple[Any, ...]) -> None:
    result = getattr(screen, f"action_{action}")(*params)
    if inspect.isawaitable(result):
        await result
