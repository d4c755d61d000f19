"""``seed-city``: fill an empty, migrated database with a town, a county or a whole city.

Composition-layer tooling (it writes every feature's tables, so it lives beside the CLI, not
in app/): one module per feature area builds its rows from a seeded RNG and the id arithmetic
of :mod:`~miniprogram_api.seeding.scales`, and writes them with batched ``insert_many``
(:mod:`~miniprogram_api.seeding.bulk`) — never row by row through the services, whose
per-row transactions would take hours at city scale, but always in the shape the services
would have left: region paths, states and deadlines, a ledger that sums to zero, Merkle
leaves and nodes that give the head's root.

The same ``seed`` and ``now`` give the same rows. The generator refuses a database that
already holds regions or users (:class:`NotEmpty`): it never merges into real data, and a
second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

import migrations
from app.db import database
from miniprogram_api.seeding import bulk
from miniprogram_api.seeding.disclosures import write_disclosures
from miniprogram_api.seeding.points import write_points
from miniprogram_api.seeding.regions import write_regions, write_residents, write_staff
from miniprogram_api.seeding.requests import write_requests
from miniprogram_api.seeding.scales import PUBLIC_SCALES, SCALES, Shape
from miniprogram_api.seeding.wishes import write_wishes

__all__ = ["NotEmpty", "PUBLIC_SCALES", "SCALES", "SeedReport", "Shape", "seed_city"]

# tables written, for counts and (PostgreSQL) id sequences
TABLES = ("region", "user", "household_binding", "role_grant", "handling_unit", "unit_member",
          "request", "timeline_entry", "request_task", "disclosure", "log_leaf", "log_node",
          "wish", "wish_event", "points_account", "points_transfer", "points_event",
          "points_rule", "request_category")


class NotEmpty(Exception):
    """The database already holds regions or users, or is not fully migrated."""


@dataclass
class SeedReport:
    scale: str
    seed: int
    now: dt.datetime
    steps: list[tuple[str, float, dict[str, int]]] = field(default_factory=list)
    write_seconds: dict[str, float] = field(default_factory=dict)  # per table, writing only

    @property
    def seconds(self) -> float:
        return sum(s for _, s, _ in self.steps)

    def counts(self) -> dict[str, int]:
        """Rows written per table, over all steps."""
        out: dict[str, int] = {}
        for _, _, rows in self.steps:
            for table, n in rows.items():
                out[table] = out.get(table, 0) + n
        return out


def default_now() -> dt.datetime:
    """Midnight UTC today: runs on the same day with the same seed give the same rows."""
    return dt.datetime.combine(dt.datetime.now(dt.UTC).date(), dt.time())


def check_empty() -> None:
    """Raise NotEmpty unless the database is migrated and holds no region and no user."""
    pending = migrations.pending(database.obj)
    if pending:
        raise NotEmpty(f"数据库未迁移到最新版本（待执行 {pending[0]} 等），请先运行 db upgrade")
    for table in ("region", "user"):
        if database.execute_sql(f'SELECT 1 FROM "{table}" LIMIT 1').fetchone():
            raise NotEmpty(f"数据库不是空的（{table} 表已有数据）：seed-city 只写入空数据库")


def seed_city(scale: str | Shape, *, seed: int = 2026, now: dt.datetime | None = None,
              echo: Callable[[str], None] = print) -> SeedReport:
    """Generate ``scale`` (a name in :data:`SCALES`, or a :class:`Shape` with other counts,
    e.g. for a benchmark) into the connected, migrated, empty database. Raises NotEmpty."""
    shape = scale if isinstance(scale, Shape) else Shape.of(scale)
    scale = shape.name
    now = now or default_now()
    start = now - dt.timedelta(days=3 * 365)
    check_empty()
    bulk.tune_session()
    report = SeedReport(scale, seed, now)
    steps = (
        ("regions", lambda: {"region": write_regions(shape, seed, start)}),
        ("staff", lambda: write_staff(shape, seed, start)),
        ("residents", lambda: write_residents(shape, seed, start, now)),
        ("requests", lambda: write_requests(shape, seed, now)),
        ("disclosures", lambda: write_disclosures(shape, seed, now)),
        ("wishes", lambda: write_wishes(shape, seed, now)),
        ("points", lambda: write_points(shape, seed, now)),
    )
    echo(f"seed-city {scale} (seed {seed}, now {now:%Y-%m-%d %H:%M} UTC)")
    for name, step in steps:
        echo(f"  {name} …")
        bulk.WRITE_SECONDS.clear()
        began = time.perf_counter()
        rows = step()
        seconds = time.perf_counter() - began
        report.steps.append((name, seconds, rows))
        for table, spent in bulk.WRITE_SECONDS.items():
            report.write_seconds[table] = report.write_seconds.get(table, 0.0) + spent
        echo(f"  {name}: {seconds:.1f} s — " + ", ".join(
            f"{t} {n:,} ({bulk.WRITE_SECONDS.get(t, 0.0):.1f} s)" for t, n in rows.items()))
    began = time.perf_counter()
    bulk.fix_sequences(TABLES)
    bulk.analyze()
    report.steps.append(("sequences and analyze", time.perf_counter() - began, {}))
    echo(f"  sequences and analyze: {report.steps[-1][1]:.1f} s")
    echo(f"done in {report.seconds:.1f} s (in brackets: seconds spent writing each table)")
    return report

