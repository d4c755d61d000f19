"""The database proxy every model binds to, and how a URL becomes a live database.

Binding is late (a ``DatabaseProxy``): the Flask factory, the scheduler and the CLI each call
:func:`init_database` with their settings. SQLite runs in WAL mode with foreign keys and a busy
timeout; both engines use a connection pool so per-request connect/close is cheap.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

database = peewee.DatabaseProxy()


class BaseModel(peewee.Model):
    """Base for all tables: bound to the proxy, snake_case table names."""

    class Meta:
        database = database
        legacy_table_names = False


def make_database(url: str, *, pool_size: int = 8, busy_timeout_ms: int = 5000):
    """Build (but do not connect) a peewee database for ``sqlite:///…`` or ``postgresql://…``."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # Pooled so per-request connect/close reuses connections: a fresh SQLite connection
        # re-runs the pragmas, and closing the last one checkpoints the WAL every request.
        return PooledSqliteDatabase(
            path,
            max_connections=pool_size,
            stale_timeout=300,
            pragmas={
                "journal_mode": "wal",
                "foreign_keys": 1,
                "busy_timeout": busy_timeout_ms,
                "synchronous": "normal",
            },
            timeout=busy_timeout_ms / 1000,
            # A pooled connection may be handed to another thread later (never to two at once).
            check_same_thread=False,
            # Transactions begin IMMEDIATE. A deferred transaction that reads first and writes
            # later cannot wait for the write lock: if another connection committed meanwhile,
            # SQLite refuses the upgrade at once with "database is locked" (the busy timeout
            # does not apply) and the user gets a 500. Taking the lock at BEGIN makes writers
            # wait their turn instead; WAL readers outside a transaction are not blocked.
            lock_type="IMMEDIATE",
        )
    parsed = urlparse(url)
    if parsed.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"unsupported database url scheme {parsed.scheme!r}")
    return PooledPostgresqlDatabase(
        (parsed.path or "/").lstrip("/") or None,
        user=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        host=parsed.hostname,
        port=parsed.port,
        max_connections=pool_size,
        stale_timeout=300,
        timeout=10,
    )


def init_database(url: str, **kwargs) -> peewee.Database:
    """Point the proxy at a new database built from ``url`` and return it."""
    db = make_database(url, **kwargs)
    database.initialize(db)
    return db


def is_postgres(db: peewee.Database | None = None) -> bool:
    target = db if db is not None else database.obj
    return isinstance(target, peewee.PostgresqlDatabase)
