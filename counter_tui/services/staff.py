"""Staff accounts and signing in with a PIN.

PINs are hashed with argon2 and never stored or logged in clear; hashing and checking
happen outside write transactions. Repeated wrong PINs lock that staff member out at
that terminal for a while (`pin_guard`); a new PIN or a lead lifts the lockout.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, func, select

from counter_tui.db.models import Role, Staff
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound, SignInFailed
from counter_tui.limits import limited
from counter_tui.sentences import counted
from counter_tui.services import audit, pin_ahead, pin_guard, terminal_sessions
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.open_work import OpenWork, cancel_handoffs_to, pass_on, work_of
from counter_tui.services.permissions import NOBODY, Action, Target, allows, refusal, require
from counter_tui.services.staff_roster import StaffSummary as StaffSummary  # re-exported: its home is light
from counter_tui.text import clean_text

PIN_MIN, PIN_MAX = 4, 12
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_MINUTES = 5
SIGN_IN_LIMITS = pin_guard.Limits(attempts=MAX_FAILED_ATTEMPTS, window=timedelta(minutes=LOCKOUT_MINUTES))

PIN_HASHING: dict[str, Any] = {"time_cost": 1, "memory_cost": 47_104, "parallelism": 1}
"""argon2id at one of OWASP's recommended minimum settings (46 MiB, one pass, one lane): about
50-90 ms of one core, where argon2-cffi's defaults (64 MiB, three passes, four lanes) took
about 265 ms of CPU on both cores of a till, at every sign-in and every lead's PIN. A 4-12
digit PIN is kept safe by the lockout after a few wrong tries (`pin_guard`), not by the
hash's cost: at any cost a stolen database's PINs fall to trying them all. Of OWASP's
equivalent settings this is the one above glibc's largest mmap threshold (32 MiB): smaller
ones (19 MiB, two passes) were served from each worker thread's malloc arena and kept there,
and a terminal grew by about 19 MiB for each thread that had checked a PIN (the soak went
from 124 to 222 MiB). Hashes stored with other parameters still verify, and are hashed
again with these at the next right sign-in (`sign_in`)."""
_hasher = PasswordHasher(**PIN_HASHING)


def _summary(staff: Staff) -> StaffSummary:
    assert staff.id is not None
    return StaffSummary(staff.id, staff.name, staff.role, staff.active)


def validate_pin(pin: str) -> str:
    """A PIN of 4-12 digits, or a refusal saying so."""
    pin = pin.strip()
    if not pin.isdigit() or not (PIN_MIN <= len(pin) <= PIN_MAX):
        raise InvalidInput(f"A PIN is {PIN_MIN} to {counted(PIN_MAX, 'digit')}.", field="pin")
    return pin


def hash_pin(pin: str) -> str:
    """The argon2 hash stored for a PIN."""
    return _hasher.hash(validate_pin(pin))


PIN_RECHECKS = 2
"""How often one sign-in checks a PIN again because its hash changed during the check."""


def _pin_matches(stored_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(stored_hash, clean_text(pin))
    except (VerificationError, InvalidHashError):
        return False


def _require_admin(session: Session, actor: Actor | None, action: Action, target: Target = NOBODY) -> None:
    """`None` is the shop's administrator at the command line; anyone else is asked about
    through the permissions (leads only)."""
    if actor is not None:
        require(session, actor, action, target)


def list_staff(ctx: ShopContext, *, include_inactive: bool = False) -> list[StaffSummary]:
    """Staff by name, for sign-in and pickers."""
    with ctx.database.read() as session:
        query = select(Staff).order_by(func.lower(Staff.name))
        if not include_inactive:
            query = query.where(col(Staff.active).is_(True))
        return [_summary(staff) for staff in session.exec(query)]


def add_staff(
    ctx: ShopContext, actor: Actor | None, *, name: str, pin: str, role: str = Role.ASSOCIATE
) -> StaffSummary:
    """Create a staff member (leads, or the administrator at the command line)."""
    name = limited(name, "name")
    if not name:
        raise InvalidInput("Give the staff member a name.")
    if not any(char.isalpha() for char in name):
        raise InvalidInput(
            "A name needs a letter: on the sign-in screen digits go to the PIN box, so a name "
            "of digits alone could not be typed there."
        )
    if role not in (Role.ASSOCIATE, Role.LEAD):
        raise InvalidInput("Role is 'associate' or 'lead'.")
    pin_hash = hash_pin(pin)
    with ctx.database.write() as session:
        _require_admin(session, actor, Action.ADD_STAFF)
        clash = session.exec(select(Staff).where(func.lower(Staff.name) == name.lower())).first()
        if clash is not None:
            raise Conflict(f"There is already a staff member called {clash.name}.")
        staff = Staff(name=name, role=role, pin_hash=pin_hash, created_at=ctx.now())
        session.add(staff)
        session.flush()
        audit.record(session, ctx, actor, "staff.added", "staff", staff.id, name=name, role=role)
        return _summary(staff)


def _find_staff(session: Session, name: str) -> Staff:
    name = clean_text(name)
    staff = session.exec(select(Staff).where(func.lower(Staff.name) == name.lower())).first()
    if staff is None:
        raise NotFound(f"No staff member called {name!r}. `counter-tui staff list` shows them.")
    return staff


def set_pin(ctx: ShopContext, actor: Actor | None, *, name: str, pin: str) -> None:
    """Give a staff member a new PIN (leads, or the administrator); it also lifts their
    wrong-PIN lockouts, as the lockout message promises."""
    pin_hash = hash_pin(pin)
    with ctx.database.write() as session:
        _require_admin(session, actor, Action.CHANGE_PIN)
        staff = _find_staff(session, name)
        assert staff.id is not None
        staff.pin_hash = pin_hash
        session.add(staff)
        cleared = pin_guard.clear(session, ctx.now(), pin_guard.staff_subject(staff.id))
        audit.record(session, ctx, actor, "staff.pin_changed", "staff", staff.id, lockout_cleared_at=cleared)


def open_work(ctx: ShopContext, actor: Actor | None, *, name: str) -> OpenWork:
    """What deactivating `name` would leave without an owner (so a lead can say who takes it)."""
    with ctx.database.read() as session:
        _require_admin(session, actor, Action.DEACTIVATE_STAFF)
        return work_of(session, _find_staff(session, name))


def deactivate(ctx: ShopContext, actor: Actor | None, *, name: str, pass_to: str | None = None) -> OpenWork:
    """Stop a staff member from signing in; their history stays. Customers and follow-ups
    they still own go to the colleague `pass_to` (visits as a reassignment, follow-ups
    audited one by one, all in one transaction); without one, deactivating someone who
    owns anything is refused. Returns what was passed on."""
    with ctx.database.write() as session:
        _require_admin(session, actor, Action.DEACTIVATE_STAFF)
        staff = _find_staff(session, name)
        assert staff.id is not None
        _require_admin(session, actor, Action.DEACTIVATE_STAFF, Target(owner_id=staff.id))
        if not staff.active:
            raise InvalidInput(f"{staff.name} is already deactivated.")
        work = work_of(session, staff)
        target = None
        if pass_to is not None:
            target = _find_staff(session, pass_to)
            if target.id == staff.id:
                raise InvalidInput(
                    f"Pass {staff.name}'s customers to someone other than {staff.name}.", field="pass_to"
                )
            if not target.active:
                raise InvalidInput(
                    f"{target.name} is deactivated. Pick an active colleague.", field="pass_to"
                )
        if not work.empty:
            if target is None:
                raise Conflict(
                    f"{staff.name} still owns {work.describe()}. Say who takes them over "
                    "(pass them to a colleague) before deactivating."
                )
            pass_on(session, ctx, actor, staff, target)
        cancel_handoffs_to(session, ctx, actor, staff)
        staff.active = False
        session.add(staff)
        audit.record(
            session,
            ctx,
            actor,
            "staff.deactivated",
            "staff",
            staff.id,
            passed_to=target.name if target is not None and not work.empty else None,
            visits=len(work.visits),
            followups=work.followups,
        )
        return work


def reactivate(ctx: ShopContext, actor: Actor | None, *, name: str) -> None:
    """Let a deactivated staff member sign in again (leads, or the administrator)."""
    with ctx.database.write() as session:
        _require_admin(session, actor, Action.REACTIVATE_STAFF)
        staff = _find_staff(session, name)
        if staff.active:
            raise InvalidInput(f"{staff.name} is already active.")
        staff.active = True
        session.add(staff)
        audit.record(session, ctx, actor, "staff.reactivated", "staff", staff.id)


def _lockout_message(name: str, minutes: int) -> str:
    return (
        f"Too many wrong PINs for {name} at this terminal. Wait {counted(minutes, 'minute')}"
        ", or ask a shift lead to clear the lockout or set a new PIN."
    )


def check_pin_ahead(ctx: ShopContext, staff_id: int, pin: str) -> None:
    """Check a PIN still being typed (see `pin_ahead`), so that signing in with it does
    not wait for argon2. Says nothing, writes nothing and counts no attempt."""
    pin = pin.strip()
    if not pin.isdigit() or not (PIN_MIN <= len(pin) <= PIN_MAX):
        return
    with ctx.database.read() as session:
        staff = session.get(Staff, staff_id)
        if staff is None or not staff.active:
            return
        stored_hash = staff.pin_hash
    pin_ahead.check_ahead(staff_id, stored_hash, pin, _pin_matches)


def sign_in(
    ctx: ShopContext,
    staff_id: int,
    pin: str,
    *,
    allowing: Action | None = None,
    success_action: str = "staff.signed_in",
    success_details: dict[str, str] | None = None,
) -> Actor:
    """Check a PIN and return the actor, or refuse; wrong PINs count towards a lockout at
    this terminal.

    The attempt is counted first (a short write), the argon2 check runs outside any
    transaction (or was run while the PIN was typed: `check_pin_ahead`), and a right PIN
    then forgets the count (another short write): parallel guesses cannot get more
    answers than the limit, and no terminal waits on a hash. A right PIN whose stored hash
    has other parameters than `PIN_HASHING` is hashed again (before that write) and stored.
    If the stored hash changed during the check (another terminal rehashed it, a lead set
    a new PIN), the PIN is checked again against the new one, still as one attempt.
    With `allowing`, the PIN is typed to allow that action, and the permissions must let
    its owner take it; `success_action` (with `success_details`) names the audit event of
    a right PIN (a lead allowing something is not a sign-in).
    """
    subject = pin_guard.staff_subject(staff_id)
    with ctx.database.write() as session:
        staff = session.get(Staff, staff_id)
        if staff is None or not staff.active:
            raise SignInFailed("That staff member cannot sign in. Ask a shift lead.")
        attempt = pin_guard.count_attempt(session, ctx.now(), subject, ctx.terminal, SIGN_IN_LIMITS)
        name, stored_hash = staff.name, staff.pin_hash
    if attempt.refused:
        raise SignInFailed(_lockout_message(name, attempt.minutes_left(ctx.now())))
    checked_hash, rechecks = stored_hash, PIN_RECHECKS
    while True:
        matched = pin_ahead.answer(staff_id, checked_hash, pin.strip(), _pin_matches)
        new_hash = hash_pin(pin) if matched and _hasher.check_needs_rehash(checked_hash) else None
        with ctx.database.write() as session:
            staff = session.get(Staff, staff_id)
            current = staff.pin_hash if staff is not None and staff.active else None
            if current is not None and current != checked_hash and rechecks > 0:
                # Another terminal rehashed it, or a lead set a new PIN: check against that.
                checked_hash, rechecks = current, rechecks - 1
                continue
            # A deactivation while the hash was being checked wins.
            if matched and staff is not None and current == checked_hash:
                pin_guard.forget(session, subject, ctx.terminal)
                signed_in = Actor.of(staff)
                if new_hash is not None:
                    staff.pin_hash = new_hash
                    session.add(staff)
                    audit.record(session, ctx, signed_in, "staff.pin_rehashed", "staff", staff_id)
                refused = refusal(signed_in, allowing) if allowing is not None else None
                if refused is None:
                    audit.record(
                        session, ctx, signed_in, success_action, "staff", staff_id, **(success_details or {})
                    )
                    terminal_sessions.follow_sign_in(session, ctx, success_action, staff_id)
            else:
                matched = False
                audit.record(session, ctx, None, "staff.sign_in_failed", "staff", staff_id)
                if attempt.last_allowed:
                    audit.record(session, ctx, None, "staff.locked_out", "staff", staff_id)
        break
    if not matched:
        then = _lockout_message(name, SIGN_IN_LIMITS.minutes) if attempt.last_allowed else "Try again."
        raise SignInFailed(f"Wrong PIN for {name}. {then}")
    if refused is not None:
        raise refused.error()
    return signed_in


def has_active_lead(ctx: ShopContext) -> bool:
    """Whether anyone active may allow a command-line change (a shift lead); until then,
    the command line needs nobody's PIN."""
    with ctx.database.read() as session:
        people = session.exec(select(Staff).where(col(Staff.active).is_(True)))
        return any(allows(Actor.of(person), Action.ALLOW_COMMAND) for person in people)


def authorise_command(ctx: ShopContext, name: str, pin: str, command: str) -> Actor:
    """The shift lead allowing a command-line change, by name and PIN, checked like a
    sign-in at this terminal (wrong PINs count towards the lockout); audited with the
    command's name."""
    name = clean_text(name)
    with ctx.database.read() as session:
        lead = session.exec(select(Staff).where(func.lower(Staff.name) == name.strip().lower())).first()
        if (
            lead is None
            or lead.id is None
            or not lead.active
            or not allows(Actor.of(lead), Action.ALLOW_COMMAND)
        ):
            raise NotAllowed(
                f"{name.strip()!r} is not an active shift lead. A shift lead's name and PIN are needed."
            )
        lead_id = lead.id
    return sign_in(
        ctx,
        lead_id,
        pin,
        allowing=Action.ALLOW_COMMAND,
        success_action="staff.command_allowed",
        success_details={"command": command},
    )


def clear_lockout(ctx: ShopContext, actor: Actor | None, *, name: str) -> list[str]:
    """Lift a staff member's wrong-PIN lockout at every terminal (leads, from any
    terminal, or the administrator); returns the terminals where they were locked out."""
    with ctx.database.write() as session:
        _require_admin(session, actor, Action.CLEAR_LOCKOUT)
        staff = _find_staff(session, name)
        assert staff.id is not None
        terminals = pin_guard.clear(session, ctx.now(), pin_guard.staff_subject(staff.id))
        audit.record(session, ctx, actor, "staff.lockout_cleared", "staff", staff.id, terminals=terminals)
        return terminals


@dataclass(frozen=True)
class StaffRow:
    """A staff member as the leads' staff screen shows them."""

    id: int
    name: str
    role: str
    active: bool
    locked_at: tuple[str, ...]


def staff_overview(ctx: ShopContext, actor: Actor) -> list[StaffRow]:
    """Everyone, active first then by name, with the terminals where they are locked out
    now (for leads)."""
    with ctx.database.read() as session:
        _require_admin(session, actor, Action.MANAGE_STAFF)
        locked = pin_guard.all_locked(session, ctx.now())
        people = session.exec(select(Staff).order_by(col(Staff.active).desc(), func.lower(Staff.name)))
        return [
            StaffRow(
                member.id or 0,
                member.name,
                member.role,
                member.active,
                tuple(locked.get(pin_guard.staff_subject(member.id or 0), ())),
            )
            for member in people
        ]
