"""Warming up for the floor board loads its modules and reads the board once, then sets
what it loaded aside from the garbage collector's full walks (`ui/heap.py`), which took
85–107 ms of the UI thread each with those objects in them."""

from __future__ import annotations

import gc
import sys

import pytest

from counter_tui.services.context import ShopContext
from counter_tui.ui import warm_up


def test_warming_up_loads_the_floor_and_sets_what_it_loaded_aside(
    ctx: ShopContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(warm_up, "_done", False)
    gc.unfreeze()  # whatever an earlier test in this process set aside is counted again
    try:
        warm_up.warm_up_floor(ctx)
        assert all(name in sys.modules for name in warm_up.MODULES)
        set_aside = gc.get_freeze_count()
        assert set_aside > 50_000  # the modules, classes and functions of the whole app
        warm_up.warm_up_floor(ctx)  # once per process
        assert gc.get_freeze_count() == set_aside
    finally:
        gc.unfreeze()
