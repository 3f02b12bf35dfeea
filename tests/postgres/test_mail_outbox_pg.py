"""The outbox on PostgreSQL: the same tests as on SQLite (consent refused, the message
written with the completion, delivered to the local SMTP server, refusals, drops and
timeouts retried, one conditional UPDATE claims a message for one sender), each on a
fresh PostgreSQL database."""

from __future__ import annotations

import pytest

from tests.unit.conftest import audit_log, bob, row_count  # noqa: F401  (fixtures)
from tests.unit.test_mail_outbox import *  # noqa: F403  (the same tests, on PostgreSQL)

pytestmark = pytest.mark.postgres
