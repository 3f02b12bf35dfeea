"""The scorecard summed by PostgreSQL gives exactly the row-by-row figures (the same
generated history as on SQLite)."""

from __future__ import annotations

import pytest

from tests.unit.test_scorecard_sums import test_the_sums_match_a_row_by_row_count

pytestmark = pytest.mark.postgres

__all__ = ["test_the_sums_match_a_row_by_row_count"]
