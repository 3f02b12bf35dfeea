"""The customer ("owner") view: who owns this customer first, then needs, preferences,
notes, what is owed to them and their history. Non-owners see it read-only."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Header, Label, Static

from counter_tui.services import (
    customers,
    erasure,
    feedback,
    followups,
    handoffs,
    presence,
    staff,
    subject_access,
    visit_needs,
    visit_views,
    visits,
)
from counter_tui.services.context import Actor
from counter_tui.services.followups import thank_you_template
from counter_tui.services.permissions import NOBODY, Action, Target, allows, ending
from counter_tui.services.staff import StaffSummary
from counter_tui.services.views import CustomerDetail, FollowUpView, VisitDetail
from counter_tui.ui.dialogs.complete_followup import check_off
from counter_tui.ui.dialogs.consent import ConsentDialog
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog
from counter_tui.ui.dialogs.end_visit import CHOICES as END_CHOICES
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.feedback import FeedbackDialog
from counter_tui.ui.dialogs.followup_forms import CallbackDialog, PromiseDialog
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.needs import NeedsChange, NeedsDialog
from counter_tui.ui.dialogs.staff_picker import StaffChoice, StaffPickerDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.messages import DataChanged
from counter_tui.ui.reopen import reopen_with_reason
from counter_tui.ui.safe_text import one_line
from counter_tui.ui.screens.base import CounterScreen
from counter_tui.ui.screens.customer_identity import IdentityActions, walk_in_contact
from counter_tui.ui.shop_access import done
from counter_tui.ui.widgets import sections
from counter_tui.ui.widgets.keys_footer import KeysFooter

T = TypeVar("T")
HEARTBEAT_SECONDS = 5.0
TICK_SECONDS = 15.0
VISIT_ACTIONS = {"claim", "needs", "helper", "handoff", "end", "add_to_file", "link", "reassign"}
CUSTOMER_ACTIONS = {
    "callback",
    "promise",
    "consent",
    "update_details",
    "merge",
    "undo_merge",
    "erase",
    "subject_access",
}
ASKS = {
    "claim": Action.CLAIM_VISIT,
    "needs": Action.WORK_ON_VISIT,
    "helper": Action.ADD_HELPER,
    "handoff": Action.REQUEST_HANDOFF,
    "reassign": Action.REASSIGN_VISIT,
    "add_to_file": Action.WORK_ON_VISIT,
    "link": Action.WORK_ON_VISIT,
    "callback": Action.KEEP_CUSTOMER_RECORD,
    "promise": Action.KEEP_CUSTOMER_RECORD,
    "consent": Action.KEEP_CUSTOMER_RECORD,
    "update_details": Action.KEEP_CUSTOMER_RECORD,
    "feedback": Action.KEEP_CUSTOMER_RECORD,
    "walk_in": Action.START_VISIT,
    "merge": Action.MERGE_CUSTOMERS,
    "undo_merge": Action.UNDO_MERGE,
    "erase": Action.ERASE_CUSTOMER,
    "subject_access": Action.SUBJECT_ACCESS,
    "reopen": Action.REOPEN_VISIT,
}
"""The permission each key asks for (keys whose permission depends on what is shown,
like a note on a visit or on a record, are decided in `CustomerScreen.permitted`)."""
#: Asked for on a walk-in not on file, these put them on file first, then carry on.
FILE_FIRST = {"callback": "a callback", "promise": "a promise"}


class CustomerScreen(IdentityActions, CounterScreen):
    """One customer, by their visit in progress or by their record."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="customer.back", tooltip="Back to the previous screen."),
        Binding(
            "c",
            "claim",
            "Claim",
            id="customer.claim",
            tooltip="Greet and own this customer for the visit.",
        ),
        Binding("e", "needs", "Needs", id="customer.needs", tooltip="Set what this customer needs."),
        Binding("o", "note", "Note", id="customer.note", tooltip="Add a note colleagues will see."),
        Binding(
            "p",
            "helper",
            "Helper",
            id="customer.helper",
            tooltip="Bring in a colleague; you stay the owner.",
        ),
        Binding(
            "r",
            "handoff",
            "Hand-off",
            id="customer.handoff",
            tooltip="Ask a shift lead to pass this customer on.",
        ),
        Binding("x", "end", "End", id="customer.end", tooltip="End the visit with its outcome."),
        Binding(
            "b",
            "callback",
            "Callback",
            id="customer.callback",
            tooltip="Promise to call back before close.",
        ),
        Binding(
            "m",
            "promise",
            "Promise",
            id="customer.promise",
            tooltip="Record something you promised.",
        ),
        Binding(
            "a",
            "add_to_file",
            "Add to file",
            show=False,
            id="customer.add_to_file",
            tooltip="Put this walk-in on file.",
        ),
        Binding(
            "l",
            "link",
            "Link to file",
            show=False,
            id="customer.link",
            tooltip="Link this walk-in to a customer on file (find them).",
        ),
        Binding(
            "w",
            "walk_in",
            "Start visit",
            show=False,
            id="customer.walk_in",
            tooltip="They're here: start a visit you own.",
        ),
        Binding(
            "g",
            "reassign",
            "Reassign",
            show=False,
            id="customer.reassign",
            tooltip="Shift leads: move this customer to a colleague.",
        ),
        Binding(
            "d",
            "done",
            "Follow-up done",
            show=False,
            id="customer.done",
            tooltip="Check off the first open follow-up.",
        ),
        Binding(
            "s",
            "preferences",
            "Preferences",
            show=False,
            id="customer.preferences",
            tooltip="Edit what they prefer, remembered across visits.",
        ),
        Binding(
            "k",
            "consent",
            "Contact choices",
            show=False,
            id="customer.consent",
            tooltip="Record how they agreed to be contacted.",
        ),
        Binding(
            "u",
            "update_details",
            "Edit details",
            show=False,
            id="customer.update_details",
            tooltip="Correct their name, phone or email.",
        ),
        Binding(
            "f",
            "feedback",
            "Feedback",
            id="customer.feedback",
            tooltip="Write down what the customer said about the shop.",
        ),
        Binding(
            "E",
            "erase",
            "Erase data",
            show=False,
            id="customer.erase",
            tooltip="Shift leads: erase this customer's personal data at their request.",
        ),
        Binding(
            "D",
            "subject_access",
            "Their data",
            show=False,
            id="customer.subject_access",
            tooltip="Shift leads: save everything held about this customer to a file, for them to see.",
        ),
        Binding(
            "M",
            "merge",
            "Merge duplicate",
            show=False,
            id="customer.merge",
            tooltip="Shift leads: merge a duplicate record into this one (shows what moves first).",
        ),
        Binding(
            "z",
            "reopen",
            "Reopen visit",
            id="customer.reopen",
            tooltip="Shift leads: reopen their visit that ended today, saying why.",
        ),
        Binding(
            "U",
            "undo_merge",
            "Undo merge",
            show=False,
            id="customer.undo_merge",
            tooltip="Shift leads: undo today's merge into this record, saying why.",
        ),
    ]

    def __init__(self, *, visit_id: int | None = None, customer_id: int | None = None) -> None:
        super().__init__()
        self.visit_id = visit_id
        self.customer_id = customer_id
        self.visit: VisitDetail | None = None
        self.customer: CustomerDetail | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="owner-banner")
        yield Static(id="lookers")
        with VerticalScroll(id="customer-body"):
            yield Static(id="visit-block")
            yield Label("Customer", classes="section-title")
            yield Static(id="contact-block")
            yield Label("Notes", classes="section-title")
            yield Static(id="notes-block")
            yield Label("Owed to them", classes="section-title")
            yield Static(id="followups-block")
            yield Label("History", classes="section-title")
            yield Static(id="history-block")
        yield KeysFooter()

    def on_mount(self) -> None:
        """Load the customer and, for a visit, tell colleagues you have it open; keep
        times like "waiting 4 min" true while the screen stays open."""
        self.query_one("#lookers").display = False
        self.set_interval(HEARTBEAT_SECONDS, self.heartbeat)
        self.set_interval(TICK_SECONDS, self.tick)
        self.heartbeat()
        self.reload()

    def follow_visit(self, visit_id: int) -> None:
        """Show this visit from now on (started here with w, or the customer on the
        record is in the shop), and tell colleagues at once that you have it open."""
        if visit_id == self.visit_id:
            return
        self.visit_id = visit_id
        self.heartbeat()
        self.reload()

    def heartbeat(self) -> None:
        """Say "I'm looking at this customer" so other terminals can show it."""
        if self.visit_id is not None and self.counter.actor is not None:
            self.call(presence.touch, self.ctx, self.actor, self.visit_id, quiet=True)

    def on_unmount(self) -> None:
        """Stop showing as looking at this customer."""
        if self.visit_id is not None and self.counter.actor is not None:
            self.counter.call(presence.leave, self.ctx, self.counter.actor, self.visit_id, quiet=True)

    def on_data_changed(self, message: DataChanged) -> None:
        """Reload on data changes; refresh only the lookers when just they changed. A
        record whose customer was erased elsewhere closes."""
        if self.visit_id is None and any(
            change.action == "customer.erased" and change.entity_id == self.customer_id
            for change in message.changes
        ):
            if self.is_current:
                self.notify("This customer's personal data was erased.", markup=False)
                self.dismiss()
            return
        if message.changes or message.resumed:
            self.reload()
        elif self.visit_id is not None and self.visit_id in message.presence:
            self.load(
                "lookers",
                presence.lookers,
                self.ctx,
                self.actor,
                self.visit_id,
                then=self.show_lookers,
                quiet=True,
            )

    def show_lookers(self, names: list[str]) -> None:
        """Name colleagues who have this customer open too, so two don't approach at once."""
        bar = self.query_one("#lookers", Static)
        bar.display = bool(names)
        if names:
            who = ", ".join(one_line(name, 20) for name in names)
            bar.update(Text(f"Also looking at this customer now: {who}. Check with them before approaching."))

    def reload(self) -> None:
        """Fetch the visit (or the customer record)."""
        if self.visit_id is not None:
            self.load(
                "visit_detail",
                visit_views.visit_detail,
                self.ctx,
                self.actor,
                self.visit_id,
                then=self.show_visit,
            )
            self.load(
                "lookers",
                presence.lookers,
                self.ctx,
                self.actor,
                self.visit_id,
                then=self.show_lookers,
                quiet=True,
            )
        elif self.customer_id is not None:
            self.load(
                "customer_detail",
                customers.customer_detail,
                self.ctx,
                self.actor,
                self.customer_id,
                then=self.show_customer,
            )

    def show_visit(self, visit: VisitDetail) -> None:
        """Show a visit and its customer."""
        self.visit = visit
        self.tick()
        self.show_customer(visit.customer, notes_fallback=visit)

    def tick(self) -> None:
        """Redraw the owner banner and the visit block at the current time."""
        if self.visit is None:
            return
        banner, style = sections.owner_banner(self.ctx, self.visit)
        owner = self.query_one("#owner-banner", Static)
        owner.update(banner)
        owner.set_classes(f"banner-{style}")
        block = self.query_one("#visit-block", Static)
        block.display = True
        block.update(sections.visit_block(self.ctx, self.visit))

    def show_customer(
        self, customer: CustomerDetail | None, notes_fallback: VisitDetail | None = None
    ) -> None:
        """Show a customer's record (or say the walk-in is not on file)."""
        self.customer = customer
        if customer is not None:
            self.customer_id = customer.id
            if self.visit is None and customer.open_visit_id is not None:
                self.follow_visit(customer.open_visit_id)
        if self.visit is None and customer is not None:
            owner = self.query_one("#owner-banner", Static)
            owner.set_classes("banner-record")
            in_shop = (
                "In the shop now."
                if customer.open_visit_id
                else "Not in the shop. Press w when they come in."
            )
            owner.update(Text(f"{one_line(customer.name)} — {in_shop}"))
            self.query_one("#visit-block").display = False
        self.sub_title = one_line(customer.name if customer else (self.visit.who if self.visit else ""), 40)
        if customer is None:
            self.query_one("#contact-block", Static).update(walk_in_contact(self.visit))
            notes = notes_fallback.notes if notes_fallback else ()
            self.query_one("#notes-block", Static).update(sections.notes_block(self.ctx, notes))
            self.query_one("#followups-block", Static).update(Text("—", style="dim"))
            self.query_one("#history-block", Static).update(Text("—", style="dim"))
        else:
            self.query_one("#contact-block", Static).update(sections.contact_block(customer))
            self.query_one("#notes-block", Static).update(sections.notes_block(self.ctx, customer.notes))
            self.query_one("#followups-block", Static).update(
                sections.followups_block(self.ctx, customer.open_followups)
            )
            self.query_one("#history-block", Static).update(sections.history_block(self.ctx, customer))
        self.refresh_bindings()
        if customer is not None and self.when_on_file is not None:
            carry_on, self.when_on_file = self.when_on_file, None
            carry_on()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that make sense for what is on screen and that the
        permissions allow this person (the services ask the same permissions)."""
        if not self.signed_in:  # under the lock screen: nothing is offered
            return False
        visit, customer = self.visit, self.customer
        live = visit is not None and visit.ended_at is None
        if action in VISIT_ACTIONS and not live:
            return False
        if action in CUSTOMER_ACTIONS and customer is None:
            return action in FILE_FIRST and live and self.permitted("add_to_file")
        shown = {
            "claim": visit is not None and visit.owner_id is None,
            "note": visit is None or live,
            "add_to_file": customer is None,
            "link": customer is None,
            "preferences": customer is not None or live,
            "walk_in": visit is None and customer is not None and customer.open_visit_id is None,
            "reopen": self._reopenable() is not None,
        }
        return shown.get(action, True) and self.permitted(action)

    def permitted(self, action: str) -> bool:
        """Whether the permissions let the signed-in person do what `action` does here."""
        target = self.visit.target if self.visit is not None else NOBODY
        if action == "end":
            return bool(self._outcomes_allowed())
        if action == "done":
            return bool(self._followups_to_check_off())
        if action == "note":
            on_visit = self.visit is not None
            return allows(
                self.actor, Action.WORK_ON_VISIT if on_visit else Action.KEEP_CUSTOMER_RECORD, target
            )
        if action == "preferences":
            on_file = self.customer is not None
            return allows(
                self.actor, Action.KEEP_CUSTOMER_RECORD if on_file else Action.WORK_ON_VISIT, target
            )
        asked = ASKS.get(action)
        return asked is None or allows(self.actor, asked, target)

    def _outcomes_allowed(self) -> list[str]:
        """The outcomes this person may end the visit shown with."""
        target = self.visit.target if self.visit is not None else NOBODY
        return [outcome for outcome, _label in END_CHOICES if allows(self.actor, ending(outcome), target)]

    def _followups_to_check_off(self) -> list[FollowUpView]:
        """The customer's open follow-ups this person may check off."""
        if self.customer is None:
            return []
        return [
            followup
            for followup in self.customer.open_followups
            if allows(self.actor, Action.WORK_ON_FOLLOWUP, Target(followup.owner_id, followup.owner_name))
        ]

    def _reopenable(self) -> tuple[int, str] | None:
        """The ended visit a lead could reopen from here, and who it is for."""
        if self.visit is not None:
            return (self.visit.visit_id, self.visit.who) if self.visit.ended_at is not None else None
        if self.customer is None or self.customer.open_visit_id is not None or not self.customer.history:
            return None
        latest = self.customer.history[0]
        return (latest.visit_id, self.customer.name) if latest.ended_at is not None else None

    def action_reopen(self) -> None:
        """Shift lead: put their visit that ended today back on the floor, with a reason."""
        target = self._reopenable()
        if target is not None:
            reopen_with_reason(self, *target)

    def action_back(self) -> None:
        """Back to where you came from."""
        self.dismiss()

    def action_claim(self) -> None:
        """Own this customer for the visit."""
        if self.visit_id is not None:
            self.call(
                visits.claim_visit,
                self.ctx,
                self.actor,
                self.visit_id,
                then=lambda _: self.reload(),
            )

    def action_needs(self) -> None:
        """Tick this visit's needs."""
        if self.visit is None or self.visit_id is None:
            return
        visit_id = self.visit_id

        def save(actor: Actor, change: NeedsChange) -> None:
            if change.add or change.clear:
                visit_needs.update_needs(
                    self.ctx,
                    actor,
                    visit_id,
                    add=change.add,
                    clear=change.clear,
                    detail=change.detail,
                    remember=change.remember,
                )

        dialog = NeedsDialog(self.visit.needs, can_remember=True)
        ask(self, dialog, save, then=lambda _: self.reload())

    def action_note(self) -> None:
        """Add a note (to the visit, or to the customer's record)."""
        visit_id, customer_id = self.visit_id, self.customer_id

        def save(actor: Actor, body: str) -> None:
            if visit_id is not None:
                visits.add_visit_note(self.ctx, actor, visit_id, body)
            else:
                customers.add_note(self.ctx, actor, customer_id or 0, body)

        dialog = TextPromptDialog("Add a note", "What should colleagues know?")
        ask(self, dialog, save, then=lambda _: self.reload())

    def _pick_colleague(
        self,
        title: str,
        reason_prompt: str | None,
        save: Callable[[Actor, StaffChoice], T],
        then: Callable[[T], None],
    ) -> None:
        def show(people: list[StaffSummary]) -> None:
            exclude = {self.actor.staff_id, self.visit.owner_id if self.visit else None}
            colleagues = [p for p in people if p.id not in exclude]
            if not colleagues:
                self.notify("No other colleague is on the staff list.", markup=False)
                return
            ask(self, StaffPickerDialog(title, colleagues, reason_prompt=reason_prompt), save, then=then)

        self.call(staff.list_staff, self.ctx, then=show)

    def action_helper(self) -> None:
        """Bring in a colleague to help."""
        if self.visit_id is None:
            return
        visit_id = self.visit_id
        self._pick_colleague(
            "Who should help?",
            None,
            lambda actor, choice: visits.add_helper(self.ctx, actor, visit_id, choice.staff_id),
            then=lambda _: self.reload(),
        )

    def action_handoff(self) -> None:
        """Ask a shift lead to pass this customer to a colleague."""
        if self.visit_id is None:
            return
        visit_id = self.visit_id

        def asked(_: int) -> None:
            self.notify("Asked a shift lead. You keep the customer until they approve.", markup=False)
            self.reload()

        self._pick_colleague(
            "Hand off to",
            "Why? (the shift lead decides)",
            lambda actor, choice: handoffs.request_handoff(
                self.ctx, actor, visit_id, choice.staff_id, choice.reason
            ),
            then=asked,
        )

    def action_reassign(self) -> None:
        """Shift lead: move this customer to a colleague now."""
        if self.visit_id is None:
            return
        visit_id = self.visit_id
        self._pick_colleague(
            "Reassign to",
            "Reason (kept in the log)",
            lambda actor, choice: handoffs.reassign_visit(
                self.ctx, actor, visit_id, choice.staff_id, choice.reason
            ),
            then=lambda _: self.reload(),
        )

    def action_end(self) -> None:
        """End the visit: how it ended, and on a purchase the thank-you's personal line."""
        if self.visit is None or self.visit_id is None:
            return
        visit_id = self.visit_id
        template = ""
        if self.visit.customer is not None:
            template = thank_you_template(self.ctx.rules.shop.name, self.visit.customer.name.split()[0])

        def ended(result: visits.EndResult) -> None:
            self.notify(result.message, markup=False)
            self.dismiss()

        ask(
            self,
            EndVisitDialog(
                on_file=self.visit.customer is not None, template=template, outcomes=self._outcomes_allowed()
            ),
            lambda actor, choice: visits.end_visit(
                self.ctx, actor, visit_id, choice.outcome, personal_line=choice.personal_line
            ),
            then=ended,
        )

    def _consented(self) -> set[str]:
        return {c.channel for c in self.customer.consents if c.granted} if self.customer else set()

    def _file_first(self, action: str, carry_on: Callable[[], None]) -> bool:
        """For a walk-in not on file, open the form that puts them on file (what they need
        first), then `carry_on`; so words typed straight after the key land in a field."""
        if self.customer is not None:
            return False
        self.put_on_file(f"Put them on file first: {FILE_FIRST[action]} needs their record", carry_on)
        return True

    def action_callback(self) -> None:
        """Promise a call back (asking for a phone number first if there is none on file)."""
        if self._file_first("callback", self.action_callback):
            return
        if self.customer is None or self.customer_id is None:
            return
        if not self.customer.phone:
            self.notify(
                f"{one_line(self.customer.name, 30)} has no phone number on file. Add one with u, then b.",
                markup=False,
            )
            return
        customer_id = self.customer_id
        ask(
            self,
            CallbackDialog(self._consented()),
            lambda actor, request: followups.add_callback(
                self.ctx,
                actor,
                customer_id,
                about=request.about,
                channel=request.channel,
                consent_source=request.consent_source,
            ),
            then=lambda _: done(self, "Callback queued."),
        )

    def action_promise(self) -> None:
        """Record a promise."""
        if self._file_first("promise", self.action_promise) or self.customer_id is None:
            return
        customer_id = self.customer_id
        ask(
            self,
            PromiseDialog(self._consented(), self.ctx.calendar, self.ctx.now()),
            lambda actor, request: followups.add_promise(
                self.ctx,
                actor,
                customer_id,
                promise=request.promise,
                due_at=request.due_at,
                channel=request.channel,
            ),
            then=lambda _: done(self, "Promise recorded."),
        )

    def action_preferences(self) -> None:
        """Edit the standing preferences remembered across visits."""
        if self.customer is None:
            self.edit_walk_in_preferences()
            return
        if self.customer_id is None:
            return
        customer_id = self.customer_id
        dialog = TextPromptDialog(
            "Preferences",
            "What do they prefer? (kept for every visit)",
            initial=self.customer.preferences,
        )
        ask(
            self,
            dialog,
            lambda actor, text: customers.set_preferences(self.ctx, actor, customer_id, text),
            then=lambda _: self.reload(),
        )

    def action_consent(self) -> None:
        """Record which channels the customer agreed to."""
        if self.customer_id is None:
            return
        customer_id = self.customer_id
        ask(
            self,
            ConsentDialog(self._consented()),
            lambda actor, answer: customers.set_consents(
                self.ctx, actor, customer_id, answer[0], source=answer[1]
            ),
            then=lambda _: self.reload(),
        )

    def action_update_details(self) -> None:
        """Correct the customer's name, phone or email."""
        if self.customer is None or self.customer_id is None:
            return
        customer, customer_id = self.customer, self.customer_id
        dialog = CustomerFormDialog(
            customer.name, phone=customer.phone, email=customer.email, ask_consent=False
        )
        ask(
            self,
            dialog,
            lambda actor, details: customers.update_contact(
                self.ctx, actor, customer_id, name=details.name, phone=details.phone, email=details.email
            ),
            then=lambda _: self.reload(),
        )

    def action_feedback(self) -> None:
        """Record the customer's feedback (open-ended, optional rating and topics)."""
        customer_id, visit_id = self.customer_id, self.visit_id
        ask(
            self,
            FeedbackDialog(),
            lambda actor, entry: feedback.record_feedback(
                self.ctx,
                actor,
                body=entry.body,
                rating=entry.rating,
                topics=feedback.parse_topics(entry.topics),
                customer_id=customer_id,
                visit_id=visit_id,
            ),
            then=lambda _: done(self, "Feedback recorded. Thank them for telling you."),
        )

    def action_erase(self) -> None:
        """Shift lead: erase the customer's personal data on their request, with the reason."""
        if self.customer is None or self.customer_id is None:
            return
        customer_id = self.customer_id
        prompt = (
            f"Erase {one_line(self.customer.name, 30)}'s name, contact details, notes and feedback? "
            "Visits stay, anonymous. Type how they asked (e.g. 'asked by email on 3 Nov')."
        )

        def erased(_: object) -> None:
            self.notify("Personal data erased.", markup=False)
            if self.is_current:
                self.dismiss()

        ask(
            self,
            TextPromptDialog("Erase personal data", prompt),
            lambda actor, reason: erasure.erase_customer(self.ctx, actor, customer_id, reason),
            then=erased,
        )

    def action_subject_access(self) -> None:
        """Shift lead: write everything held about the customer to a file in the shop's
        exports folder (a subject access request), and say where."""
        if self.customer is None or self.customer_id is None:
            return
        name = self.customer.name

        def written(done: subject_access.SubjectAccessFile) -> None:
            self.notify(f"Everything held about {name} is saved in {done.path}", markup=False, timeout=30)

        self.call(subject_access.write_subject_access, self.ctx, self.actor, self.customer_id, then=written)

    def action_walk_in(self) -> None:
        """They're here: start a visit owned by you."""
        if self.customer_id is None:
            return

        def started(visit_id: int) -> None:
            self.follow_visit(visit_id)

        self.call(
            visits.new_walk_in,
            self.ctx,
            self.actor,
            customer_id=self.customer_id,
            claim=True,
            then=started,
        )

    def action_done(self) -> None:
        """Check off this customer's first open follow-up that is yours (or any, for a lead)."""
        mine = self._followups_to_check_off()
        if mine:
            check_off(self, mine[0])
