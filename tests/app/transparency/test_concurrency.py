"""Concurrent publishers: appends to one log are serialised, so indexes stay gapless.

Each thread has its own database connection (SQLite file or a PostgreSQL pool connection);
the suite runs this on both engines.
"""

from __future__ import annotations

import threading

from app.db import database
from app.transparency import merkle, services
from app.transparency.models import LogLeaf
from tests.app.transparency.conftest import record

THREADS, EACH = 4, 25


def test_concurrent_appends_get_gapless_indexes_and_a_consistent_tree(tree):
    town = tree.town_a.id
    database.close()  # the threads open their own connections
    start, errors = threading.Barrier(THREADS), []

    def publisher(worker: int):
        try:
            start.wait()
            for n in range(EACH):
                with database.atomic():
                    services.append_record(town, "disclosure", f"{worker}-{n}",
                                           record(worker * 100 + n))
        except Exception as exc:  # reported below with the assertion
            errors.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=publisher, args=(w,)) for w in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    rows = list(LogLeaf.select(LogLeaf.leaf_index, LogLeaf.body)
                .where(LogLeaf.log_id == town).order_by(LogLeaf.leaf_index).tuples())
    assert [index for index, _ in rows] == list(range(THREADS * EACH))
    leaves = [merkle.leaf_hash(body.encode()) for _, body in rows]
    expected = merkle.root_hash(len(leaves), merkle.memory_nodes(leaves))
    assert services.current_root(town).root_hash == expected
    proof = services.inclusion_proof(town, 57, THREADS * EACH)
    assert merkle.verify_inclusion(57, THREADS * EACH, leaves[57], proof.path, expected)
