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
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common, dbtools, loadgen  # noqa: E402
from bench.common import gunicorn  # noqa: E402
from bench.dbtools import CHUNK, insert_rows, weighted  # noqa: E402

VILLAGES, GRIDS, BUILDINGS, HOUSEHOLDS = 10, 5, 4, 10
WISH_STATES = (("approved", 40), ("claimed", 15), ("fulfilled", 5), ("confirmed", 25),
               ("submitted", 5), ("rejected", 4), ("withdrawn", 4), ("taken_down", 2))
POST_LEVELS = (("town", 15), ("village", 35), ("grid", 35), ("building", 15))
POST_STATES = (("published", 90), ("draft", 5), ("withdrawn", 5))
START = dt.datetime(2024, 11, 23, 1, 0)


def _tree(villages: int = VILLAGES, grids: int = GRIDS, buildings: int = BUILDINGS,
          households: int = HOUSEHOLDS):
    """Regions of the bench town as rows with their ids and paths, built in Python."""
    return dbtools.region_tree(START, villages, grids, buildings, households)


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
        insert_rows(Region, regions)
        users = [{"id": i + 1, "openid": f"bench-{i + 1}", "display_name": f"居民{i + 1}",
                  "household": household_id, "is_volunteer": i % 5 == 0,
                  "created_at": START} for i, (household_id, _) in enumerate(households)]
        insert_rows(User, users)
        insert_rows(RoleGrant, [{"user": u["id"], "role": "resident", "region": u["household"],
                             "created_at": START} for u in users])
        staff_id = len(users) + 1
        User.insert(id=staff_id, display_name="压测管理员", created_at=START).execute()
        rows = []
        for n in range(wishes):
            user = users[rng.randrange(len(users))]
            status = weighted(rng, WISH_STATES)
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
                insert_rows(Wish, rows)
                rows = []
        insert_rows(Wish, rows)
        rows = []
        for n in range(posts):
            region_id, path = rng.choice(by_level[weighted(rng, POST_LEVELS)])
            status = weighted(rng, POST_STATES)
            at = START + dt.timedelta(minutes=n * 7 + rng.randrange(7))
            rows.append({"kind": rng.choice(("policy", "news", "notice", "service_guide")),
                         "title": f"第{n}篇文章", "body": "文章正文。" * 40, "region": region_id,
                         "region_path": path, "author": staff_id, "status": status,
                         "pinned": status == "published" and rng.random() < 0.005,
                         "published_at": at if status != "draft" else None,
                         "created_at": at, "updated_at": at})
            if len(rows) == CHUNK:
                insert_rows(Post, rows)
                rows = []
        insert_rows(Post, rows)
    _fix_sequences(db)


def _fix_sequences(db) -> None:
    from app.db import is_postgres

    if not is_postgres(db):
        return
    dbtools.fix_sequences(db, ("region", "user", "role_grant"))
    with db.atomic():
        db.execute_sql("ANALYZE")


def prepare(database_url: str, secret: str, args) -> tuple[str, list[str]]:
    """Migrate and fill ``database_url``; return a resident's token and the query plans."""
    from app.posts import reading
    from app.wishes import services as wishes

    db = dbtools.open_database(database_url, secret, reset=args.reset, pool_size=1)
    with db.connection_context():
        token, actor = dbtools.fill_and_sign_in(
            lambda: populate(db, wishes=args.wishes, posts=args.posts))
        wall = wishes.wall_query(actor).order_by(wishes.Wish.id.desc()).limit(21)
        plans = [dbtools.query_plan(db, wall),
                 dbtools.query_plan(db, _feed_part_query(reading, actor))]
        timings = in_process(actor, args.inprocess)
    dbtools.close_database(db)
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
            out[label], _ = common.timed(count, call, cursor)
    return out


def _feed_part_query(reading, actor):
    from app.posts.models import Post
    from app.regions import rules as region_rules

    village_id = region_rules.path_ids(actor.household_path)[2]
    return (Post.select(Post.pinned, Post.published_at, Post.id)
            .where((Post.region == village_id) & (Post.status == "published"))
            .order_by(Post.pinned.desc(), Post.published_at.desc(), Post.id.desc()).limit(21))


def measure(label: str, env: dict, token: str, args) -> list[loadgen.Result]:
    headers = {"Authorization": f"Bearer {token}"}
    deep = common.deep_path
    with gunicorn("miniprogram_api:create_app()", env, "/healthz") as port:
        targets = [("wall", "/api/v1/wishes/wall?limit=20"),
                   ("wall, 1,000 deep", deep(port, "/api/v1/wishes/wall", token, 1000)),
                   ("posts", "/api/v1/posts?limit=20"),
                   ("posts, 1,000 deep", deep(port, "/api/v1/posts", token, 1000))]
        return common.get_targets(label, port, targets, headers, args)


def main() -> int:
    parser = argparse.ArgumentParser(description="wish wall and post feed at town scale")
    common.add_database_args(parser)
    parser.add_argument("--wishes", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=50_000)
    common.add_load_args(parser)
    parser.add_argument("--inprocess", type=int, default=500,
                        help="in-process calls per list (query cost without HTTP)")
    args = parser.parse_args()
    common.check_reset(parser, args)
    common.exit_on_sigterm()

    results, plans, timings = common.list_bench(
        args, "== {label}: {wishes} wishes, {posts} posts", prepare, measure)

    print()
    print(common.machine_line())
    print(common.table(results))
    print("\nin-process (one thread, no HTTP):")
    common.print_in_process(timings)
    for label, (wall_plan, feed_plan) in plans.items():
        print(f"\n{label} plan, wall:\n{wall_plan}\n{label} plan, one feed part:\n{feed_plan}")
    common.save_list_bench("participation_bench", args, results, plans, timings)
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
