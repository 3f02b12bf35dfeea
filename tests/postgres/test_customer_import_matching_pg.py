"""Who an imported row is, on PostgreSQL: the same tests as on SQLite
(tests/unit/test_customer_import_matching.py), here with a fresh PostgreSQL database each."""

from __future__ import annotations

import pytest

from tests.unit.test_customer_import_matching import (  # noqa: F401 (collected here, on PostgreSQL)
    test_a_customer_erased_in_the_shop_is_not_brought_back_by_an_old_plain_csv,
    test_a_different_name_on_a_phone_a_row_of_the_same_file_linked_is_to_review,
    test_a_row_without_a_till_id_is_the_customer_linked_to_one,
    test_someone_else_on_an_erased_customers_phone_or_back_at_the_counter_is_imported,
    test_the_shops_own_export_imported_back_is_everyone_unchanged,
)

pytestmark = pytest.mark.postgres
