"""The demo's past weeks: ended visits, hand-offs, callbacks, thank-yous, feedback and kudos.

Each past event is scheduled on the demo timeline; `DemoBuilder.run` plays them in
time order so the audit log and due times are the real ones.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from functools import partial

from counter_tui.db.models import Channel, NeedKind, Outcome
from counter_tui.demo.data import (
    ANONYMOUS_WALK_INS,
    CALLBACK_DONE,
    CALLBACK_TOPICS,
    DEMO_FEEDBACK,
    DEMO_KUDOS,
    FEATURED,
    HISTORY_DAYS,
    KIOSK,
    KIOSK_FIRST_NAMES,
    PERSONAL_LINES,
    PROMISE_CUSTOMERS,
    PROMISES,
    REPAIRS,
    THANK_YOU_DONE,
    VISIT_NOTES,
)
from counter_tui.demo.people import DemoPeople
from counter_tui.demo.timeline import Timeline, VisitState
from counter_tui.errors import InvalidInput, NotAllowed
from counter_tui.services import feedback, followups, handoffs, kudos, status_updates, visit_needs, visits
from counter_tui.services.calendar import SEARCH_DAYS
from counter_tui.services.context import Actor, ShopContext


class DemoHistory(DemoPeople):
    """Schedules the demo shop's past weeks on its timeline."""

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

    def _past_visit(self, timeline: Timeline, day: date, arrival: datetime, customer_id: int | None) -> None:
        rng = self.rng
        state = VisitState()
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
            outcome = Outcome.PURCHASE if purchase else Outcome.NO_PURCHASE
            typed = line if purchase and customer_id is not None else ""
            try:
                result = visits.end_visit(self.ctx, owner, state.visit_id, outcome, personal_line=typed)
            except InvalidInput as refused:  # no thank-you yet (the cadence): cleared, as a person would
                if refused.field != "personal_line":
                    raise
                result = visits.end_visit(self.ctx, owner, state.visit_id, outcome)
            if result.thank_you_id is not None:
                self._complete_thank_you_later(timeline, result.thank_you_id, owner, day)

        timeline.at(ended, end)

    def _past_handoff(
        self, timeline: Timeline, state: VisitState, greeter: Actor, cursor: datetime
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
        timeline: Timeline,
        state: VisitState,
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
        self, timeline: Timeline, followup_id: int, owner: Actor, day: date
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
            functools.partial(_thank_unless_held, self.ctx, owner, followup_id, done, line),
        )

    def _guaranteed_followups(self, timeline: Timeline) -> None:
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


def _owner(state: VisitState) -> Actor:
    assert state.owner is not None, "a past visit acted on before it was claimed"
    return state.owner


def _set_need(ctx: ShopContext, state: VisitState, kind: str) -> None:
    visit_needs.set_need(ctx, _owner(state), state.visit_id, kind)


def _promise(
    ctx: ShopContext, actor: Actor, customer_id: int, promise: str, due_at: datetime
) -> Callable[[], None]:
    def run() -> None:
        followups.add_promise(ctx, actor, customer_id, promise=promise, due_at=due_at)

    return run


def _status_update(ctx: ShopContext, actor: Actor, customer_id: int, about: str) -> None:
    status_updates.start_status_update(
        ctx,
        actor,
        customer_id,
        about=about,
        channel=Channel.IN_PERSON,
        every_days=ctx.rules.followups.status_update_every_days,
    )


def _thank_unless_held(ctx: ShopContext, owner: Actor, followup_id: int, done: str, line: str) -> None:
    """Check a thank-you off, unless the contact cadence holds it (the customer was called
    back lately): then it stays on the owner's list, as it would at the counter."""
    try:
        followups.complete_followup(ctx, owner, followup_id, what_was_done=done, personal_line=line)
    except NotAllowed:
        return
