"""The benchmarks' database helpers: setup, bulk loading and query plans.

:func:`open_database` configures the crypto key, connects, empties PostgreSQL's public schema
when asked and migrates; :func:`close_database` lets go of every connection. :func:`insert_rows`,
:func:`weighted`, :func:`region_tree` and :func:`fix_sequences` bulk-load a bench town and its
rows; :func:`fill_and_sign_in` times a fill and signs in its first resident; :func:`query_plan`
explains one query on either engine. Importing it needs the repository root on ``sys.path``.
"""

from __future__ import annotations

import datetime as dt
import time

CHUNK = 2000


def open_database(url: str, secret: str, *, reset: bool = False, **options):
    """Configure the crypto key, connect (``options`` for ``init_database``), on PostgreSQL
    with ``reset`` empty the public schema first, and migrate; returns the database."""
    import migrations
    from app import crypto
    from app.db import init_database, is_postgres

    crypto.configure(secret)
    db = init_database(url, **options)
    if is_postgres(db) and reset:
        with db.connection_context():
            db.execute_sql("DROP SCHEMA public CASCADE")
            db.execute_sql("CREATE SCHEMA public")
    migrations.upgrade(db)
    return db


def close_database(db) -> None:
    """Close this thread's connection and, for a pool, every pooled one."""
    from app.db import database

    database.close()
    if hasattr(db, "close_all"):
        db.close_all()


def insert_rows(model, rows, fields=None, chunk: int = CHUNK) -> None:
    """``insert_many`` in chunks of ``chunk`` rows."""
    for i in range(0, len(rows), chunk):
        model.insert_many(rows[i:i + chunk], fields=fields).execute()


def weighted(rng, table) -> str:
    """One key of ``table`` ((key, weight), …) drawn by weight."""
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def region_tree(start: dt.datetime, villages: int, grids: int = 1, buildings: int = 1,
                households: int = 10, *, village: str = "第{}社区", grid: str = "第{}网格"):
    """Regions of one bench town as rows with ids and paths, built in Python; returns the rows
    and ``{level: [(id, path), …]}``. ``village``/``grid`` name them (``{}``: the number)."""
    rows, counter = [], iter(range(1, 10**7))
    by_level: dict[str, list[tuple[int, str]]] = {}

    def node(level, name, parent):
        node_id = next(counter)
        path = f"{parent[1] if parent else '/'}{node_id}/"
        rows.append({"id": node_id, "code": f"bench-{node_id}", "name": name, "level": level,
                     "parent": parent[0] if parent else None, "path": path,
                     "depth": path.count("/") - 2, "created_at": start})
        by_level.setdefault(level, []).append((node_id, path))
        return node_id, path

    town = node("town", "压测街道", node("district", "压测区", None))
    for v in range(villages):
        village_node = node("village", village.format(v + 1), town)
        for g in range(grids):
            grid_node = node("grid", grid.format(g + 1), village_node)
            for b in range(buildings):
                building = node("building", f"{b + 1}号楼", grid_node)
                for h in range(households):
                    node("household", f"{h + 1:02d}室", building)
    return rows, by_level


def fix_sequences(db, tables) -> None:
    """PostgreSQL: move the id sequences of ``tables`` past the bulk-inserted ids."""
    from app.db import is_postgres

    if not is_postgres(db):
        return
    for table in tables:
        db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                       f" (SELECT MAX(id) FROM \"{table}\"))")


def query_plan(db, query) -> str:
    """The plan of a peewee ``query`` (``EXPLAIN`` / ``EXPLAIN QUERY PLAN``), one line a step."""
    from app.db import is_postgres

    sql, params = query.sql()
    prefix = "EXPLAIN " if is_postgres(db) else "EXPLAIN QUERY PLAN "
    rows = db.execute_sql(prefix + sql, params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


def fill_and_sign_in(fill) -> tuple[str, object]:
    """Run ``fill()`` (its time said on stdout), then sign in the first bench resident
    (openid ``bench-1``, a two-hour mini-program token): returns (token, actor)."""
    from app.accounts.models import User
    from app.accounts.tokens import issue_token, load_actor

    started = time.monotonic()
    fill()
    print(f"   populated in {time.monotonic() - started:.1f} s", flush=True)
    resident = User.get(User.openid == "bench-1")
    return issue_token(resident, "miniprogram", 7200), load_actor(resident)
