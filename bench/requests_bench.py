"""Benchmark: requests (群众诉求) with 500,000 requests in one town — submit, lists, scheduler.

Loopback only. For each database (a fresh SQLite file, and with ``--database-url … --reset`` a
PostgreSQL database whose public schema is emptied first) it migrates and bulk-inserts the
town and its requests (``bench/requests_data.py``), prints the query plans, then measures

* under gunicorn (production configuration of ``me_bench.py``): ``POST /api/v1/requests`` as a
  resident, with the WeChat text check (msgSecCheck v2) answered by a fake WeChat server on
  loopback (``WECHAT_API_BASE``); ``GET /api/v1/requests`` (the resident's own); and the staff
  queues ``GET /admin/api/v1/requests?queue=…`` of a grid worker (to_accept, mine, overdue) and
  of the town admin (overdue, over the whole town);
* in-process (one thread, no HTTP): the same list queries, paged as the views page them;
* the escalation job ``app.requests.jobs:escalate_due`` (``requests.escalate``) with ``--due``
  items due among the requests: one pass as the scheduler runs it (500 rows), then passes until
  nothing is due, each timed.

Bounded: ``--requests`` per target, ``--time-cap`` seconds per target, passes until none due
or ``--pass-cap`` seconds. Servers are always killed, also on Ctrl-C.

    .venv/bin/python bench/requests_bench.py [--database-url postgresql://… --reset]
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common, dbtools, loadgen, requests_data  # noqa: E402
from bench.common import GUNICORN, HOST, gunicorn  # noqa: E402

APPID, APPSECRET = "wx-bench-appid", "wx-bench-secret"
SUBMIT = json.dumps({"type": "complaint", "category_code": "environment",
                     "text": "小区门口的垃圾桶好几天没人清理了，气味很大，请尽快处理"},
                    ensure_ascii=False).encode()
QUEUES = (("resident: my requests", "resident", "/api/v1/requests?limit=20"),
          ("grid worker: to_accept", "worker", "/admin/api/v1/requests?queue=to_accept&limit=20"),
          ("grid worker: mine", "worker", "/admin/api/v1/requests?queue=mine&limit=20"),
          ("grid worker: overdue", "worker", "/admin/api/v1/requests?queue=overdue&limit=20"),
          ("town admin: overdue", "admin", "/admin/api/v1/requests?queue=overdue&limit=20"))


@contextmanager
def fake_wechat():
    """A fake WeChat API on a loopback port (token + msgSecCheck), yields its base URL."""
    server = common.serve_fake_wechat(APPID, APPSECRET, allow_test_codes=False)
    try:
        yield f"http://{HOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _actor(user_id: int, kind: str):
    from app.accounts.models import User
    from app.accounts.tokens import issue_token, load_actor

    user = User.get_by_id(user_id)
    return issue_token(user, kind, 7200), load_actor(user, kind)


def _queue(who: str, path: str) -> str:
    """The queue a :data:`QUEUES` path asks for (``resident``: the resident's own list)."""
    return "resident" if who == "resident" else path.split("queue=")[1].split("&")[0]


def _list_query(actor, queue: str):
    from app.requests import queries
    from app.requests import services as requests

    if queue == "resident":
        return requests.my_requests_query(actor)
    return queries.queue_query(actor, queue)


def prepare(database_url: str, secret: str, args) -> dict:
    """Migrate and fill ``database_url``; return tokens, plans and in-process timings."""
    from app.db import is_postgres

    db = dbtools.open_database(database_url, secret, reset=args.reset and not args.reuse,
                              pool_size=1)
    out: dict = {"tokens": {}, "plans": {}}
    with db.connection_context():
        started = time.monotonic()
        ids = (requests_data.bench_ids() if args.reuse and is_postgres(db) else
               requests_data.populate(db, total=args.total, recent=args.recent, due=args.due))
        out["populate_s"] = round(time.monotonic() - started, 1)
        out["due_set"] = ids["due"]
        print(f"   populated in {out['populate_s']} s ({ids['due']} due)", flush=True)
        actors = {}
        for who, kind in (("resident", "miniprogram"), ("submitter", "miniprogram"),
                          ("worker", "staff"), ("admin", "staff")):
            out["tokens"][who], actors[who] = _actor(ids[who], kind)
        for name, who, path in () if args.only_submit else QUEUES:
            query = _list_query(actors[who], _queue(who, path))
            out["plans"][name] = dbtools.query_plan(
                db, query.order_by(query.model.id.desc()).limit(21))
        out["plans"]["escalate_due"] = dbtools.query_plan(db, _due_query())
        out["in_process"] = {} if args.only_submit else in_process(actors, args.inprocess)
    dbtools.close_database(db)
    return out


def _due_query(now=None, batch: int = 500):
    """The read of ``escalate_due`` (app/requests/jobs.py), for its plan."""
    from app.clock import utcnow
    from app.requests.models import Request

    return (Request.select(Request.id).where(Request.next_due_at <= (now or utcnow()))
            .order_by(Request.next_due_at).limit(batch))


def in_process(actors: dict, count: int) -> dict[str, dict]:
    """p50/p99 of each list as the views page it (query + rows, no HTTP, one thread)."""
    out = {}
    for name, who, path in QUEUES:
        figures, rows = common.timed(count, _first_page_rows, actors[who], _queue(who, path))
        out[name] = {"rows": rows, **figures}
    return out


def _first_page_rows(actor, queue: str) -> int:
    from app.requests.models import Request
    from miniprogram_api.pagination import page_of

    return len(page_of(_list_query(actor, queue), Request.id, cursor=None, limit=20).items)


def measure(label: str, env: dict, tokens: dict, args) -> list[loadgen.Result]:
    results = []
    with fake_wechat() as wechat_base, gunicorn("miniprogram_api:create_app()",
                                                dict(env, WECHAT_API_BASE=wechat_base),
                                                "/healthz") as port:
        headers = {"Authorization": f"Bearer {tokens['submitter']}",
                   "Content-Type": "application/json"}
        post = {"method": "POST", "body": SUBMIT, "ok": 201}
        loadgen.warm_up(HOST, port, "/api/v1/requests", headers, n=50, **post)
        for clients in (1, args.clients):  # alone, then contended (one writer / counter row)
            print(f"-- {label} submit: {args.submits} × POST, {clients} clients", flush=True)
            results.append(loadgen.run(f"submit, {clients} client(s) ({label})", HOST, port,
                                       "/api/v1/requests", headers=headers,
                                       total=args.submits, clients=clients,
                                       time_cap=args.time_cap, **post))
        for name, who, path in () if args.only_submit else QUEUES:
            results += common.get_targets(label, port, [(name, path)],
                                          {"Authorization": f"Bearer {tokens[who]}"}, args,
                                          say_clients=False)
    return results


def scheduler(database_url: str, secret: str, pass_cap: float) -> dict:
    """Run ``escalate_due`` as the scheduler does (own connection, default batch) until
    nothing is due; time each pass."""
    from peewee import fn

    from app import crypto
    from app.clock import utcnow
    from app.db import init_database
    from app.requests.jobs import escalate_due
    from app.requests.models import Request

    crypto.configure(secret)
    db = init_database(database_url, pool_size=1)
    passes = []
    with db.connection_context():
        now = utcnow()
        due = Request.select().where(Request.next_due_at <= now).count()
        levels = dict(Request.select(Request.escalation_level, fn.COUNT(Request.id))
                      .where(Request.next_due_at <= now).group_by(Request.escalation_level)
                      .tuples())
        started = time.monotonic()
        while time.monotonic() - started < pass_cap:
            t0 = time.perf_counter()
            counts = escalate_due(now)
            passes.append({**counts, "s": round(time.perf_counter() - t0, 3)})
            if counts["checked"] == 0:
                break
        left = Request.select().where(Request.next_due_at <= now).count()
    dbtools.close_database(db)
    work = [p for p in passes if p["checked"]]
    items = sum(p["checked"] for p in work)
    total_s = sum(p["s"] for p in work)
    return {"due": due, "levels": levels, "left": left, "passes": passes,
            "first_pass_s": work[0]["s"] if work else 0.0,
            "empty_pass_ms": round(passes[-1]["s"] * 1000, 2) if not passes[-1]["checked"]
            else None, "items": items, "drain_s": round(total_s, 1),
            "ms_per_item": round(total_s / items * 1000, 2) if items else None}


def _report(results, prepared, passes) -> None:
    print()
    print(common.machine_line(f"; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}"))
    if results:
        print(common.table(results, p95=True))
    print("\nin-process (one thread, no HTTP): | list | rows | p50 ms | p99 ms |")
    for label, out in prepared.items():
        for name, figures in out["in_process"].items():
            print(f"| {name} ({label}) | {figures['rows']} | {figures['p50_ms']} | "
                  f"{figures['p99_ms']} |")
    print("\nscheduler (requests.escalate, batch 500 per pass):")
    for label, run in passes.items():
        counts = {k: sum(p[k] for p in run["passes"]) for k in ("checked", "stepped",
                                                                 "expired")}
        print(f"| {label} | due {run['due']} {run['levels']} | first pass {run['first_pass_s']}"
              f" s | {len(run['passes'])} passes, {run['drain_s']} s, {counts} | "
              f"{run['ms_per_item']} ms/item | empty pass {run['empty_pass_ms']} ms | "
              f"left {run['left']} |")
    for label, out in prepared.items():
        for name, plan in out["plans"].items():
            print(f"\n{label} plan, {name}:\n{plan}")


def main() -> int:
    parser = argparse.ArgumentParser(description="requests at town scale: submit, lists, "
                                                 "scheduler")
    common.add_database_args(parser)
    parser.add_argument("--total", type=int, default=500_000, help="requests in the database")
    parser.add_argument("--recent", type=int, default=40_000, help="of them in the last 30 days")
    parser.add_argument("--due", type=int, default=10_000, help="of them due for escalation")
    parser.add_argument("--submits", type=int, default=1500, help="POSTs")
    parser.add_argument("--requests", type=int, default=1500, help="GETs per list")
    parser.add_argument("--clients", type=int, default=4, help="client processes")
    parser.add_argument("--time-cap", type=float, default=60, help="seconds per target")
    parser.add_argument("--inprocess", type=int, default=300, help="in-process calls per list")
    parser.add_argument("--pass-cap", type=float, default=300,
                        help="seconds of scheduler passes at most")
    parser.add_argument("--no-http", action="store_true", help="skip the gunicorn part")
    parser.add_argument("--only-submit", action="store_true",
                        help="measure only POST /api/v1/requests")
    parser.add_argument("--reuse", action="store_true",
                        help="PostgreSQL: keep the data of an earlier run (no reset, no fill)")
    args = parser.parse_args()
    common.check_reset(parser, args)
    common.exit_on_sigterm()

    secret = secrets.token_urlsafe(48)
    # One bench resident submits everything: lift the per-user submit limit (20 per hour)
    # that would otherwise answer 429 after the twentieth; the limiter itself still runs.
    base_env = common.server_env(secret, WECHAT_APPID=APPID, WECHAT_SECRET=APPSECRET,
                                 RATE_LIMIT_REQUEST_SUBMIT="1000000 per hour")
    results, prepared, passes = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        for label, url in common.databases(tmp, args.database_url):
            print(f"== {label}: {args.total} requests, {args.due} due", flush=True)
            prepared[label] = prepare(url, secret, args)
            if not args.no_http:
                results += measure(label, dict(base_env, DATABASE_URL=url),
                                   prepared[label]["tokens"], args)
            if not args.only_submit:
                print(f"-- {label} scheduler passes", flush=True)
                passes[label] = scheduler(url, secret, args.pass_cap)

    _report(results, prepared, passes)
    for value in prepared.values():
        value.pop("tokens")
    common.save_results("requests_bench", json.dumps(
        {"gunicorn": GUNICORN, "cores": os.cpu_count(), "args": vars(args),
         "prepared": prepared, "scheduler": passes, "results": [r.as_dict() for r in results]},
        indent=2, ensure_ascii=False, default=str))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
