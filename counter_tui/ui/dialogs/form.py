"""The base of every dialog, and the one action pattern of the staff app:
ask in a dialog → call a service → show the result.

    ask(
        self,  # the screen or review pane asking (anything with shop access)
        TextPromptDialog("Add a note", "What should colleagues know?"),
        lambda actor, body: visits.add_visit_note(self.ctx, actor, visit_id, body),
        then=lambda _: done(self, "Note added."),
    )

Enter first turns the fields into a value (`collect()`; an InvalidInput refuses at once).
The dialog then runs the service call in a worker, through the app's service-call path,
as the person who pressed Enter, and closes only when it succeeds; `then` gets the
service's result to show. A refusal (any DomainError) keeps the dialog open with
everything typed: its sentence shows beside the field it names (`InvalidInput(...,
field="phone")`, the service's parameter name) or under the form, and that field takes the
focus, drawn with the error border until corrected (`REFUSED`), so where the keys go next
is seen. Pick-one and tick-many questions use `ChoiceList` (ui/widgets/choice.py), yes/no
questions `Tick`.

A second dialog about the first's answer (the email as the customer will read it, "already
on file?") is asked over the first, which stays open underneath with everything typed: Esc
there goes back to it, and only the second's success closes both. `confirm=` asks it about
what the first's service returned (`AskOver`); `over=` asks a dialog over another from that
one's `refused`. A guard test (tests/unit/test_second_dialog_guard.py) refuses a dialog
opened from `then`, once the first has closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, OptionList, Static

from counter_tui.errors import DomainError, InvalidInput
from counter_tui.ui.dialog_notice import RefusalLine, dialog_foot, focused_in_view
from counter_tui.ui.focus_keys import focus_now, keys_landed
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.own_keys_first import own_keys_first
from counter_tui.ui.safe_text import plain
from counter_tui.ui.tones import URGENT, tone
from counter_tui.ui.widgets.choice import ChoiceList
from counter_tui.ui.widgets.keys_footer import SteadyFooter

if TYPE_CHECKING:
    from counter_tui.services.context import Actor
    from counter_tui.ui.shop_access import ServiceCaller

ValueT = TypeVar("ValueT")
ResultT = TypeVar("ResultT")
FIELD_TYPES = (Input, OptionList, Checkbox)
SAVING = "Saving…"
REFUSED = "-refused"
"""The class of the field a refusal named, until it is corrected: drawn with the error
border (app.tcss), so the field that has the focus after a refusal is seen to have it."""

#: Runs the value through the service: (value, on success, on refusal).
Submit = Callable[[Any, Callable[[], None], Callable[[DomainError], None]], None]


class FormDialog(Guarded, ModalScreen[ValueT | None], Generic[ValueT]):
    """A modal form. Subclasses compose `fields()` and turn them into a value in `collect()`;
    each field with an id gets a line beneath it for the sentence explaining what to fix.
    The refusal line, notice line and key hint are docked under the fields (dialog_foot)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without saving."),
        Binding(
            "enter",
            "submit",
            "Save",
            id="dialog.submit",
            priority=True,
            tooltip="Save from any field.",
        ),
    ]
    DEFAULT_CLASSES = "form-dialog"
    TITLE_TEXT = ""
    HINT_TEXT = ""
    """The key hint at the foot; empty: worked out from the fields (`key_hint`)."""
    ENTER_DOES: tuple[str, str] = ("saves", "Save")
    """What Enter does, for the key hint ("Enter saves") and the footer ("Save")."""
    #: A service's field name → the id of the widget it concerns, where they differ.
    FIELD_IDS: ClassVar[dict[str, str]] = {}

    def __init__(self) -> None:
        super().__init__()
        self.submit_to: Submit | None = None
        self.saving = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Label(plain(self.TITLE_TEXT), classes="dialog-title")
            for widget in self.fields():
                if isinstance(widget, Input):
                    widget.select_on_focus = False  # before it can be focused (see on_mount)
                yield widget
                if widget.id and isinstance(widget, FIELD_TYPES):
                    yield field_error(widget.id)
            yield dialog_foot(self.HINT_TEXT)
        yield SteadyFooter()

    def on_mount(self) -> None:
        """No field selects its text when focused: a letter typed into a prefilled field (a
        personal line, a setting, a due time) adds to it instead of silently replacing it.
        `compose` sees to the fields it yields; this to those inside containers. (Textual
        runs this beside a subclass's own `on_mount`.)"""
        for field in self.query(Input):
            field.select_on_focus = False
        if not self.HINT_TEXT:
            self.query_one(".dialog-hint", Label).update(plain(key_hint(self)))
        focused_in_view(self)

    def set_focus(
        self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False
    ) -> None:
        """Focus `widget`, scrolled just into view above the docked foot once laid out
        (`focused_in_view`), not centred as Textual does: centring cut the title and the
        field's label off at 80×24, and left fields behind the foot."""
        super().set_focus(widget, False, from_app_focus)
        if scroll_visible and self.is_mounted:
            focused_in_view(self)

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """The keys on offer, the dialog's own (save, cancel) before a field's editing keys;
        Enter named for what it does in this dialog (`ENTER_DOES`)."""
        bindings = own_keys_first(self, super().active_bindings)
        enter = bindings.get("enter")
        if enter is not None and enter.binding.id == "dialog.submit":
            named = replace(enter.binding, description=self.ENTER_DOES[1])
            bindings["enter"] = enter._replace(binding=named)
        return bindings

    def fields(self) -> ComposeResult:
        """The widgets of the form (override)."""
        yield from ()

    def collect(self) -> ValueT:
        """The value of the fields; raise InvalidInput with a sentence to refuse (override)."""
        raise NotImplementedError

    def show_error(self, message: str, field: str = "") -> None:
        """Explain what to fix beside `field` (or under the form), keeping everything typed.
        The field gets the focus at once (the keys typed next go there) and is marked
        (`REFUSED`) until corrected, so the move is seen. A name no field here has, in a
        dialog with one field, means that one (a note's "body", a reason's "reason")."""
        self.clear_errors()
        found = self.refusable_field(field)
        if found is None:  # in the docked foot, always in view
            self.query_one(".dialog-error", RefusalLine).say(plain(message, style=tone(URGENT)))
            return
        widget, line = found
        widget.add_class(REFUSED)
        focus_now(widget)
        line.update(plain(message, style=tone(URGENT)))
        line.display = True
        self._show_reading(widget.id or "", False)

        def in_view() -> None:  # the sentence, then the field above it (a small screen's edge)
            line.scroll_visible(animate=False, immediate=True)
            widget.scroll_visible(animate=False, immediate=True)

        line.call_after_refresh(in_view)

    def refusable_field(self, field: str) -> tuple[Widget, Static] | None:
        """The field on show that a refusal naming `field` (a service's parameter name or
        a widget's id) concerns, with the line under it for the sentence; None: under the
        form."""
        if not field:
            return None
        shown = {
            widget.id: widget
            for widget in self.query("*")
            if isinstance(widget, FIELD_TYPES) and widget.id and _on_show(widget)
        }
        lines = {widget_id: line for widget_id in shown if (line := self._error_line(widget_id))}
        widget_id = self.FIELD_IDS.get(field, field)
        if widget_id in lines:
            return shown[widget_id], lines[widget_id]
        if len(lines) == 1:
            [(only_id, line)] = lines.items()
            return shown[only_id], line
        return None

    def has_field(self, field: str) -> bool:
        """Whether a field on show here is the one `field` names (by its id or a service's
        name for it), not only the one field a refusal would fall back on."""
        widget_id = self.FIELD_IDS.get(field, field)
        found = self.refusable_field(field) if field else None
        return found is not None and found[0].id == widget_id

    def clear_errors(self) -> None:
        """Forget the sentences of an earlier attempt."""
        for line in self.query(".field-error").results(Static):
            line.update("")
            line.display = False
            self._show_reading(line.id.removesuffix("-error") if line.id else "", True)
        for widget in self.query(f".{REFUSED}"):
            widget.remove_class(REFUSED)
        self.query_one(".dialog-error", RefusalLine).clear()

    def _show_reading(self, widget_id: str, shown: bool) -> None:
        """Show or hide a field's live reading (`#<field>-understood`, e.g. "Due Fri 27 Nov,
        17:30" under the due box): it steps aside while the field's refusal is shown, which
        would otherwise be said twice, once by each."""
        for reading in self.query(f"#{widget_id}-understood") if widget_id else ():
            reading.display = shown

    def on_input_changed(self, event: Input.Changed) -> None:
        """A field being corrected no longer shows what was wrong with it (a refusal about
        its length stayed beside it, correct by then, until the next Enter)."""
        self._corrected(event.input)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        """A tick changed no longer shows what was wrong with it ("no mail server" beside
        "send it by email" stayed after unticking it); only the next Enter says it again."""
        self._corrected(event.checkbox)

    def on_choice_list_changed(self, event: ChoiceList.Changed) -> None:
        """A choice made no longer shows what was wrong with it ("Pick a colleague first");
        a choice taken away (a colleague no longer offered) is no correction."""
        if event.choice_list.values:
            self._corrected(event.choice_list)

    def _corrected(self, field: Widget) -> None:
        field.remove_class(REFUSED)
        line = self._error_line(field.id) if field.id else None
        if line is not None and line.display:
            line.update("")
            line.display = False
            self._show_reading(field.id or "", True)

    def _error_line(self, widget_id: str) -> Static | None:
        try:
            return self.query_one(f"#{widget_id}-error", Static)
        except NoMatches:
            return None

    async def action_submit(self) -> None:
        """Save: collect the fields, then (when a service is attached) close only on success.
        Enter is decided as it arrives, so first every key typed before it lands in its field."""
        if self.saving:
            return
        await keys_landed(self)
        if self.saving or not self.is_active:
            return
        try:
            value = self.collect()
        except InvalidInput as error:
            self.show_error(str(error), error.field)
            return
        if self.submit_to is None:
            self.dismiss(value)
            return
        self.clear_errors()
        self.saving = True
        self.query_one(".dialog-error", RefusalLine).say(Text(SAVING, style="dim"))
        self.submit_to(value, lambda: self._close(value), self._refused)

    def _close(self, value: ValueT) -> None:
        self.dismiss(value)

    def _refused(self, error: DomainError) -> None:
        self.saving = False
        self.show_error(str(error), getattr(error, "field", ""))

    def action_cancel(self) -> None:
        """Close without saving (not while a save is under way: it may still succeed)."""
        if self.saving:
            self.show_error("Saving… one moment.")
            return
        self.dismiss(None)


class ReadOnlyDialog(FormDialog[bool]):
    """A dialog that only shows something (an audit event, a due history): Enter or Esc
    goes back, and neither its hint nor its keys promise a save."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Back", id="dialog.cancel", tooltip="Go back."),
        Binding("enter", "submit", "Back", id="dialog.submit", priority=True, tooltip="Go back."),
    ]
    HINT_TEXT = "Enter or Esc goes back."
    ENTER_DOES = ("goes back", "Back")

    def collect(self) -> bool:
        return True


def key_hint(dialog: FormDialog[Any]) -> str:
    """The keys a dialog has, in words: Enter's (`ENTER_DOES`), ↑↓ where there is one thing
    to choose, Space where there are things to tick, Tab where there is more than one field,
    and Esc. Every form said all of these, a one-box note too."""
    lists = dialog.query(OptionList).results(OptionList)
    multiple = [isinstance(choices, ChoiceList) and choices.multiple for choices in lists]
    keys = [f"Enter {dialog.ENTER_DOES[0]}"]
    if False in multiple:
        keys.append("↑↓ choose")
    if True in multiple or dialog.query(Checkbox):
        keys.append("Space ticks")
    if len(dialog.focus_chain) > 1:
        keys.append("Tab next field")
    return " · ".join([*keys, "Esc cancels"])


def _on_show(widget: Widget) -> bool:
    """Whether `widget` is laid out: neither it nor anything it is inside is hidden (an
    unticked need's detail line, "how did it reach them" while the email is ticked)."""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def field_error(widget_id: str) -> Static:
    """The hidden line under a field where its refusal is shown."""
    line = Static("", id=f"{widget_id}-error", classes="field-error")
    line.display = False
    return line


@dataclass(frozen=True)
class AskOver(Generic[ValueT, ResultT]):
    """A second dialog to ask over the first before anything is final (a preview, a
    confirmation), with its own service call and what to do once that succeeds."""

    dialog: FormDialog[ValueT]
    save: Callable[[Actor, ValueT], ResultT]
    then: Callable[[ResultT], None] | None = None


def ask(
    where: ServiceCaller,
    dialog: FormDialog[ValueT],
    save: Callable[[Actor, ValueT], ResultT],
    *,
    then: Callable[[ResultT], None] | None = None,
    refused: Callable[[DomainError], bool] | None = None,
    confirm: Callable[[ResultT], AskOver[Any, Any] | None] | None = None,
    over: FormDialog[Any] | None = None,
) -> None:
    """Ask in `dialog`; on Enter run `save(actor, value)` as a service call (in a worker,
    as the person who pressed Enter); close on success and pass the result to `then`.
    A DomainError keeps the dialog open with the sentence beside its field; `refused`,
    when given, sees it first and returns True if it dealt with it (e.g. asked another
    dialog over this one, `over=dialog`), leaving the form open as it is.

    `confirm`, when given, sees the result first, the dialog still open: an `AskOver` it
    returns is asked over this dialog, which stays open underneath with what was typed
    (Esc there comes back to it; that dialog's success closes both and runs its own
    `then`); None closes this dialog as usual. `over`: this dialog is asked over that
    open one, which closes too once this one succeeds; a refusal naming a field of that
    one, not of this (the personal line, refused as the email is sent), goes back to it
    and is shown beside that field."""
    results: list[ResultT] = []

    def submit(value: ValueT, saved: Callable[[], None], show: Callable[[DomainError], None]) -> None:
        def succeeded(result: ResultT) -> None:
            second = confirm(result) if confirm is not None else None
            if second is not None:
                dialog.saving = False
                dialog.clear_errors()
                ask(where, second.dialog, second.save, then=second.then, over=dialog)
                return
            results.append(result)
            saved()

        def refusal(error: DomainError) -> None:
            field = getattr(error, "field", "")
            if refused is not None and refused(error):
                dialog.saving = False
                dialog.clear_errors()
            elif over is not None and not dialog.has_field(field) and over.has_field(field):
                dialog.dismiss(None)  # about what was typed underneath: shown there, beside it
                over.show_error(str(error), field)
            else:
                show(error)

        where.call(save, where.actor, value, then=succeeded, refused=refusal)

    def closed(_: ValueT | None) -> None:
        if not results:
            return  # cancelled: back to the dialog underneath, if any, as it was left
        if over is not None and over.is_current:
            over.dismiss(None)  # answered here: nothing is left to ask there
        if then is not None:
            then(results[0])

    dialog.submit_to = submit
    where.app.push_screen(dialog, closed)


def required(value: str, message: str, *, field: str = "") -> str:
    """`value` stripped, or an InvalidInput with `message` (about `field`) when empty."""
    value = value.strip()
    if not value:
        raise InvalidInput(message, field=field)
    return value
