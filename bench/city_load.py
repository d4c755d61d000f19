"""City-scale load test: resident, staff and bot mixes against a ``seed-city`` database.

    .venv/bin/python bench/city_load.py --database-url URL --prepare [--seconds 20]
        [--requests 20000] [--clients 4] [--rate 0] [--mixes resident,staff,bot]

``--prepare`` (idempotent, :mod:`bench.city_prepare`) gives sampled staff a console password,
creates posts, actions, fresh requests and bot groups through the services and picks the
residents; its plan is kept in ``bench/results/city_plan-<database>.json`` so later runs may
leave ``--prepare`` out. Each mix (:mod:`bench.city_mix`) then runs once, after a short
warm-up, from ``--clients`` processes until ``--requests`` are sent or ``--seconds`` pass:
back to back (closed loop: the clients saturate the server; they share its cores), or with
``--rate`` at that many requests per second per client (open loop: latency at a given load).

Served by gunicorn with the production file ``deploy/gunicorn.conf.py`` (2 workers × 4
threads on 2 cores, preloaded, recycled every 5,000 requests) with ``LINLI_ENV=production``,
``WECHAT_MODE=live`` against a fake WeChat on loopback, no Redis. One setting differs from
production: the console login limit per client address (``RATE_LIMIT_STAFF_LOGIN``) is lifted,
since every staff client shares the loopback address. The workers' RSS (``VmRSS`` of each
child of the gunicorn master) is sampled every half second. The bare-Flask ceiling
(``bench/bare_app.py``, same gunicorn file) is measured in the same run. Figures: a markdown
table per mix on stdout and JSON in ``bench/results/city_load-*.json``. Exit status 1 when any
operation had an error, 0 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import city_mix, common, loadgen  # noqa: E402  (needs ROOT on sys.path)
from bench.city_server import CONFIG, RSS_BUDGET_MB, RssSampler, error_lines, serve  # noqa: E402
from bench.common import HOST  # noqa: E402

APPID, APPSECRET = "wx-cityload-appid", "wx-cityload-secret"
SECRET = "cityload-bench-secret-not-for-production-0123456789"  # seals the bot endpoints


# -- running the mixes --------------------------------------------------------------------
def client_arguments(mix: str, plan: dict, clients: int) -> list[tuple]:
    """What each client of ``mix`` works on (its own people, groups), without port/count."""
    if mix == "resident":
        people = [{"user_id": uid, "code": v["code"], "action_id": v["action_id"],
                   "follow": v["follow"]} for v in plan["villages"] for uid in v["residents"]]
        people.sort(key=lambda p: p["user_id"])
        return [(people[i::clients] or people,) for i in range(clients)]
    if mix == "staff":
        staff = plan["staff"]
        return [({role: staff[role][i % len(staff[role])] for role in staff},
                 plan["password"]) for i in range(clients)]
    groups = plan["bot"]["groups"]
    return [(groups[i::clients] or groups, plan["bot"]["tracking"]) for i in range(clients)]


def run_mix(mix: str, port: int, plan: dict, *, clients: int, total: int, seconds: float,
            seed: int, rate: float = 0.0) -> tuple[dict, float]:
    """Run ``mix`` from ``clients`` processes; returns (per-operation tallies, wall s)."""
    client = {"resident": city_mix.resident_client, "staff": city_mix.staff_client,
              "bot": city_mix.bot_client}[mix]
    deadline = time.monotonic() + seconds
    arguments = [(port, *extra, seed + i, share, deadline, rate) for i, (extra, share) in enumerate(
        zip(client_arguments(mix, plan, clients), loadgen.shares(total, clients),
            strict=True))]
    with mp.get_context("spawn").Pool(clients) as pool:
        parts = pool.starmap(client, arguments)
    ops: dict[str, dict] = {}
    for part in parts:
        for name, row in part["ops"].items():
            into = ops.setdefault(name, {"lat": [], "errors": 0, "expected": 0,
                                         "statuses": {}})
            into["lat"] += row["lat"]
            into["errors"] += row["errors"]
            into["expected"] += row["expected"]
            for status, n in row["statuses"].items():
                into["statuses"][status] = into["statuses"].get(status, 0) + n
    wall = max(p["end"] for p in parts) - min(p["start"] for p in parts)
    return ops, wall


def summarise(mix: str, label: str, ops: dict, wall: float) -> list[dict]:
    """One row per operation (and the mix's total) with its figures and target."""
    targets = {op.name: op.target_ms for op in city_mix.MIXES[mix]}
    rows = []
    everything = []
    for name, row in ops.items():
        if not row["lat"]:
            continue
        everything += row["lat"]
        result = loadgen.Result(f"{mix}: {name} ({label})", len(row["lat"]), row["errors"],
                                wall, sorted(row["lat"]))
        figures = result.as_dict()
        rows.append(dict(figures, operation=name, expected=row["expected"],
                         statuses=row["statuses"], target_p99_ms=targets[name],
                         meets=(not targets[name] or figures["p99_ms"] <= targets[name])
                         and row["errors"] == 0))
    total = loadgen.Result(f"{mix}: all ({label})", len(everything),
                           sum(r["errors"] for r in rows), wall, sorted(everything)).as_dict()
    rows.append(dict(total, operation="all", expected=sum(r["expected"] for r in rows),
                     statuses={}, target_p99_ms=None, meets=all(r["meets"] for r in rows)))
    return rows


def markdown(rows: list[dict]) -> str:
    out = ["| operation | requests | errors | expected 4xx | req/s | p50 ms | p95 ms | p99 ms "
           "| p99 target | meets |", "|---|" + "---:|" * 8 + "---|"]
    for r in rows:
        target = f"≤ {r['target_p99_ms']}" if r["target_p99_ms"] else ""
        out.append(f"| {r['name']} | {r['requests']} | {r['errors']} | {r['expected']} | "
                   f"{r['req_per_s']} | {r['p50_ms']} | {r['p95_ms']} | {r['p99_ms']} | "
                   f"{target} | {'yes' if r['meets'] else '**no**'} |")
    return "\n".join(out)


# -- the run ------------------------------------------------------------------------------
def plan_path(url: str, given: Path | None = None) -> Path:
    if given is not None:
        return given
    name = urlparse(url).path.strip("/").replace("/", "_") or "db"
    return common.RESULTS / f"city_plan-{Path(name).stem}.json"


def do_prepare(url: str, args) -> dict:
    from bench import city_prepare, dbtools

    db = dbtools.open_database(url, args.secret, pool_size=1)
    try:
        with db.connection_context():
            plan = city_prepare.prepare(args)
    finally:
        dbtools.close_database(db)
    path = plan_path(url, args.plan)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(plan, indent=1, ensure_ascii=False))
    print(f"prepared in {plan['seconds']} s: created {plan['did']}, bound "
          f"{plan['bot']['bound']} bot groups; plan in {path}", flush=True)
    return plan


def measure(url: str, plan: dict, args) -> dict:
    label = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    wechat = common.serve_fake_wechat(APPID, APPSECRET)
    env = common.server_env(
        args.secret, DATABASE_URL=url, WECHAT_APPID=APPID, WECHAT_SECRET=APPSECRET,
        WECHAT_API_BASE=f"http://{HOST}:{wechat.server_address[1]}/",
        RATE_LIMIT_STAFF_LOGIN="100000 per minute")
    out: dict = {"database": label, "mixes": {}, "rss": {}, "server_errors": {}}
    common.RESULTS.mkdir(parents=True, exist_ok=True)
    log = common.RESULTS / f"city_load-server-{label}.log"
    log.write_text("")
    out["server_log"] = str(log)
    try:
        for mix in args.mixes:
            with serve("miniprogram_api:create_app()", env, log=log) as (port, master):
                print(f"-- {mix} ({label}): warm-up, then {args.clients} clients, "
                      f"≤ {args.requests} requests, ≤ {args.seconds:.0f} s", flush=True)
                if args.warm_up:
                    run_mix(mix, port, plan, clients=min(2, args.clients),
                            total=args.warm_up, seconds=15, seed=9000)
                sampler = RssSampler(master)
                sampler.start()
                ops, wall = run_mix(mix, port, plan, clients=args.clients,
                                    total=args.requests, seconds=args.seconds, seed=1,
                                    rate=args.rate)
                out["rss"][mix] = sampler.report()
                out["mixes"][mix] = summarise(mix, label, ops, wall)
            out["server_errors"][mix] = error_lines(log)
        with serve("bench.bare_app:create_app()", env, "/bare") as (port, _):
            print(f"-- bare Flask ceiling: ≤ {args.requests} × GET /bare", flush=True)
            loadgen.warm_up(HOST, port, "/bare")
            out["bare"] = loadgen.run("bare Flask", HOST, port, "/bare", total=args.requests,
                                      clients=args.clients, time_cap=args.seconds).as_dict()
    finally:
        wechat.shutdown()
        wechat.server_close()
    return out


def report(out: dict) -> str:
    workers = os.environ.get("GUNICORN_WORKERS") or os.cpu_count()
    lines = [f"gunicorn -c {CONFIG} ({workers} workers × "
             f"{os.environ.get('GUNICORN_THREADS', '4')} threads, preloaded); "
             f"{os.cpu_count()} cores; Python {platform.python_version()}; "
             f"{dt.date.today().isoformat()}; load average "
             + " ".join(f"{x:.1f}" for x in os.getloadavg())]
    for mix, rows in out["mixes"].items():
        rss = out["rss"][mix]
        lines += ["", f"{mix} mix ({out['database']}): worker RSS peak {rss['peak_mb']} MB "
                      f"({rss['peak_after_settle_mb']} MB after the first {rss['settle_s']:.0f}"
                      f" s; {rss['workers_seen']} workers; ≤ {RSS_BUDGET_MB} MB: "
                      f"{'yes' if rss['meets'] else 'no'}); server log ERROR lines so far: "
                      f"{out['server_errors'][mix]}", markdown(rows)]
    bare = out["bare"]
    lines += ["", f"bare Flask ceiling (same gunicorn file): {bare['requests']} requests, "
                  f"{bare['req_per_s']} req/s, p50 {bare['p50_ms']} ms, p99 {bare['p99_ms']} "
                  f"ms, {bare['errors']} errors"]
    return "\n".join(lines)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description="city-scale load test (seed-city database)")
    parser.add_argument("--database-url", required=True, help="a seed-city database")
    parser.add_argument("--prepare", action="store_true", help="run the idempotent prepare")
    parser.add_argument("--no-load", action="store_true", help="prepare only")
    parser.add_argument("--mixes", type=lambda s: [m for m in s.split(",") if m],
                        default=list(city_mix.MIXES), help="resident,staff,bot")
    parser.add_argument("--seconds", type=float, default=20, help="per mix (default 20)")
    parser.add_argument("--requests", type=int, default=20_000, help="per mix (default 20000)")
    parser.add_argument("--clients", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--rate", type=float, default=0,
                        help="requests/s per client (open loop); 0: back to back (default)")
    parser.add_argument("--staff", type=int, default=50, help="sampled staff per role")
    parser.add_argument("--villages", type=int, default=20, help="villages with fixtures")
    parser.add_argument("--residents", type=int, default=2000, help="sampled residents")
    parser.add_argument("--fresh", type=int, default=10,
                        help="submitted requests kept waiting per sampled grid")
    parser.add_argument("--bot-groups", type=int, default=20, help="bound bot groups")
    parser.add_argument("--secret", default=os.environ.get("CITY_LOAD_SECRET", SECRET),
                        help="SECRET_KEY of prepare and server (keep it across runs)")
    parser.add_argument("--warm-up", type=int, default=60,
                        help="unmeasured requests per mix first (default 60)")
    parser.add_argument("--plan", type=Path,
                        help="where the plan is kept (default bench/results/city_plan-<db>.json)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    unknown = set(args.mixes) - set(city_mix.MIXES)
    if unknown:
        parser.error(f"unknown mixes: {', '.join(sorted(unknown))}")
    return args


def main(argv=None) -> int:
    args = parse_args(argv)
    common.exit_on_sigterm()
    url = args.database_url
    if args.prepare:
        plan = do_prepare(url, args)
    elif plan_path(url, args.plan).exists():
        plan = json.loads(plan_path(url, args.plan).read_text())
    else:
        raise SystemExit(f"no plan for this database ({plan_path(url, args.plan)}): "
                         "add --prepare")
    if args.no_load:
        return 0
    out = measure(url, plan, args)
    out.update(args={k: str(v) for k, v in vars(args).items() if k != "secret"},
               prepared=plan["did"], cores=os.cpu_count(), config=CONFIG)
    print()
    print(report(out))
    text = json.dumps(out, indent=1, ensure_ascii=False)
    print(f"\nsaved {common.save_results('city_load', text)}")
    if args.json:
        args.json.write_text(text)
    return 1 if any(r["errors"] for rows in out["mixes"].values() for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
