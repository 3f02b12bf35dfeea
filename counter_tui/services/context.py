"""Who is acting, and the shop they act in.

`ShopContext` bundles the database, this terminal's settings, the shop-wide rules
(read from the database, the same on every terminal) and the clock every service
needs; `Actor` is the signed-in staff member (or a kiosk terminal) a call is made for.
"""

from __future__ import annotations

import json
import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from pydantic import ValidationError
from sqlalchemy import bindparam
from sqlmodel import Session, col, select

from counter_tui.clock import Clock, system_clock
from counter_tui.config import Settings
from counter_tui.db.engine import Database
from counter_tui.db.models import Role, ShopSetting, Staff
from counter_tui.errors import DomainError, NotAllowed
from counter_tui.limits import fitted
from counter_tui.services.calendar import StoreCalendar
from counter_tui.shop_rules import ShopRules, rules_kept

RULES_LOG = logging.getLogger("counter_tui.shop_rules")
KIOSK_ROLE = "kiosk"
KIOSK_SENTENCE = "The kiosk can only check customers in. Ask a member of staff."
"""What a kiosk is told when it asks for anything but a check-in."""


@dataclass(frozen=True)
class Actor:
    """The staff member a service call is made for; `staff_id` is None for a kiosk."""

    staff_id: int | None
    name: str
    role: str

    @property
    def is_lead(self) -> bool:
        """Leads approve hand-offs, reassign, and run the review screens."""
        return self.role == Role.LEAD

    @property
    def is_kiosk(self) -> bool:
        """A customer-facing kiosk terminal, not a person."""
        return self.role == KIOSK_ROLE

    @classmethod
    def kiosk(cls, terminal: str) -> Actor:
        """The actor for a self check-in kiosk named `terminal`."""
        return cls(staff_id=None, name=f"kiosk {terminal}", role=KIOSK_ROLE)

    @classmethod
    def of(cls, staff: Staff) -> Actor:
        """The actor for a staff row."""
        assert staff.id is not None
        return cls(staff_id=staff.id, name=staff.name, role=staff.role)


@dataclass
class ShopContext:
    """The database, settings and clock shared by all service calls of one process.

    `settings` are this terminal's (its name, keys, database URL); `rules` are the
    shop's, read from the database once and kept until `forget_rules` (the change feed
    calls it when any terminal changes them)."""

    database: Database
    settings: Settings
    clock: Clock = field(default=system_clock)
    session_id: str = field(default_factory=lambda: uuid.uuid4().hex, compare=False)
    """This running app's own identity (new each start): who is signed in is kept per app
    (`services/terminal_sessions.py`), as several apps may share one terminal name."""

    _calendar: StoreCalendar | None = field(default=None, init=False, repr=False, compare=False)
    _rules: ShopRules | None = field(default=None, init=False, repr=False, compare=False)
    rules_repaired: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    """The settings the last read of the rules found out of range and replaced (logged)."""

    @property
    def rules(self) -> ShopRules:
        """The shop-wide rules (hours, thresholds, targets, kiosk choices), as the database
        holds them; this terminal's settings file only until a shop has imported them."""
        rules = self._rules
        if rules is None:
            rules = self._rules = self.read_rules()
        return rules

    def read_rules(self) -> ShopRules:
        """The shop-wide rules, read from the database now (not the kept copy). A value
        the rules refuse (stored before its range existed) is replaced by the nearest one
        they accept, with a warning in the log naming the setting, so that no screen
        breaks on it; `rules_repaired` names those settings until a lead sets them."""
        with self.database.read() as session:
            rows = session.exec(select(ShopSetting)).all()
            values = {row.key: json.loads(row.value) for row in rows}
        if not values:
            self.rules_repaired = ()
            return ShopRules.of(self.settings)
        try:
            rules, repaired = rules_kept(values)
        except ValidationError as error:
            raise DomainError(
                f"The shop settings in the database are not valid ({error.errors()[0]['msg']}). "
                "A shift lead can correct them with: counter-tui shop set"
            ) from error
        for sentence in repaired.values():
            RULES_LOG.warning(sentence)
        self.rules_repaired = tuple(repaired)
        return rules

    def refresh_rules(self) -> ShopRules:
        """Read the shop-wide rules again now and keep them; until the read is done, the
        kept copy stays in use (so a screen never waits on the database for them)."""
        rules = self._rules = self.read_rules()
        return rules

    def forget_rules(self) -> None:
        """Read the shop-wide rules again next time they are needed."""
        self._rules = None

    @property
    def calendar(self) -> StoreCalendar:
        """Opening hours and due times of this shop, built once per shop rules (screens
        ask for it for every time they show)."""
        shop = self.rules.shop
        if self._calendar is None or self._calendar.shop is not shop:
            self._calendar = StoreCalendar(shop)
        return self._calendar

    def now(self) -> datetime:
        """The current moment, aware, in UTC."""
        return self.clock()

    @property
    def terminal(self) -> str:
        """This terminal's name, for audit events."""
        return fitted(self.settings.terminal_name, "terminal")


def load_staff_actor(session: Session, actor: Actor) -> Staff:
    """The actor's staff row, refusing kiosks and deactivated staff."""
    if actor.staff_id is None:
        raise NotAllowed(KIOSK_SENTENCE)
    staff = session.exec(_STAFF_BY_ID, params={"staff_id": actor.staff_id}).first()
    if staff is None or not staff.active:
        raise NotAllowed(f"{actor.name} is no longer active. Sign in again or ask a shift lead.")
    return staff


_STAFF_BY_ID = select(Staff).where(col(Staff.id) == bindparam("staff_id"))
"""Built once: a write reads the actor's row first, and building the statement cost more
than running it (a `Session.get` too)."""
