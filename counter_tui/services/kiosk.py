"""The self check-in kiosk: checking a customer in, and a shift lead unlocking it.

A kiosk is a terminal, not a person: it may only create unowned walk-in visits.
Leaving the kiosk or opening its staff menu needs a lead's PIN. Wrong PINs are
audit events tagged with the kiosk's terminal name, so the lockout holds across
restarts and never depends on which lead was being guessed; the PIN itself is
never written anywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, func, select

from counter_tui.db.models import AuditEvent, Role, Staff
from counter_tui.errors import InvalidInput, SignInFailed
from counter_tui.services import audit, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.text import clean_text

FIRST_NAME_MAX = 30
TERMINAL_MAX = 60
UNLOCKED = "kiosk.unlocked"
UNLOCK_FAILED = "kiosk.unlock_failed"
UNLOCK_REFUSED = "kiosk.unlock_refused"
EXITED = "kiosk.exited"

_hasher = PasswordHasher()


@dataclass(frozen=True)
class CheckIn:
    """What a customer told the kiosk: an optional first name and the need they chose."""

    first_name: str
    need: str


def terminal_name(terminal: str) -> str:
    """The kiosk's name as stored: cleaned, never empty."""
    return clean_text(terminal, TERMINAL_MAX) or "kiosk"


def clean_first_name(raw: str) -> str:
    """A first name fit to store, or a refusal the customer can act on.

    Control and escape characters are dropped and the length is capped. Text with
    no letter at all (only symbols or spaces) is refused kindly rather than stored.
    """
    name = clean_text(raw.replace("\n", " "), FIRST_NAME_MAX)
    if name and not any(char.isalpha() for char in name):
        raise InvalidInput(
            "That doesn't look like a first name. Type your first name, or clear it and press Enter to skip."
        )
    return name


def check_in(ctx: ShopContext, terminal: str, check_in: CheckIn) -> int:
    """Create the unowned walk-in visit for a kiosk check-in; returns the visit id."""
    first_name = clean_first_name(check_in.first_name)
    return visits.new_walk_in(
        ctx,
        Actor.kiosk(terminal_name(terminal)),
        description=first_name,
        needs=[check_in.need],
    )


def _pin_matches(stored_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(stored_hash, pin)
    except (VerificationError, InvalidHashError):
        return False


def _recent_failure_times(session: Session, ctx: ShopContext, terminal: str) -> list[datetime]:
    """Times of wrong PINs at this kiosk inside the lockout window, since its last unlock."""
    since = ctx.now() - timedelta(minutes=ctx.settings.kiosk.lockout_minutes)
    last_unlock = session.exec(
        select(func.max(AuditEvent.id)).where(AuditEvent.action == UNLOCKED, AuditEvent.terminal == terminal)
    ).one()
    query = select(AuditEvent.at).where(
        AuditEvent.action == UNLOCK_FAILED,
        AuditEvent.terminal == terminal,
        AuditEvent.at > since,
    )
    if last_unlock is not None:
        query = query.where(col(AuditEvent.id) > last_unlock)
    return sorted(session.exec(query).all())


def _locked_for_minutes(ctx: ShopContext, failures: list[datetime]) -> int:
    """Whole minutes until unlocking is allowed again; 0 when it is allowed now."""
    settings = ctx.settings.kiosk
    if len(failures) < settings.unlock_attempts:
        return 0
    # The lockout ends when enough of the failures have left the window.
    oldest_that_counts = failures[len(failures) - settings.unlock_attempts]
    ends = oldest_that_counts + timedelta(minutes=settings.lockout_minutes)
    return max(1, math.ceil((ends - ctx.now()).total_seconds() / 60))


def _record(session: Session, ctx: ShopContext, actor: Actor | None, action: str, terminal: str) -> None:
    event = audit.record(session, ctx, actor, action, "kiosk", None, terminal=terminal)
    event.terminal = terminal


def unlock(ctx: ShopContext, terminal: str, pin: str) -> Actor:
    """The shift lead whose PIN this is, or a refusal; wrong PINs count towards a lockout.

    The PIN is tried against every active lead. Associates' PINs do not open the
    kiosk. After `kiosk.unlock_attempts` wrong PINs within `kiosk.lockout_minutes`
    at this terminal, unlocking is refused without checking the PIN.
    """
    terminal = terminal_name(terminal)
    with ctx.database.read() as session:
        locked_minutes = _locked_for_minutes(ctx, _recent_failure_times(session, ctx, terminal))
        leads = [
            (Actor.of(lead), lead.pin_hash)
            for lead in session.exec(
                select(Staff)
                .where(Staff.role == Role.LEAD, col(Staff.active).is_(True))
                .order_by(func.lower(Staff.name))
            )
        ]
    if locked_minutes:
        with ctx.database.write() as session:
            _record(session, ctx, None, UNLOCK_REFUSED, terminal)
        raise SignInFailed(
            f"Too many wrong PINs at this kiosk. Try again in {locked_minutes} "
            f"minute{'s' if locked_minutes != 1 else ''}."
        )
    pin = pin.strip()
    # Every lead's hash is checked, so the time taken does not hint at which one matched.
    matches = [actor for actor, pin_hash in leads if _pin_matches(pin_hash, pin)] if pin else []
    with ctx.database.write() as session:
        if matches:
            _record(session, ctx, matches[0], UNLOCKED, terminal)
        else:
            _record(session, ctx, None, UNLOCK_FAILED, terminal)
    if not matches:
        raise SignInFailed("That PIN does not unlock the kiosk. A shift lead's PIN is needed.")
    return matches[0]


def record_exit(ctx: ShopContext, lead: Actor, terminal: str) -> None:
    """Log that a lead closed the kiosk at this terminal."""
    terminal = terminal_name(terminal)
    with ctx.database.write() as session:
        _record(session, ctx, lead, EXITED, terminal)
