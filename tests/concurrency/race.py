"""Parent side of the contention tests: a pool of real worker processes on one database,
and the shop they race in."""

from __future__ import annotations

import multiprocessing
import queue
from collections import Counter
from collections.abc import Sequence
from types import TracebackType

from sqlmodel import select

from counter_tui.bootstrap import open_shop
from counter_tui.db.models import AuditEvent, Staff
from counter_tui.services import staff
from counter_tui.services.context import Actor, ShopContext
from tests.concurrency.workers import RACE_PIN, Command, Outcome, race_worker, settings_for

RESULT_TIMEOUT = 60.0


def _worker_processes() -> multiprocessing.context.BaseContext:
    """Where race workers come from: forked from a server process of their own that has
    imported the worker's modules once (a spawned worker imported them anew, 0.6-1 s of
    CPU each, 22 in a run); each is still a process of its own, with its own connections,
    started from a clean single-threaded parent rather than the busy test process."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["tests.concurrency.workers"])
    return context


class RacePool:
    """Worker processes (forked from a clean server, one connection each) that attempt
    commands together."""

    def __init__(self, size: int) -> None:
        context = _worker_processes()
        self.size = size
        self.barrier = context.Barrier(size)
        self.results: multiprocessing.Queue[Outcome] = context.Queue()
        self.commands: list[multiprocessing.Queue[Command | None]] = [context.Queue() for _ in range(size)]
        self.processes = [
            context.Process(
                target=race_worker,
                args=(index, self.commands[index], self.results, self.barrier),
                daemon=True,
            )
            for index in range(size)
        ]

    def __enter__(self) -> RacePool:
        for process in self.processes:
            process.start()
        return self

    def race(self, url: str, actors: Sequence[Actor], command: str, target: int) -> list[Outcome]:
        """Worker i, acting as `actors[i]`, attempts `command` on `target`, all at the same
        instant; their outcomes in worker order."""
        assert len(actors) == self.size
        for commands, actor in zip(self.commands, actors, strict=True):
            commands.put((url, actor, command, target))
        outcomes: list[Outcome] = []
        waited = 0.0
        while len(outcomes) < self.size:
            try:
                outcomes.append(self.results.get(timeout=1.0))
            except queue.Empty:
                waited += 1.0
                dead = [p.exitcode for p in self.processes if not p.is_alive()]
                if dead or waited > RESULT_TIMEOUT:
                    raise AssertionError(f"workers stopped answering (exit codes {dead})") from None
        return sorted(outcomes, key=lambda outcome: outcome.worker)

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        for commands in self.commands:
            commands.put(None)
        for process in self.processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
                process.join()


def open_race_shop(url: str, leads: int, associates: int = 2) -> tuple[ShopContext, list[Actor]]:
    """A migrated shop with `leads` leads then `associates` associates; their actors.

    Rows are inserted directly with one shared PIN hash: hashing a PIN per staff member
    (argon2, deliberately slow) would only make the test slower."""
    ctx = open_shop(settings_for(url), create=True)
    pin_hash = staff.hash_pin(RACE_PIN)
    with ctx.database.write() as session:
        rows = [
            Staff(
                name=f"Staff {number + 1}",
                role="lead" if number < leads else "associate",
                pin_hash=pin_hash,
                created_at=ctx.now(),
            )
            for number in range(leads + associates)
        ]
        session.add_all(rows)
        session.flush()
        actors = [Actor.of(row) for row in rows]
    return ctx, actors


def audit_actions(ctx: ShopContext, entity: str, entity_id: int) -> Counter[tuple[str, int]]:
    """How many audit events of each (action, actor id) an entity has."""
    with ctx.database.read() as session:
        rows = session.exec(
            select(AuditEvent.action, AuditEvent.actor_id).where(
                AuditEvent.entity == entity, AuditEvent.entity_id == entity_id
            )
        )
        return Counter((action, actor_id or 0) for action, actor_id in rows)
