"""The customer view's "one customer, one record" actions: link a walk-in to a customer
on file (through find), and, for shift leads, merge a duplicate into this record and undo
a merge the same day."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from counter_tui.errors import DomainError
from counter_tui.services import merge, merge_undo, visit_customer
from counter_tui.services.context import Actor
from counter_tui.services.duplicates import PossibleDuplicate
from counter_tui.services.linking import NOTHING_TYPED
from counter_tui.services.merge import MergePreview, MergeView
from counter_tui.services.views import CustomerDetail, VisitDetail
from counter_tui.ui.dialogs.customer_form import CustomerFormDialog, NewCustomer
from counter_tui.ui.dialogs.duplicate_choice import (
    CREATE_ANYWAY,
    NAME_WIDTH,
    SENTENCE_SECONDS,
    DuplicateChoiceDialog,
    kept_sentence,
    link_label,
    typed_contact,
)
from counter_tui.ui.dialogs.form import ask
from counter_tui.ui.dialogs.merge_preview import ask_merge
from counter_tui.ui.dialogs.text_prompt import TextPromptDialog
from counter_tui.ui.safe_text import clean, one_line
from counter_tui.ui.screens.find import FindCustomerScreen
from counter_tui.ui.shop_access import done
from counter_tui.ui.widgets.sections import PLAIN, Looks

if TYPE_CHECKING:
    from counter_tui.ui.screens.base import CounterScreen as _Screen
else:
    _Screen = object


def walk_in_contact(visit: VisitDetail | None, can_file: bool, looks: Looks = PLAIN) -> Text:
    """What the customer block says for a walk-in not on file: how to put them on file or
    link them (when this person is offered those keys), and what they said they prefer
    (it moves to their record then)."""
    how = " Press a to add their details, or l to link a customer on file." if can_file else ""
    text = Text(f"Not on file.{how}", style=looks.quiet)
    if visit is not None and visit.preferences:
        text.append("\nPrefers: ", style=looks.label)
        text.append(clean(visit.preferences))
    return text


class IdentityActions(_Screen):
    """Mixed into the customer screen, which provides the visit and customer on show."""

    visit_id: int | None
    customer_id: int | None
    visit: VisitDetail | None
    customer: CustomerDetail | None

    when_on_file: Callable[[], None] | None = None
    """What to do once this walk-in's record is on show (a promise asked for before)."""

    def action_add_to_file(self) -> None:
        """Put this walk-in on file."""
        self.put_on_file()

    def put_on_file(self, why: str = "", then: Callable[[], None] | None = None) -> None:
        """Put this walk-in on file (`why` as the form's title, `then` once their record
        is on show); when someone with the same phone or email is on file already, offer
        to link to them instead (or create a new customer anyway)."""
        if self.visit_id is None:
            return
        visit_id = self.visit_id
        form = CustomerFormDialog(self.visit.name_given if self.visit else "", title=why)

        def save(actor: Actor, details: NewCustomer, create_anyway: bool = False) -> int:
            return visit_customer.add_customer_to_visit(
                self.ctx,
                actor,
                visit_id,
                name=details.name,
                phone=details.phone,
                email=details.email,
                opted_in=details.opted_in,
                create_anyway=create_anyway,
            )

        def refused(error: DomainError) -> bool:
            if not isinstance(error, PossibleDuplicate):
                return False
            typed = form.collect()
            self._offer_link(form, error, typed, lambda actor: save(actor, typed, create_anyway=True), then)
            return True

        def filed(_: int) -> None:
            self.when_on_file = then
            done(self, "On file.")

        ask(self, form, save, then=filed, refused=refused)

    def _offer_link(
        self,
        form: CustomerFormDialog,
        offer: PossibleDuplicate,
        typed: NewCustomer,
        create: Callable[[Actor], int],
        then: Callable[[], None] | None,
    ) -> None:
        """Over the form: link to a customer on file, or create anyway; Esc goes back to
        the form with everything typed. Linking gives their record what it lacks of the
        details `typed`, and the sentence says what it did not store."""
        assert self.visit_id is not None
        visit_id = self.visit_id
        today = self.ctx.calendar.local_date(self.ctx.now())
        links = [(c.customer_id, link_label(c, self.ctx.calendar, today)) for c in offer.candidates]
        names = {c.customer_id: c.name for c in offer.candidates}

        def save(actor: Actor, choice: int) -> tuple[str, float]:
            """What to say, and for how long."""
            if choice == CREATE_ANYWAY:
                create(actor)
                return "On file as a new customer.", 3
            kept = visit_customer.attach_customer(self.ctx, actor, visit_id, choice, typed_contact(typed))
            if kept == NOTHING_TYPED:
                return "Linked to their record: their details are shown now.", 3
            opening = f"Linked to {one_line(names[choice], NAME_WIDTH)}'s record"
            return kept_sentence(opening, kept), SENTENCE_SECONDS

        def chosen(said: tuple[str, float]) -> None:
            self.when_on_file = then
            done(self, *said)

        ask(self, DuplicateChoiceDialog(str(offer), links), save, then=chosen, over=form)

    def action_link(self) -> None:
        """Link this walk-in to a customer on file, picked in find."""
        if self.visit is None or self.visit.customer is not None:
            return
        visit_id = self.visit.visit_id

        def picked(customer_id: int) -> None:
            self.call(
                visit_customer.attach_customer,
                self.ctx,
                self.actor,
                visit_id,
                customer_id,
                then=lambda _: done(self, "Linked to their record: their details are shown now."),
            )

        picker = FindCustomerScreen(picking="Link this walk-in to a customer on file", on_pick=picked)
        self.app.push_screen(picker)

    def edit_walk_in_preferences(self) -> None:
        """What a walk-in not on file prefers, kept on the visit until they are on file."""
        if self.visit is None:
            return
        visit_id = self.visit.visit_id
        dialog = TextPromptDialog(
            "Preferences",
            "What do they prefer? (kept for them once they are on file)",
            initial=self.visit.preferences,
        )
        ask(
            self,
            dialog,
            lambda actor, text: visit_customer.set_visit_preferences(self.ctx, actor, visit_id, text),
            then=lambda _: self.reload(),
        )

    def action_merge(self) -> None:
        """Shift lead: pick a duplicate of this customer, see what merging it would change,
        and merge it into this record."""
        if self.customer is None:
            return
        kept = self.customer
        title = f"Pick the duplicate of {one_line(kept.name, 30)} (it merges into this record)"

        def picked(duplicate_id: int) -> None:
            self.call(
                merge.preview_merge, self.ctx, self.actor, kept.id, duplicate_id, then=self._confirm_merge
            )

        self.app.push_screen(FindCustomerScreen(picking=title, on_pick=picked, exclude=kept.id))

    def _confirm_merge(self, preview: MergePreview) -> None:
        ask_merge(self, preview, then=self._merged)

    def _merged(self, result: MergeView) -> None:
        until = self.ctx.calendar.local(result.final_at).format("HH:mm")
        done(self, f"Merged {one_line(result.merged_name, 30)} into this record. U undoes it until {until}.")

    def action_undo_merge(self) -> None:
        """Shift lead: undo the latest merge into this record, saying why."""
        if self.customer_id is None:
            return
        self.call(merge_undo.undoable_merges, self.ctx, self.actor, self.customer_id, then=self._ask_undo)

    def _ask_undo(self, merges: tuple[MergeView, ...]) -> None:
        name = one_line(self.customer.name if self.customer else "", 30)
        if not merges:
            self.notify(
                f"No merge into {name} can be undone now: merges are final at the end of their day.",
                markup=False,
            )
            return
        latest = merges[0]
        at = self.ctx.calendar.local(latest.merged_at).format("HH:mm")
        prompt = f"Undo merging {one_line(latest.merged_name, 30)} in ({latest.merged_by}, {at})? Say why:"

        ask(
            self,
            TextPromptDialog("Undo merge", prompt),
            lambda actor, reason: merge_undo.undo_merge(self.ctx, actor, latest.merge_id, reason),
            then=lambda _: done(self, "Merge undone: both records are back as they were."),
        )
