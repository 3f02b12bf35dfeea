"""Withdrawn email on PostgreSQL: the same tests as on SQLite (erasure withdraws and
scrubs the outbox in its transaction; the sender withdraws, inside its claim, a message
to an erased customer, one without email consent or to an old address), each on a fresh
PostgreSQL database, against the local SMTP server."""

from __future__ import annotations

import pytest

from tests.unit.conftest import audit_log, bob  # noqa: F401  (fixtures)
from tests.unit.test_mail_withdrawn import *  # noqa: F403  (the same tests, on PostgreSQL)

pytestmark = pytest.mark.postgres
