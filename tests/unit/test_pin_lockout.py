"""The wrong-PIN lockout is state of its own: per terminal, not lifted by deleting audit
rows, cleared by a new PIN or by a lead from any terminal, and the argon2 check never
runs inside a write transaction."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import delete
from sqlmodel import Session

from counter_tui.bootstrap import open_shop
from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent
from counter_tui.errors import NotAllowed, SignInFailed
from counter_tui.services import kiosk, staff
from counter_tui.services.context import ShopContext
from tests.conftest import Team, make_settings, set_shop_rules
from tests.unit.conftest import AuditLog


@pytest.fixture
def till_two(database_url: str, clock: ManualClock) -> Iterator[ShopContext]:
    """A second staff terminal, named "till 2", on the same shop."""
    settings = make_settings(database_url)
    settings.terminal_name = "till 2"
    shop = open_shop(settings, clock=clock, migrate=False)
    yield shop
    shop.database.dispose()


def lock_out(ctx: ShopContext, staff_id: int) -> None:
    """Type wrong PINs for `staff_id` at `ctx`'s terminal until they are locked out there."""
    for _ in range(staff.MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed, match="Wrong PIN"):
            staff.sign_in(ctx, staff_id, "0000")
    with pytest.raises(SignInFailed, match="Too many wrong PINs"):
        staff.sign_in(ctx, staff_id, "0000")


def test_deleting_the_failed_sign_in_audit_rows_does_not_lift_the_lockout(
    ctx: ShopContext, team: Team
) -> None:
    assert team.sam.staff_id is not None
    lock_out(ctx, team.sam.staff_id)
    with ctx.database.write() as session:
        session.connection().execute(delete(AuditEvent).where(AuditEvent.action == "staff.sign_in_failed"))
    with pytest.raises(SignInFailed, match="Too many wrong PINs for Sam"):
        staff.sign_in(ctx, team.sam.staff_id, "2222")


def test_a_new_pin_clears_the_lockout_as_the_message_promises(ctx: ShopContext, team: Team) -> None:
    assert team.sam.staff_id is not None
    lock_out(ctx, team.sam.staff_id)
    with pytest.raises(SignInFailed, match="set a new PIN"):
        staff.sign_in(ctx, team.sam.staff_id, "2222")
    staff.set_pin(ctx, team.lead, name="Sam", pin="2468")
    assert staff.sign_in(ctx, team.sam.staff_id, "2468").name == "Sam"


def test_wrong_guesses_at_one_terminal_lock_only_that_terminal(
    ctx: ShopContext, till_two: ShopContext, team: Team
) -> None:
    assert team.lead.staff_id is not None
    lock_out(ctx, team.lead.staff_id)
    assert staff.sign_in(till_two, team.lead.staff_id, "1111").is_lead
    with pytest.raises(SignInFailed, match="Too many wrong PINs for Dana at this terminal"):
        staff.sign_in(ctx, team.lead.staff_id, "1111")


def test_a_lead_clears_a_lockout_from_another_terminal_and_it_is_audited(
    ctx: ShopContext, till_two: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    assert team.lead.staff_id is not None
    lock_out(ctx, team.lead.staff_id)
    dana_at_till_two = staff.sign_in(till_two, team.lead.staff_id, "1111")

    cleared = staff.clear_lockout(till_two, dana_at_till_two, name="Dana")

    assert cleared == ["counter"]
    assert staff.sign_in(ctx, team.lead.staff_id, "1111").is_lead
    [event] = audit_log("staff.lockout_cleared")
    assert (event.actor_id, event.entity_id, event.terminal) == (
        team.lead.staff_id,
        team.lead.staff_id,
        "till 2",
    )
    assert "counter" in event.details


def test_an_associate_cannot_clear_a_lockout(ctx: ShopContext, team: Team) -> None:
    assert team.alex.staff_id is not None
    lock_out(ctx, team.alex.staff_id)
    with pytest.raises(NotAllowed, match="Only a shift lead can clear a lockout"):
        staff.clear_lockout(ctx, team.sam, name="Alex")
    with pytest.raises(SignInFailed, match="Too many wrong PINs"):
        staff.sign_in(ctx, team.alex.staff_id, "3333")


def test_lockouts_lists_who_is_locked_out_where(ctx: ShopContext, till_two: ShopContext, team: Team) -> None:
    assert team.alex.staff_id is not None and team.sam.staff_id is not None
    lock_out(ctx, team.alex.staff_id)
    lock_out(till_two, team.alex.staff_id)
    with pytest.raises(SignInFailed, match="Wrong PIN"):
        staff.sign_in(ctx, team.sam.staff_id, "0000")
    locked = {row.name: row.locked_at for row in staff.staff_overview(ctx, team.lead)}
    assert locked == {"Alex": ("counter", "till 2"), "Dana": (), "Sam": ()}


def test_the_lockout_is_refused_without_checking_the_pin(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once locked out, a guess is not even compared: the right PIN cannot be found by timing."""
    assert team.sam.staff_id is not None
    lock_out(ctx, team.sam.staff_id)

    def no_check(*_args: object) -> bool:
        raise AssertionError("a locked-out attempt reached the PIN check")

    monkeypatch.setattr(staff, "_pin_matches", no_check)
    with pytest.raises(SignInFailed, match="Too many wrong PINs"):
        staff.sign_in(ctx, team.sam.staff_id, "2222")


@contextmanager
def hashing_outside_writes(ctx: ShopContext, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Fail any argon2 hash or verify made while a write transaction is open; yields the
    names of the argon2 calls made."""
    writing = [False]
    calls: list[str] = []
    original_write = ctx.database.write

    @contextmanager
    def watched_write() -> Iterator[Session]:
        with original_write() as session:
            writing[0] = True
            try:
                yield session
            finally:
                writing[0] = False

    hasher = staff._hasher

    class WatchedHasher:
        def hash(self, password: str) -> str:
            assert not writing[0], "argon2 hash inside a write transaction"
            calls.append("hash")
            return hasher.hash(password)

        def verify(self, stored: str, password: str) -> bool:
            assert not writing[0], "argon2 verify inside a write transaction"
            calls.append("verify")
            return hasher.verify(stored, password)

        def check_needs_rehash(self, stored: str) -> bool:
            return hasher.check_needs_rehash(stored)

    monkeypatch.setattr(ctx.database, "write", watched_write)
    monkeypatch.setattr(staff, "_hasher", WatchedHasher())
    monkeypatch.setattr(kiosk, "_hasher", WatchedHasher())
    yield calls


def test_argon2_never_runs_inside_a_write_transaction(
    ctx: ShopContext, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert team.sam.staff_id is not None
    with hashing_outside_writes(ctx, monkeypatch) as calls:
        with pytest.raises(SignInFailed):
            staff.sign_in(ctx, team.sam.staff_id, "0000")
        staff.sign_in(ctx, team.sam.staff_id, "2222")
        staff.set_pin(ctx, team.lead, name="Sam", pin="2468")
        staff.add_staff(ctx, team.lead, name="Kim", pin="5555")
        kiosk.unlock(ctx, "door", "1111")
    assert calls.count("verify") >= 3 and calls.count("hash") == 2


def test_deleting_kiosk_unlock_audit_rows_does_not_lift_the_kiosk_lockout(
    ctx: ShopContext, team: Team
) -> None:
    set_shop_rules(ctx, {"kiosk.unlock_attempts": 2, "kiosk.lockout_minutes": 10})
    for _ in range(2):
        with pytest.raises(SignInFailed, match="does not unlock the kiosk"):
            kiosk.unlock(ctx, "door", "0000")
    with ctx.database.write() as session:
        session.connection().execute(delete(AuditEvent).where(AuditEvent.action.startswith("kiosk.")))  # type: ignore[attr-defined]
    with pytest.raises(SignInFailed, match="Too many wrong PINs at this kiosk"):
        kiosk.unlock(ctx, "door", "1111")
