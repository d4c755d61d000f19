"""Benchmark: authenticated ``GET /api/v1/me`` against a bare Flask endpoint, both under gunicorn.

Loopback only. For each database (a fresh SQLite file, and with ``--database-url`` a PostgreSQL
database, migrated in place and given a bench user) it prepares a resident bound to a household
and a token, starts gunicorn in the production configuration (``LINLI_ENV=production``, a random
32+ character SECRET_KEY, ``WECHAT_MODE=live``: /me makes no WeChat call), warms it up and sends
a bounded load. The bare app (``bench/bare_app.py``) runs under the same gunicorn settings.
Servers run in their own process groups and are always killed, also on Ctrl-C.

    .venv/bin/python bench/me_bench.py [--database-url postgresql://…] [--requests 3000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402  (needs ROOT on sys.path when run as a script)

HOST = "127.0.0.1"
GUNICORN = ["--workers", "2", "--worker-class", "gthread", "--threads", "4",
            "--log-level", "warning", "--no-control-socket"]
BENCH_TREE = (
    ("district", "bench-d", "压测区"),
    ("town", "bench-t", "压测街道"),
    ("village", "bench-v", "压测社区"),
    ("grid", "bench-g", "第一网格"),
    ("building", "bench-b", "1号楼"),
    ("household", "bench-h1", "101室"),
)


def prepare(database_url: str, secret: str) -> str:
    """Migrate ``database_url`` and return a token of a bench resident (created if missing)."""
    import migrations
    from app import crypto
    from app.accounts.models import RoleGrant, User
    from app.accounts.tokens import issue_token
    from app.db import init_database
    from app.regions.models import Region
    from app.regions.services import create_region

    crypto.configure(secret)
    db = init_database(database_url, pool_size=1)
    migrations.upgrade(db)
    with db.connection_context(), db.atomic():
        parent = None
        for level, code, name in BENCH_TREE:
            parent = (Region.get_or_none(Region.code == code)
                      or create_region(code=code, name=name, level=level, parent=parent))
        user = User.get_or_none(User.openid == "bench-resident")
        if user is None:
            user = User.create(openid="bench-resident", display_name="压测居民", household=parent)
            RoleGrant.create(user=user, role="resident", region=parent)
        token = issue_token(user, "miniprogram", 3600)
    if hasattr(db, "close_all"):
        db.close_all()
    return token


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], health_path: str):
    """A gunicorn serving ``app_spec`` on a free loopback port; yields the port."""
    port = _free_port()
    argv = [sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"{HOST}:{port}", app_spec]
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn {app_spec} exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}{health_path}", timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {app_spec} did not start in 30 s") from None
                time.sleep(0.2)
        yield port
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def measure(name, app_spec, env, path, headers, args) -> loadgen.Result:
    print(f"-- {name}: {args.requests} × GET {path}, {args.clients} clients, "
          f"cap {args.time_cap:.0f} s", flush=True)
    with gunicorn(app_spec, env, path if not headers else "/healthz") as port:
        loadgen.warm_up(HOST, port, path, headers)
        return loadgen.run(name, HOST, port, path, headers=headers, total=args.requests,
                           clients=args.clients, time_cap=args.time_cap)


def _table(results: list[loadgen.Result], bare: loadgen.Result) -> str:
    rows = ["| target | requests | errors | req/s | p50 ms | p99 ms | req/s vs bare |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        d = r.as_dict()
        ratio = r.throughput / bare.throughput if bare.throughput else float("nan")
        rows.append(f"| {r.name} | {d['requests']} | {d['errors']} | {d['req_per_s']} | "
                    f"{d['p50_ms']} | {d['p99_ms']} | {ratio:.2f} |")
    return "\n".join(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description="GET /api/v1/me vs a bare Flask endpoint")
    parser.add_argument("--database-url", help="also bench on this postgresql:// database")
    parser.add_argument("--requests", type=int, default=3000, help="per target (default 3000)")
    parser.add_argument("--clients", type=int, default=4, help="client processes (default 4)")
    parser.add_argument("--time-cap", type=float, default=60, help="seconds per target")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the servers' cleanup

    secret = secrets.token_urlsafe(48)
    base_env = dict(os.environ, LINLI_ENV="production", SECRET_KEY=secret, WECHAT_MODE="live",
                    WECHAT_APPID="wx-bench-appid", WECHAT_SECRET="wx-bench-secret",
                    LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    base_env.pop("REDIS_URL", None)
    results = []
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        databases = [("me (SQLite)", f"sqlite:///{tmp}/bench.db")]
        if args.database_url:
            databases.append(("me (PostgreSQL)", args.database_url))
        for name, url in databases:
            token = prepare(url, secret)
            env = dict(base_env, DATABASE_URL=url)
            results.append(measure(name, "miniprogram_api:create_app()", env, "/api/v1/me",
                                   {"Authorization": f"Bearer {token}"}, args))
        bare = measure("bare Flask", "bench.bare_app:create_app()", base_env, "/bare", {}, args)
    results.append(bare)

    print()
    print(f"gunicorn {' '.join(GUNICORN)}; {os.cpu_count()} cores; "
          f"Python {platform.python_version()}; {dt.date.today().isoformat()}")
    print(_table(results, bare))
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (out / f"me_bench-{stamp}.json").write_text(json.dumps(
        {"gunicorn": GUNICORN, "cores": os.cpu_count(), "args": vars(args),
         "results": [r.as_dict() for r in results]}, indent=2))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
