"""The blocks of the customer view: a `Section` widget each, drawing its block as rich
Text (so customer text is never markup) in the looks its component classes are given in
app.tcss, with the theme's variables; a theme change redraws them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.theme import Theme
from textual.widgets import Static

from counter_tui.kiosk_words import name_of, tag
from counter_tui.services.context import ShopContext
from counter_tui.services.labels import CHANNEL_LABELS, OUTCOME_LABELS
from counter_tui.services.views import CustomerDetail, FollowUpView, NoteView, VisitDetail
from counter_tui.ui.format import clock_time, day_and_time, duration
from counter_tui.ui.guarded_app import Guarded
from counter_tui.ui.safe_text import clean, one_line, plain
from counter_tui.ui.widgets.badges import BADGE_LOOK_NAMES, needs_text
from counter_tui.ui.widgets.component_looks import looks_of

BOLD, DIM = Style(bold=True), Style(dim=True)
PLAIN_BADGES: Mapping[str, Style] = dict.fromkeys(BADGE_LOOK_NAMES, Style(reverse=True))


@dataclass(frozen=True)
class Looks:
    """The styles a block is drawn in; a `Section` takes them from its component classes."""

    label: Style = BOLD
    quiet: Style = DIM
    overdue: Style = BOLD
    pending: Style = BOLD
    badges: Mapping[str, Style] = field(default_factory=lambda: PLAIN_BADGES)


PLAIN = Looks()
"""Looks without colour, for drawing a block outside a running app."""
Draw = Callable[[Looks], Text]


class Section(Guarded, Static):
    """One block of the customer view. `show` takes how to draw it (one of the block
    functions below, waiting for its looks), so a theme change can draw it again."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "section--label",
        "section--quiet",
        "section--overdue",
        "section--pending",
        *(f"section--{name}" for name in BADGE_LOOK_NAMES),
    }

    def __init__(self, *, id: str) -> None:
        super().__init__(id=id)
        self._draw: Draw | None = None

    def on_mount(self) -> None:
        """Draw again in the new colours when the theme changes."""
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)

    def show(self, draw: Draw) -> None:
        """Draw the block with `draw`, now and whenever the theme changes."""
        self._draw = draw
        self.update(plain(draw(self.looks())))

    def looks(self) -> Looks:
        """The block's styles from this widget's component classes (see app.tcss)."""

        def style(name: str) -> Style:
            return self.get_component_rich_style(f"section--{name}")

        badges = looks_of(self, "section", BADGE_LOOK_NAMES)
        return Looks(style("label"), style("quiet"), style("overdue"), style("pending"), badges)

    def _theme_changed(self, _theme: Theme) -> None:
        if self._draw is not None:
            self.show(self._draw)


def quiet(words: str) -> Draw:
    """A block saying only `words` (our own), quietly."""
    return lambda looks: plain(words, style=looks.quiet)


def owner_banner(ctx: ShopContext, visit: VisitDetail) -> tuple[Text, str]:
    """The first thing on the screen: who owns this customer, and the banner's style class."""
    if visit.ended_at is not None:
        outcome = OUTCOME_LABELS.get(visit.outcome or "", visit.outcome or "")
        return plain(f"Visit ended {day_and_time(ctx, visit.ended_at)} — {outcome}"), "ended"
    if visit.owner_id is None:
        waited = duration(visit.arrived_at, ctx.now())
        return Text(f"Nobody has greeted this customer yet (waiting {waited}). Press c to claim."), "unowned"
    since = clock_time(ctx, visit.owner_since)
    owner = one_line(visit.owner_name)
    if visit.is_owner:
        text = Text(f"You own this customer since {since}.")
    else:
        text = Text(f"{owner} owns this customer since {since}.")
        if not visit.can_act:
            text.append(clean(" Read only: " + visit.blocked_reason.split(". ", 1)[-1]))
    if visit.helper_names:
        text.append("  Helping: " + ", ".join(one_line(name) for name in visit.helper_names))
    return text, "mine" if visit.is_owner else ("helping" if visit.can_act else "theirs")


def visit_block(ctx: ShopContext, visit: VisitDetail, looks: Looks = PLAIN) -> Text:
    """Arrival, source, needs and any pending hand-off."""
    text = Text()
    text.append("Visit  ", style=looks.label)
    text.append(f"arrived {clock_time(ctx, visit.arrived_at)} via {one_line(visit.source, 30)}")
    if visit.language:
        text.append_text(plain(f"; kiosk language {name_of(visit.language)} ({tag(visit.language)})"))
    text.append("\n")
    text.append("Needs  ", style=looks.label)
    settable = visit.can_act and visit.ended_at is None  # else e is not offered here
    text.append_text(
        needs_text(ctx, visit.needs, looks.badges)
        if visit.needs
        else Text("none recorded (e to set)" if settable else "none recorded", style=looks.quiet)
    )
    if visit.pending_handoff is not None:
        handoff = visit.pending_handoff
        text.append("\nHand-off  ", style=looks.pending)
        text.append(
            f"{one_line(handoff.from_name)} → {one_line(handoff.to_name)}: {one_line(handoff.reason, 60)} "
            f"(asked {clock_time(ctx, handoff.requested_at)}, waiting for a shift lead)"
        )
    return text


def contact_block(customer: CustomerDetail, looks: Looks = PLAIN) -> Text:
    """Name, phone, email, consent per channel, standing needs and preferences."""
    text = Text()
    text.append(one_line(customer.name), style=looks.label)
    if customer.phone:
        text.append(f"   ☎ {one_line(customer.phone)}")
    if customer.email:
        text.append(f"   ✉ {one_line(customer.email)}")
    text.append("\nMay contact by  ", style=looks.label)
    granted = any(c.granted for c in customer.consents)
    text.append(one_line(customer.may_contact), style="" if granted else looks.quiet)
    if customer.standing_needs:
        text.append("\nAlways  ", style=looks.label)
        text.append(
            ", ".join(
                n.label + (f": {one_line(n.detail)}" if n.detail else "") for n in customer.standing_needs
            )
        )
    text.append("\nLast contacted  ", style=looks.label)
    text.append(
        one_line(customer.last_contacted) or "not yet", style="" if customer.last_contacted else looks.quiet
    )
    text.append("\nPreferences  ", style=looks.label)
    text.append(
        clean(customer.preferences) or "none noted",
        style="" if customer.preferences else looks.quiet,
    )
    return text


def notes_block(ctx: ShopContext, notes: tuple[NoteView, ...], can_add: bool, looks: Looks = PLAIN) -> Text:
    """Newest notes first; with none, how to add one where this person may (`can_add`)."""
    if not notes:
        return Text("No notes yet (o to add one)." if can_add else "No notes yet.", style=looks.quiet)
    text = Text()
    for note in notes:
        if text:
            text.append("\n")
        text.append(f"{day_and_time(ctx, note.created_at)} {one_line(note.author)}: ", style=looks.quiet)
        text.append(clean(note.body))
    return text


def followups_block(ctx: ShopContext, followups: tuple[FollowUpView, ...], looks: Looks = PLAIN) -> Text:
    """Open follow-ups with their owner and due time; overdue ones stand out."""
    if not followups:
        return Text("Nothing owed to this customer.", style=looks.quiet)
    text = Text()
    for item in followups:
        if text:
            text.append("\n")
        style = looks.overdue if item.overdue else ""
        text.append(f"{item.kind_label:<13}", style=looks.label)
        text.append(
            f" due {day_and_time(ctx, item.due_at)}" + (" — overdue" if item.overdue else ""), style=style
        )
        text.append(
            clean(f"  {one_line(item.owner_name)} · {CHANNEL_LABELS.get(item.channel, item.channel)}  "),
            style=looks.quiet,
        )
        text.append(one_line(item.summary, 60))
    return text


def history_block(ctx: ShopContext, customer: CustomerDetail, looks: Looks = PLAIN) -> Text:
    """Recent visits with owner and outcome."""
    past = [v for v in customer.history if v.ended_at is not None]
    if not past:
        return Text("First visit.", style=looks.quiet)
    text = Text()
    for visit in past:
        if text:
            text.append("\n")
        outcome = OUTCOME_LABELS.get(visit.outcome or "", visit.outcome or "")
        text.append(
            clean(
                f"{day_and_time(ctx, visit.arrived_at)}  {one_line(visit.owner_name or 'nobody')}  {outcome}"
            )
        )
    return text
