"""The test harness's Pilot (tests/quiet_pilot.py) waits for what a key set going: the
messages it sent on, the worker it started, the layout after a resize; and, for a test
that holds a worker on purpose, not for that worker."""

from __future__ import annotations

import threading

from textual import work
from textual.app import App, ComposeResult
from textual.widgets import Label

from tests.quiet_pilot import QuietPilot, workers_held


class Counting(App[None]):
    """`w` starts a thread worker that counts and then shows its total; `h` one that waits
    for the test's gate first."""

    BINDINGS = [("w", "count", "Count"), ("h", "count_when_let", "Count when let")]
    CSS = "#total { width: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def compose(self) -> ComposeResult:
        yield Label("nothing yet", id="total")

    def action_count(self) -> None:
        self.count_in_a_thread(held=False)

    def action_count_when_let(self) -> None:
        self.count_in_a_thread(held=True)

    @work(thread=True)
    def count_in_a_thread(self, *, held: bool) -> None:
        if held:
            self.gate.wait(timeout=30)
        total = sum(range(3_000_000))
        self.call_from_thread(self.query_one("#total", Label).update, f"total {total}")


def shown(app: Counting) -> str:
    return str(app.query_one("#total", Label).render())


async def test_a_key_waits_for_the_worker_it_started_and_its_result_on_screen() -> None:
    app = Counting()
    async with app.run_test() as pilot:
        assert isinstance(pilot, QuietPilot)
        await pilot.press("w")
        assert shown(app) == f"total {sum(range(3_000_000))}"


async def test_a_resize_is_laid_out_by_the_next_pause() -> None:
    app = Counting()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.resize_terminal(100, 30)
        assert app.query_one("#total", Label).size.width == 100  # laid out again


async def test_keys_go_on_past_a_held_worker_and_its_result_comes_once_let_go() -> None:
    app = Counting()
    async with app.run_test() as pilot:
        with workers_held(pilot):
            await pilot.press("h")
            assert shown(app) == "nothing yet"
        app.gate.set()
        await pilot.pause()
        assert shown(app) == f"total {sum(range(3_000_000))}"
