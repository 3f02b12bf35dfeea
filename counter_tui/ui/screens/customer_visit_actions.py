"""The customer view's visit actions: claim, needs, notes, helper, hand-off, reassign, end
and reopen, each a key that opens a dialog and calls a service."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from counter_tui.errors import DomainError
from counter_tui.services import customers, handoffs, staff, visit_needs, visits
from counter_tui.services.context import Actor
from counter_tui.services.permissions import NOBODY, Action, Target, allows, ending
from counter_tui.services.queries import first_name
from counter_tui.services.staff import StaffSummary
from counter_tui.services.thank_yous import thank_you_template
from counter_tui.services.views import FollowUpView
from counter_tui.ui.dialogs.end_visit import CHOICES as END_CHOICES
from counter_tui.ui.dialogs.end_visit import EndVisitDialog
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.needs import NeedsChange, NeedsDialog
from counter_tui.ui.dialogs.opened_on import OpenedOn
from counter_tui.ui.dialogs.staff_picker import StaffChoice, StaffPickerDialog
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.reopen import reopen_with_reason
from counter_tui.ui.screens.customer_identity import IdentityActions

T = TypeVar("T")


class VisitActions(IdentityActions):
    """Mixed into the customer screen, which provides the visit on show and reloads it."""

    if TYPE_CHECKING:

        def reload(self) -> None: ...

        def follow_visit(self, visit_id: int) -> None: ...

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
                    details=change.details,
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
        *,
        offer_self: bool = False,
        refused: Callable[[DomainError], bool] | None = None,
    ) -> None:
        """Ask for a colleague, leaving out the customer's owner, and the person acting
        unless `offer_self` (a lead reassigning may take the customer themself, which
        handoffs.reassign_visit allows and audits like any other move)."""

        def show(people: list[StaffSummary]) -> None:
            exclude = {self.visit.owner_id if self.visit else None}
            if not offer_self:
                exclude.add(self.actor.staff_id)
            colleagues = [p for p in people if p.id not in exclude]
            if not colleagues:
                self.notify("No other colleague is on the staff list.", markup=False)
                return
            dialog = StaffPickerDialog(title, colleagues, reason_prompt=reason_prompt)
            ask(self, dialog, save, then=then, refused=refused)

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
        seen = OpenedOn(self.visit.owner_id if self.visit is not None else None)
        self._pick_colleague(
            "Reassign to",
            "Reason (kept in the log)",
            lambda actor, choice: handoffs.reassign_visit(
                self.ctx, actor, visit_id, choice.staff_id, choice.reason, seen_owner_id=seen.value
            ),
            then=lambda _: self.reload(),
            offer_self=True,
            refused=seen.refused,
        )

    def action_end(self) -> None:
        """End the visit: how it ended, and on a purchase the thank-you's personal line."""
        if self.visit is None or self.visit_id is None:
            return
        visit_id = self.visit_id
        template = ""
        if self.visit.customer is not None:
            template = thank_you_template(self.ctx.rules.shop.name, first_name(self.visit.customer.name))

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
