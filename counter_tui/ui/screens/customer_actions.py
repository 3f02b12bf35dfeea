"""The customer view's record actions and which keys it offers: callbacks, promises,
status updates, preferences, consent, details, feedback, erasure, subject access, a new
visit and checking off what is owed; `check_action` asks the permissions for every key."""

from __future__ import annotations

from collections.abc import Callable

from counter_tui.errors import DomainError
from counter_tui.folders import EXPORTS, shop_folder_path
from counter_tui.services import (
    customers,
    erasure,
    feedback,
    followups,
    status_updates,
    subject_access,
    visits,
)
from counter_tui.services.context import Actor
from counter_tui.services.duplicates import PossibleDuplicate
from counter_tui.services.permissions import NOBODY, Action, allows
from counter_tui.ui.dialogs.complete_followup import check_off
from counter_tui.ui.dialogs.confirm import ConfirmDialog
from counter_tui.ui.dialogs.consent import ConsentDialog
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog, NewCustomer
from counter_tui.ui.dialogs.duplicate_choice import (
    CREATE_ANYWAY,
    SENTENCE_SECONDS,
    DuplicateChoiceDialog,
    link_label,
    not_saved_sentence,
)
from counter_tui.ui.dialogs.feedback import FeedbackDialog
from counter_tui.ui.dialogs.followup_forms import CallbackDialog, PromiseDialog
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.opened_on import OpenedOn
from counter_tui.ui.dialogs.status_update import StatusUpdateDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.safe_text import one_line
from counter_tui.ui.screens.customer_visit_actions import VisitActions
from counter_tui.ui.shop_access import done

VISIT_ACTIONS = {"claim", "needs", "helper", "handoff", "end", "add_to_file", "link", "reassign"}
CUSTOMER_ACTIONS = {
    "callback",
    "promise",
    "status_update",
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
    "status_update": Action.KEEP_CUSTOMER_RECORD,
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
like a note on a visit or on a record, are decided in `permitted` below)."""
#: Asked for on a walk-in not on file, these put them on file first, then carry on.
FILE_FIRST = {"callback": "a callback", "promise": "a promise", "status_update": "a status update"}


class CustomerActions(VisitActions):
    """Mixed into the customer screen, after the visit actions it builds on."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that make sense for what is on screen and that the
        permissions allow this person (the services ask the same permissions)."""
        if not self.signed_in:  # under the lock screen: nothing is offered
            return False
        if self.waits_for_record(action):  # typed before the record is read: it waits for it
            return True
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
            lambda actor, request: followups.queued_words(
                self.ctx,
                actor,
                followups.add_callback(
                    self.ctx,
                    actor,
                    customer_id,
                    about=request.about,
                    channel=request.channel,
                    consent_source=request.consent_source,
                    asked_by_customer=request.asked_by_customer,
                ),
                "Callback queued",
            ),
            then=lambda said: done(self, said),
        )

    def action_promise(self) -> None:
        """Record a promise."""
        if self._file_first("promise", self.action_promise) or self.customer_id is None:
            return
        customer_id = self.customer_id
        ask(
            self,
            PromiseDialog(self._consented(), self.ctx.calendar, self.ctx.now()),
            lambda actor, request: followups.queued_words(
                self.ctx,
                actor,
                followups.add_promise(
                    self.ctx,
                    actor,
                    customer_id,
                    promise=request.promise,
                    due_at=request.due_at,
                    channel=request.channel,
                ),
                "Promise recorded",
            ),
            then=lambda said: done(self, said),
        )

    def action_status_update(self) -> None:
        """Keep them up to date on an open order or repair, every N days until it is done."""
        if self._file_first("status_update", self.action_status_update) or self.customer_id is None:
            return
        customer_id = self.customer_id
        ask(
            self,
            StatusUpdateDialog(self._consented(), self.ctx.rules.followups.status_update_every_days),
            lambda actor, request: status_updates.start_status_update(
                self.ctx,
                actor,
                customer_id,
                about=request.about,
                channel=request.channel,
                every_days=request.every_days,
            ),
            then=lambda _: done(self, "Status updates started: the first one comes back to you when due."),
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
        opened = OpenedOn(self.customer.preferences)
        ask(
            self,
            dialog,
            lambda actor, text: customers.set_preferences(
                self.ctx, actor, customer_id, text, opened=opened.value
            ),
            then=lambda _: self.reload(),
            refused=opened.refused,
        )

    def action_consent(self) -> None:
        """Record which channels the customer agreed to."""
        if self.customer_id is None:
            return
        customer_id = self.customer_id
        opened = OpenedOn(self._consented())
        ask(
            self,
            ConsentDialog(self._consented()),
            lambda actor, answer: customers.set_consents(
                self.ctx, actor, customer_id, answer[0], source=answer[1], opened=opened.value
            ),
            then=lambda _: self.reload(),
            refused=opened.refused,
        )

    def action_update_details(self) -> None:
        """Correct the customer's name, phone or email."""
        if self.customer is None or self.customer_id is None:
            return
        customer, customer_id = self.customer, self.customer_id
        form = CustomerFormDialog(
            customer.name, phone=customer.phone, email=customer.email, ask_consent=False
        )
        opened = OpenedOn((customer.name, customer.phone, customer.email))

        def save(actor: Actor, details: NewCustomer, save_anyway: bool = False) -> None:
            customers.update_contact(
                self.ctx,
                actor,
                customer_id,
                name=details.name,
                phone=details.phone,
                email=details.email,
                save_anyway=save_anyway,
                opened=opened.value,
            )

        def refused(error: DomainError) -> bool:
            if not isinstance(error, PossibleDuplicate):
                return opened.refused(error)
            typed = form.collect()
            not_saved = not_saved_sentence(customer.name, typed, opened.value)
            self._offer_other_record(
                form, error, lambda actor: save(actor, typed, save_anyway=True), not_saved
            )
            return True

        ask(self, form, save, then=lambda _: self.reload(), refused=refused)

    def _offer_other_record(
        self,
        form: CustomerFormDialog,
        offer: PossibleDuplicate,
        save_anyway: Callable[[Actor], None],
        not_saved: str,
    ) -> None:
        """Over the form: open the customer who has that phone or email (to merge them if
        they are one person), or save the change anyway; Esc goes back to the form with
        everything typed. Opening theirs says what of the change was `not_saved`."""
        from counter_tui.ui.screens.customer import CustomerScreen

        today = self.ctx.calendar.local_date(self.ctx.now())
        links = [
            (c.customer_id, link_label(c, self.ctx.calendar, today, verb="Open")) for c in offer.candidates
        ]

        def save(actor: Actor, choice: int) -> int:
            if choice == CREATE_ANYWAY:
                save_anyway(actor)
            return choice

        def chosen(choice: int) -> None:
            if choice == CREATE_ANYWAY:
                self.reload()
                return
            self.app.push_screen(CustomerScreen(customer_id=choice))
            if not_saved:
                self.app.notify(not_saved, markup=False, timeout=SENTENCE_SECONDS)

        ask(
            self,
            DuplicateChoiceDialog(str(offer), links, anyway="save the change anyway"),
            save,
            then=chosen,
            over=form,
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
            "Queued emails to them will not be sent. Visits stay, anonymous. "
            "Type how they asked (e.g. 'asked by email on 3 Nov')."
        )

        def erased(_: object) -> None:
            self.notify("Personal data erased.", markup=False)
            if self.is_current:
                self.dismiss()

        ask(
            self,
            TextPromptDialog("Erase personal data", prompt, enter_does=("erases", "Erase")),
            lambda actor, reason: erasure.erase_customer(self.ctx, actor, customer_id, reason),
            then=erased,
        )

    def action_subject_access(self) -> None:
        """Shift lead: write everything held about the customer to a file in the shop's
        exports folder (a subject access request), and say where."""
        if self.customer is None or self.customer_id is None:
            return
        name, customer_id = self.customer.name, self.customer_id

        def written(done: subject_access.SubjectAccessFile) -> None:
            self.notify(f"Everything held about {name} is saved in {done.path}", markup=False, timeout=30)

        folder = shop_folder_path(self.ctx.database.url, EXPORTS)
        lines = [
            f"Save everything held about {one_line(name, 60)} (contact details, consents, notes, "
            "visits, follow-ups and feedback) to a new file in:",
            str(folder),
            "It is their personal data: hand it to them, then delete it from this terminal.",
        ]
        ask(
            self,
            ConfirmDialog("A copy of their data?", lines, "Enter saves the file · Esc saves nothing."),
            lambda actor, _: subject_access.write_subject_access(self.ctx, actor, customer_id),
            then=written,
        )

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
