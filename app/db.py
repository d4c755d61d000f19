"""The database proxies every model binds to, and how a URL becomes a live database.

Binding is late: the Flask factory, the scheduler and the CLI each call :func:`init_database`
with their settings. SQLite runs in WAL mode with foreign keys and a busy timeout; both engines
use a connection pool so per-request connect/close is cheap.

``replica`` is a second proxy for public reads (``DATABASE_REPLICA_URL``): the primary itself
when no replica is configured. ``database`` routes through a context variable, so
:func:`using` can send one thread's queries elsewhere while models keep binding to
``database``; :mod:`app.replica` builds the replica reads and their fallback on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import unquote, urlparse

import peewee
from playhouse.pool import PooledPostgresqlDatabase, PooledSqliteDatabase

REPLICA_CONNECT_TIMEOUT_SECONDS = 3
_routed: ContextVar[peewee.Database | None] = ContextVar("linli_db_routed", default=None)


class RoutingDatabaseProxy(peewee.DatabaseProxy):
    """A ``DatabaseProxy`` whose calls go to the database chosen by :func:`using` in the
    current context, else to the initialised one (``.obj`` stays the primary: migrations and
    engine checks read it)."""

    __slots__ = ("obj", "_callbacks", "_Model")  # Proxy.__setattr__ checks the class's own

    def __getattr__(self, attr):
        target = _routed.get()
        if target is None:
            return super().__getattr__(attr)
        return getattr(target, attr)


database = RoutingDatabaseProxy()
replica = peewee.DatabaseProxy()


class BaseModel(peewee.Model):
    """Base for all tables: bound to the proxy, snake_case table names."""

    class Meta:
        database = database
        legacy_table_names = False


def make_database(url: str, *, pool_size: int = 8, busy_timeout_ms: int = 5000,
                  read_only: bool = False):
    """Build (but do not connect) a peewee database for ``sqlite:///…`` or ``postgresql://…``.

    ``read_only``: the replica handle — writes are refused by the server (PostgreSQL
    ``default_transaction_read_only``, SQLite ``query_only``) even where the replica is a
    writable copy, connecting gives up after a few seconds, and no directory is created.
    """
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        if path != ":memory:" and not read_only:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        pragmas = {
            "journal_mode": "wal",
            "foreign_keys": 1,
            "busy_timeout": busy_timeout_ms,
            "synchronous": "normal",
        }
        if read_only:
            pragmas["query_only"] = 1
        # Pooled so per-request connect/close reuses connections: a fresh SQLite connection
        # re-runs the pragmas, and closing the last one checkpoints the WAL every request.
        return PooledSqliteDatabase(
            path,
            max_connections=pool_size,
            stale_timeout=300,
            pragmas=pragmas,
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
    extra = {}
    if read_only:
        extra = {"connect_timeout": REPLICA_CONNECT_TIMEOUT_SECONDS,
                 "options": "-c default_transaction_read_only=on"}
    return PooledPostgresqlDatabase(
        (parsed.path or "/").lstrip("/") or None,
        user=unquote(parsed.username) if parsed.username else None,
        password=unquote(parsed.password) if parsed.password else None,
        host=parsed.hostname,
        port=parsed.port,
        max_connections=pool_size,
        stale_timeout=300,
        timeout=10,
        **extra,
    )


def init_database(url: str, *, replica_url: str | None = None, **kwargs) -> peewee.Database:
    """Point ``database`` at a new database built from ``url`` and ``replica`` at one built
    from ``replica_url`` (read-only), or at the same database when it is empty."""
    db = make_database(url, **kwargs)
    database.initialize(db)
    replica.initialize(make_database(replica_url, read_only=True, **kwargs)
                       if replica_url else db)
    return db


def is_postgres(db: peewee.Database | None = None) -> bool:
    target = db if db is not None else database.obj
    return isinstance(target, peewee.PostgresqlDatabase)


@contextmanager
def using(db: peewee.Database) -> Iterator[peewee.Database]:
    """Send every query of this block (this thread/context only) to ``db``."""
    token = _routed.set(db)
    try:
        yield db
    finally:
        _routed.reset(token)
