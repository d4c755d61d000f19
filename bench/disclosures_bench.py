"""Benchmark: a village's disclosure list with 625,000 disclosures in one town.

Loopback only. For each database (a fresh SQLite file, and with ``--database-url … --reset`` a
PostgreSQL database whose public schema is emptied first) it migrates and bulk-inserts one town
— ``--villages`` villages with a grid, a building and ten households each, a resident per
household — and ``--disclosures`` disclosures: 97 % on the villages (evenly), 3 % on the town,
kinds affairs / party / finance, 90 % published (the rest drafts, submissions, reviewed and
discarded ones). It prints the query plan of one index walk of the list, then measures

* in-process (one thread, no HTTP): ``app.disclosures.reading.list_disclosures`` — first page,
  a page 1,000 disclosures deep, and the finance-only first page;
* under gunicorn (production configuration, as ``me_bench.py``): ``GET /api/v1/disclosures``
  for the same three pages,

all as a resident of the first village. Bounded: ``--requests`` per target, ``--time-cap``
seconds per target. Servers are always killed, also on Ctrl-C.

    .venv/bin/python bench/disclosures_bench.py [--database-url postgresql://… --reset]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import secrets
import signal
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from bench.me_bench import GUNICORN, HOST, gunicorn  # noqa: E402

HOUSEHOLDS = 10
CHUNK = 2000
START = dt.datetime(2020, 1, 1, 1, 0)
STATES = (("published", 90), ("draft", 3), ("submitted", 2), ("reviewed", 2), ("discarded", 3))
KINDS = (("affairs", 50), ("party", 20), ("finance", 30))
CATEGORY = {"affairs": "decisions", "party": "activities", "finance": "income_expense"}


def _weighted(rng: random.Random, table) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _tree(villages: int):
    """Regions of the bench town as rows with ids and paths, built in Python."""
    rows, counter = [], iter(range(1, 10**7))
    by_level: dict[str, list[tuple[int, str]]] = {}

    def node(level, name, parent):
        node_id = next(counter)
        path = f"{parent[1] if parent else '/'}{node_id}/"
        rows.append({"id": node_id, "code": f"bench-{node_id}", "name": name, "level": level,
                     "parent": parent[0] if parent else None, "path": path,
                     "depth": path.count("/") - 2, "created_at": START})
        by_level.setdefault(level, []).append((node_id, path))
        return node_id, path

    town = node("town", "压测街道", node("district", "压测区", None))
    for v in range(villages):
        village = node("village", f"第{v + 1}村", town)
        building = node("building", "1号楼", node("grid", "第一网格", village))
        for h in range(HOUSEHOLDS):
            node("household", f"{h + 1:02d}室", building)
    return rows, by_level


def _insert(model, rows) -> None:
    for i in range(0, len(rows), CHUNK):
        model.insert_many(rows[i:i + CHUNK]).execute()


def populate(db, *, villages: int, disclosures: int, seed: int = 7) -> None:
    from app.accounts.models import User
    from app.disclosures.models import Disclosure
    from app.regions.models import Region

    rng = random.Random(seed)
    regions, by_level = _tree(villages)
    town_id, town_path = by_level["town"][0]
    with db.atomic():
        _insert(Region, regions)
        _insert(User, [{"id": i + 1, "openid": f"bench-{i + 1}", "display_name": f"居民{i + 1}",
                        "household": household_id, "created_at": START}
                       for i, (household_id, _) in enumerate(by_level["household"])])
        staff_id = len(by_level["household"]) + 1
        User.insert(id=staff_id, display_name="压测干部", created_at=START).execute()
        rows = []
        for n in range(disclosures):
            on_town = rng.random() < 0.03
            region_id, path = (town_id, town_path) if on_town else by_level["village"][
                n % villages]
            kind = _weighted(rng, KINDS[:2] if on_town else KINDS)  # finance: villages only
            status = _weighted(rng, STATES)
            at = START + dt.timedelta(minutes=n * 5 + rng.randrange(5))
            rows.append({"kind": kind, "category": CATEGORY[kind], "title": f"第{n}期公开",
                         "body": "本期公开内容如下……" * 10, "period": f"{at.year}-{at.month:02d}",
                         "extra": "{}", "region": region_id, "region_path": path,
                         "village_id": None if on_town else region_id, "town_id": town_id,
                         "author": staff_id, "status": status,
                         "published_at": at if status == "published" else None,
                         "created_at": at, "updated_at": at})
            if len(rows) == CHUNK:
                _insert(Disclosure, rows)
                rows = []
        _insert(Disclosure, rows)
    from app.db import is_postgres

    if is_postgres(db):
        for table in ("region", "user"):
            db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                           f" (SELECT MAX(id) FROM \"{table}\"))")
        db.execute_sql("ANALYZE")
    else:
        db.execute_sql("ANALYZE")


def _plan(db, actor) -> str:
    from app.db import is_postgres
    from app.disclosures.models import Disclosure
    from app.supervision.places import resident_places

    village_id, _ = resident_places(actor)
    query = (Disclosure.select(Disclosure.published_at, Disclosure.id)
             .where((Disclosure.region == village_id) & (Disclosure.status == "published"))
             .order_by(Disclosure.published_at.desc(), Disclosure.id.desc()).limit(21))
    sql, params = query.sql()
    prefix = "EXPLAIN " if is_postgres(db) else "EXPLAIN QUERY PLAN "
    return "\n".join(str(row[-1]) for row in db.execute_sql(prefix + sql, params).fetchall())


def prepare(database_url: str, secret: str, args):
    """Migrate and fill ``database_url``; return a resident's token, the plan, timings."""
    import migrations
    from app import crypto
    from app.accounts.models import User
    from app.accounts.tokens import issue_token, load_actor
    from app.db import database, init_database, is_postgres

    crypto.configure(secret)
    db = init_database(database_url, pool_size=1)
    if is_postgres(db) and args.reset:
        with db.connection_context():
            db.execute_sql("DROP SCHEMA public CASCADE")
            db.execute_sql("CREATE SCHEMA public")
    migrations.upgrade(db)
    with db.connection_context():
        started = time.monotonic()
        populate(db, villages=args.villages, disclosures=args.disclosures)
        print(f"   populated in {time.monotonic() - started:.1f} s", flush=True)
        resident = User.get(User.openid == "bench-1")
        token = issue_token(resident, "miniprogram", 7200)
        actor = load_actor(resident)
        plan = _plan(db, actor)
        timings = in_process(actor, args.inprocess)
    database.close()
    if hasattr(db, "close_all"):
        db.close_all()
    return token, plan, timings


def in_process(actor, count: int) -> dict[str, dict]:
    """p50/p99 of the list service itself (one thread, no HTTP): the query cost."""
    from app.disclosures import reading

    def page(cursor, kind=None):
        return reading.list_disclosures(actor, kind=kind, cursor=cursor, limit=20).next_cursor

    deep = None
    for _ in range(50):  # 50 pages of 20: the cursor 1,000 disclosures deep
        deep = page(deep)
    out = {}
    for label, cursor, kind in (("first page", None, None), ("1,000 deep", deep, None),
                                ("finance only", None, "finance")):
        latencies = []
        for _ in range(count):
            started = time.perf_counter()
            page(cursor, kind)
            latencies.append(time.perf_counter() - started)
        latencies.sort()
        out[label] = {"p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
                      "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2)}
    return out


def _deep_path(port: int, token: str, depth: int) -> str:
    cursor = None
    for _ in range(depth // 100):
        url = f"http://{HOST}:{port}/api/v1/disclosures?limit=100" + (
            f"&cursor={cursor}" if cursor else "")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            cursor = json.loads(response.read())["data"]["next_cursor"]
        if cursor is None:
            raise RuntimeError(f"fewer than {depth} disclosures: add more data")
    return f"/api/v1/disclosures?limit=20&cursor={cursor}"


def measure(label: str, env: dict, token: str, args) -> list[loadgen.Result]:
    headers = {"Authorization": f"Bearer {token}"}
    results = []
    with gunicorn("miniprogram_api:create_app()", env, "/healthz") as port:
        targets = [("first page", "/api/v1/disclosures?limit=20"),
                   ("1,000 deep", _deep_path(port, token, 1000)),
                   ("finance only", "/api/v1/disclosures?limit=20&kind=finance")]
        for name, path in targets:
            print(f"-- {label} {name}: {args.requests} × GET, {args.clients} clients",
                  flush=True)
            loadgen.warm_up(HOST, port, path, headers)
            results.append(loadgen.run(f"{name} ({label})", HOST, port, path, headers=headers,
                                       total=args.requests, clients=args.clients,
                                       time_cap=args.time_cap))
    return results


def _table(results: list[loadgen.Result], *, p95: bool = False) -> str:
    rows = ["| target | requests | errors | req/s | p50 ms |" + (" p95 ms |" if p95 else "")
            + " p99 ms |", "|---|---:|---:|---:|---:|" + ("---:|" if p95 else "") + "---:|"]
    for r in results:
        d = r.as_dict()
        rows.append(f"| {r.name} | {d['requests']} | {d['errors']} | {d['req_per_s']} | "
                    f"{d['p50_ms']} |" + (f" {d['p95_ms']} |" if p95 else "")
                    + f" {d['p99_ms']} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description="village disclosure list at town scale")
    parser.add_argument("--database-url", help="also bench on this postgresql:// database")
    parser.add_argument("--reset", action="store_true",
                        help="empty the PostgreSQL database's public schema first (required)")
    parser.add_argument("--villages", type=int, default=100)
    parser.add_argument("--disclosures", type=int, default=625_000)
    parser.add_argument("--requests", type=int, default=2000, help="per target")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--time-cap", type=float, default=60, help="seconds per target")
    parser.add_argument("--inprocess", type=int, default=500,
                        help="in-process calls per page (query cost without HTTP)")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    args = parser.parse_args()
    if args.database_url and not args.reset:
        parser.error("--database-url empties that database: add --reset to confirm")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    secret = secrets.token_urlsafe(48)
    base_env = dict(os.environ, LINLI_ENV="production", SECRET_KEY=secret, WECHAT_MODE="live",
                    WECHAT_APPID="wx-bench-appid", WECHAT_SECRET="wx-bench-secret",
                    LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    base_env.pop("REDIS_URL", None)
    results, plans, timings = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        databases = [("SQLite", f"sqlite:///{tmp}/bench.db")]
        if args.database_url:
            databases.append(("PostgreSQL", args.database_url))
        for label, url in databases:
            print(f"== {label}: {args.disclosures} disclosures, {args.villages} villages",
                  flush=True)
            token, plans[label], timings[label] = prepare(url, secret, args)
            if not args.no_http:
                results += measure(label, dict(base_env, DATABASE_URL=url), token, args)

    print()
    print(f"gunicorn {' '.join(GUNICORN)}; {os.cpu_count()} cores; "
          f"Python {platform.python_version()}; {dt.date.today().isoformat()}")
    if results:
        print(_table(results))
    print("\nin-process (one thread, no HTTP): | page | p50 ms | p99 ms |")
    for label, rows in timings.items():
        for name, figures in rows.items():
            print(f"| {name} ({label}) | {figures['p50_ms']} | {figures['p99_ms']} |")
    for label, plan in plans.items():
        print(f"\n{label} plan, one index walk of the list:\n{plan}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"disclosures_bench-{stamp}.json").write_text(json.dumps(
        {"gunicorn": GUNICORN, "cores": os.cpu_count(), "args": vars(args), "plans": plans,
         "in_process": timings, "results": [r.as_dict() for r in results]},
        indent=2, ensure_ascii=False))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
