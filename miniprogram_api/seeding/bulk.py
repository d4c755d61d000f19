"""Bulk writing for the generator: batched multi-row inserts inside transactions, id sequences.

Rows arrive as an iterator of tuples and are written in batches of a few thousand (under
SQLite's limit of 32,766 bound parameters per statement); every ``COMMIT_EVERY`` rows the
transaction is committed, so a city-scale table is neither one huge transaction nor a commit
per batch. The statement is the one peewee's ``insert_many`` builds, but handed to the driver
directly (``executemany`` on SQLite, ``execute_values`` on PostgreSQL): peewee renders every
value through its query builder, which costs more than the insert itself at millions of rows.
Values must therefore already be what the driver stores (ints for foreign keys, naive UTC
datetimes, bools, strings) — the generator builds nothing else.
Ids are given explicitly (the generator computes them), so on PostgreSQL the id sequences are
moved past the largest id afterwards, or the services' next insert would collide.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable, Iterator

from app.db import database, is_postgres

MAX_PARAMS = 32_000
COMMIT_EVERY = 50_000
# seconds spent writing each table (the driver's time, not building the rows); reset per run
WRITE_SECONDS: defaultdict[str, float] = defaultdict(float)


def insert(model, fields: list, rows: Iterable[tuple]) -> int:
    """Write ``rows`` (tuples in ``fields`` order) into ``model``'s table; returns the count."""
    batch = max(1, min(5000, MAX_PARAMS // len(fields)))
    write = _timed(model._meta.table_name, _writer(model, fields))
    count = 0
    pending: list[tuple] = []
    iterator: Iterator[tuple] = iter(rows)
    while True:
        with database.atomic():
            written = 0
            for row in iterator:
                pending.append(row)
                if len(pending) == batch:
                    write(pending)
                    written += len(pending)
                    pending = []
                    if written >= COMMIT_EVERY:
                        break
            else:
                if pending:
                    write(pending)
                    written += len(pending)
                    pending = []
                count += written
                return count
        count += written


def _timed(table: str, write):
    def timed(rows: list[tuple]) -> None:
        began = time.perf_counter()
        write(rows)
        WRITE_SECONDS[table] += time.perf_counter() - began
    return timed


def timed_sql(table: str, sql: str) -> None:
    """Run one set-based statement, its time counted against ``table``."""
    began = time.perf_counter()
    database.execute_sql(sql)
    WRITE_SECONDS[table] += time.perf_counter() - began


def _writer(model, fields: list):
    """A function writing one batch of tuples into ``model``'s table with the raw cursor.

    Columns left out get the model's default (what ``insert_many`` would add), evaluated once.
    """
    table = model._meta.table_name
    given = {f.name for f in fields}
    defaults = [(f, f.default() if callable(f.default) else f.default)
                for f in model._meta.sorted_fields
                if f.name not in given and f.default is not None and not f.primary_key]
    extra = tuple(f.db_value(value) for f, value in defaults)
    fields = list(fields) + [f for f, _ in defaults]
    columns = ", ".join(f'"{f.column_name}"' for f in fields)
    if is_postgres(database.obj):
        from psycopg2.extras import execute_values

        sql = f'INSERT INTO "{table}" ({columns}) VALUES %s'

        def write(rows: list[tuple]) -> None:
            execute_values(database.cursor(), sql, [row + extra for row in rows],
                           page_size=len(rows))
    else:
        sql = f'INSERT INTO "{table}" ({columns}) VALUES ({", ".join("?" * len(fields))})'

        def write(rows: list[tuple]) -> None:
            database.cursor().executemany(sql, [row + extra for row in rows])
    return write


def tune_session() -> None:
    """Settings of this connection only, for a bulk load: SQLite keeps 256 MiB of pages in
    cache (the default 2 MiB thrashes on the secondary indexes of a million-row table);
    PostgreSQL does not wait for the WAL flush at each commit (a crash mid-load loses the
    last batches of a load that is rerun from scratch anyway)."""
    if is_postgres(database.obj):
        database.execute_sql("SET synchronous_commit = off")
    else:
        database.execute_sql("PRAGMA cache_size = -262144")


def fix_sequences(tables: Iterable[str]) -> None:
    """PostgreSQL: set each table's id sequence to its largest id (no-op on SQLite)."""
    if not is_postgres(database.obj):
        return
    for table in tables:
        database.execute_sql(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM \"{table}\"), 1), "
            f"(SELECT MAX(id) FROM \"{table}\") IS NOT NULL)")


def analyze() -> None:
    database.execute_sql("ANALYZE")


def count(table: str) -> int:
    return database.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
