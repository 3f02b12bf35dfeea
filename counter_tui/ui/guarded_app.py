"""One error path for the staff app and the kiosk.

Service calls from the UI and their result callbacks (`then`, `refused`), message
handlers, key actions and timers all run inside one guard: anything unexpected is
logged with where it happened (the screen and the handler, action, timer or callback;
values stay out, see `counter_tui.logs.SafeFormatter`), shown as one sentence, and
the app keeps running.

The guard sits in the dispatch of every widget and screen of ours (`Guarded`), not only
in Textual's own funnel (`App._handle_exception`, which would close the app): Textual
stops a widget's message loop after one of its handlers raises, so a screen whose
handler failed once would never react again. What reaches the funnel all the same (a
dialog's result callback, a built-in widget failing) is reported the same way.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from textual.actions import ActionError, ActionParseResult, parse
from textual.app import App, ReturnType, ScreenStackError
from textual.css.query import NoMatches
from textual.dom import DOMNode
from textual.message import Message
from textual.message_pump import MessagePump
from textual.screen import Screen
from textual.timer import Timer, TimerCallback

from counter_tui.errors import DomainError
from counter_tui.ui.textual_fixes import (
    let_go_of_closed_widgets,
    make_line_caches_on_first_use,
    style_a_new_screen_once,
)

let_go_of_closed_widgets()
make_line_caches_on_first_use()
style_a_new_screen_once()

T = TypeVar("T")
#: A service call failed: its transaction was rolled back.
UNEXPECTED = "Something went wrong and was logged. Nothing was saved; please try again."
#: Anything else failed (showing a result, a key, a timer): a save may have happened.
UNEXPECTED_AFTER = (
    "Something went wrong and was logged. Anything already saved is kept; "
    "check the screen before trying again."
)


@contextmanager
def guarded(node: MessagePump, where: str, *, nothing_saved: bool = False) -> Iterator[None]:
    """Run the block; if it raises, report the error as having happened `where` (a
    screen, handler, action, timer or callback name, never a value) and carry on.
    `nothing_saved` when the failure means nothing was committed."""
    try:
        yield
    except Exception as error:
        app = node.app
        if not isinstance(app, GuardedApp):
            raise
        app.report_unexpected(error, where, nothing_saved=nothing_saved)


def name_of(callback: Callable[..., Any]) -> str:
    """A callable's qualified name, for a log line (e.g. `FloorScreen.show_rows`)."""
    return str(getattr(callback, "__qualname__", None) or getattr(callback, "__name__", "a callback"))


def action_name(action: str | ActionParseResult) -> str:
    """An action's name without its parameters (which could hold values)."""
    if not isinstance(action, str):
        return action[1]
    try:
        return parse(action)[1]
    except ActionError:
        return "that cannot be parsed"


def forget_closed_watchers(watched: DOMNode) -> None:
    """Drop watchers of `watched`'s reactives set by widgets now closed. Textual prunes
    them only when the watched value changes: every screen's Header watches the app's
    title, so each closed screen stayed in memory, Header and all (issue 12)."""
    watchers: dict[str, list[tuple[Any, Any]]] = getattr(watched, "__watchers", {})
    for pairs in watchers.values():
        pairs[:] = [(node, callback) for node, callback in pairs if not node._closing and node.is_attached]


class Guarded(MessagePump):
    """Mix into every widget, screen and app of ours (before the Textual class): its
    message handlers and timers run inside the guard, and it keeps handling messages
    after one of them failed."""

    def on_unmount(self) -> None:
        """Let go of the app's signals: Textual keeps a subscriber in a weak-keyed table
        whose callback holds it strongly, dropped only when the signal next fires, so a
        closed screen subscribed to theme changes stayed in memory with all its widgets."""
        if isinstance(self, DOMNode) and not isinstance(self, App):
            app = self.app
            app.theme_changed_signal.unsubscribe(self)
            app.screen_change_signal.unsubscribe(self)
            if isinstance(self, Screen):
                forget_closed_watchers(app)

    async def _dispatch_message(self, message: Message) -> None:
        """Textual's dispatch of one message to its handlers, inside the guard."""
        with guarded(self, f"{type(self).__name__}.{message.handler_name}"):
            await super()._dispatch_message(message)

    def set_timer(
        self,
        delay: float,
        callback: TimerCallback | None = None,
        *,
        name: str | None = None,
        pause: bool = False,
    ) -> Timer:
        """Textual's one-shot timer, its callback inside the guard."""
        return super().set_timer(delay, self._guarded_timer(callback, name), name=name, pause=pause)

    def set_interval(
        self,
        interval: float,
        callback: TimerCallback | None = None,
        *,
        name: str | None = None,
        repeat: int = 0,
        pause: bool = False,
    ) -> Timer:
        """Textual's repeating timer, its callback inside the guard."""
        return super().set_interval(
            interval, self._guarded_timer(callback, name), name=name, repeat=repeat, pause=pause
        )

    def _guarded_timer(self, callback: TimerCallback | None, name: str | None) -> TimerCallback | None:
        if callback is None:
            return None
        where = f"timer {name_of(callback)}" + (f" ({name})" if name else "")

        async def tick() -> None:
            with guarded(self, where):
                result = callback()
                if inspect.isawaitable(result):
                    await result

        return tick


class GuardedApp(Guarded, App[ReturnType]):
    """The base of the staff app and the kiosk: the one place unexpected errors go."""

    def unexpected_sentence(self, nothing_saved: bool) -> str:
        """The one sentence shown for an unexpected error (the kiosk words it for customers)."""
        return UNEXPECTED if nothing_saved else UNEXPECTED_AFTER

    def report_unexpected(
        self, error: BaseException, where: str, *, nothing_saved: bool = False, show: bool = True
    ) -> None:
        """Log `error` with where it happened and on which screen, and say so in one
        sentence (unless `show` is False: the caller shows it in place)."""
        from counter_tui.logs import UNEXPECTED_LOG

        self.log_to_file()
        UNEXPECTED_LOG.error("%s failed (on %s)", where, self._screen_name(), exc_info=error)
        if show:
            self.notify(self.unexpected_sentence(nothing_saved), severity="error", markup=False, timeout=8)

    def log_to_file(self) -> None:
        """See that what is logged goes to this app's log file, never the screen (the
        kiosk's launcher attaches it before the app runs; the staff app attaches its own
        once its first frame is painted, or here at an error before that)."""

    def _screen_name(self) -> str:
        try:
            return type(self.screen).__name__
        except (ScreenStackError, NoMatches):
            return "no screen"

    def _handle_exception(self, error: Exception) -> None:
        """Textual's funnel for errors it caught itself, which would close the app: report
        them instead while the app runs (before it runs, Textual's handling stands)."""
        if not self.is_running:
            super()._handle_exception(error)
            return
        self.report_unexpected(error, "a callback run by Textual")

    async def run_action(
        self,
        action: str | ActionParseResult,
        default_namespace: DOMNode | None = None,
        namespaces: Any = None,
    ) -> bool:
        """Run a key's (or link's) action inside the guard; a failed action counts as handled."""
        try:
            return await super().run_action(action, default_namespace, namespaces)
        except Exception as error:
            target = type(default_namespace if default_namespace is not None else self).__name__
            self.report_unexpected(error, f"action {action_name(action)} on {target}")
            return True

    def call(
        self,
        fn: Callable[..., T],
        *args: Any,
        then: Callable[[T], None] | None = None,
        quiet: bool = False,
        refused: Callable[[DomainError], None] | None = None,
        **kwargs: Any,
    ) -> None:
        """Run a service call in a thread, then `then(result)` on the UI thread. A
        DomainError goes to `refused` when given (a dialog showing it in place), else
        becomes a message on screen (unless `quiet`, for background chores like
        heartbeats). An unexpected error in the call is reported as nothing saved (its
        transaction rolled back), in place when `refused` is given; a failure in `then`
        or `refused` is reported without that claim (the call may have saved something,
        such as a failed PIN attempt)."""
        service = f"service call {name_of(fn)}"

        def answer(callback: Callable[[Any], None], value: Any, *, nothing_saved: bool) -> None:
            with guarded(self, f"{name_of(callback)} after {service}", nothing_saved=nothing_saved):
                callback(value)

        async def job() -> None:
            try:
                result = await asyncio.to_thread(fn, *args, **kwargs)
            except DomainError as error:
                if refused is not None:
                    answer(refused, error, nothing_saved=False)
                elif not quiet:
                    self.notify(str(error), severity="error", markup=False, timeout=8)
                return
            except Exception as error:
                self.report_unexpected(error, service, nothing_saved=True, show=refused is None)
                if refused is not None:
                    answer(refused, DomainError(self.unexpected_sentence(True)), nothing_saved=True)
                return
            if then is not None:
                answer(then, result, nothing_saved=False)

        self.run_worker(job(), group="service", exit_on_error=False)


def while_shown(screen: MessagePump, callback: Callable[[T], None]) -> Callable[[T], None]:
    """`callback`, run only while `screen` is still on the app's screen stack (a result
    arriving after its screen closed has nowhere to show)."""

    @functools.wraps(callback)
    def run(value: T) -> None:
        if screen in screen.app.screen_stack:
            callback(value)

    return run
