"""Benchmark: the wish wall and the post feed with 100,000 wishes and 50,000 posts in one town.

Loopback only. For each database (a fresh SQLite file, and with ``--database-url … --reset`` a
PostgreSQL database whose public schema is emptied first) it migrates, bulk-inserts one town —
10 villages × 5 grids × 4 buildings × 10 households, a resident per household — then
``--wishes`` wishes (status mix of a living wall) and ``--posts`` posts (town, village, grid and
building level; some pinned, drafts and withdrawn among them), prints the query plans of the two
lists, and measures under gunicorn (production configuration, as ``me_bench.py``):

* ``GET /api/v1/wishes/wall`` (first page, 20) and a page 1,000 wishes deep;
* ``GET /api/v1/posts`` (first page, 20) and a page 1,000 posts deep,

all as a resident of the first village. Bounded: ``--requests`` per target, ``--time-cap``
seconds per target. Servers are always killed, also on Ctrl-C.

    .venv/bin/python bench/participation_bench.py [--database-url postgresql://… --reset]
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

VILLAGES, GRIDS, BUILDINGS, HOUSEHOLDS = 10, 5, 4, 10
WISH_STATES = (("approved", 40), ("claimed", 15), ("fulfilled", 5), ("confirmed", 25),
               ("submitted", 5), ("rejected", 4), ("withdrawn", 4), ("taken_down", 2))
POST_LEVELS = (("town", 15), ("village", 35), ("grid", 35), ("building", 15))
POST_STATES = (("published", 90), ("draft", 5), ("withdrawn", 5))
CHUNK = 2000
START = dt.datetime(2024, 11, 23, 1, 0)


def _weighted(rng: random.Random, table) -> str:
    return rng.choices([k for k, _ in table], weights=[w for _, w in table])[0]


def _tree(villages: int = VILLAGES, grids: int = GRIDS, buildings: int = BUILDINGS,
          households: int = HOUSEHOLDS):
    """Regions of the bench town as rows with their ids and paths, built in Python."""
    rows, nid = [], iter(range(1, 10**7))
    by_level: dict[str, list[tuple[int, str]]] = {}

    def node(level, name, parent):
        node_id = next(nid)
        path = f"{parent[1] if parent else '/'}{node_id}/"
        rows.append({"id": node_id, "code": f"bench-{node_id}", "name": name, "level": level,
                     "parent": parent[0] if parent else None, "path": path,
                     "depth": path.count("/") - 2, "created_at": START})
        by_level.setdefault(level, []).append((node_id, path))
        return node_id, path

    district = node("district", "压测区", None)
    town = node("town", "压测街道", district)
    for v in range(villages):
        village = node("village", f"第{v + 1}社区", town)
        for g in range(grids):
            grid = node("grid", f"第{g + 1}网格", village)
            for b in range(buildings):
                building = node("building", f"{b + 1}号楼", grid)
                for h in range(households):
                    node("household", f"{h + 1:02d}室", building)
    return rows, by_level


def _insert(model, rows) -> None:
    for i in range(0, len(rows), CHUNK):
        model.insert_many(rows[i:i + CHUNK]).execute()


def populate(db, *, wishes: int, posts: int, seed: int = 7) -> None:
    from app.accounts.models import RoleGrant, User
    from app.posts.models import Post
    from app.regions.models import Region
    from app.wishes.models import Wish

    rng = random.Random(seed)
    regions, by_level = _tree()
    paths = {r["id"]: r["path"] for r in regions}
    households = by_level["household"]
    village_of = {}
    for village_id, path in by_level["village"]:
        for household_id, household_path in households:
            if household_path.startswith(path):
                village_of[household_id] = village_id
    with db.atomic():
        _insert(Region, regions)
        users = [{"id": i + 1, "openid": f"bench-{i + 1}", "display_name": f"居民{i + 1}",
                  "household": household_id, "is_volunteer": i % 5 == 0,
                  "created_at": START} for i, (household_id, _) in enumerate(households)]
        _insert(User, users)
        _insert(RoleGrant, [{"user": u["id"], "role": "resident", "region": u["household"],
                             "created_at": START} for u in users])
        staff_id = len(users) + 1
        User.insert(id=staff_id, display_name="压测管理员", created_at=START).execute()
        rows = []
        for n in range(wishes):
            user = users[rng.randrange(len(users))]
            status = _weighted(rng, WISH_STATES)
            rows.append({"wisher": user["id"], "wisher_name": "居**",
                         "region": user["household"], "region_path": paths[user["household"]],
                         "village": village_of[user["household"]], "category": "daily_help",
                         "text": f"第{n}个心愿：想请邻居帮忙搬一下旧家具", "status": status,
                         "claimant": users[(n * 7) % len(users)]["id"]
                         if status in ("claimed", "fulfilled", "confirmed") else None,
                         "claimant_name": "志**" if status in ("claimed", "fulfilled",
                                                              "confirmed") else "",
                         "created_at": START + dt.timedelta(minutes=n)})
            if len(rows) == CHUNK:
                _insert(Wish, rows)
                rows = []
        _insert(Wish, rows)
        rows = []
        for n in range(posts):
            region_id, path = rng.choice(by_level[_weighted(rng, POST_LEVELS)])
            status = _weighted(rng, POST_STATES)
            at = START + dt.timedelta(minutes=n * 7 + rng.randrange(7))
            rows.append({"kind": rng.choice(("policy", "news", "notice", "service_guide")),
                         "title": f"第{n}篇文章", "body": "文章正文。" * 40, "region": region_id,
                         "region_path": path, "author": staff_id, "status": status,
                         "pinned": status == "published" and rng.random() < 0.005,
                         "published_at": at if status != "draft" else None,
                         "created_at": at, "updated_at": at})
            if len(rows) == CHUNK:
                _insert(Post, rows)
                rows = []
        _insert(Post, rows)
    _fix_sequences(db)


def _fix_sequences(db) -> None:
    from app.db import is_postgres

    if not is_postgres(db):
        return
    for table in ("region", "user", "role_grant"):
        db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                       f" (SELECT MAX(id) FROM \"{table}\"))")
    with db.atomic():
        db.execute_sql("ANALYZE")


def prepare(database_url: str, secret: str, args) -> tuple[str, list[str]]:
    """Migrate and fill ``database_url``; return a resident's token and the query plans."""
    import migrations
    from app import crypto
    from app.accounts.models import User
    from app.accounts.tokens import issue_token, load_actor
    from app.db import database, init_database, is_postgres
    from app.posts import reading
    from app.wishes import services as wishes

    crypto.configure(secret)
    db = init_database(database_url, pool_size=1)
    if is_postgres(db) and args.reset:
        with db.connection_context():
            db.execute_sql("DROP SCHEMA public CASCADE")
            db.execute_sql("CREATE SCHEMA public")
    migrations.upgrade(db)
    with db.connection_context():
        started = time.monotonic()
        populate(db, wishes=args.wishes, posts=args.posts)
        print(f"   populated in {time.monotonic() - started:.1f} s", flush=True)
        resident = User.get(User.openid == "bench-1")
        token = issue_token(resident, "miniprogram", 7200)
        actor = load_actor(resident)
        plans = [_plan(db, wishes.wall_query(actor).order_by(wishes.Wish.id.desc()).limit(21)),
                 _plan(db, _feed_part_query(reading, actor))]
        timings = in_process(actor, args.inprocess)
    database.close()
    if hasattr(db, "close_all"):
        db.close_all()
    return token, plans, timings


def in_process(actor, count: int) -> dict[str, dict]:
    """p50/p99 of the two list services themselves (one thread, no HTTP): the query cost."""
    from app.posts import reading
    from app.wishes import describe
    from app.wishes import services as wishes
    from miniprogram_api.pagination import page_of

    def wall(cursor):
        page = page_of(wishes.wall_query(actor), wishes.Wish.id, cursor=cursor, limit=20)
        describe.summaries(actor, page.items)
        return page.next_cursor

    def feed(cursor):
        return reading.list_posts(actor, cursor=cursor, limit=20).next_cursor

    out = {}
    for name, call in (("wall", wall), ("posts", feed)):
        deep = None
        for _ in range(50):  # 50 pages of 20: the cursor 1,000 items deep
            deep = call(deep)
        for label, cursor in ((name, None), (f"{name}, 1,000 deep", deep)):
            latencies = []
            for _ in range(count):
                started = time.perf_counter()
                call(cursor)
                latencies.append(time.perf_counter() - started)
            latencies.sort()
            out[label] = {"p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
                          "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2)}
    return out


def _feed_part_query(reading, actor):
    from app.posts.models import Post
    from app.regions import rules as region_rules

    village_id = region_rules.path_ids(actor.household_path)[2]
    return (Post.select(Post.pinned, Post.published_at, Post.id)
            .where((Post.region == village_id) & (Post.status == "published"))
            .order_by(Post.pinned.desc(), Post.published_at.desc(), Post.id.desc()).limit(21))


def _plan(db, query) -> str:
    from app.db import is_postgres

    sql, params = query.sql()
    prefix = "EXPLAIN " if is_postgres(db) else "EXPLAIN QUERY PLAN "
    rows = db.execute_sql(prefix + sql, params).fetchall()
    return "\n".join(str(row[-1]) for row in rows)


def _deep_path(port: int, path: str, token: str, depth: int) -> str:
    """``path`` with the cursor that follows the first ``depth`` items."""
    cursor = None
    for _ in range(depth // 100):
        url = f"http://{HOST}:{port}{path}?limit=100" + (f"&cursor={cursor}" if cursor else "")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            cursor = json.loads(response.read())["data"]["next_cursor"]
        if cursor is None:
            raise RuntimeError(f"{path} has fewer than {depth} items: add more data")
    return f"{path}?limit=20&cursor={cursor}"


def measure(label: str, env: dict, token: str, args) -> list[loadgen.Result]:
    headers = {"Authorization": f"Bearer {token}"}
    results = []
    with gunicorn("miniprogram_api:create_app()", env, "/healthz") as port:
        targets = [("wall", "/api/v1/wishes/wall?limit=20"),
                   ("wall, 1,000 deep", _deep_path(port, "/api/v1/wishes/wall", token, 1000)),
                   ("posts", "/api/v1/posts?limit=20"),
                   ("posts, 1,000 deep", _deep_path(port, "/api/v1/posts", token, 1000))]
        for name, path in targets:
            print(f"-- {label} {name}: {args.requests} × GET, {args.clients} clients",
                  flush=True)
            loadgen.warm_up(HOST, port, path, headers)
            results.append(loadgen.run(f"{name} ({label})", HOST, port, path, headers=headers,
                                       total=args.requests, clients=args.clients,
                                       time_cap=args.time_cap))
    return results


def _table(results: list[loadgen.Result]) -> str:
    rows = ["| target | requests | errors | req/s | p50 ms | p99 ms |",
            "|---|---:|---:|---:|---:|---:|"]
    for r in results:
        d = r.as_dict()
        rows.append(f"| {r.name} | {d['requests']} | {d['errors']} | {d['req_per_s']} | "
                    f"{d['p50_ms']} | {d['p99_ms']} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description="wish wall and post feed at town scale")
    parser.add_argument("--database-url", help="also bench on this postgresql:// database")
    parser.add_argument("--reset", action="store_true",
                        help="empty the PostgreSQL database's public schema first (required)")
    parser.add_argument("--wishes", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--requests", type=int, default=2000, help="per target")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--time-cap", type=float, default=60, help="seconds per target")
    parser.add_argument("--inprocess", type=int, default=500,
                        help="in-process calls per list (query cost without HTTP)")
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
            print(f"== {label}: {args.wishes} wishes, {args.posts} posts", flush=True)
            token, plans[label], timings[label] = prepare(url, secret, args)
            results += measure(label, dict(base_env, DATABASE_URL=url), token, args)

    print()
    print(f"gunicorn {' '.join(GUNICORN)}; {os.cpu_count()} cores; "
          f"Python {platform.python_version()}; {dt.date.today().isoformat()}")
    print(_table(results))
    print("\nin-process (one thread, no HTTP):")
    for label, rows in timings.items():
        for name, figures in rows.items():
            print(f"| {name} ({label}) | {figures['p50_ms']} | {figures['p99_ms']} |")
    for label, (wall_plan, feed_plan) in plans.items():
        print(f"\n{label} plan, wall:\n{wall_plan}\n{label} plan, one feed part:\n{feed_plan}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"participation_bench-{stamp}.json").write_text(json.dumps(
        {"gunicorn": GUNICORN, "cores": os.cpu_count(), "args": vars(args), "plans": plans,
         "in_process": timings,
         "results": [r.as_dict() for r in results]}, indent=2, ensure_ascii=False))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
