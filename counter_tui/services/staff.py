"""Staff accounts and signing in with a PIN.

PINs are hashed with argon2 and never stored or logged in clear. Repeated wrong
PINs lock that staff member out for a while; failures are audit events, so the
lockout holds across terminals and restarts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, func, select

from counter_tui.db.models import AuditEvent, Role, Staff
from counter_tui.errors import Conflict, InvalidInput, NotAllowed, NotFound, SignInFailed
from counter_tui.services import audit
from counter_tui.services.context import Actor, ShopContext, require_lead
from counter_tui.text import NAME_MAX, clean_text

PIN_MIN, PIN_MAX = 4, 12
MAX_FAILED_ATTEMPTS = 5
LOCKOUT_MINUTES = 5

_hasher = PasswordHasher()


@dataclass(frozen=True)
class StaffSummary:
    """A staff member as lists and pickers show them."""

    id: int
    name: str
    role: str
    active: bool


def _summary(staff: Staff) -> StaffSummary:
    assert staff.id is not None
    return StaffSummary(staff.id, staff.name, staff.role, staff.active)


def validate_pin(pin: str) -> str:
    """A PIN of 4-12 digits, or a refusal saying so."""
    pin = pin.strip()
    if not pin.isdigit() or not (PIN_MIN <= len(pin) <= PIN_MAX):
        raise InvalidInput(f"A PIN is {PIN_MIN} to {PIN_MAX} digits.")
    return pin


def hash_pin(pin: str) -> str:
    """The argon2 hash stored for a PIN."""
    return _hasher.hash(validate_pin(pin))


def _pin_matches(stored_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(stored_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def _require_admin(session: Session, actor: Actor | None, what: str) -> None:
    """`None` is the shop's administrator at the command line; anyone else must be a lead."""
    if actor is not None:
        require_lead(session, actor, what)


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
    name = clean_text(name, NAME_MAX)
    if not name:
        raise InvalidInput("Give the staff member a name.")
    if role not in (Role.ASSOCIATE, Role.LEAD):
        raise InvalidInput("Role is 'associate' or 'lead'.")
    pin_hash = hash_pin(pin)
    with ctx.database.write() as session:
        _require_admin(session, actor, "add staff")
        clash = session.exec(select(Staff).where(func.lower(Staff.name) == name.lower())).first()
        if clash is not None:
            raise Conflict(f"There is already a staff member called {clash.name}.")
        staff = Staff(name=name, role=role, pin_hash=pin_hash, created_at=ctx.now())
        session.add(staff)
        session.flush()
        audit.record(session, ctx, actor, "staff.added", "staff", staff.id, name=name, role=role)
        return _summary(staff)


def _find_staff(session: Session, name: str) -> Staff:
    staff = session.exec(select(Staff).where(func.lower(Staff.name) == name.strip().lower())).first()
    if staff is None:
        raise NotFound(f"No staff member called {name.strip()!r}. `counter-tui staff list` shows them.")
    return staff


def set_pin(ctx: ShopContext, actor: Actor | None, *, name: str, pin: str) -> None:
    """Give a staff member a new PIN (leads, or the administrator)."""
    pin_hash = hash_pin(pin)
    with ctx.database.write() as session:
        _require_admin(session, actor, "change a PIN")
        staff = _find_staff(session, name)
        staff.pin_hash = pin_hash
        session.add(staff)
        audit.record(session, ctx, actor, "staff.pin_changed", "staff", staff.id)


def deactivate(ctx: ShopContext, actor: Actor | None, *, name: str) -> None:
    """Stop a staff member from signing in; their history stays."""
    with ctx.database.write() as session:
        _require_admin(session, actor, "deactivate staff")
        staff = _find_staff(session, name)
        if actor is not None and staff.id == actor.staff_id:
            raise NotAllowed("You cannot deactivate yourself. Ask another shift lead.")
        staff.active = False
        session.add(staff)
        audit.record(session, ctx, actor, "staff.deactivated", "staff", staff.id)


def _recent_failures(session: Session, ctx: ShopContext, staff_id: int) -> int:
    since = ctx.now() - timedelta(minutes=LOCKOUT_MINUTES)
    last_success = session.exec(
        select(func.max(AuditEvent.id)).where(
            AuditEvent.action == "staff.signed_in", AuditEvent.entity_id == staff_id
        )
    ).one()
    query = select(func.count()).where(
        AuditEvent.action == "staff.sign_in_failed",
        AuditEvent.entity_id == staff_id,
        AuditEvent.at >= since,
    )
    if last_success is not None:
        query = query.where(col(AuditEvent.id) > last_success)
    return int(session.exec(query).one())


def sign_in(ctx: ShopContext, staff_id: int, pin: str, *, require_role: str | None = None) -> Actor:
    """Check a PIN and return the actor, or refuse; wrong PINs count towards a lockout."""
    failure: SignInFailed | None = None
    with ctx.database.write() as session:
        staff = session.get(Staff, staff_id)
        if staff is None or not staff.active:
            raise SignInFailed("That staff member cannot sign in. Ask a shift lead.")
        if _recent_failures(session, ctx, staff_id) >= MAX_FAILED_ATTEMPTS:
            raise SignInFailed(
                f"Too many wrong PINs for {staff.name}. Wait {LOCKOUT_MINUTES} minutes "
                "or ask a shift lead to set a new PIN."
            )
        if _pin_matches(staff.pin_hash, pin.strip()):
            if require_role is not None and staff.role != require_role:
                raise NotAllowed(f"This needs a shift lead's PIN; {staff.name} is not a lead.")
            signed_in = Actor.of(staff)
            audit.record(session, ctx, signed_in, "staff.signed_in", "staff", staff.id)
            return signed_in
        audit.record(session, ctx, None, "staff.sign_in_failed", "staff", staff.id)
        failure = SignInFailed(f"Wrong PIN for {staff.name}. Try again.")
    raise failure
