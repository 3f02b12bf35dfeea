"""Staff accounts and signing in: argon2 PIN hashes, wrong PINs, lockout, inactive staff,
and who may add staff, set PINs and deactivate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from sqlmodel import select

from counter_tui.clock import ManualClock
from counter_tui.db.models import AuditEvent, Role, Staff
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, SignInFailed
from counter_tui.services import staff
from counter_tui.services.context import ShopContext
from counter_tui.services.permissions import Action
from tests.conftest import Team
from tests.unit.conftest import AuditLog, RowCount


def _staff_row(ctx: ShopContext, name: str) -> Staff:
    with ctx.database.read() as session:
        row = session.exec(select(Staff).where(Staff.name == name)).one()
        return row


def test_pin_is_stored_as_an_argon2_hash_and_never_in_clear(ctx: ShopContext, audit_log: AuditLog) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="48151623", role=Role.ASSOCIATE)
    staff.set_pin(ctx, None, name="Robin", pin="42424242")
    with pytest.raises(SignInFailed):
        staff.sign_in(ctx, added.id, "48151623")
    staff.sign_in(ctx, added.id, "42424242")

    row = _staff_row(ctx, "Robin")
    assert row.pin_hash.startswith("$argon2")
    assert "42424242" not in row.pin_hash
    with ctx.database.read() as session:
        every_staff_value = [
            str(value) for member in session.exec(select(Staff)) for value in member.model_dump().values()
        ]
    for pin in ("48151623", "42424242"):
        assert not any(pin in value for value in every_staff_value)
        assert not any(pin in event.details for event in audit_log())
    assert {"staff.added", "staff.pin_changed", "staff.sign_in_failed", "staff.signed_in"} <= {
        event.action for event in audit_log()
    }


def test_right_pin_signs_in_and_is_audited(ctx: ShopContext, audit_log: AuditLog) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="1234", role=Role.LEAD)
    actor = staff.sign_in(ctx, added.id, " 1234 ")
    assert (actor.staff_id, actor.name, actor.is_lead) == (added.id, "Robin", True)
    signed_in = audit_log("staff.signed_in")
    assert [(e.actor_id, e.entity_id) for e in signed_in] == [(added.id, added.id)]


def test_wrong_pin_is_refused_and_the_failure_is_logged(ctx: ShopContext, audit_log: AuditLog) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    with pytest.raises(SignInFailed, match="Wrong PIN for Robin"):
        staff.sign_in(ctx, added.id, "9999")
    assert [e.entity_id for e in audit_log("staff.sign_in_failed")] == [added.id]
    assert audit_log("staff.signed_in") == []


def test_five_wrong_pins_lock_out_even_the_right_pin_until_the_window_passes(
    ctx: ShopContext, clock: ManualClock
) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    for _ in range(staff.MAX_FAILED_ATTEMPTS):
        with pytest.raises(SignInFailed, match="Wrong PIN"):
            staff.sign_in(ctx, added.id, "0000")
    with pytest.raises(SignInFailed, match="Too many wrong PINs for Robin"):
        staff.sign_in(ctx, added.id, "1234")

    clock.advance(minutes=4)
    with pytest.raises(SignInFailed, match="Too many wrong PINs"):
        staff.sign_in(ctx, added.id, "1234")

    clock.advance(minutes=1, seconds=1)
    assert staff.sign_in(ctx, added.id, "1234").staff_id == added.id


def test_four_wrong_pins_do_not_lock_out(ctx: ShopContext) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    for _ in range(staff.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInFailed):
            staff.sign_in(ctx, added.id, "0000")
    assert staff.sign_in(ctx, added.id, "1234").name == "Robin"


def test_wrong_pins_spread_over_more_than_the_window_do_not_lock_out(
    ctx: ShopContext, clock: ManualClock
) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    for _ in range(staff.MAX_FAILED_ATTEMPTS + 2):
        with pytest.raises(SignInFailed, match="Wrong PIN"):
            staff.sign_in(ctx, added.id, "0000")
        clock.advance(minutes=2)
    assert staff.sign_in(ctx, added.id, "1234").name == "Robin"


def test_successful_sign_in_resets_the_failure_count(ctx: ShopContext) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    for _ in range(staff.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInFailed):
            staff.sign_in(ctx, added.id, "0000")
    staff.sign_in(ctx, added.id, "1234")
    for _ in range(staff.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInFailed):
            staff.sign_in(ctx, added.id, "0000")
    assert staff.sign_in(ctx, added.id, "1234").name == "Robin"


def test_inactive_staff_cannot_sign_in(ctx: ShopContext, team: Team) -> None:
    staff.deactivate(ctx, team.lead, name="Sam")
    assert team.sam.staff_id is not None
    with pytest.raises(SignInFailed, match="cannot sign in"):
        staff.sign_in(ctx, team.sam.staff_id, "2222")
    assert "Sam" not in [s.name for s in staff.list_staff(ctx)]
    assert "Sam" in [s.name for s in staff.list_staff(ctx, include_inactive=True)]


def test_unknown_staff_id_cannot_sign_in(ctx: ShopContext) -> None:
    with pytest.raises(SignInFailed):
        staff.sign_in(ctx, 999, "1234")


def test_lead_only_sign_in_refuses_an_associate(ctx: ShopContext, team: Team) -> None:
    assert team.sam.staff_id is not None and team.lead.staff_id is not None
    with pytest.raises(NotAllowed, match="shift lead"):
        staff.sign_in(ctx, team.sam.staff_id, "2222", allowing=Action.CLOSE_STAFF_APP)
    assert staff.sign_in(ctx, team.lead.staff_id, "1111", allowing=Action.CLOSE_STAFF_APP).is_lead


@pytest.mark.parametrize(
    ("what", "call"),
    [
        ("add staff", lambda ctx, actor: staff.add_staff(ctx, actor, name="Kim", pin="5555")),
        ("change a PIN", lambda ctx, actor: staff.set_pin(ctx, actor, name="Alex", pin="5555")),
        ("deactivate staff", lambda ctx, actor: staff.deactivate(ctx, actor, name="Alex")),
    ],
)
def test_associates_cannot_manage_staff(
    ctx: ShopContext,
    team: Team,
    audit_log: AuditLog,
    row_count: RowCount,
    what: str,
    call: Callable[[ShopContext, Any], object],
) -> None:
    before_events, before_staff = len(audit_log()), row_count(Staff)
    with pytest.raises(NotAllowed, match=f"Only a shift lead can {what}"):
        call(ctx, team.sam)
    assert len(audit_log()) == before_events
    assert row_count(Staff) == before_staff
    alex = _staff_row(ctx, "Alex")
    assert alex.active
    assert team.alex.staff_id is not None
    assert staff.sign_in(ctx, team.alex.staff_id, "3333").name == "Alex"


def test_leads_and_the_administrator_manage_staff(ctx: ShopContext, team: Team, audit_log: AuditLog) -> None:
    kim = staff.add_staff(ctx, team.lead, name="Kim", pin="5555")
    staff.set_pin(ctx, team.lead, name="kim", pin="6666")
    assert staff.sign_in(ctx, kim.id, "6666").name == "Kim"
    staff.deactivate(ctx, None, name="Kim")
    with pytest.raises(SignInFailed):
        staff.sign_in(ctx, kim.id, "6666")

    events = [(e.action, e.actor_id) for e in audit_log() if e.entity_id == kim.id]
    assert ("staff.added", team.lead.staff_id) in events
    assert ("staff.pin_changed", team.lead.staff_id) in events
    assert ("staff.deactivated", None) in events


def test_a_lead_cannot_deactivate_themselves(ctx: ShopContext, team: Team) -> None:
    with pytest.raises(NotAllowed, match="cannot deactivate yourself"):
        staff.deactivate(ctx, team.lead, name="Dana")
    assert _staff_row(ctx, "Dana").active


def test_a_deactivated_lead_can_no_longer_act(ctx: ShopContext, team: Team) -> None:
    other_lead = staff.add_staff(ctx, None, name="Lee", pin="7777", role=Role.LEAD)
    lee = staff.sign_in(ctx, other_lead.id, "7777")
    staff.deactivate(ctx, team.lead, name="Lee")
    with pytest.raises(NotAllowed, match="no longer active"):
        staff.add_staff(ctx, lee, name="Kim", pin="5555")


def test_duplicate_names_and_bad_pins_are_refused(ctx: ShopContext, team: Team, audit_log: AuditLog) -> None:
    before = len(audit_log())
    with pytest.raises(Conflict, match="already a staff member called Sam"):
        staff.add_staff(ctx, None, name="sam", pin="5555")
    for pin in ("12", "abcd", "1234567890123"):
        with pytest.raises(InvalidInput, match="4 to 12 digits"):
            staff.add_staff(ctx, None, name="Kim", pin=pin)
    with pytest.raises(InvalidInput, match="name"):
        staff.add_staff(ctx, None, name="\x1b\x07 ", pin="5555")
    with pytest.raises(InvalidInput, match="Role"):
        staff.add_staff(ctx, None, name="Kim", pin="5555", role="owner")
    assert len(audit_log()) == before


def test_sign_in_failure_events_carry_no_pin(ctx: ShopContext) -> None:
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    with pytest.raises(SignInFailed):
        staff.sign_in(ctx, added.id, "987654")
    with ctx.database.read() as session:
        failed = session.exec(select(AuditEvent).where(AuditEvent.action == "staff.sign_in_failed")).one()
    assert "987654" not in failed.details
    assert failed.actor_id is None


def test_the_wrong_pin_that_locks_out_says_so_then_and_there(ctx: ShopContext) -> None:
    """The fifth wrong PIN must not say 'Try again': trying again is refused for five minutes."""
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    for _ in range(staff.MAX_FAILED_ATTEMPTS - 1):
        with pytest.raises(SignInFailed, match=r"^Wrong PIN for Robin\. Try again\.$"):
            staff.sign_in(ctx, added.id, "0000")
    with pytest.raises(SignInFailed) as last:
        staff.sign_in(ctx, added.id, "0000")
    assert str(last.value) == (
        "Wrong PIN for Robin. Too many wrong PINs for Robin at this terminal. Wait 5 minutes, "
        "or ask a shift lead to clear the lockout or set a new PIN."
    )


def _store_hash(ctx: ShopContext, staff_id: int, pin_hash: str) -> None:
    with ctx.database.write() as session:
        row = session.get(Staff, staff_id)
        assert row is not None
        row.pin_hash = pin_hash


@pytest.fixture
def production_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The hasher the shop uses (the tests' own is cheaper: tests/conftest.py)."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(staff, "_hasher", PasswordHasher(**staff.PIN_HASHING))


def test_new_pins_are_hashed_with_owasps_argon2id_parameters(
    ctx: ShopContext, production_hashing: None
) -> None:
    from argon2 import Type, extract_parameters

    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    parameters = extract_parameters(_staff_row(ctx, "Robin").pin_hash)
    assert (parameters.type, parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        Type.ID,
        1,
        47_104,
        1,
    )
    assert staff.sign_in(ctx, added.id, "1234").staff_id == added.id


def test_a_pin_hashed_the_old_costly_way_is_hashed_again_on_the_next_right_sign_in(
    ctx: ShopContext, audit_log: AuditLog, production_hashing: None
) -> None:
    """Hashes stored before keep working; the first right PIN after stores a new hash with
    today's parameters (audited, the PIN never in clear), a wrong one changes nothing."""
    from argon2 import PasswordHasher, extract_parameters

    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    old = PasswordHasher(time_cost=3, memory_cost=65_536, parallelism=4).hash("1234")
    _store_hash(ctx, added.id, old)
    with pytest.raises(SignInFailed):
        staff.sign_in(ctx, added.id, "4321")
    assert _staff_row(ctx, "Robin").pin_hash == old
    assert staff.sign_in(ctx, added.id, "1234").staff_id == added.id
    new = _staff_row(ctx, "Robin").pin_hash
    assert new != old and extract_parameters(new).memory_cost == 47_104
    assert [(e.actor_id, e.entity_id) for e in audit_log("staff.pin_rehashed")] == [(added.id, added.id)]
    assert not any("1234" in event.details for event in audit_log())
    staff.sign_in(ctx, added.id, "1234")
    assert _staff_row(ctx, "Robin").pin_hash == new
    assert len(audit_log("staff.pin_rehashed")) == 1


def test_a_right_pin_is_not_refused_because_another_terminal_rehashed_it_meanwhile(
    ctx: ShopContext, audit_log: AuditLog, production_hashing: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two terminals sign the same person in at once with an old-style hash: the first to
    finish stores a new hash while the second is still checking against the old one. The
    second is checked again against the new hash, not told "Wrong PIN" nor counted."""
    from argon2 import PasswordHasher

    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    _store_hash(ctx, added.id, PasswordHasher(time_cost=3, memory_cost=65_536, parallelism=4).hash("1234"))
    real_matches = staff._pin_matches
    checks: list[str] = []

    def the_other_terminal_finishes_first(stored_hash: str, pin: str) -> bool:
        checks.append(stored_hash)
        if len(checks) == 1:
            staff.sign_in(ctx, added.id, "1234")  # the other terminal, rehashing
        return real_matches(stored_hash, pin)

    monkeypatch.setattr(staff, "_pin_matches", the_other_terminal_finishes_first)
    assert staff.sign_in(ctx, added.id, "1234").staff_id == added.id
    assert audit_log("staff.sign_in_failed") == []
    assert len(audit_log("staff.signed_in")) == 2
    assert len(audit_log("staff.pin_rehashed")) == 1
    assert checks[-1] == _staff_row(ctx, "Robin").pin_hash  # checked again, against the new hash


def test_a_pin_changed_while_it_was_checked_refuses_the_old_pin(
    ctx: ShopContext, audit_log: AuditLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A shift lead setting a new PIN during the check wins: the old PIN is wrong now."""
    added = staff.add_staff(ctx, None, name="Robin", pin="1234")
    real_matches = staff._pin_matches
    checks: list[str] = []

    def a_lead_sets_a_new_pin_meanwhile(stored_hash: str, pin: str) -> bool:
        checks.append(stored_hash)
        if len(checks) == 1:
            staff.set_pin(ctx, None, name="Robin", pin="5678")
        return real_matches(stored_hash, pin)

    monkeypatch.setattr(staff, "_pin_matches", a_lead_sets_a_new_pin_meanwhile)
    with pytest.raises(SignInFailed, match="Wrong PIN"):
        staff.sign_in(ctx, added.id, "1234")
    assert audit_log("staff.signed_in") == []
    assert staff.sign_in(ctx, added.id, "5678").staff_id == added.id


@pytest.mark.parametrize("name", ["1234", "07 700", "…", "٣٤", "🙂"])
def test_a_name_without_a_letter_is_refused_as_sign_in_could_not_type_it(
    ctx: ShopContext, row_count: RowCount, name: str
) -> None:
    """Digits typed on the sign-in screen go to the PIN box, so a name of digits alone could
    be picked only by arrowing through the list; the tester's "1234" was added."""
    before = row_count(Staff)
    with pytest.raises(InvalidInput, match="letter"):
        staff.add_staff(ctx, None, name=name, pin="1234")
    assert row_count(Staff) == before


def test_a_name_with_digits_and_letters_is_taken(ctx: ShopContext) -> None:
    assert staff.add_staff(ctx, None, name="Sam 2", pin="1234").name == "Sam 2"
