"""A partial index over the open requests, for the wide-scope staff queues.

A town's region-path range covers the whole ``request`` table, so a town admin's ``overdue``
or ``escalated`` queue read every row of ``request_region_path_status_id`` and sorted the
matches. ``request_open_id`` holds only the open requests (``app.requests.queries.ACTIVE`` at
the time of writing), newest first by id: the queue walks it backwards and stops after a page.

SQLite uses a partial index only when the query's WHERE repeats the index's condition with the
same literal values, so ``app.requests.queries`` writes that term as literal SQL with exactly
this text. Frozen: the status list is copied here, not imported. Same SQL on both engines.
"""

# app.requests.queries.ACTIVE at the time of writing, in its order.
OPEN_STATUSES = ("accepted", "dispatched", "in_progress", "waiting_for_resident", "returned",
                 "reopened", "submitted")


def up(migrator, db):
    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    db.execute_sql(f"CREATE INDEX request_open_id ON request (id) WHERE status IN ({statuses})")
