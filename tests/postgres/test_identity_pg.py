"""One customer, one record on PostgreSQL: the walk-in, duplicate and merge service tests
run again here, against a fresh PostgreSQL database each."""

from __future__ import annotations

import pytest

from tests.unit.conftest import audit_log, bob, fetch, row_count  # noqa: F401  (fixtures)
from tests.unit.test_merge import *  # noqa: F403  (the same tests, on PostgreSQL)
from tests.unit.test_walk_in_to_file import *  # noqa: F403

pytestmark = pytest.mark.postgres
