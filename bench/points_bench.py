"""Benchmark: the points ledger at a million accounts — credit throughput, "my rank" p99 and
top-50 p99 — on a fresh SQLite file and, with ``--database-url``, on PostgreSQL.

What it builds (loopback only; PostgreSQL in a private schema ``points_bench`` that is dropped
first and, unless ``--keep``, afterwards):

* a region tree of 10 towns × 10 villages × 10 grids (1,000 grids), a pool per village;
* ``--accounts`` users and person accounts (default 1,000,000), spread evenly over the grids;
* ``--transfers`` credits (default 5,000,000) from each account's village pool, written by one
  bulk ``INSERT … SELECT`` per engine (every fifth in the current Shanghai month, the others
  over the last 18 months), then the cached balances and the ranking tallies (all time, per
  year, per month) computed from those transfers in bulk SQL — generated directly rather than
  through the service, which would take hours on two cores. The secondary indexes of the two
  big tables are dropped for the load and rebuilt after it, then the tables are analysed.

It then measures, through the application's own code:

* **top-50**: ``rankings.ranking`` of a random grid / village / town for a random period
  (month, year, all), names and star levels included — what the rankings API returns;
* **my rank**: the caller's tally and ``rankings.rank_of`` (one COUNT over the index range at
  or above their points) for a random account, scope and period;
* **credits**: ``record_points_event`` end to end (event, two transfers, balances, six
  tallies) for bound residents of 10 villages, sequentially and from ``--workers`` processes.

    .venv/bin/python bench/points_bench.py [--database-url postgresql://…] [--sqlite]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common, dbtools  # noqa: E402

TOWNS, VILLAGES, GRIDS = 10, 10, 10  # per district, per town, per village
SCHEMA = "points_bench"
SECRET = "points-bench-secret-key-0123456789-abcdefgh"
DROP_FOR_LOAD = {
    "points_transfer": ("points_transfer_to_account_id_id", "points_transfer_from_account_id_id",
                        "points_transfer_reverses_id", "points_transfer_region_path_id"),
    "points_tally": ("points_tally_grid_rank", "points_tally_village_rank",
                     "points_tally_town_rank"),
}


def connect(url: str, *, fresh: bool):
    """Initialise the app's database for ``url`` (PostgreSQL: the bench schema)."""
    from app import crypto
    from app.db import init_database, is_postgres, make_database

    crypto.configure(SECRET)
    if url.startswith("postgres") and fresh:
        admin = make_database(url, pool_size=1)
        with admin.connection_context():
            admin.execute_sql(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
            admin.execute_sql(f"CREATE SCHEMA {SCHEMA}")
        admin.close_all()
    db = init_database(url, pool_size=4)
    if is_postgres(db):
        db.connect_params["options"] = f"-c search_path={SCHEMA}"
    return db


def build_tree(db) -> list[tuple[int, int, int, str]]:
    """Regions, rules and pools; returns (grid_id, village_id, town_id, village_path) per grid."""
    import migrations
    from app.points import setup
    from app.points.ledger import ensure_account, place_of
    from app.regions.services import create_region

    migrations.upgrade(db)
    grids = []
    with db.connection_context(), db.atomic():
        district = create_region(code="b", name="压测区", level="district")
        for t in range(TOWNS):
            town = create_region(code=f"b{t}", name=f"街道{t}", level="town", parent=district)
            for v in range(VILLAGES):
                village = create_region(code=f"b{t}-{v}", name=f"社区{t}-{v}",
                                        level="village", parent=town)
                ensure_account("pool", village.id, place_of(village.path),
                               dt.datetime.utcnow())
                for g in range(GRIDS):
                    grid = create_region(code=f"b{t}-{v}-{g}", name=f"网格{g}", level="grid",
                                         parent=village)
                    grids.append((grid.id, village.id, town.id, village.path, grid.path))
        setup.ensure_default_rules()
    return grids


def bulk_load(db, grids, accounts: int, transfers: int) -> dict:
    """Users, person accounts, transfers, balances and tallies in bulk SQL; returns timings."""
    from app.clock import SHANGHAI
    from app.db import is_postgres

    pg = is_postgres(db)
    now = dt.datetime.utcnow().replace(microsecond=0)
    local = now.replace(tzinfo=dt.UTC).astimezone(SHANGHAI)
    month_start = (local.replace(day=1, hour=0, minute=0, second=0)
                   .astimezone(dt.UTC).replace(tzinfo=None))
    into_month = max(60, int((now - month_start).total_seconds()))
    span = 540 * 86400
    timings = {}
    with db.connection_context():
        db.execute_sql("CREATE TEMPORARY TABLE bench_grid (idx INTEGER PRIMARY KEY, grid_id "
                       "INTEGER, village_id INTEGER, town_id INTEGER, village_path TEXT, "
                       "grid_path TEXT, pool_id INTEGER)")
        pools = dict(db.execute_sql("SELECT owner_id, id FROM points_account "
                                    "WHERE kind = 'pool'").fetchall())
        marks = ", ".join([_p(pg)] * 7)
        for idx, (grid_id, village_id, town_id, vpath, gpath) in enumerate(grids):
            db.execute_sql(f"INSERT INTO bench_grid VALUES ({marks})",
                           (idx, grid_id, village_id, town_id, vpath, gpath, pools[village_id]))
        for names in DROP_FOR_LOAD.values():
            for name in names:
                db.execute_sql(f"DROP INDEX {name}")
        first = db.execute_sql("SELECT COALESCE(MAX(id), 0) FROM points_account").fetchone()[0]
        n_grids = len(grids)
        series = ("generate_series(0::bigint, {n}::bigint - 1) AS s(n)" if pg else
                  "(WITH RECURSIVE r(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM r "
                  "WHERE n < {n} - 1) SELECT n FROM r) s")
        started = time.perf_counter()
        with db.atomic():
            _exec(db, pg,
                  'INSERT INTO "user" (id, display_name, is_volunteer, is_party_member, status, '
                "created_at) SELECT 1000000 + n, '居民' || n, FALSE, FALSE, 'active', "
                f"{_p(pg)} FROM " + series.format(n=accounts), (now,))
            _exec(db, pg,
                  "INSERT INTO points_account (id, kind, owner_id, region_path, grid_id, "
                "village_id, town_id, balance, created_at) SELECT "
                f"{first} + 1 + n, 'person', 1000000 + n, g.grid_path, g.grid_id, g.village_id,"
                f" g.town_id, 0, {_p(pg)} FROM " + series.format(n=accounts)
                + f" JOIN bench_grid g ON g.idx = n % {n_grids}", (now,))
        timings["users_and_accounts_s"] = round(time.perf_counter() - started, 1)
        # about one credit in five falls in the current month, the rest over 18 months
        created = (f"CASE WHEN (n * 2654435761) % 97 < 20 "
                   f"THEN {_shift(pg, '+', f'(n * 7919) % {into_month}')} "
                   f"ELSE {_shift(pg, '-', f'(n * 7919) % {span}')} END")
        started = time.perf_counter()
        with db.atomic():
            _exec(db, pg,
                  "INSERT INTO points_transfer (id, from_account_id, to_account_id, amount, "
                "source_ref, event_type, quantity, reason, region_path, created_at) "
                f"SELECT 1 + n, g.pool_id, {first} + 1 + a, 1 + n % 20, 'bench:' || n, "
                f"'wish.fulfilled', 1, '', g.village_path, {created} FROM "
                f"(SELECT n, (n * 48271) % {accounts} AS a FROM "
                + series.format(n=transfers) + f") x JOIN bench_grid g ON g.idx = x.a % {n_grids}",
                (month_start, now))
        timings["transfers_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        with db.atomic():
            _balances_and_tallies(db, pg)
        timings["balances_and_tallies_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        _recreate_indexes(db)
        dbtools.fix_sequences(db, ("points_transfer", "points_account", "user"))  # PostgreSQL
        timings["indexes_s"] = round(time.perf_counter() - started, 1)
        started = time.perf_counter()
        if pg:
            db.execute_sql("VACUUM ANALYZE")
        else:
            db.execute_sql("ANALYZE")
        timings["analyze_s"] = round(time.perf_counter() - started, 1)
        counts = {t: db.execute_sql(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                  for t in ("points_account", "points_transfer", "points_tally")}
    return {"timings": timings, "rows": counts}


def _exec(db, pg: bool, sql: str, params=None):
    """Run bulk SQL; psycopg2 needs a literal ``%`` (modulo) doubled when there are params."""
    if pg and params:
        sql = sql.replace(" % ", " %% ")
    return db.execute_sql(sql, params)


def _p(pg: bool) -> str:
    return "%s" if pg else "?"


def _shift(pg: bool, sign: str, seconds: str) -> str:
    """A time ``seconds`` after (+) the month start or before (−) now, both parameters."""
    if pg:
        return f"(%s::timestamp {sign} make_interval(secs => {seconds}))"
    return f"datetime(?, '{sign}' || ({seconds}) || ' seconds')"


def _balances_and_tallies(db, pg: bool) -> None:
    db.execute_sql("UPDATE points_account SET balance = s.total FROM (SELECT to_account_id AS id,"
                   " SUM(amount) AS total FROM points_transfer GROUP BY to_account_id) s "
                   "WHERE points_account.id = s.id")
    db.execute_sql("UPDATE points_account SET balance = -s.total FROM (SELECT from_account_id "
                   "AS id, SUM(amount) AS total FROM points_transfer GROUP BY from_account_id) s"
                   " WHERE points_account.id = s.id")
    periods = {"all": "'all'",
               "year": ("to_char(t.created_at + interval '8 hours', 'YYYY')" if pg
                        else "strftime('%Y', t.created_at, '+8 hours')"),
               "month": ("to_char(t.created_at + interval '8 hours', 'YYYY-MM')" if pg
                         else "strftime('%Y-%m', t.created_at, '+8 hours')")}
    for expression in periods.values():
        db.execute_sql(
            "INSERT INTO points_tally (account_id, period, account_kind, points, reached_at, "
            f"grid_id, village_id, town_id) SELECT t.to_account_id, {expression}, 'person', "
            "SUM(t.amount), MAX(t.created_at), MIN(a.grid_id), MIN(a.village_id), "
            "MIN(a.town_id) FROM points_transfer t JOIN points_account a "
            f"ON a.id = t.to_account_id GROUP BY t.to_account_id"
            + ("" if expression.startswith("'") else f", {expression}"))


def _recreate_indexes(db) -> None:
    for column in ("to_account_id", "from_account_id"):
        db.execute_sql(f"CREATE INDEX points_transfer_{column}_id ON points_transfer "
                       f"({column}, id)")
    db.execute_sql("CREATE INDEX points_transfer_reverses_id ON points_transfer (reverses_id)")
    db.execute_sql("CREATE INDEX points_transfer_region_path_id ON points_transfer "
                   "(region_path, id)")
    for name, column in (("grid", "grid_id"), ("village", "village_id"), ("town", "town_id")):
        db.execute_sql(f"CREATE INDEX points_tally_{name}_rank ON points_tally ({column}, "
                       "account_kind, period, points DESC, reached_at, account_id)")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(values: list[float]) -> dict:
    ms = [v * 1000 for v in values]
    return {"n": len(ms), "p50_ms": round(percentile(ms, 0.5), 2),
            "p99_ms": round(percentile(ms, 0.99), 2), "max_ms": round(max(ms), 2),
            "mean_ms": round(statistics.mean(ms), 2)}


def measure_reads(db, grids, accounts: int, samples: int, first_person: int) -> dict:
    from app.points import rankings
    from app.points.models import PointsAccount, PointsTally
    from app.points.rules import period_key

    rng = random.Random(7)
    now = dt.datetime.utcnow()
    scopes = {"grid": sorted({g[0] for g in grids}), "village": sorted({g[1] for g in grids}),
              "town": sorted({g[2] for g in grids})}
    top_times, rank_times, ranks, listed = [], [], [], []
    with db.connection_context():
        for _ in range(samples):
            level = rng.choice(list(scopes))
            period = rng.choice(["month", "year", "all"])
            started = time.perf_counter()
            result = rankings.ranking(level, rng.choice(scopes[level]), period, "person", now)
            top_times.append(time.perf_counter() - started)
            listed.append(len(result.rows))
        for _ in range(samples):
            account_id = first_person + rng.randrange(accounts)
            level = rng.choice(list(scopes))
            period = rng.choice(["month", "year", "all"])
            started = time.perf_counter()
            account = PointsAccount.get_by_id(account_id)
            tally = PointsTally.get_or_none((PointsTally.account == account_id)
                                            & (PointsTally.period == period_key(period, now)))
            rank = (rankings.rank_of(tally, level, getattr(account, f"{level}_id"))
                    if tally else None)
            rank_times.append(time.perf_counter() - started)
            ranks.append(rank)
    return {"top50": {**summary(top_times), "rows_min": min(listed)},
            "my_rank": summary(rank_times),
            "my_rank_found": sum(1 for r in ranks if r), "my_rank_max": max(r or 0 for r in ranks)}


def _bound_residents(db, grids, per_village: int) -> list[tuple[int, int]]:
    """Real residents bound to households in the first 10 villages: (user_id, village_id)."""
    from app.accounts.models import User
    from app.regions.models import Region
    from app.regions.services import create_region

    out = []
    first_grid: dict[int, int] = {}
    for grid_id, village_id, *_ in grids:
        first_grid.setdefault(village_id, grid_id)
    with db.connection_context(), db.atomic():
        for village_id, grid_id in list(first_grid.items())[:10]:
            grid = Region.get_by_id(grid_id)
            building = create_region(code=f"bb{grid_id}", name="1号楼", level="building",
                                     parent=grid)
            house = create_region(code=f"bh{grid_id}", name="101室", level="household",
                                  parent=building)
            for n in range(per_village):
                user = User.create(display_name=f"志愿者{n}", household=house.id)
                out.append((user.id, village_id))
    return out


def _credit_worker(url: str, residents, start: int, count: int, queue) -> None:
    from app.points.services import record_points_event

    db = connect(url, fresh=False)
    rng = random.Random(start)
    times, errors = [], 0
    with db.connection_context():
        for n in range(start, start + count):
            user_id, village_id = rng.choice(residents)
            began = time.perf_counter()
            try:
                record_points_event("wish.fulfilled", f"benchcredit:{n}", user_id, village_id)
            except Exception:
                errors += 1
            times.append(time.perf_counter() - began)
    queue.put((times, errors))


def measure_credits(url: str, residents, credits: int, workers: int) -> dict:
    ctx = multiprocessing.get_context("fork")
    out = {}
    for label, procs in (("sequential", 1), (f"{workers}_processes", workers)):
        queue = ctx.Queue()
        base = 10_000_000 * procs
        per = credits // procs
        started = time.perf_counter()
        children = [ctx.Process(target=_credit_worker, args=(url, residents, base + i * per, per,
                                                             queue)) for i in range(procs)]
        for child in children:
            child.start()
        results = [queue.get(timeout=1800) for _ in children]
        for child in children:
            child.join()
        wall = time.perf_counter() - started
        times = [t for r in results for t in r[0]]
        out[label] = {"credits": len(times), "errors": sum(r[1] for r in results),
                      "credits_per_s": round(len(times) / wall, 1), **summary(times)}
    return out


def run(url: str, label: str, args) -> dict:
    print(f"== {label}: {args.accounts:,} accounts, {args.transfers:,} transfers", flush=True)
    db = connect(url, fresh=True)
    grids = build_tree(db)
    with db.connection_context():
        first_person = db.execute_sql("SELECT COALESCE(MAX(id), 0) + 1 FROM points_account"
                                      ).fetchone()[0]
    load = bulk_load(db, grids, args.accounts, args.transfers)
    print(f"   load {load}", flush=True)
    reads = measure_reads(db, grids, args.accounts, args.samples, first_person)
    print(f"   reads {reads}", flush=True)
    residents = _bound_residents(db, grids, 20)
    if hasattr(db, "close_all"):
        db.close_all()
    credits = measure_credits(url, residents, args.credits, args.workers)
    print(f"   credits {credits}", flush=True)
    return {"engine": label, "load": load, "reads": reads, "credits": credits}


def main() -> int:
    parser = argparse.ArgumentParser(description="points ledger benchmark")
    parser.add_argument("--database-url", help="a postgresql:// database (schema points_bench)")
    parser.add_argument("--sqlite", action="store_true", help="also run on a SQLite file")
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--transfers", type=int, default=5_000_000)
    parser.add_argument("--samples", type=int, default=1000, help="reads of each kind")
    parser.add_argument("--credits", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the bench data")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="linli-points-bench-") as tmp:
        if args.sqlite or not args.database_url:
            results.append(run(f"sqlite:///{tmp}/points.db", "SQLite", args))
        if args.database_url:
            results.append(run(args.database_url, "PostgreSQL", args))
            if not args.keep:
                connect(args.database_url, fresh=True)
    meta = {"cores": os.cpu_count(), "python": platform.python_version(),
            "date": dt.date.today().isoformat(), "args": vars(args)}
    common.save_results("points_bench", json.dumps(
        {**meta, "results": results}, indent=2, ensure_ascii=False))
    print(json.dumps({**meta, "results": results}, indent=2, ensure_ascii=False))
    return 1 if any(r["credits"][k]["errors"] for r in results for k in r["credits"]) else 0


if __name__ == "__main__":
    sys.exit(main())
