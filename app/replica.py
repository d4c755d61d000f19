"""Public reads on the read replica (``DATABASE_REPLICA_URL``, issue 10 "scaling out"), with
the fallback to the primary.

:func:`read_on_replica` runs one function with *every* query of the current thread/context
sent to ``app.db.replica`` (see ``app.db.using``): models keep binding to ``database``, so
concurrent requests on other threads (gunicorn gthread) stay on the primary — unlike
``Model.bind_ctx``, which rebinds the class for every thread. A replica that cannot be reached
is skipped for :data:`RETRY_SECONDS` (one warning, no personal data) and the function runs on
the primary. Only anonymous, read-only callers may use it: the replica lags the primary by up
to a few seconds, and its handle refuses writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TypeVar

import peewee

from app.db import database, replica, using

T = TypeVar("T")
log = logging.getLogger("linli.db.replica")

RETRY_SECONDS = 30
# "This server cannot answer now": refused, dropped, restarted, or a hot standby cancelling a
# query that conflicts with replay. A wrong query raises ProgrammingError and is not retried.
UNREACHABLE = (peewee.OperationalError, peewee.InterfaceError)


class _Health:
    """Whether to try the replica now: after a failure, not for RETRY_SECONDS. Keyed by the
    replica object, so a re-initialised replica starts healthy."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._down: tuple[peewee.Database, float] | None = None

    def usable(self, target: peewee.Database) -> bool:
        down = self._down
        return down is None or down[0] is not target or time.monotonic() >= down[1]

    def failed(self, target: peewee.Database, exc: Exception) -> None:
        with self._lock:
            first = self._down is None or self._down[0] is not target
            self._down = (target, time.monotonic() + RETRY_SECONDS)
        if first:  # the type only: a driver message may quote a statement and its values
            log.warning("read replica unavailable (%s); public reads use the primary, "
                        "next try in %d s", type(exc).__name__, RETRY_SECONDS)
        _discard_connections(target)

    def succeeded(self, target: peewee.Database) -> None:
        if self._down is None:
            return
        with self._lock:
            was_down = self._down is not None and self._down[0] is target
            if was_down:
                self._down = None
        if was_down:
            log.info("read replica reachable again; public reads use it")


_health = _Health()


def _close_quietly(target: peewee.Database) -> None:
    try:
        target.close()
    except Exception:  # noqa: BLE001 - a dead connection may fail to close; it is gone anyway
        pass


def _discard_connections(target: peewee.Database) -> None:
    """Drop this thread's replica connection and the idle ones pooled with it: after a replica
    restart every pooled connection is dead, and each would cost one failed request."""
    _close_quietly(target)
    if hasattr(target, "close_idle"):
        target.close_idle()


def has_replica() -> bool:
    """Is a replica configured (DATABASE_REPLICA_URL set), distinct from the primary?"""
    return replica.obj is not None and replica.obj is not database.obj


def read_on_replica(fn: Callable[..., T], *args, **kwargs) -> T:
    """``fn(*args, **kwargs)`` with every query on the read replica; on the primary when there
    is no replica, it is resting after a failure, or it fails now (then ``fn`` runs again on
    the primary, so ``fn`` must only read). For anonymous public reads that tolerate a few
    seconds of lag; never for writes, authenticated callers or read-your-writes."""
    target = replica.obj
    if not has_replica() or not _health.usable(target):
        return fn(*args, **kwargs)
    try:
        target.connect(reuse_if_open=True)
        with using(target):
            result = fn(*args, **kwargs)
    except UNREACHABLE as exc:
        _health.failed(target, exc)
        return fn(*args, **kwargs)
    except BaseException:
        _close_quietly(target)  # a domain error (not found, bad input): the replica is fine
        raise
    target.close()
    _health.succeeded(target)
    return result


def replica_state() -> str:
    """"none" (no replica configured), "ok" or "unavailable" — probed at most once per
    RETRY_SECONDS while down, so a dead replica does not slow the probe. For /readyz; never
    raises for an unreachable replica."""
    target = replica.obj
    if not has_replica():
        return "none"
    if not _health.usable(target):
        return "unavailable"
    try:
        target.connect(reuse_if_open=True)
        try:
            target.execute_sql("SELECT 1")
        finally:
            _close_quietly(target)
    except UNREACHABLE as exc:
        _health.failed(target, exc)
        return "unavailable"
    _health.succeeded(target)
    return "ok"
