"""Worker processes for the contention tests (forked from a server process that has imported
this module: `race._worker_processes`).

Workers are started once and serve many tests: each command names the database, the
staff member the worker acts as, and what to attempt. For every command all workers
meet at a barrier and act at the same instant; each reports what happened to it.
Anything other than success or the expected domain refusal (including
`DatabaseUnavailable`, "database is locked" and raw driver errors) is reported as a
failure with its type and text.

The races check who wins, not how fast: on PostgreSQL the workers wait for row locks
as long as SQLite's write queue waits (`patient_limits`), so a machine starved of CPU
(eight racers beside the rest of the suite on two cores) does not turn a lost race into
"another terminal is changing the same thing". How long a write waits is measured in
`benchmarks/bench_busy_floor.py`, not here.
"""

from __future__ import annotations

import time
import traceback
from dataclasses import dataclass
from datetime import date, timedelta
from multiprocessing.queues import Queue
from multiprocessing.synchronize import Barrier
from typing import Any

from counter_tui.config import Settings, ShopSettings
from counter_tui.db import engine
from counter_tui.db.deadline import DeadlineConnection
from counter_tui.db.engine import SQLITE_BUSY_TIMEOUT_MS, Database
from counter_tui.errors import AlreadyOwned, Conflict, DatabaseUnavailable, DomainError
from counter_tui.services import handoffs, kiosk, shop_settings, staff, visits
from counter_tui.services.context import Actor, ShopContext

BARRIER_TIMEOUT = 60.0
RACE_PIN = "1234"
"""Every staff member's PIN in a race shop."""
WRONG_PIN = "9999"


@dataclass(frozen=True)
class Outcome:
    """What one worker's attempt came to: "won", the refusal's class name, or "failure"."""

    worker: int
    command: str
    target: int
    result: str
    message: str
    seconds: float


PATIENT_SECONDS = SQLITE_BUSY_TIMEOUT_MS // 1000
"""How long a racing worker waits for a PostgreSQL row lock: as long as SQLite's queue."""


def patient_limits() -> None:
    """In this worker process: PostgreSQL lock waits, statements and round trips may take
    `PATIENT_SECONDS` (and a little more), instead of the terminal's seconds."""
    engine.PG_CONNECT_ARGS["options"] = (
        f"-c lock_timeout={PATIENT_SECONDS * 1000}"
        f" -c statement_timeout={(PATIENT_SECONDS + 5) * 1000}"
        " -c idle_in_transaction_session_timeout=60000"
    )
    DeadlineConnection.answer_seconds = PATIENT_SECONDS + 10


def settings_for(url: str) -> Settings:
    """Settings for a worker: the shared database and a named terminal."""
    return Settings(database_url=url, shop=ShopSettings(name="Race Shop"))  # type: ignore[call-arg]


def worker_context(url: str) -> ShopContext:
    """A shop context on an already migrated database (no Alembic import: faster start)."""
    return ShopContext(database=Database(url), settings=settings_for(url))


def holiday_of(actor: Actor) -> date:
    """The day a lead racing to add a holiday adds: one of their own, by their staff id."""
    return date(2027, 1, 1) + timedelta(days=actor.staff_id or 0)


def _attempt(ctx: Any, actor: Actor, command: str, target: int) -> tuple[str, str]:
    try:
        if command == "claim":
            visits.claim_visit(ctx, actor, target)
        elif command == "approve":
            handoffs.approve_handoff(ctx, actor, target)
        elif command.startswith("reassign_from:"):  # to themself, from the owner they saw
            seen = int(command.removeprefix("reassign_from:"))
            handoffs.reassign_visit(
                ctx, actor, target, actor.staff_id or 0, "I will take them", seen_owner_id=seen
            )
        elif command == "guess_pin":
            staff.sign_in(ctx, target, WRONG_PIN)
        elif command == "sign_in":
            staff.sign_in(ctx, target, RACE_PIN)
        elif command == "kiosk_check_in":
            return "won", kiosk.check_in(ctx, f"kiosk {actor.name}", kiosk.CheckIn("", "needs_help")).wait
        elif command == "import_settings":
            if not shop_settings.import_if_empty(ctx):
                return "kept", "the shop had its settings already"
        elif command == "add_holiday":
            if not shop_settings.add_holiday(ctx, actor, holiday_of(actor)).changed:
                return "kept", "the day was a holiday already"
        else:
            return "failure", f"unknown command {command}"
    except (AlreadyOwned, Conflict) as refusal:
        return type(refusal).__name__, str(refusal)
    except DatabaseUnavailable as error:
        return "failure", f"DatabaseUnavailable: {error}"
    except DomainError as error:
        return type(error).__name__, str(error)
    except Exception as error:
        return "failure", f"{type(error).__name__}: {error}\n{traceback.format_exc()}"
    return "won", ""


Command = tuple[str, Actor, str, int]
"""(database URL, acting staff member, command, target): "claim" or "approve" a visit or
request id; "reassign_from:<owner id>" a visit to the actor, from the owner they saw;
"guess_pin" (a wrong PIN) or "sign_in" (the right one) for a staff id;
"import_settings" (a terminal's first start importing its file; the target is unused);
"add_holiday" (a lead closing the shop on a day of their own, `holiday_of`; the target
is unused);
"kiosk_check_in" (a customer who needs help checking in at the actor's own kiosk; the
target is unused; the message is the wait quoted)."""


def race_worker(
    index: int, commands: Queue[Command | None], results: Queue[Outcome], barrier: Barrier
) -> None:
    """Serve commands until None: wait for every worker, then all attempt at once."""
    patient_limits()
    ctx: ShopContext | None = None
    try:
        while (command := commands.get()) is not None:
            url, actor, name, target = command
            if ctx is None or ctx.database.url != url:
                if ctx is not None:
                    ctx.database.dispose()
                ctx = worker_context(url)
            barrier.wait(BARRIER_TIMEOUT)
            started = time.perf_counter()
            result, message = _attempt(ctx, actor, name, target)
            seconds = time.perf_counter() - started
            results.put(Outcome(index, name, target, result, message, seconds))
    finally:
        if ctx is not None:
            ctx.database.dispose()
