"""What a change feed reports to screens."""

from __future__ import annotations

from dataclasses import dataclass, field

from counter_tui.services.changes import Change


@dataclass(frozen=True)
class FeedEvent:
    """What the feed saw: new changes, and whether the database answered.

    `online` is False while the database cannot be reached; screens show that they
    are offline and reconnecting. `resumed` is True on the first event after the feed
    lost its connection and got it back: changes made meanwhile are in `changes` as far
    as they could be recovered, but screens should simply reload what they show.
    `presence` lists visit ids whose "who's looking" set changed (see
    `counter_tui.services.presence`); those are not data changes, so not in `changes`.
    `replaced` (with `resumed`) says the database was replaced (a restore) or its change
    log went backwards: everything a screen holds, and any change number it kept, is stale.
    """

    online: bool
    changes: tuple[Change, ...] = field(default=())
    presence: tuple[int, ...] = field(default=())
    resumed: bool = False
    replaced: bool = False
