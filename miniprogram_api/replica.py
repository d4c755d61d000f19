"""``public_read``: serve an anonymous GET view from the read replica (``DATABASE_REPLICA_URL``).

The view runs inside ``app.replica.read_on_replica``: every query it makes — rendering and
schema dumps included, since they happen inside the view — goes to the replica, and it runs on
the primary when the replica is unreachable. Routes declared with ``endpoint(...,
replica=True)`` get it from the decorator; hand-registered ones (``/p`` pages, Open311) put it
under their route decorator. Only for anonymous reads that may lag the primary by a few
seconds: nothing that writes, nothing authenticated, nothing a caller reads right after
writing it.
"""

from __future__ import annotations

import functools

from app.replica import read_on_replica


def public_read(view):
    """Wrap a Flask view so it reads from the replica (falling back to the primary)."""

    @functools.wraps(view)
    def on_replica(*args, **kwargs):
        return read_on_replica(view, *args, **kwargs)

    on_replica.reads_replica = True
    return on_replica
