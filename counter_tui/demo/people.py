"""The demo's staff and customers: who works in the shop and who shops there, with consents.

The base of the demo builder: it holds the state every later step of the build reads
(the demo clock, the random source, staff, customers and their consents).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import replace
from datetime import timedelta

from counter_tui.clock import ManualClock
from counter_tui.db.models import Channel
from counter_tui.demo.data import (
    CONSENT_SOURCES,
    CUSTOMER_COUNT,
    CUSTOMER_NOTES,
    DEMO_STAFF,
    FEATURED,
    FEATURED_NEEDS,
    FIRST_NAMES,
    LAST_NAMES,
    PREFERENCES,
    PROMISE_CUSTOMERS,
    STANDING_NEEDS,
)
from counter_tui.demo.timeline import Timeline
from counter_tui.services import customers, staff
from counter_tui.services.calendar import StoreCalendar
from counter_tui.services.context import Actor, ShopContext


class DemoPeople:
    """Lays down the demo shop's staff and customers; one instance per build."""

    def __init__(self, ctx: ShopContext, seed: int) -> None:
        self.anchor = ctx.now()
        self.clock = ManualClock(self.anchor)
        self.ctx = replace(ctx, clock=self.clock)
        self.calendar: StoreCalendar = ctx.calendar
        self.rng = random.Random(seed)
        self.today = self.calendar.local_date(self.anchor)
        self.staff: dict[str, Actor] = {}
        self.customer_ids: list[int] = []
        self.featured: dict[str, int] = {}
        self.phones: dict[int, bool] = {}
        self.consented: dict[int, set[str]] = {}
        self.thank_you_seen: set[int] = set()
        self.timeline = Timeline(self.clock, stop=self.anchor)

    def add_staff(self) -> dict[str, str]:
        """Two leads and four associates, hired two years ago; returns their PINs."""
        self.clock.moment = self.anchor - timedelta(days=730)
        for name, role, pin in DEMO_STAFF:
            summary = staff.add_staff(self.ctx, None, name=name, pin=pin, role=role)
            # Acting as them directly: a sign-in per person would only cost argon2 time.
            self.staff[name] = Actor(staff_id=summary.id, name=summary.name, role=summary.role)
        return {name: pin for name, _, pin in DEMO_STAFF}

    def _customer_names(self) -> list[str]:
        """The featured customers, then distinct random first and last name pairs."""
        names = list(FEATURED)
        seen = set(names)
        while len(names) < CUSTOMER_COUNT:
            name = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if name not in seen:
                seen.add(name)
                names.append(name)
        return names

    def _phone(self, number: int) -> str:
        """A number from Ofcom's ranges reserved for drama: never a real person's."""
        if number % 7 == 3:
            return f"020 7946 0{number:03d}"
        return f"07700 900{number:03d}"

    def add_customers(self) -> None:
        """About 300 customers signed up over the last two years, with consents."""
        names = self._customer_names()
        phone_numbers = self.rng.sample(range(1000), len(names))
        start = self.anchor - timedelta(days=700)
        step = timedelta(days=660) / len(names)
        for index, name in enumerate(names):
            self.clock.moment = start + step * index
            actor = self.rng.choice(list(self.staff.values()))
            has_phone = index < len(FEATURED) or self.rng.random() < 0.8
            has_email = index < len(FEATURED) or self.rng.random() < 0.6
            phone = self._phone(phone_numbers[index]) if has_phone else ""
            email = _email_for(name, index) if has_email else ""
            customer_id = customers.create_customer(self.ctx, actor, name=name, phone=phone, email=email)
            self.customer_ids.append(customer_id)
            self.phones[customer_id] = bool(phone)
            if index < len(FEATURED):
                self.featured[name] = customer_id
            self._consents(actor, customer_id, index, has_phone, has_email)
            self._profile(actor, customer_id, index)

    def _consents(self, actor: Actor, customer_id: int, index: int, has_phone: bool, has_email: bool) -> None:
        """Most customers opt in to some channels, with a source; a few decline."""
        granted: set[str] = set()
        offers = []
        if has_phone:
            offers += [Channel.PHONE, Channel.SMS]
        if has_email:
            offers.append(Channel.EMAIL)
        for channel in offers:
            roll = self.rng.random()
            if index < len(FEATURED) or roll < 0.55:
                customers.record_consent(
                    self.ctx,
                    actor,
                    customer_id,
                    channel,
                    granted=True,
                    source=self.rng.choice(CONSENT_SOURCES),
                )
                granted.add(channel)
            elif roll < 0.65:
                customers.record_consent(
                    self.ctx,
                    actor,
                    customer_id,
                    channel,
                    granted=False,
                    source="declined when asked at the counter",
                )
        self.consented[customer_id] = granted

    def _profile(self, actor: Actor, customer_id: int, index: int) -> None:
        """Preferences, a note and a standing need for some customers (all featured ones)."""
        featured = index < len(FEATURED)
        if featured or self.rng.random() < 0.25:
            customers.set_preferences(self.ctx, actor, customer_id, PREFERENCES[index % len(PREFERENCES)])
        if featured or self.rng.random() < 0.2:
            customers.add_note(self.ctx, actor, customer_id, CUSTOMER_NOTES[index % len(CUSTOMER_NOTES)])
        standing = FEATURED_NEEDS.get(FEATURED[index]) if featured else None
        if standing is None and not featured and self.rng.random() < 0.06:
            standing = self.rng.choice(STANDING_NEEDS)
        if standing is not None:
            kind, detail = standing
            customers.set_standing_need(self.ctx, actor, customer_id, kind, remember=True, detail=detail)

    def _promise_customers(self) -> list[int]:
        return self.customer_ids[len(FEATURED) : len(FEATURED) + PROMISE_CUSTOMERS]

    def _pick_staff(self, *, exclude: Actor | None = None, leads: bool | None = None) -> Actor:
        choices = [
            actor
            for actor in self.staff.values()
            if actor != exclude and (leads is None or actor.is_lead == leads)
        ]
        return self.rng.choice(choices)


_ASCII_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "æ": "ae"})


def _email_for(name: str, index: int) -> str:
    """A plausible address at a reserved example domain, from the name in plain ASCII."""
    spelled = name.translate(_ASCII_LETTERS)
    ascii_name = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    parts = ["".join(ch for ch in part if ch.isalnum()).lower() for part in ascii_name.split()]
    local = ".".join(part for part in parts if part) or f"customer{index}"
    domain = ("example.com", "example.org", "example.net")[index % 3]
    return f"{local}{index % 97}@{domain}" if index % 5 == 0 else f"{local}@{domain}"
