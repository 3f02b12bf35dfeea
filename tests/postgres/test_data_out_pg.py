"""Exports, subject access and retention on PostgreSQL: the same tests as on SQLite,
run here with `ctx` on a fresh PostgreSQL database (this folder's conftest)."""

from __future__ import annotations

import pytest

from tests.unit.test_exports import (
    test_customers_export_is_excel_safe_leaves_out_the_erased_and_is_audited,
    test_followups_export_leaves_out_erased_customers,
    test_visits_export_keeps_to_the_shop_days_and_hides_whose_an_erased_visit_was,
)
from tests.unit.test_retention import (
    test_customers_unseen_for_longer_than_the_rule_are_erased_after_a_dry_run,
    test_need_details_in_earlier_audit_events_go_too_and_the_trail_still_verifies,
    test_visit_text_older_than_the_rule_is_blanked_and_newer_or_open_visits_keep_theirs,
)
from tests.unit.test_subject_access import (
    test_an_erased_customer_has_nothing_left_to_give,
    test_an_id_no_customer_ever_had_is_not_called_erased,
    test_found_by_phone_however_typed_or_email_in_any_case,
    test_the_document_holds_everything_about_them_and_nothing_about_others,
    test_the_till_ids_an_import_linked_them_to_are_in_the_document,
)

pytestmark = pytest.mark.postgres

__all__ = [
    "test_an_erased_customer_has_nothing_left_to_give",
    "test_an_id_no_customer_ever_had_is_not_called_erased",
    "test_customers_export_is_excel_safe_leaves_out_the_erased_and_is_audited",
    "test_customers_unseen_for_longer_than_the_rule_are_erased_after_a_dry_run",
    "test_followups_export_leaves_out_erased_customers",
    "test_found_by_phone_however_typed_or_email_in_any_case",
    "test_need_details_in_earlier_audit_events_go_too_and_the_trail_still_verifies",
    "test_the_document_holds_everything_about_them_and_nothing_about_others",
    "test_the_till_ids_an_import_linked_them_to_are_in_the_document",
    "test_visit_text_older_than_the_rule_is_blanked_and_newer_or_open_visits_keep_theirs",
    "test_visits_export_keeps_to_the_shop_days_and_hides_whose_an_erased_visit_was",
]
