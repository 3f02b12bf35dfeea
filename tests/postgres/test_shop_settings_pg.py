"""The shop-wide settings on PostgreSQL: the same tests as on SQLite (import once, lead
only, refusals change nothing, every terminal follows, auto-close waits for the shop's
close), each on a fresh PostgreSQL database."""

from __future__ import annotations

import pytest

from tests.unit.conftest import audit_log  # noqa: F401  (fixtures)
from tests.unit.test_shop_settings import *  # noqa: F403  (the same tests, on PostgreSQL)

pytestmark = pytest.mark.postgres
