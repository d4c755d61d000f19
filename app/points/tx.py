"""Write transactions for the ledger that survive contention on both engines.

:func:`write` runs a function in one transaction. As the outermost transaction it begins
``IMMEDIATE`` on SQLite, so the write lock is taken up front (a deferred transaction that read
first cannot wait for the lock: SQLite refuses it at once with "database is locked"), and it
retries the whole function with backoff when the engine reports a transient conflict (SQLite
busy, PostgreSQL deadlock or serialization failure). Inside a caller's transaction it is a
plain savepoint: the caller owns retries then.

On PostgreSQL every write path takes its row locks in one order — transfers, then accounts by
id, then tallies, then store items — so ledger transactions do not deadlock one another.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

import peewee

from app.db import database, is_postgres

T = TypeVar("T")
ATTEMPTS = 8
_TRANSIENT = ("database is locked", "database table is locked", "busy",
              "deadlock detected", "could not serialize")


def is_transient(exc: Exception) -> bool:
    text = str(exc).lower()
    return any(marker in text for marker in _TRANSIENT)


def write(fn: Callable[[], T], *, attempts: int = ATTEMPTS) -> T:
    """Run ``fn()`` in a write transaction; retried on transient conflicts when outermost."""
    if database.in_transaction():
        with database.atomic():
            return fn()
    for attempt in range(attempts):
        try:
            with _begin():
                return fn()
        except peewee.OperationalError as exc:
            if not is_transient(exc) or attempt == attempts - 1:
                raise
            time.sleep(min(0.5, 0.01 * 2 ** attempt) * (0.5 + random.random()))
    raise AssertionError("unreachable")


def _begin():
    if is_postgres():
        return database.atomic()
    return database.atomic("IMMEDIATE")


def lock_for_update(query):
    """``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transaction already holds
    the single write lock."""
    return query.for_update() if is_postgres() else query
