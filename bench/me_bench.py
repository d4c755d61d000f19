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
import json
import os
import secrets
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import common, dbtools, loadgen  # noqa: E402  (needs ROOT on sys.path as a script)
from bench.common import GUNICORN, HOST, gunicorn  # noqa: E402  (public here too: tests, scripts)

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
    from app.accounts.models import RoleGrant, User
    from app.accounts.tokens import issue_token
    from app.regions.models import Region
    from app.regions.services import create_region

    db = dbtools.open_database(database_url, secret, pool_size=1)
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


def measure(name, app_spec, env, path, headers, args) -> loadgen.Result:
    print(f"-- {name}: {args.requests} × GET {path}, {args.clients} clients, "
          f"cap {args.time_cap:.0f} s", flush=True)
    with gunicorn(app_spec, env, path if not headers else "/healthz") as port:
        loadgen.warm_up(HOST, port, path, headers)
        return loadgen.run(name, HOST, port, path, headers=headers, total=args.requests,
                           clients=args.clients, time_cap=args.time_cap)


def _table(results: list[loadgen.Result], bare: loadgen.Result) -> str:
    def ratio(r: loadgen.Result) -> str:
        return f"{r.throughput / bare.throughput if bare.throughput else float('nan'):.2f}"

    return common.table(results, extra=("req/s vs bare", ratio))


def main() -> int:
    parser = argparse.ArgumentParser(description="GET /api/v1/me vs a bare Flask endpoint")
    common.add_database_args(parser, reset=False)
    common.add_load_args(parser, requests=3000, requests_help="per target (default 3000)",
                         clients_help="client processes (default 4)")
    args = parser.parse_args()
    common.exit_on_sigterm()  # run the servers' cleanup

    secret = secrets.token_urlsafe(48)
    base_env = common.server_env(secret)
    results = []
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        for name, url in common.databases(tmp, args.database_url, "me ({})"):
            token = prepare(url, secret)
            env = dict(base_env, DATABASE_URL=url)
            results.append(measure(name, "miniprogram_api:create_app()", env, "/api/v1/me",
                                   {"Authorization": f"Bearer {token}"}, args))
        bare = measure("bare Flask", "bench.bare_app:create_app()", base_env, "/bare", {}, args)
    results.append(bare)

    print()
    print(common.machine_line())
    print(_table(results, bare))
    common.save_results("me_bench", json.dumps(
        {"gunicorn": GUNICORN, "cores": os.cpu_count(), "args": vars(args),
         "results": [r.as_dict() for r in results]}, indent=2))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
