"""The blocks of the customer view, rendered as rich Text so customer text is never markup."""

from __future__ import annotations

from rich.text import Text

from counter_tui.services.context import ShopContext
from counter_tui.services.labels import CHANNEL_LABELS, OUTCOME_LABELS
from counter_tui.services.views import CustomerDetail, FollowUpView, NoteView, VisitDetail
from counter_tui.ui.format import clock_time, day_and_time, duration
from counter_tui.ui.safe_text import clean, one_line, plain
from counter_tui.ui.tones import STRONG_PENDING, URGENT, tone
from counter_tui.ui.widgets.badges import needs_text


def owner_banner(ctx: ShopContext, visit: VisitDetail) -> tuple[Text, str]:
    """The first thing on the screen: who owns this customer, and the banner's style class."""
    if visit.ended_at is not None:
        outcome = OUTCOME_LABELS.get(visit.outcome or "", visit.outcome or "")
        return plain(f"Visit ended {day_and_time(ctx, visit.ended_at)} — {outcome}"), "ended"
    if visit.owner_id is None:
        waited = duration(visit.arrived_at, ctx.now())
        return Text(f"Nobody has greeted this customer yet (waiting {waited}). Press c to claim."), "unowned"
    since = clock_time(ctx, visit.claimed_at)
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


def visit_block(ctx: ShopContext, visit: VisitDetail) -> Text:
    """Arrival, source, needs and any pending hand-off."""
    text = Text()
    text.append("Visit  ", style="bold")
    text.append(f"arrived {clock_time(ctx, visit.arrived_at)} via {one_line(visit.source, 30)}\n")
    text.append("Needs  ", style="bold")
    text.append_text(
        needs_text(ctx, visit.needs) if visit.needs else Text("none recorded (e to set)", style="dim")
    )
    if visit.pending_handoff is not None:
        handoff = visit.pending_handoff
        text.append("\nHand-off  ", style=tone(STRONG_PENDING))
        text.append(
            f"{one_line(handoff.from_name)} → {one_line(handoff.to_name)}: {one_line(handoff.reason, 60)} "
            f"(asked {clock_time(ctx, handoff.requested_at)}, waiting for a shift lead)"
        )
    return text


def contact_block(customer: CustomerDetail) -> Text:
    """Name, phone, email, consent per channel, standing needs and preferences."""
    text = Text()
    text.append(one_line(customer.name), style="bold")
    if customer.phone:
        text.append(f"   ☎ {one_line(customer.phone)}")
    if customer.email:
        text.append(f"   ✉ {one_line(customer.email)}")
    text.append("\nMay contact by  ", style="bold")
    granted = [CHANNEL_LABELS.get(c.channel, c.channel) for c in customer.consents if c.granted]
    text.append(
        ", ".join(granted) if granted else "nothing agreed yet (in person only)",
        style="" if granted else "dim",
    )
    if customer.standing_needs:
        text.append("\nAlways  ", style="bold")
        text.append(
            ", ".join(
                n.label + (f": {one_line(n.detail)}" if n.detail else "") for n in customer.standing_needs
            )
        )
    text.append("\nLast contacted  ", style="bold")
    text.append(
        one_line(customer.last_contacted) or "not yet", style="" if customer.last_contacted else "dim"
    )
    text.append("\nPreferences  ", style="bold")
    text.append(
        clean(customer.preferences) or "none noted",
        style="" if customer.preferences else "dim",
    )
    return text


def notes_block(ctx: ShopContext, notes: tuple[NoteView, ...]) -> Text:
    """Newest notes first."""
    if not notes:
        return Text("No notes yet (o to add one).", style="dim")
    text = Text()
    for note in notes:
        if text:
            text.append("\n")
        text.append(f"{day_and_time(ctx, note.created_at)} {one_line(note.author)}: ", style="dim")
        text.append(clean(note.body))
    return text


def followups_block(ctx: ShopContext, followups: tuple[FollowUpView, ...]) -> Text:
    """Open follow-ups with their owner and due time; overdue ones stand out."""
    if not followups:
        return Text("Nothing owed to this customer.", style="dim")
    text = Text()
    for item in followups:
        if text:
            text.append("\n")
        style = tone(URGENT) if item.overdue else ""
        text.append(f"{item.kind_label:<13}", style="bold")
        text.append(
            f" due {day_and_time(ctx, item.due_at)}" + (" — overdue" if item.overdue else ""), style=style
        )
        text.append(
            clean(f"  {one_line(item.owner_name)} · {CHANNEL_LABELS.get(item.channel, item.channel)}  "),
            style="dim",
        )
        text.append(one_line(item.summary, 60))
    return text


def history_block(ctx: ShopContext, customer: CustomerDetail) -> Text:
    """Recent visits with owner and outcome."""
    past = [v for v in customer.history if v.ended_at is not None]
    if not past:
        return Text("First visit.", style="dim")
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
