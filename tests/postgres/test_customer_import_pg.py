"""Importing a till's customer export on PostgreSQL: the same tests as on SQLite
(tests/unit/test_customer_import.py), here with a fresh PostgreSQL database each."""

from __future__ import annotations

import pytest

from tests.unit.test_customer_import import (  # noqa: F401 (collected here, on PostgreSQL)
    test_a_conflicting_phone_or_email_is_reported_not_replaced,
    test_a_consent_withdrawn_in_the_shop_is_never_granted_again_by_an_import,
    test_a_dry_run_counts_what_the_import_would_do_and_writes_nothing,
    test_a_family_sharing_a_phone_in_a_plain_csv_stays_two_customers,
    test_a_later_export_fills_what_was_empty_and_reports_what_differs,
    test_a_row_of_a_customer_merged_in_the_shop_updates_the_kept_record,
    test_a_shopify_admin_export_is_read_by_its_headers,
    test_a_square_export_in_windows_1252_with_quoted_newlines,
    test_a_till_customer_linked_by_id_is_not_renamed_either,
    test_an_erased_customer_is_not_brought_back_by_an_old_export,
    test_an_imports_no_never_withdraws_a_consent_given_at_the_counter,
    test_an_opt_out_in_a_newer_export_withdraws_a_yes_an_import_gave,
    test_an_opt_out_in_a_newer_export_withdraws_an_imported_yes_and_never_the_shops,
    test_bad_rows_go_to_a_rejects_file_with_a_reason_and_the_rest_is_imported,
    test_batches_and_the_import_are_audited_with_counts,
    test_importing_the_same_file_again_changes_nothing,
    test_rows_sharing_a_customers_phone_never_rename_them_or_replace_their_details,
    test_the_same_person_is_matched_across_case_spacing_and_unicode_forms,
    test_the_same_person_twice_in_a_file_is_one_customer_in_a_dry_run_too,
    test_two_till_customers_sharing_a_phone_stay_two_customers,
)

pytestmark = pytest.mark.postgres
