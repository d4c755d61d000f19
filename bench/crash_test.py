"""Crash consistency: SIGKILL the server and the scheduler at random moments while a client writes.

Loopback only, bounded (``--cycles`` cycles of at most ``--seconds-per-cycle`` seconds). Once:
migrate the database and seed the demo town, and serve a fake WeChat on loopback
(``bench.crash_town``), so the app runs in its production configuration
(``LINLI_ENV=production``, ``WECHAT_MODE=live``, a random SECRET_KEY; rate limits off, the
client floods on purpose).

Each cycle: start gunicorn (``bench.common.gunicorn``, the benchmarks' server) and the jobs
process (``bench.crash_jobs``: escalation with its "now" moved 8 hours on per cycle, checkpoint
signing); run four
client threads (``bench.crash_client``: requests, points awards, seal uses — the last append to
the transparency log); at a seeded random moment SIGKILL the whole gunicorn process group and
the jobs process; wait until every one of those processes is gone. After the restart that opens
the next cycle, resend the awards left in doubt and check the database (``bench.crash_checks``).
The last restart checks once more after draining the escalations 40 days ahead, which must then
have taken every request (60 seeded before the first cycle, and the client's) to the top of its
ladder exactly once.

    .venv/bin/python bench/crash_test.py [--database-url postgresql://… --reset]
        [--cycles 20] [--seconds-per-cycle 4] [--seed 1] [--json PATH]

Exit status 0 when nothing was lost or duplicated and every invariant held, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import secrets
import select
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common, crash_checks  # noqa: E402  (needs ROOT on sys.path as a script)
from bench.common import HOST, gunicorn, serve_fake_wechat  # noqa: E402
from bench.crash_client import KINDS, Journal, Town, client_thread, retry_awards  # noqa: E402
from bench.crash_town import prepare  # noqa: E402

CLIENTS = 4
STEP = dt.timedelta(hours=8)  # how far the jobs' "now" moves on per cycle
AHEAD = dt.timedelta(days=40)  # the final drain's "now": every ladder is due by then


def _alive_in_group(pgid: int) -> bool:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def kill_group(pgid: int, timeout: float = 15) -> None:
    """SIGKILL a process group and wait until none of its processes runs any more."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while _alive_in_group(pgid):
        if time.monotonic() > deadline:
            raise RuntimeError(f"process group {pgid} survived SIGKILL")
        time.sleep(0.02)


def check(journal: Journal, town: Town, log_id: int, totals: dict, *,
          drain_at: dt.datetime | None = None) -> list[str]:
    """Every check, once (after draining the escalations due at ``drain_at``, if given);
    adds the lost and duplicated markers to ``totals``."""
    from app.db import database

    with database.connection_context():
        if drain_at is not None:
            totals["drained"] = crash_checks.drain_escalations(drain_at)
        figures, failures, lost, duplicated = crash_checks.check_writes(journal, town.cadre_id)
        failures += crash_checks.check_ledger(journal, town.cadre_id)
        log_figures, log_failures = crash_checks.check_log(log_id)
        escalation, escalation_failures = crash_checks.check_escalations()
    totals["lost"] |= lost
    totals["duplicated"] |= duplicated
    totals["writes"], totals["log"], totals["escalation"] = figures, log_figures, escalation
    return failures + log_failures + escalation_failures


def run_cycle(cycle: int, port: int, pgid: int, args, env, town: Town, journal: Journal,
              rng: random.Random, now_ahead: dt.datetime) -> float:
    """Jobs + clients until a random SIGKILL of the server and the jobs; returns the moment."""
    jobs = subprocess.Popen([sys.executable, "-m", "bench.crash_jobs", args.database_url,
                             now_ahead.isoformat()], cwd=ROOT, env=env, start_new_session=True,
                            stdout=subprocess.PIPE, text=True)
    stop = threading.Event()
    threads = [threading.Thread(target=client_thread, args=(HOST, port, town, journal, stop),
                                kwargs={"cycle": cycle, "index": i, "seed": args.seed})
               for i in range(CLIENTS)]
    try:
        ready, _, _ = select.select([jobs.stdout], [], [], 60)
        if not ready or jobs.stdout.readline().strip() != "ready":
            raise RuntimeError("the jobs process did not start")
        for thread in threads:
            thread.start()
        moment = rng.uniform(0.2, args.seconds_per_cycle)
        time.sleep(moment)
        first, second = rng.sample([pgid, jobs.pid], 2)
        kill_group(first)
        time.sleep(rng.uniform(0, 0.1))
        kill_group(second)
    finally:
        if jobs.poll() is None:
            kill_group(jobs.pid)
        jobs.wait()
        jobs.stdout.close()
        stop.set()
        for thread in threads:
            if thread.is_alive() or thread.ident is not None:
                thread.join()
    return moment


def run(args) -> dict:
    started = time.monotonic()
    secret = secrets.token_urlsafe(48)
    appid, wx_secret = "wx-crash-appid", "wx-crash-secret"
    town, log_id = prepare(args.database_url, secret, reset=args.reset)
    print(f"prepared {args.database_url.split(':')[0]} in {time.monotonic() - started:.0f} s",
          flush=True)
    wechat = serve_fake_wechat(appid, wx_secret)
    pidfile = Path(tempfile.mkdtemp(prefix="linli-crash-")) / "gunicorn.pid"
    env = common.server_env(secret, WECHAT_APPID=appid, WECHAT_SECRET=wx_secret,
                            LOG_LEVEL="ERROR",
                            WECHAT_API_BASE=f"http://{HOST}:{wechat.server_address[1]}/",
                            DATABASE_URL=args.database_url, GUNICORN_CMD_ARGS=f"--pid {pidfile}",
                            # The client floods on purpose; the per-user submission limit
                            # would refuse it.
                            RATE_LIMITS_ENABLED="0")
    rng = random.Random(args.seed)
    base = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
    journal, failures, moments, resent = Journal(), [], [], 0
    totals = {"lost": set(), "duplicated": set()}
    try:
        for cycle in range(1, args.cycles + 2):  # the last round only restarts and checks
            final = cycle > args.cycles
            pidfile.unlink(missing_ok=True)
            with gunicorn("miniprogram_api:create_app()", env, "/healthz") as port:
                if cycle > 1:  # a restart after a crash
                    resent += retry_awards(HOST, port, town, journal)
                    failures += [f"after cycle {cycle - 1}: {f}" for f in check(
                        journal, town, log_id, totals, drain_at=base + AHEAD if final else None)]
                if final:
                    break
                pgid = int(pidfile.read_text().strip())
                moments.append(run_cycle(cycle, port, pgid, args, env, town, journal, rng,
                                         base + STEP * cycle))
                print(f"cycle {cycle}/{args.cycles}: killed after {moments[-1]:.2f} s, "
                      f"{len(journal.writes)} writes so far, {len(failures)} failures, "
                      f"{time.monotonic() - started:.0f} s", flush=True)
    finally:
        wechat.shutdown()
    return summarise(args, journal, totals, failures, moments, resent,
                     time.monotonic() - started)


def summarise(args, journal, totals, failures, moments, resent, seconds) -> dict:
    figures = totals.get("writes", {})
    return {
        "engine": "PostgreSQL" if args.database_url.startswith("postgres") else "SQLite",
        "cycles": len(moments), "seed": args.seed, "seconds": round(seconds, 1),
        "seconds_per_cycle": args.seconds_per_cycle,
        "kill_after_s": [round(m, 2) for m in moments],
        "acked": {k: figures.get(k, {}).get("acked", 0) for k in KINDS},
        "in_doubt": {k: figures.get(k, {}).get("in_doubt", 0) for k in KINDS},
        "in_doubt_present": {k: figures.get(k, {}).get("in_doubt_present", 0) for k in KINDS},
        "refused": {k: figures.get(k, {}).get("refused", 0) for k in KINDS},
        "server_errors": {k: sum(1 for w in journal.of(k) if (w.http_status or 0) >= 500)
                          for k in KINDS},
        "awards_resent": resent,
        "lost": len(totals["lost"]), "duplicated": len(totals["duplicated"]),
        "invariant_failures": len(failures), "failures": failures[:50],
        "log": totals.get("log", {}), "escalation": totals.get("escalation", {}),
        "escalation_steps_in_final_drain": totals.get("drained", 0),
    }


def table(results: list[dict]) -> str:
    rows = ["| engine | cycles | acked requests | acked awards | acked seal uses "
            "| in doubt (found) | 5xx | lost | duplicated | invariant failures "
            "| escalation steps (by the killed jobs) | log size / checkpoints |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        doubt, present = sum(r["in_doubt"].values()), sum(r["in_doubt_present"].values())
        steps = r["escalation"].get("steps", 0)
        by_jobs = steps - r.get("escalation_steps_in_final_drain", 0)
        rows.append(f"| {r['engine']} | {r['cycles']} | {r['acked']['request']} | "
                    f"{r['acked']['award']} | {r['acked']['seal_use']} | {doubt} ({present}) | "
                    f"{sum(r['server_errors'].values())} | {r['lost']} | {r['duplicated']} | "
                    f"{r['invariant_failures']} | {steps} ({by_jobs}) | "
                    f"{r['log'].get('tree_size', 0)} / {r['log'].get('checkpoints', 0)} |")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="SIGKILL the server while a client writes")
    parser.add_argument("--database-url", help="postgresql://… (default: a fresh SQLite file)")
    parser.add_argument("--reset", action="store_true",
                        help="empty the PostgreSQL database's public schema first")
    parser.add_argument("--cycles", type=int, default=20)
    parser.add_argument("--seconds-per-cycle", type=float, default=4.0,
                        help="the kill comes at a random moment up to this many seconds in")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", help="write the figures here (default: bench/results/)")
    args = parser.parse_args(argv)
    if args.cycles < 1 or args.seconds_per_cycle < 0.5:
        parser.error("at least one cycle of at least 0.5 s")
    common.exit_on_sigterm()  # run the servers' cleanup
    with tempfile.TemporaryDirectory(prefix="linli-crash-db-") as tmp:
        if not args.database_url:
            args.database_url = f"sqlite:///{tmp}/crash.db"
        elif not args.reset:
            parser.error("--database-url empties that database: add --reset to confirm")
        result = run(args)
    print()
    print(table([result]))
    for failure in result["failures"]:
        print("FAIL", failure)
    text = json.dumps(result, indent=2, ensure_ascii=False)
    if args.json:
        Path(args.json).write_text(text)
    else:
        common.save_results(f"crash_test-{result['engine']}", text)
    ok = not (result["lost"] or result["duplicated"] or result["invariant_failures"])
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
