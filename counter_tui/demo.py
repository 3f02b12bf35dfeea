"""The demo shop: a realistic homeware shop, built through the services.

Everything goes through the same service calls the app makes, so the audit log,
ownership rules and due times of the demo are the real ones. History is laid down
with a `ManualClock` walking forward through the past weeks; today's floor is placed
relative to the context's "now", whatever time or day that is (the shop may be
closed). The same seed and the same "now" always give the same shop, so snapshot
tests and screenshots can rely on it.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import random
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from sqlalchemy import event
from sqlmodel import func, select

from counter_tui.clock import ManualClock
from counter_tui.db.engine import Database
from counter_tui.db.models import Channel, NeedKind, Outcome, Role, Staff
from counter_tui.errors import Conflict, InvalidInput
from counter_tui.services import customers, feedback, followups, handoffs, kudos, staff, visit_needs, visits
from counter_tui.services.calendar import SEARCH_DAYS, StoreCalendar
from counter_tui.services.context import Actor, ShopContext


def _names(text: str) -> tuple[str, ...]:
    """Names written as a comma-separated block (some hold spaces or apostrophes)."""
    return tuple(name.strip() for name in text.split(",") if name.strip())


DEMO_STAFF: tuple[tuple[str, str, str], ...] = (
    ("Dana", Role.LEAD, "1111"),
    ("Priya", Role.LEAD, "2222"),
    ("Sam", Role.ASSOCIATE, "3333"),
    ("Alex", Role.ASSOCIATE, "4444"),
    ("Jordan", Role.ASSOCIATE, "5555"),
    ("Mei", Role.ASSOCIATE, "6666"),
)
CUSTOMER_COUNT = 300
HISTORY_DAYS = 28
KIOSK = Actor.kiosk("door")

FIRST_NAMES = _names(
    """
    Olivia, Amelia, Isla, Ava, Freya, Lily, Grace, Sophie, Evie, Ruby, Harriet, Margaret,
    Eleanor, Joan, Brenda, Aoife, Siobhán, Niamh, Zoë, Chloé, Renée, Inès, Léa, Amélie,
    Maëlle, Françoise, Björk, Ingrid, Astrid, Priyanka, Ananya, Deepa, Fatima, Aisha,
    Layla, Yasmin, Mei, Xiu, Hana, Yuki, Min-jun, Ji-woo, Ama, Abena, Chiamaka, Ngozi,
    Lucía, Sofía, María José, Ana, Beatriz, Małgorzata, Zofia, Agnieszka, Oliver, George,
    Harry, Jack, Noah, Leo, Arthur, Oscar, Alfie, Henry, Tom, Gareth, Dylan, Rhys, Seán,
    Ciarán, Pádraig, Declan, Eoin, José, Andrés, Joaquín, Mateus, João, Björn, Søren,
    Jürgen, Łukasz, Wojciech, Ravi, Arjun, Vikram, Omar, Yusuf, Tariq, Kwame, Kofi,
    Chinedu, Emeka, Wei, Hiroshi, Kenji, Duc, Minh, Tomás, Nikolai
    """
)
LAST_NAMES = _names(
    """
    Smith, Jones, Taylor, Brown, Williams, Wilson, Johnson, Davies, Evans, Thomas, Roberts,
    Walker, Wright, Robinson, Thompson, Hughes, Edwards, Green, Hall, Wood, Harris, Lewis,
    Martin, Jackson, Clarke, Turner, O'Neill, O'Brien, O'Connor, O'Sullivan, D'Souza,
    D'Arcy, McCarthy, MacLeod, Ní Bhriain, Fitzgerald, Kavanagh, Gallagher, Ó Súilleabháin,
    Patel, Shah, Sharma, Gupta, Iyer, Khan, Hussain, Ahmed, Al-Sayed, Chen, Li, Wang,
    Zhang, Nguyen, Tran, Kim, Park, Tanaka, Sato, Mensah, Owusu, Boateng, Okafor, Adeyemi,
    Eze, García, Fernández, López, Martínez, Pérez, Gonçalves, Araújo, Müller, Schröder,
    Weiß, Åkesson, Løvgren, Kowalski, Wiśniewska, Nowak, Dvořák, Novák, Horváth, Rossi,
    Esposito, Bianchi, Dubois, Lefèvre, Moreau, Van der Berg, de Jong, Papadopoulos,
    Yilmaz, Ivanova, Cohen, Levi, Haddad
    """
)

ANONYMOUS_WALK_INS = (
    "Tall man in a green raincoat, looking at kettles",
    "Couple with a pram, asking about baby bottles",
    "Student after a cheap frying pan",
    "Woman in a yellow coat, browsing the glassware",
    "Older gent asking about knife sharpening",
    "Builder asking for a flask",
    "Two friends choosing a wedding gift",
    "Man with a broken grinder in a bag",
    "Teenager buying a birthday mug",
    "Woman asking where the post office moved to",
)
KIOSK_FIRST_NAMES = ("Ama", "Tom", "Lucía", "Ravi", "Joan", "Hana", "Kofi", "Zoë")
PREFERENCES = (
    "Collects blue-and-white Cornishware; tell her when new pieces come in.",
    "Prefers stainless steel over non-stick. Left-handed (knives!).",
    "Vegan household: no leather or bone-handled items.",
    "Likes to be shown two or three options, not the whole range.",
    "Buys gifts for a large family; keeps a running list with us.",
    "Keen home baker: bread tins, proving baskets, anything sourdough.",
    "Has a small flat; asks about storage and nesting sets first.",
    "Coffee enthusiast: hand grinders, pour-over, the good beans.",
    "Prefers to pay by card and get receipts by email.",
    "Very particular about Le Creuset colours: volcanic or cerise only.",
)
STANDING_NEEDS = (
    (NeedKind.ACCESSIBILITY, "Uses a wheelchair; bring items to the low counter"),
    (NeedKind.ACCESSIBILITY, "Hard of hearing: face her and speak clearly"),
    (NeedKind.LANGUAGE, "Speaks Portuguese; some English"),
    (NeedKind.LANGUAGE, "Prefers Polish; a little English"),
    (NeedKind.BROWSE_PRIVATELY, "Likes to look around alone first; will ask when ready"),
    (NeedKind.NEEDS_HELP, "Partially sighted: read labels and prices aloud"),
)
CUSTOMER_NOTES = (
    "Looking for a gift under £40 for her daughter's new flat.",
    "Asked about the service plan for espresso machines.",
    "Coming back with the measurements for the shelf.",
    "Bought the wrong size lid last time; check before she pays.",
    "Interested in the knife-skills evening if we run another.",
    "Allergic to latex; use the nitrile gloves when demonstrating.",
    "Pays for his mother's orders too; she lives at the same address.",
    "Regular on Saturday mornings; likes a chat about the football.",
)
VISIT_NOTES = (
    "Compared three kettles; liked the quiet one but it was over budget.",
    "Wants the 28 cm pan in stock before her sister's visit.",
    "Asked whether we can engrave the chopping board.",
    "Measured her hob: induction, so only the clad pans will do.",
    "Not sure about the colour; will come back with his partner.",
    "Brought the old grinder for parts; we may be able to fix it.",
    "Needed a gift receipt; put one in the bag.",
    "Browsed quietly for twenty minutes, then asked about the teapots.",
)
PERSONAL_LINES = (
    "Hope the cast-iron skillet gives you years of Sunday breakfasts.",
    "Enjoy the new grinder; try the medium setting for your moka pot.",
    "The linen tea towels will soften nicely after a few washes.",
    "Good luck with the housewarming, the glasses will look wonderful.",
    "Let me know how the sourdough starter kit works out for you.",
    "Your sharpened knives should glide through tomatoes now.",
    "Happy birthday to your sister, she will love that teapot.",
    "The replacement seal should stop the drip for good.",
)
THANK_YOU_DONE = (
    "Sent by email with a note about care instructions.",
    "Texted a short thank-you and the cleaning tips.",
    "Rang to say thanks; she is delighted with it.",
    "Handwritten card posted this morning.",
)
CALLBACK_TOPICS = (
    "Whether the 24 cm casserole is back in stock",
    "Price for re-grinding a set of six knives",
    "When the espresso machine repair will be ready",
    "Delivery date for the dining chairs order",
    "Whether we can match the discontinued dinner plates",
)
CALLBACK_DONE = (
    "Called; in stock Thursday, put one aside.",
    "Called and left a message with the price.",
    "Spoke to him; ready Friday after 2 pm.",
    "Texted the delivery date; she confirmed.",
)
PROMISES = (
    "Ring when the walnut chopping boards arrive",
    "Check the supplier for a replacement lid",
    "Hold the last blue teapot until Saturday",
    "Email the care guide for carbon-steel pans",
    "Find out if the grinder burrs are still made",
)
REPAIRS = (
    "Espresso machine repair (ticket 4411): new pump on order",
    "Stand mixer repair (ticket 4415): waiting for the gearbox",
    "Knife set re-grind (ticket 4420): at the workshop",
)
CONSENT_SOURCES = (
    "signed the loyalty card form",
    "asked at the counter",
    "ticked the box on the repair ticket",
    "website order checkout",
    "agreed on the phone",
)

# Customers with a story, placed first so today's floor and follow-ups can use them.
FEATURED = (
    "Margaret O'Neill",
    "José Álvarez",
    "Zoë Fitzgerald",
    "Siobhán Ní Bhriain",
    "Kwame Mensah",
    "Nguyễn Thị Lan",
    "Björn Åkesson",
    "Fatima Al-Sayed",
    "Aoife D'Arcy",
    "Tomás Ó Súilleabháin",
    "Li Wei",
    "Renée Dubois",
)
FEATURED_NEEDS: dict[str, tuple[str, str]] = {
    "Siobhán Ní Bhriain": (
        NeedKind.ACCESSIBILITY,
        "Uses a wheelchair; bring items to the low counter",
    ),
    "José Álvarez": (NeedKind.LANGUAGE, "Prefers Spanish"),
    "Nguyễn Thị Lan": (NeedKind.BROWSE_PRIVATELY, "Likes to look around alone first"),
    "Fatima Al-Sayed": (NeedKind.NEEDS_HELP, "Partially sighted: read labels and prices aloud"),
}
PROMISE_CUSTOMERS = 3 * len(DEMO_STAFF)


DEMO_FEEDBACK: tuple[tuple[int, tuple[str, ...], int | None, str], ...] = (
    (2, ("parking",), 3, "Couldn't find anywhere to park; the bay out front is always taken by vans."),
    (5, ("parking",), 2, "Drove round twice for a space. Nearly went to the big store instead."),
    (9, ("parking", "opening hours"), 3, "Parking is hard after work, and you close at half five."),
    (12, ("opening hours",), 4, "Would love a late night on Thursdays; I work until six."),
    (16, ("opening hours",), None, "Saturday closing at four is early for a shop like this."),
    (3, ("card machine",), 2, "The card machine failed twice and I had to go to the cash point."),
    (6, ("card machine",), 3, "Contactless didn't work again."),
    (1, ("staff",), 5, "Sam spent twenty minutes helping me choose a knife. Brilliant."),
    (20, ("staff",), 5, "Lovely, patient help with my mother's wheelchair at the low counter."),
    (7, ("stock",), 3, "You were out of the 2 litre kettle descaler again."),
)
DEMO_KUDOS: tuple[tuple[int, str, str], ...] = (
    (1, "Sam", "Spent twenty minutes finding the right knife with a first-time customer."),
    (4, "Mei", "Noticed a customer waiting by the door and greeted her before anyone else could."),
    (9, "Jordan", "Called back every customer on the repair list before close on Friday."),
)


@dataclass
class _Timeline:
    """Actions ordered by time; running one moves the demo clock to its moment.

    Actions may schedule more actions. Anything scheduled at or after `stop` is dropped,
    so history never reaches into the present.
    """

    clock: ManualClock
    stop: datetime
    _queue: list[tuple[datetime, int, Callable[[], object]]] = field(default_factory=list)
    _seq: itertools.count[int] = field(default_factory=itertools.count)

    def at(self, moment: datetime, action: Callable[[], object]) -> None:
        """Run `action` with the clock at `moment`."""
        if moment < self.stop:
            heapq.heappush(self._queue, (moment, next(self._seq), action))

    def run(self) -> None:
        """Run every scheduled action in time order."""
        while self._queue:
            moment, _, action = heapq.heappop(self._queue)
            self.clock.moment = max(self.clock.moment, moment)
            action()


@dataclass
class _VisitState:
    """What the timeline knows about one past visit while it plays out."""

    visit_id: int = 0
    owner: Actor | None = None


class _DemoBuilder:
    """Lays down the demo shop; one instance per build."""

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
        self.timeline = _Timeline(self.clock, stop=self.anchor)

    # --- staff and customers -------------------------------------------------------

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

    # --- past weeks ----------------------------------------------------------------

    def lay_down_history(self) -> None:
        """Several weeks of ended visits, follow-ups queued and mostly done, a few hand-offs."""
        timeline = self.timeline
        # The customers given promises below never have a visit open at the time, so each
        # promise stays with the staff member who made it.
        pool = [
            customer_id for customer_id in self.customer_ids if customer_id not in self._promise_customers()
        ]
        # Today's featured customers are in the shop now; keep them out of today's history.
        pool_today = pool[len(FEATURED) :]
        for days_back in range(HISTORY_DAYS, -1, -1):
            day = self.today - timedelta(days=days_back)
            opening, closing = self.calendar.opening(day), self.calendar.closing(day)
            if opening is None or closing is None:
                continue
            window_end = min(closing, self.anchor - timedelta(minutes=5))
            usable = (window_end - opening).total_seconds() / 60 - 70
            if usable < 30:
                continue
            count = self.rng.randint(7, 12) if days_back else self.rng.randint(2, 5)
            day_customers = self.rng.sample(pool if days_back else pool_today, count)
            for slot in range(count):
                arrival = opening + timedelta(minutes=5 + self.rng.uniform(0, usable))
                customer_id = day_customers[slot] if self.rng.random() < 0.75 else None
                self._past_visit(timeline, day, arrival, customer_id)
        self._guaranteed_followups(timeline)

    def add_voices(self) -> None:
        """Customer feedback on a few recurring topics over the last weeks, and kudos from
        the leads, so the feedback board and the thanks wall have something to show."""
        staff_list = list(self.staff.values())
        leads = [actor for actor in staff_list if actor.is_lead]
        for index, (days_back, topics, rating, body) in enumerate(DEMO_FEEDBACK):
            customer_id = self.customer_ids[len(FEATURED) + PROMISE_CUSTOMERS + index]
            recorder = staff_list[index % len(staff_list)]
            record = partial(
                feedback.record_feedback,
                self.ctx,
                recorder,
                body=body,
                customer_id=customer_id,
                rating=rating,
                topics=topics,
            )
            self.timeline.at(self.anchor - timedelta(days=days_back, hours=3), record)
        for index, (days_back, to_name, text) in enumerate(DEMO_KUDOS):
            receiver = self.staff[to_name].staff_id or 0
            give = partial(kudos.give_kudos, self.ctx, leads[index % len(leads)], receiver, text)
            self.timeline.at(self.anchor - timedelta(days=days_back, hours=2), give)

    def _promise_customers(self) -> list[int]:
        return self.customer_ids[len(FEATURED) : len(FEATURED) + PROMISE_CUSTOMERS]

    def _pick_staff(self, *, exclude: Actor | None = None, leads: bool | None = None) -> Actor:
        choices = [
            actor
            for actor in self.staff.values()
            if actor != exclude and (leads is None or actor.is_lead == leads)
        ]
        return self.rng.choice(choices)

    def _past_visit(self, timeline: _Timeline, day: date, arrival: datetime, customer_id: int | None) -> None:
        rng = self.rng
        state = _VisitState()
        from_kiosk = customer_id is None and rng.random() < 0.3
        greeter = self._pick_staff()
        need = ""
        if from_kiosk:
            need = rng.choice((NeedKind.NEEDS_HELP, NeedKind.BROWSE_PRIVATELY, NeedKind.PICKUP))

        def arrive() -> None:
            if from_kiosk:
                state.visit_id = visits.new_walk_in(
                    self.ctx, KIOSK, description=rng.choice(KIOSK_FIRST_NAMES), needs=[need]
                )
            else:
                state.visit_id = visits.new_walk_in(
                    self.ctx,
                    greeter,
                    customer_id=customer_id,
                    description="" if customer_id else rng.choice(ANONYMOUS_WALK_INS),
                )

        timeline.at(arrival, arrive)
        if rng.random() < 0.07:
            # Nobody got to them in time: closed as left unserved.
            def left() -> None:
                visits.end_visit(self.ctx, greeter, state.visit_id, Outcome.LEFT_UNSERVED)

            timeline.at(arrival + timedelta(minutes=rng.randint(12, 25)), left)
            return

        claimed = arrival + timedelta(minutes=rng.randint(1, 8))

        def claim() -> None:
            visits.claim_visit(self.ctx, greeter, state.visit_id)
            state.owner = greeter

        timeline.at(claimed, claim)
        cursor = claimed
        if not from_kiosk and rng.random() < 0.2:
            kind = rng.choice((NeedKind.NEEDS_HELP, NeedKind.ORDER_QUESTION, NeedKind.PICKUP))
            cursor += timedelta(minutes=2)
            timeline.at(cursor, lambda: _set_need(self.ctx, state, kind))
        if rng.random() < 0.05:
            cursor = self._past_handoff(timeline, state, greeter, cursor)
        if rng.random() < 0.35:
            body = rng.choice(VISIT_NOTES)
            cursor += timedelta(minutes=rng.randint(2, 6))
            timeline.at(
                cursor,
                lambda: visits.add_visit_note(self.ctx, _owner(state), state.visit_id, body),
            )
        if customer_id is not None and self.phones[customer_id] and rng.random() < 0.25:
            cursor += timedelta(minutes=2)
            self._past_callback(timeline, state, customer_id, cursor, day)
        purchase = rng.random() < 0.6
        line = rng.choice(PERSONAL_LINES) if rng.random() < 0.7 else ""
        ended = cursor + timedelta(minutes=rng.randint(5, 25))

        def end() -> None:
            owner = _owner(state)
            result = visits.end_visit(
                self.ctx,
                owner,
                state.visit_id,
                Outcome.PURCHASE if purchase else Outcome.NO_PURCHASE,
                personal_line=line,
            )
            if result.thank_you_id is not None:
                self._complete_thank_you_later(timeline, result.thank_you_id, owner, day)

        timeline.at(ended, end)

    def _past_handoff(
        self, timeline: _Timeline, state: _VisitState, greeter: Actor, cursor: datetime
    ) -> datetime:
        """The owner asks for a hand-off to a colleague; another lead decides."""
        colleague = self._pick_staff(exclude=greeter, leads=False)
        lead = self._pick_staff(exclude=greeter, leads=True)
        approve = self.rng.random() < 0.75
        request: dict[str, int] = {}

        def ask() -> None:
            request["id"] = handoffs.request_handoff(
                self.ctx,
                greeter,
                state.visit_id,
                colleague.staff_id or 0,
                "Needs a repair quote; they know the espresso machines best",
            )

        def decide() -> None:
            if approve:
                handoffs.approve_handoff(self.ctx, lead, request["id"], "Fine, thanks for asking")
                state.owner = colleague
            else:
                handoffs.deny_handoff(
                    self.ctx, lead, request["id"], "They are on their break; ask again at 2"
                )

        timeline.at(cursor + timedelta(minutes=4), ask)
        timeline.at(cursor + timedelta(minutes=7), decide)
        return cursor + timedelta(minutes=8)

    def _past_callback(
        self,
        timeline: _Timeline,
        state: _VisitState,
        customer_id: int,
        moment: datetime,
        day: date,
    ) -> None:
        """A callback asked for during the visit; most are returned the same day."""
        rng = self.rng
        about = rng.choice(CALLBACK_TOPICS)
        consented = self.consented[customer_id]
        only_texts = Channel.SMS in consented and Channel.PHONE not in consented
        channel = Channel.SMS if only_texts else Channel.PHONE
        returned = rng.random() < 0.8
        done = rng.choice(CALLBACK_DONE)
        closing = self.calendar.closing(day)
        assert closing is not None

        def ask() -> None:
            owner = _owner(state)
            followup_id = followups.add_callback(
                self.ctx,
                owner,
                customer_id,
                about=about,
                channel=channel,
                consent_source="" if channel in self.consented[customer_id] else "asked today",
            )
            self.consented[customer_id].add(channel)
            if returned:
                when = min(moment + timedelta(minutes=rng.randint(30, 180)), closing)
                timeline.at(
                    when,
                    lambda: followups.complete_followup(self.ctx, owner, followup_id, what_was_done=done),
                )

        timeline.at(moment, ask)

    def _complete_thank_you_later(
        self, timeline: _Timeline, followup_id: int, owner: Actor, day: date
    ) -> None:
        """Most thank-yous are sent the next business day; the rest stay on the list.

        A customer's open thank-you is reused by a later purchase, so each one is
        considered once, with the owner it was first queued for.
        """
        if followup_id in self.thank_you_seen:
            return
        self.thank_you_seen.add(followup_id)
        if self.rng.random() < 0.1:
            return
        next_day = self.calendar.next_open_day(day)
        opening = self.calendar.opening(next_day)
        assert opening is not None
        when = opening + timedelta(minutes=self.rng.randint(10, 240))
        line = self.rng.choice(PERSONAL_LINES)
        done = self.rng.choice(THANK_YOU_DONE)
        timeline.at(
            when,
            lambda: followups.complete_followup(
                self.ctx, owner, followup_id, what_was_done=done, personal_line=line
            ),
        )

    def _guaranteed_followups(self, timeline: _Timeline) -> None:
        """Every staff member has something overdue, due today, and upcoming, plus open
        status updates on repairs, whatever day and time it is now."""
        previous_open = self._previous_open_day()
        opening = self.calendar.opening(previous_open)
        closing = self.calendar.closing(previous_open)
        assert opening is not None and closing is not None
        end_of_today = self.calendar.end_of_today(self.anchor)
        due_today = self.anchor + min(timedelta(hours=3), (end_of_today - self.anchor) / 2)
        later_day = self.calendar.next_open_day(self.calendar.next_open_day(self.today))
        upcoming = self.calendar.closing(later_day)
        assert upcoming is not None
        promised = self._promise_customers()
        for index, actor in enumerate(self.staff.values()):
            overdue_customer, today_customer, upcoming_customer = promised[index * 3 : index * 3 + 3]
            asked = opening + timedelta(minutes=30 + 20 * index)
            timeline.at(
                asked,
                _promise(self.ctx, actor, overdue_customer, PROMISES[index % 5], closing),
            )
            soon = self.anchor - timedelta(minutes=50 - index)
            timeline.at(
                soon,
                _promise(self.ctx, actor, today_customer, PROMISES[(index + 1) % 5], due_today),
            )
            timeline.at(
                soon + timedelta(seconds=30),
                _promise(self.ctx, actor, upcoming_customer, PROMISES[(index + 2) % 5], upcoming),
            )
        for index, about in enumerate(REPAIRS):
            customer_id = self.featured[FEATURED[index + 4]]
            actor = list(self.staff.values())[index + 2]
            timeline.at(
                opening + timedelta(minutes=5 + index),
                functools.partial(_status_update, self.ctx, actor, customer_id, about),
            )

    def _previous_open_day(self) -> date:
        """The last open day before today (at least one day back)."""
        day = self.today - timedelta(days=1)
        for _ in range(SEARCH_DAYS):
            if self.calendar.is_open_day(day):
                return day
            day -= timedelta(days=1)
        raise InvalidInput("The shop has no open day in the past year; check the opening hours.")

    # --- today ---------------------------------------------------------------------

    def fill_today(self) -> None:
        """About eight customers in the shop now, in every state the floor board shows."""
        timeline = self.timeline
        who = self.staff
        featured = self.featured
        opened: dict[str, int] = {}

        def minutes_ago(minutes: float) -> datetime:
            return self.anchor - timedelta(minutes=minutes)

        def walk_in(
            key: str,
            actor: Actor,
            *,
            customer: str = "",
            description: str = "",
            needs: tuple[str, ...] = (),
            claim: bool = False,
        ) -> Callable[[], None]:
            def run() -> None:
                opened[key] = visits.new_walk_in(
                    self.ctx,
                    actor,
                    customer_id=featured[customer] if customer else None,
                    description=description,
                    needs=needs,
                    claim=claim,
                )

            return run

        # A lead collecting a repair for a regular.
        timeline.at(
            minutes_ago(42),
            walk_in("pickup", who["Dana"], customer="Björn Åkesson", needs=("pickup",), claim=True),
        )
        # Owned, with a hand-off waiting for a lead.
        timeline.at(minutes_ago(36), walk_in("handoff", who["Jordan"], customer="Kwame Mensah"))
        timeline.at(minutes_ago(34), lambda: visits.claim_visit(self.ctx, who["Jordan"], opened["handoff"]))
        timeline.at(
            minutes_ago(31),
            lambda: visits.add_visit_note(
                self.ctx, who["Jordan"], opened["handoff"], "Wants a quote for the stand mixer."
            ),
        )
        timeline.at(
            minutes_ago(20),
            lambda: handoffs.request_handoff(
                self.ctx,
                who["Jordan"],
                opened["handoff"],
                who["Sam"].staff_id or 0,
                "Sam does the mixer repairs; I'm due on the till",
            ),
        )
        # Owned, with a helper brought in.
        timeline.at(
            minutes_ago(30),
            walk_in("helper", who["Alex"], customer="Zoë Fitzgerald", claim=True),
        )
        timeline.at(
            minutes_ago(25),
            lambda: visits.add_helper(self.ctx, who["Alex"], opened["helper"], who["Mei"].staff_id or 0),
        )
        # Owned, with a standing accessibility need applied from her record.
        timeline.at(
            minutes_ago(22),
            walk_in("access", who["Sam"], customer="Siobhán Ní Bhriain", claim=True),
        )
        # A lead with a customer who prefers Spanish and has an order question.
        timeline.at(
            minutes_ago(18),
            walk_in(
                "language",
                who["Priya"],
                customer="José Álvarez",
                needs=(NeedKind.ORDER_QUESTION,),
                claim=True,
            ),
        )
        timeline.at(
            minutes_ago(17),
            lambda: visit_needs.set_need(
                self.ctx, who["Priya"], opened["language"], NeedKind.LANGUAGE, detail="Spanish"
            ),
        )
        # Waiting, unowned, past the greet threshold.
        timeline.at(minutes_ago(14), walk_in("waiting", who["Mei"], customer="Margaret O'Neill"))
        timeline.at(
            minutes_ago(9),
            walk_in("stranger", who["Mei"], description=ANONYMOUS_WALK_INS[0]),
        )
        # Browsing privately, from the kiosk: a quiet check-back instead of "unattended".
        timeline.at(
            minutes_ago(6),
            walk_in("browsing", KIOSK, description="Hana", needs=(NeedKind.BROWSE_PRIVATELY,)),
        )
        # Asked for help at the kiosk; nobody has claimed her yet.
        timeline.at(
            minutes_ago(3),
            walk_in("help", KIOSK, description="Ama", needs=(NeedKind.NEEDS_HELP,)),
        )

    def run(self) -> None:
        """Play the history and today's floor, ending with the clock at "now"."""
        self.timeline.run()
        self.clock.moment = self.anchor


def _owner(state: _VisitState) -> Actor:
    assert state.owner is not None, "a past visit acted on before it was claimed"
    return state.owner


def _set_need(ctx: ShopContext, state: _VisitState, kind: str) -> None:
    visit_needs.set_need(ctx, _owner(state), state.visit_id, kind)


def _promise(
    ctx: ShopContext, actor: Actor, customer_id: int, promise: str, due_at: datetime
) -> Callable[[], None]:
    def run() -> None:
        followups.add_promise(ctx, actor, customer_id, promise=promise, due_at=due_at)

    return run


def _status_update(ctx: ShopContext, actor: Actor, customer_id: int, about: str) -> None:
    followups.add_status_update(ctx, actor, customer_id, about=about, channel=Channel.IN_PERSON)


_ASCII_LETTERS = str.maketrans({"Ł": "L", "ł": "l", "Ø": "O", "ø": "o", "ß": "ss", "æ": "ae"})


def _email_for(name: str, index: int) -> str:
    """A plausible address at a reserved example domain, from the name in plain ASCII."""
    spelled = name.translate(_ASCII_LETTERS)
    ascii_name = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    parts = ["".join(ch for ch in part if ch.isalnum()).lower() for part in ascii_name.split()]
    local = ".".join(part for part in parts if part) or f"customer{index}"
    domain = ("example.com", "example.org", "example.net")[index % 3]
    return f"{local}{index % 97}@{domain}" if index % 5 == 0 else f"{local}@{domain}"


def build_demo_shop(ctx: ShopContext, *, seed: int = 7) -> dict[str, str]:
    """Fill an empty shop with demo staff, customers, history and today's floor.

    Returns the demo staff's PINs by name, for the sign-in screen. Refuses a database
    that already has staff, so a real shop is never mixed with demo data.
    """
    with ctx.database.read() as session:
        existing = int(session.exec(select(func.count()).select_from(Staff)).one())
    if existing:
        raise Conflict("This database already has staff. The demo shop is only built in an empty database.")
    with _quick_commits(ctx.database):
        builder = _DemoBuilder(ctx, seed)
        pins = builder.add_staff()
        builder.add_customers()
        builder.lay_down_history()
        builder.add_voices()
        builder.fill_today()
        builder.run()
    return pins


@contextmanager
def _quick_commits(database: Database) -> Iterator[None]:
    """Don't wait for each commit to reach the disk while the demo is built (a couple of
    thousand small transactions); then close the pooled connections so that later ones
    are durable again. A crash mid-build can lose only demo data, never corrupt it.
    """
    sqlite = database.is_sqlite

    def relax(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
        cursor = dbapi_connection.cursor()
        if sqlite:
            cursor.execute("PRAGMA synchronous = OFF")
        else:
            cursor.execute("SET synchronous_commit TO OFF")
            dbapi_connection.commit()
        cursor.close()

    database.engine.dispose()
    event.listen(database.engine, "checkout", relax)
    try:
        yield
    finally:
        event.remove(database.engine, "checkout", relax)
        database.engine.dispose()
