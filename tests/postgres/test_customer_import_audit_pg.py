"""The audit events of each customer an import creates or updates, on PostgreSQL: the
same tests as on SQLite (tests/unit/test_customer_import_audit.py), here with a fresh
PostgreSQL database each."""

from __future__ import annotations

import pytest

from tests.unit.test_customer_import_audit import (  # noqa: F401 (collected here, on PostgreSQL)
    test_a_form_open_while_an_import_filled_a_field_names_the_lead_who_ran_it,
    test_an_erased_customer_leaves_nothing_personal_in_the_events_of_their_import,
    test_an_erasure_keeps_which_fields_an_import_or_a_colleague_changed,
    test_each_batch_commits_its_customers_events_with_its_own,
    test_each_customer_an_import_creates_or_updates_shows_it_in_their_subject_access,
    test_unchanged_and_rejected_rows_and_a_dry_run_write_no_customer_event,
)

pytestmark = pytest.mark.postgres
