"""A PIN checked while it is typed (`staff.check_pin_ahead`) spares the sign-in its argon2
check, and changes none of the sign-in rules: it tells nothing, writes nothing, counts no
attempt; the attempt is still counted at Enter, wrong PINs still lock out, and a PIN
changed meanwhile is checked against the new one."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from counter_tui.errors import SignInFailed
from counter_tui.services import staff
from counter_tui.services.context import ShopContext
from tests.conftest import Team
from tests.unit.conftest import AuditLog


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The PINs argon2 is asked about, in order."""
    asked: list[str] = []
    matches: Callable[[str, str], bool] = staff._pin_matches

    def counted(stored_hash: str, pin: str) -> bool:
        asked.append(pin)
        return matches(stored_hash, pin)

    monkeypatch.setattr(staff, "_pin_matches", counted)
    return asked


def test_a_pin_checked_while_typed_is_not_checked_again_at_enter(
    ctx: ShopContext, team: Team, checks: list[str]
) -> None:
    assert team.sam.staff_id is not None
    for typed in ("2", "22", "222", "2222"):
        staff.check_pin_ahead(ctx, team.sam.staff_id, typed)

    assert staff.sign_in(ctx, team.sam.staff_id, "2222").name == "Sam"
    assert checks == ["2222"]  # shorter than a PIN: never checked


def test_checking_ahead_writes_nothing_and_counts_no_attempt(
    ctx: ShopContext, team: Team, audit_log: AuditLog
) -> None:
    assert team.sam.staff_id is not None
    events = len(audit_log())
    for wrong in ("1234", "12345", "123456", "1234567", "12345678", "123456789"):
        staff.check_pin_ahead(ctx, team.sam.staff_id, wrong)

    assert len(audit_log()) == events
    assert staff.sign_in(ctx, team.sam.staff_id, "2222").name == "Sam"  # not locked out


def test_a_wrong_pin_checked_ahead_still_counts_at_enter_and_locks_out(
    ctx: ShopContext, team: Team, checks: list[str]
) -> None:
    assert team.sam.staff_id is not None
    for _ in range(staff.MAX_FAILED_ATTEMPTS):
        staff.check_pin_ahead(ctx, team.sam.staff_id, "0000")
        with pytest.raises(SignInFailed, match="Wrong PIN"):
            staff.sign_in(ctx, team.sam.staff_id, "0000")
    staff.check_pin_ahead(ctx, team.sam.staff_id, "2222")

    with pytest.raises(SignInFailed, match="Too many wrong PINs"):
        staff.sign_in(ctx, team.sam.staff_id, "2222")
    assert checks == ["0000"] * staff.MAX_FAILED_ATTEMPTS + ["2222"]


def test_a_pin_changed_after_the_check_ahead_is_checked_against_the_new_one(
    ctx: ShopContext, team: Team
) -> None:
    assert team.sam.staff_id is not None
    staff.check_pin_ahead(ctx, team.sam.staff_id, "2222")
    staff.set_pin(ctx, team.lead, name="Sam", pin="2468")

    with pytest.raises(SignInFailed, match="Wrong PIN"):
        staff.sign_in(ctx, team.sam.staff_id, "2222")
    assert staff.sign_in(ctx, team.sam.staff_id, "2468").name == "Sam"


def test_each_answer_checked_ahead_is_used_once(ctx: ShopContext, team: Team, checks: list[str]) -> None:
    assert team.sam.staff_id is not None
    staff.check_pin_ahead(ctx, team.sam.staff_id, "2222")
    staff.sign_in(ctx, team.sam.staff_id, "2222")
    staff.sign_in(ctx, team.sam.staff_id, "2222")

    assert checks == ["2222", "2222"]
