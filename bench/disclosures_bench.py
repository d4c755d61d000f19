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
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common, dbtools, loadgen  # noqa: E402
from bench.common import gunicorn  # noqa: E402
from bench.dbtools import CHUNK, insert_rows, weighted  # noqa: E402

START = dt.datetime(2020, 1, 1, 1, 0)
STATES = (("published", 90), ("draft", 3), ("submitted", 2), ("reviewed", 2), ("discarded", 3))
KINDS = (("affairs", 50), ("party", 20), ("finance", 30))
CATEGORY = {"affairs": "decisions", "party": "activities", "finance": "income_expense"}


def populate(db, *, villages: int, disclosures: int, seed: int = 7) -> None:
    from app.accounts.models import User
    from app.disclosures.models import Disclosure
    from app.regions.models import Region

    rng = random.Random(seed)
    regions, by_level = dbtools.region_tree(START, villages, village="第{}村", grid="第一网格")
    town_id, town_path = by_level["town"][0]
    with db.atomic():
        insert_rows(Region, regions)
        insert_rows(User, [{"id": i + 1, "openid": f"bench-{i + 1}",
                            "display_name": f"居民{i + 1}", "household": household_id,
                            "created_at": START}
                           for i, (household_id, _) in enumerate(by_level["household"])])
        staff_id = len(by_level["household"]) + 1
        User.insert(id=staff_id, display_name="压测干部", created_at=START).execute()
        rows = []
        for n in range(disclosures):
            on_town = rng.random() < 0.03
            region_id, path = (town_id, town_path) if on_town else by_level["village"][
                n % villages]
            kind = weighted(rng, KINDS[:2] if on_town else KINDS)  # finance: villages only
            status = weighted(rng, STATES)
            at = START + dt.timedelta(minutes=n * 5 + rng.randrange(5))
            rows.append({"kind": kind, "category": CATEGORY[kind], "title": f"第{n}期公开",
                         "body": "本期公开内容如下……" * 10, "period": f"{at.year}-{at.month:02d}",
                         "extra": "{}", "region": region_id, "region_path": path,
                         "village_id": None if on_town else region_id, "town_id": town_id,
                         "author": staff_id, "status": status,
                         "published_at": at if status == "published" else None,
                         "created_at": at, "updated_at": at})
            if len(rows) == CHUNK:
                insert_rows(Disclosure, rows)
                rows = []
        insert_rows(Disclosure, rows)
    dbtools.fix_sequences(db, ("region", "user"))
    db.execute_sql("ANALYZE")


def _plan(db, actor) -> str:
    from app.disclosures.models import Disclosure
    from app.supervision.places import resident_places

    village_id, _ = resident_places(actor)
    query = (Disclosure.select(Disclosure.published_at, Disclosure.id)
             .where((Disclosure.region == village_id) & (Disclosure.status == "published"))
             .order_by(Disclosure.published_at.desc(), Disclosure.id.desc()).limit(21))
    return dbtools.query_plan(db, query)


def prepare(database_url: str, secret: str, args):
    """Migrate and fill ``database_url``; return a resident's token, the plan, timings."""
    db = dbtools.open_database(database_url, secret, reset=args.reset, pool_size=1)
    with db.connection_context():
        token, actor = dbtools.fill_and_sign_in(lambda: populate(
            db, villages=args.villages, disclosures=args.disclosures))
        plan = _plan(db, actor)
        timings = in_process(actor, args.inprocess)
    dbtools.close_database(db)
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
        out[label], _ = common.timed(count, page, cursor, kind)
    return out


def measure(label: str, env: dict, token: str, args) -> list[loadgen.Result]:
    headers = {"Authorization": f"Bearer {token}"}
    with gunicorn("miniprogram_api:create_app()", env, "/healthz") as port:
        targets = [("first page", "/api/v1/disclosures?limit=20"),
                   ("1,000 deep", common.deep_path(port, "/api/v1/disclosures", token, 1000)),
                   ("finance only", "/api/v1/disclosures?limit=20&kind=finance")]
        return common.get_targets(label, port, targets, headers, args)


def main() -> int:
    parser = argparse.ArgumentParser(description="village disclosure list at town scale")
    common.add_database_args(parser)
    parser.add_argument("--villages", type=int, default=100)
    parser.add_argument("--disclosures", type=int, default=625_000)
    common.add_load_args(parser)
    parser.add_argument("--inprocess", type=int, default=500,
                        help="in-process calls per page (query cost without HTTP)")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    args = parser.parse_args()
    common.check_reset(parser, args)
    common.exit_on_sigterm()

    results, plans, timings = common.list_bench(
        args, "== {label}: {disclosures} disclosures, {villages} villages", prepare, measure)

    print()
    print(common.machine_line())
    if results:
        print(common.table(results))
    print("\nin-process (one thread, no HTTP): | page | p50 ms | p99 ms |")
    common.print_in_process(timings)
    for label, plan in plans.items():
        print(f"\n{label} plan, one index walk of the list:\n{plan}")
    common.save_list_bench("disclosures_bench", args, results, plans, timings)
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
