"""Numbered schema migrations (``NNNN_name.py`` with ``up(migrator, db)``) and their runner.

Each script declares frozen copies of the tables it creates, independent of ``app`` models, so
an old migration keeps meaning what it meant when it was written. Applied names are recorded in
``schema_migration``; running ``upgrade`` again applies nothing.
"""

from __future__ import annotations

from pathlib import Path

import peewee
from playhouse.migrations import Runner

DIRECTORY = Path(__file__).resolve().parent
_PG_LOCK_KEY = 7_340_001  # advisory lock id: one migrator at a time across hosts


def _runner(db: peewee.Database) -> Runner:
    return Runner(db, directory=str(DIRECTORY))


def upgrade(db: peewee.Database, target: str | None = None) -> list[str]:
    """Apply pending migrations in order; returns the names applied (empty when up to date)."""
    if isinstance(db, peewee.PostgresqlDatabase):
        with db.connection_context():
            db.execute_sql("SELECT pg_advisory_lock(%s)", (_PG_LOCK_KEY,))
            try:
                return _runner(db).up(target)
            finally:
                db.execute_sql("SELECT pg_advisory_unlock(%s)", (_PG_LOCK_KEY,))
    with db.connection_context():
        return _runner(db).up(target)


def status(db: peewee.Database) -> list[tuple[str, bool]]:
    """(name, applied?) for every migration file, in order."""
    with db.connection_context():
        return [(m.name, m.applied is not None) for m in _runner(db).status()
                if m.path is not None]


def pending(db: peewee.Database) -> list[str]:
    return [name for name, applied in status(db) if not applied]
