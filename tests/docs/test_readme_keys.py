"""README's table of keys is the one the code defines, so the documentation cannot drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_readme_keys_table_matches_the_bindings_in_the_code() -> None:
    spec = importlib.util.spec_from_file_location("keys_table", ROOT / "scripts" / "keys_table.py")
    assert spec is not None and spec.loader is not None
    keys_table = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(keys_table)
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert keys_table.table() in readme, "README keys are stale: run `python scripts/keys_table.py --write`"
