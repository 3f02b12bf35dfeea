"""A terminal that writes as fast as it can until killed: `python -m tests.concurrency.writer URL
STAFF_ID`. After each committed step it prints one line, so the test knows what was
committed before it sent SIGKILL: `created <visit id>`, then `claimed <visit id>`."""

from __future__ import annotations

import sys

from counter_tui.services import visits
from counter_tui.services.context import Actor
from tests.concurrency.workers import worker_context


def main(url: str, staff_id: int) -> None:
    """Create a walk-in, then claim it, forever, reporting each commit on stdout."""
    ctx = worker_context(url)
    actor = Actor(staff_id=staff_id, name="Writer", role="associate")
    while True:
        visit_id = visits.new_walk_in(ctx, actor, description="queue")
        print(f"created {visit_id}", flush=True)
        visits.claim_visit(ctx, actor, visit_id)
        print(f"claimed {visit_id}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
