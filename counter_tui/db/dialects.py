"""The SQLAlchemy dialect module of a session's own database, loaded when first used.

`insert(...).on_conflict_do_nothing()` lives in each dialect's module; importing both
PostgreSQL's and SQLite's at the top of a service made every SQLite terminal load
PostgreSQL's dialect too (about 2 MiB resident for the whole day, issue 12).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from sqlmodel import Session


def own_dialect(session: Session) -> ModuleType:
    """`sqlalchemy.dialects.postgresql` on PostgreSQL, else `sqlalchemy.dialects.sqlite`."""
    name = "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"
    return importlib.import_module(f"sqlalchemy.dialects.{name}")
