"""The wrong-PIN lockout on PostgreSQL: the same tests as on SQLite (the guard row is
inserted with ON CONFLICT and locked with FOR UPDATE there)."""

from __future__ import annotations

import pytest

from tests.unit.conftest import audit_log  # noqa: F401  (fixture used by the imported tests)
from tests.unit.test_pin_lockout import (  # noqa: F401  (collected here against PostgreSQL)
    test_a_lead_clears_a_lockout_from_another_terminal_and_it_is_audited,
    test_a_new_pin_clears_the_lockout_as_the_message_promises,
    test_deleting_kiosk_unlock_audit_rows_does_not_lift_the_kiosk_lockout,
    test_deleting_the_failed_sign_in_audit_rows_does_not_lift_the_lockout,
    test_lockouts_lists_who_is_locked_out_where,
    test_wrong_guesses_at_one_terminal_lock_only_that_terminal,
    till_two,
)

pytestmark = pytest.mark.postgres
