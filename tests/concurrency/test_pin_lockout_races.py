"""Twelve real processes guessing one person's PIN at the same instant, at one terminal,
on SQLite and PostgreSQL: no more guesses are checked than the lockout allows, and the
right PIN is refused afterwards."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher

from counter_tui.errors import SignInFailed
from counter_tui.services import staff
from tests.concurrency.race import RacePool, audit_actions, open_race_shop
from tests.concurrency.workers import RACE_PIN

pytestmark = pytest.mark.slow

GUESSERS = 12
ROUNDS = 3


@pytest.fixture(autouse=True)
def _production_pin_hashes(monkeypatch: pytest.MonkeyPatch) -> None:
    """PINs hashed at the real cost, so each check takes as long as at a real counter (the
    window in which parallel guesses used to slip past the count)."""
    monkeypatch.setattr(staff, "_hasher", PasswordHasher())


@pytest.fixture(scope="module")
def twelve_workers() -> Iterator[RacePool]:
    """Twelve worker processes, shared by the rounds on both databases."""
    with RacePool(GUESSERS) as pool:
        yield pool


def test_parallel_wrong_guesses_cannot_get_past_the_lockout(
    shared_url: str, twelve_workers: RacePool
) -> None:
    ctx, people = open_race_shop(shared_url, leads=0, associates=ROUNDS)
    try:
        for person in people:
            assert person.staff_id is not None
            outcomes = twelve_workers.race(shared_url, [person] * GUESSERS, "guess_pin", person.staff_id)

            assert [o.message for o in outcomes if o.result == "failure"] == []
            said = Counter(o.message.split(".")[0] for o in outcomes)
            assert said == {
                f"Wrong PIN for {person.name}": staff.MAX_FAILED_ATTEMPTS,
                f"Too many wrong PINs for {person.name} at this terminal": GUESSERS
                - staff.MAX_FAILED_ATTEMPTS,
            }
            assert audit_actions(ctx, "staff", person.staff_id)[("staff.sign_in_failed", 0)] == (
                staff.MAX_FAILED_ATTEMPTS
            )
            with pytest.raises(SignInFailed, match="Too many wrong PINs"):
                staff.sign_in(ctx, person.staff_id, RACE_PIN)
    finally:
        ctx.database.dispose()


def test_parallel_right_pins_after_a_lockout_are_all_refused(
    shared_url: str, twelve_workers: RacePool
) -> None:
    ctx, [person] = open_race_shop(shared_url, leads=0, associates=1)
    try:
        assert person.staff_id is not None
        for _ in range(staff.MAX_FAILED_ATTEMPTS):
            with pytest.raises(SignInFailed, match="Wrong PIN"):
                staff.sign_in(ctx, person.staff_id, "0000")

        outcomes = twelve_workers.race(shared_url, [person] * GUESSERS, "sign_in", person.staff_id)

        assert {o.result for o in outcomes} == {"SignInFailed"}, [o.message for o in outcomes]
        assert audit_actions(ctx, "staff", person.staff_id)[("staff.signed_in", person.staff_id)] == 0
    finally:
        ctx.database.dispose()
