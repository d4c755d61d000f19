"""Database helpers of the log: lock a log's head, append a leaf, fetch perfect nodes.

Helpers run inside the caller's transaction and never commit. Reading a root or a proof costs
one query for the perfect nodes it needs (at most about 2·log2(n) rows), never a scan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from app.db import database, is_postgres
from app.transparency import merkle
from app.transparency.models import LogHead, LogLeaf, LogNode


def frontier_of(head: LogHead) -> list[bytes]:
    return [bytes.fromhex(h) for h in head.frontier.split()]


def lock_head(log_id: int, now: dt.datetime) -> LogHead:
    """The head row of ``log_id`` (created empty if missing), locked until the transaction ends.

    The INSERT comes first on purpose: on SQLite it takes the database write lock before
    anything is read (so two writers queue instead of one failing on a stale snapshot); on
    PostgreSQL it makes sure there is a row for ``FOR UPDATE`` to lock.
    """
    (LogHead.insert(log_id=log_id, tree_size=0, frontier="", updated_at=now)
     .on_conflict_ignore().execute())
    query = LogHead.select().where(LogHead.log_id == log_id)
    if is_postgres(database.obj):
        query = query.for_update()
    return query.get()


def append_leaf(head: LogHead, *, record_type: str, record_id: str, data: bytes,
                now: dt.datetime) -> LogLeaf:
    """Add leaf ``data`` at index ``head.tree_size`` of a locked head; store completed nodes."""
    leaf = merkle.leaf_hash(data)
    frontier, completed = merkle.append_to_frontier(frontier_of(head), head.tree_size, leaf)
    row = LogLeaf.create(log_id=head.log_id, leaf_index=head.tree_size, leaf_hash=leaf.hex(),
                         record_type=record_type, record_id=record_id,
                         body=data.decode("utf-8"), created_at=now)
    if completed:
        LogNode.insert_many([
            {"log_id": head.log_id, "level": level, "node_index": index, "hash": value.hex()}
            for level, index, value in completed
        ]).execute()
    moved = (LogHead.update(tree_size=LogHead.tree_size + 1,
                            frontier=" ".join(h.hex() for h in frontier), updated_at=now)
             .where((LogHead.log_id == head.log_id) & (LogHead.tree_size == head.tree_size))
             .execute())
    if moved != 1:  # the lock should make this impossible; never leave a gap or a fork
        raise RuntimeError(f"log {head.log_id} head moved during an append")
    return row


def node_getter(log_id: int) -> merkle.GetNodes:
    """A ``get_nodes`` reading leaves (level 0) and stored perfect nodes of one log.

    Hand-written SQL: a proof needs one index lookup per level, and building the nested OR
    expression through the query builder cost more than running it.
    """

    def get_nodes(keys: list[merkle.NodeKey]) -> dict[merkle.NodeKey, bytes]:
        mark = database.param
        found: dict[merkle.NodeKey, bytes] = {}
        by_level: dict[int, list[int]] = defaultdict(list)
        for level, index in keys:
            by_level[level].append(index)
        leaves = by_level.pop(0, [])
        if leaves:
            sql = (f"SELECT leaf_index, leaf_hash FROM log_leaf WHERE log_id = {mark} "
                   f"AND leaf_index IN ({', '.join([mark] * len(leaves))})")
            rows = database.execute_sql(sql, [log_id, *leaves]).fetchall()
            found.update({(0, index): bytes.fromhex(value) for index, value in rows})
        if by_level:
            # log_id inside every OR term, so each term is its own index range (a shared
            # "log_id = ? AND (…)" made SQLite walk every node of the log).
            terms, params = [], []
            for level, indexes in by_level.items():
                terms.append(f"(log_id = {mark} AND level = {mark} AND node_index IN "
                             f"({', '.join([mark] * len(indexes))}))")
                params += [log_id, level, *indexes]
            sql = f"SELECT level, node_index, hash FROM log_node WHERE {' OR '.join(terms)}"
            rows = database.execute_sql(sql, params).fetchall()
            found.update({(level, index): bytes.fromhex(value) for level, index, value in rows})
        return found

    return get_nodes
