"""The self check-in kiosk: checking a customer in, and a shift lead unlocking it.

A kiosk is a terminal, not a person: it may only create unowned walk-in visits.
Leaving the kiosk or opening its staff menu needs a lead's PIN. Wrong PINs are
counted per kiosk terminal (`pin_guard`), so the lockout holds across restarts and
parallel attempts and never depends on which lead was being guessed; each attempt is
also an audit event; the PIN itself is never written anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, col, func, select

from counter_tui.db.models import Staff
from counter_tui.db.turns import Turn, one_at_a_time
from counter_tui.errors import InvalidInput, SignInFailed
from counter_tui.kiosk_words import ENGLISH, say
from counter_tui.limits import LIMITS, limited
from counter_tui.sentences import counted
from counter_tui.services import audit, pin_guard, visits
from counter_tui.services.context import Actor, ShopContext
from counter_tui.services.permissions import Action, allows
from counter_tui.services.wait_quotes import quote_wait
from counter_tui.text import clean_text

FIRST_NAME_MAX = LIMITS["first_name"].most
# Room for "kiosk " before it in a visit's source (the terminal limit, 80).
TERMINAL_MAX = 60
UNLOCKED = "kiosk.unlocked"
UNLOCK_FAILED = "kiosk.unlock_failed"
UNLOCK_REFUSED = "kiosk.unlock_refused"
EXITED = "kiosk.exited"

_hasher = PasswordHasher()


@dataclass(frozen=True)
class CheckIn:
    """What a customer told the kiosk: an optional first name, the need they chose, and
    the language they picked (`counter_tui.kiosk_words`)."""

    first_name: str
    need: str
    language: str = ENGLISH


def terminal_name(terminal: str) -> str:
    """The kiosk's name as stored: cleaned, never empty."""
    return clean_text(terminal)[:TERMINAL_MAX].strip() or "kiosk"


def clean_first_name(raw: str, language: str = ENGLISH) -> str:
    """A first name fit to store, or a refusal the customer can act on.

    Control and escape characters are dropped; a name longer than the first-name limit
    is refused. Text with no letter at all (only symbols or spaces) is refused kindly
    rather than stored, in the customer's `language`.
    """
    name = limited(raw, "first_name")
    if name and not any(char.isalpha() for char in name):
        raise InvalidInput(say(language, "name_refused"))
    return name


@dataclass(frozen=True)
class CheckedIn:
    """The visit a check-in created, and the wait quoted to the customer ("" for none)."""

    visit_id: int
    wait: str


def check_in(ctx: ShopContext, terminal: str, check_in: CheckIn) -> CheckedIn:
    """Create the unowned walk-in visit for a kiosk check-in, with the wait quoted from
    the floor as it is now, read in the same write transaction, after any other kiosk's
    check-in in progress (kept on the visit, so quoted and actual waits can be compared),
    in the language the customer picked (kept on the visit too, for the floor board)."""
    first_name = clean_first_name(check_in.first_name, check_in.language)
    with ctx.database.write() as session:
        one_at_a_time(session, Turn.KIOSK_CHECK_IN)  # the kiosk beside waits, then counts this customer
        quote = quote_wait(session, check_in.need, ctx.now())
        visit_id = visits.add_walk_in(
            session,
            ctx,
            Actor.kiosk(terminal_name(terminal)),
            description=first_name,
            needs=[check_in.need],
            quoted_wait_minutes=quote.minutes if quote is not None else None,
            language=check_in.language,
        )
    return CheckedIn(visit_id, quote.sentence(check_in.language) if quote is not None else "")


def _pin_matches(stored_hash: str, pin: str) -> bool:
    try:
        return _hasher.verify(stored_hash, clean_text(pin))
    except (VerificationError, InvalidHashError):
        return False


def _record(session: Session, ctx: ShopContext, actor: Actor | None, action: str, terminal: str) -> None:
    event = audit.record(session, ctx, actor, action, "kiosk", None, terminal=terminal)
    event.terminal = terminal


def _unlock_limits(ctx: ShopContext) -> pin_guard.Limits:
    settings = ctx.rules.kiosk
    return pin_guard.Limits(
        attempts=settings.unlock_attempts, window=timedelta(minutes=settings.lockout_minutes)
    )


def _locked_message(minutes: int) -> str:
    return f"Too many wrong PINs at this kiosk. Try again in {counted(minutes, 'minute')}."


def unlock(ctx: ShopContext, terminal: str, pin: str) -> Actor:
    """The shift lead whose PIN this is, or a refusal; wrong PINs count towards a lockout.

    The PIN is tried against every active lead. Associates' PINs do not open the
    kiosk. After `kiosk.unlock_attempts` wrong PINs within `kiosk.lockout_minutes`
    at this terminal, unlocking is refused without checking the PIN. The attempt is
    counted before the check (`pin_guard`), and the hashes are checked outside any
    write transaction.
    """
    terminal = terminal_name(terminal)
    limits = _unlock_limits(ctx)
    with ctx.database.write() as session:
        attempt = pin_guard.count_attempt(session, ctx.now(), pin_guard.KIOSK_UNLOCK, terminal, limits)
        if attempt.refused:
            _record(session, ctx, None, UNLOCK_REFUSED, terminal)
        people = session.exec(
            select(Staff).where(col(Staff.active).is_(True)).order_by(func.lower(Staff.name))
        )
        leads = [
            (actor, person.pin_hash)
            for person in people
            if allows(actor := Actor.of(person), Action.UNLOCK_KIOSK)
        ]
    if attempt.refused:
        raise SignInFailed(_locked_message(attempt.minutes_left(ctx.now())))
    pin = pin.strip()
    # Every lead's hash is checked, so the time taken does not hint at which one matched.
    matches = [actor for actor, pin_hash in leads if _pin_matches(pin_hash, pin)] if pin else []
    with ctx.database.write() as session:
        if matches:
            pin_guard.forget(session, pin_guard.KIOSK_UNLOCK, terminal)
            _record(session, ctx, matches[0], UNLOCKED, terminal)
        else:
            _record(session, ctx, None, UNLOCK_FAILED, terminal)
    if not matches:
        then = _locked_message(limits.minutes) if attempt.last_allowed else "A shift lead's PIN is needed."
        raise SignInFailed(f"That PIN does not unlock the kiosk. {then}")
    return matches[0]


def record_exit(ctx: ShopContext, lead: Actor, terminal: str) -> None:
    """Log that a lead closed the kiosk at this terminal."""
    terminal = terminal_name(terminal)
    with ctx.database.write() as session:
        _record(session, ctx, lead, EXITED, terminal)
