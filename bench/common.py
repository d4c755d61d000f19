"""What the benchmark scripts share: server, environment, load, tables, results, options.

* :func:`gunicorn` starts the app under gunicorn in the benchmarks' configuration
  (:data:`GUNICORN`, on a free :data:`HOST` port) and always kills its process group
  (:func:`gunicorn_process` does the starting, waiting and killing of any gunicorn command);
  :func:`server_env` is the production environment it runs in (random SECRET_KEY,
  ``WECHAT_MODE=live``, no Redis); :func:`serve_fake_wechat` is a WeChat API on loopback.
* :func:`databases` is the list of databases a run benches on; :func:`list_bench` runs a list
  benchmark on each of them and :func:`save_list_bench` keeps its figures (the database
  helpers themselves are in :mod:`bench.dbtools`).
* :func:`get_targets` warms up and loads a list of GET targets; :func:`timed` and
  :func:`p50_p99` time in-process calls, :func:`print_in_process` lists them; :func:`table`
  is the markdown table of :class:`bench.loadgen.Result`; :func:`machine_line` heads the
  report; :func:`save_results` writes ``bench/results/``.
* :func:`add_database_args` / :func:`add_load_args` / :func:`check_reset` are the shared
  command-line options; :func:`exit_on_sigterm` makes SIGTERM run the servers' cleanup.

Scripts put the repository root on ``sys.path`` themselves (they must, to import this module).
"""

from __future__ import annotations

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
import threading
import time
import urllib.request
from collections.abc import Callable
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from bench import loadgen

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
GUNICORN = ["--workers", "2", "--worker-class", "gthread", "--threads", "4",
            "--log-level", "warning", "--no-control-socket"]


# -- servers ------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn_process(argv: list[str], env: dict[str, str], port: int, health_path: str, *,
                     name: str, start_s: float = 30, probe_s: float = 1, stop_s: float = 10,
                     output=None):
    """Runs ``argv`` (a gunicorn listening on ``port``) in its own process group, waits up to
    ``start_s`` for ``health_path`` to answer, yields the process, and always kills the group
    (SIGTERM, SIGKILL after ``stop_s``). ``output``: a file for its stdout and stderr."""
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True, stdout=output,
                            stderr=output)
    try:
        deadline = time.monotonic() + start_s
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"gunicorn {name} exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}{health_path}",
                                            timeout=probe_s):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn {name} did not start in {start_s:g} s") from None
                time.sleep(0.2)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(stop_s)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@contextmanager
def gunicorn(app_spec: str, env: dict[str, str], health_path: str):
    """A gunicorn serving ``app_spec`` on a free loopback port; yields the port."""
    port = _free_port()
    argv = [sys.executable, "-m", "gunicorn", *GUNICORN, "--bind", f"{HOST}:{port}", app_spec]
    with gunicorn_process(argv, env, port, health_path, name=app_spec):
        yield port


def server_env(secret: str, *, keep_redis: bool = False, **extra: str) -> dict[str, str]:
    """The server's production environment (``extra`` overrides or adds variables); without
    ``REDIS_URL`` unless ``keep_redis``."""
    env = dict(os.environ, LINLI_ENV="production", SECRET_KEY=secret, WECHAT_MODE="live",
               WECHAT_APPID="wx-bench-appid", WECHAT_SECRET="wx-bench-secret",
               LOG_LEVEL="WARNING", PYTHONPATH=str(ROOT))
    env.update(extra)
    if not keep_redis:
        env.pop("REDIS_URL", None)
    return env


def serve_fake_wechat(appid: str, secret: str, **options) -> ThreadingHTTPServer:
    """The in-repo FakeWeChat (``options`` for its constructor) behind a real loopback HTTP
    server, so the app stays ``live``; call ``shutdown()`` when done."""
    from miniprogram_api.wechat.fake import FakeWeChat

    fake = FakeWeChat(appid, secret, **options)

    class Handler(BaseHTTPRequestHandler):
        def _answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            fake.calls.clear()  # the fake keeps a call log; keep it from growing
            status, payload = fake.handle(self.command, self.path, body)
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = _answer

        def log_message(self, *args):  # quiet
            return None

    server = ThreadingHTTPServer((HOST, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def exit_on_sigterm() -> None:
    """SIGTERM exits through ``sys.exit`` so the ``finally`` blocks kill the servers."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


# -- databases ----------------------------------------------------------------------------
def databases(tmp: str, database_url: str | None, label: str = "{}") -> list[tuple[str, str]]:
    """(label, url): a fresh SQLite file in ``tmp``, then ``database_url`` if given."""
    out = [(label.format("SQLite"), f"sqlite:///{tmp}/bench.db")]
    if database_url:
        out.append((label.format("PostgreSQL"), database_url))
    return out


# -- measuring ----------------------------------------------------------------------------
def timed(count: int, call, *args) -> tuple[dict, object]:
    """Call ``call(*args)`` ``count`` times, one after the other; returns the p50/p99 of those
    calls (:func:`p50_p99`) and what the last one returned."""
    latencies, value = [], None
    for _ in range(count):
        started = time.perf_counter()
        value = call(*args)
        latencies.append(time.perf_counter() - started)
    return p50_p99(latencies), value


def p50_p99(latencies: list[float]) -> dict:
    """Median and 99th percentile of ``latencies`` (s, sorted here) in ms."""
    latencies = sorted(latencies)
    return {"p50_ms": round(latencies[len(latencies) // 2] * 1000, 2),
            "p99_ms": round(latencies[int(len(latencies) * 0.99) - 1] * 1000, 2)}


def deep_path(port: int, path: str, token: str, depth: int) -> str:
    """``path`` with the cursor that follows its first ``depth`` items (pages of 100)."""
    cursor = None
    for _ in range(depth // 100):
        url = f"http://{HOST}:{port}{path}?limit=100" + (f"&cursor={cursor}" if cursor else "")
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
        with urllib.request.urlopen(request, timeout=30) as response:
            cursor = json.loads(response.read())["data"]["next_cursor"]
        if cursor is None:
            raise RuntimeError(f"{path} has fewer than {depth} items: add more data")
    return f"{path}?limit=20&cursor={cursor}"


def get_targets(label: str, port: int, targets, headers: dict, args, *,
                say_clients: bool = True) -> list[loadgen.Result]:
    """Warm up and load each (name, path) of ``targets`` with ``args.requests`` GETs from
    ``args.clients`` processes, at most ``args.time_cap`` s each; says which on stdout (with
    the number of clients if ``say_clients``)."""
    results = []
    for name, path in targets:
        print(f"-- {label} {name}: {args.requests} × GET"
              + (f", {args.clients} clients" if say_clients else ""), flush=True)
        loadgen.warm_up(HOST, port, path, headers)
        results.append(loadgen.run(f"{name} ({label})", HOST, port, path, headers=headers,
                                   total=args.requests, clients=args.clients,
                                   time_cap=args.time_cap))
    return results


def list_bench(args, banner: str, prepare, measure) -> tuple[list, dict, dict]:
    """A list benchmark on each database (:func:`databases`): ``prepare(url, secret, args)``
    gives (token, plans, in-process timings), then, unless ``args.no_http``,
    ``measure(label, env, token, args)`` gives load results; returns (results, plans by
    label, timings by label). ``banner`` (``{label}`` and ``args`` fields) heads each one."""
    secret = secrets.token_urlsafe(48)
    base_env = server_env(secret)
    results, plans, timings = [], {}, {}
    with tempfile.TemporaryDirectory(prefix="linli-bench-") as tmp:
        for label, url in databases(tmp, args.database_url):
            print(banner.format(label=label, **vars(args)), flush=True)
            token, plans[label], timings[label] = prepare(url, secret, args)
            if not getattr(args, "no_http", False):
                results += measure(label, dict(base_env, DATABASE_URL=url), token, args)
    return results, plans, timings


def save_list_bench(stem: str, args, results, plans, timings) -> Path:
    """The figures of :func:`list_bench` as JSON in ``bench/results/``."""
    return save_results(stem, json.dumps(
        {"gunicorn": GUNICORN, "cores": os.cpu_count(), "args": vars(args), "plans": plans,
         "in_process": timings, "results": [r.as_dict() for r in results]},
        indent=2, ensure_ascii=False))


# -- reporting ----------------------------------------------------------------------------
def table(results: list[loadgen.Result], *, p95: bool = False, first: str = "target",
          rate: str = "req/s", extra: tuple[str, Callable] | None = None) -> str:
    """Markdown table: name, requests, errors, rate, p50 (p95) p99 ms, and an ``extra``
    (header, cell of a result) column."""
    head = [first, "requests", "errors", rate, "p50 ms"] + (["p95 ms"] if p95 else []) + [
        "p99 ms"] + ([extra[0]] if extra else [])
    rows = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for r in results:
        d = r.as_dict()
        cells = [r.name, d["requests"], d["errors"], d["req_per_s"], d["p50_ms"]] + (
            [d["p95_ms"]] if p95 else []) + [d["p99_ms"]] + ([extra[1](r)] if extra else [])
        rows.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(rows)


def print_in_process(timings: dict[str, dict[str, dict]]) -> None:
    """Rows ``| name (database) | p50 | p99 |`` of in-process timings, by database label."""
    for label, rows in timings.items():
        for name, figures in rows.items():
            print(f"| {name} ({label}) | {figures['p50_ms']} | {figures['p99_ms']} |")


def machine_line(extra: str = "") -> str:
    """The report's first line: gunicorn settings, cores, Python, date (and ``extra``)."""
    return (f"gunicorn {' '.join(GUNICORN)}; {os.cpu_count()} cores; "
            f"Python {platform.python_version()}; {dt.date.today().isoformat()}{extra}")


def save_results(stem: str, text: str, stamp: str | None = None) -> Path:
    """Write ``text`` to ``bench/results/<stem>-<stamp>.json`` (stamp: local time now)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{stem}-{stamp or dt.datetime.now().strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(text, encoding="utf-8")
    return path


# -- options ------------------------------------------------------------------------------
def add_database_args(parser, *, reset: bool = True) -> None:
    """``--database-url`` (also bench on PostgreSQL) and, with ``reset``, ``--reset``."""
    parser.add_argument("--database-url", help="also bench on this postgresql:// database")
    if reset:
        parser.add_argument("--reset", action="store_true",
                            help="empty the PostgreSQL database's public schema first "
                                 "(required)")


def check_reset(parser, args) -> None:
    """Refuse ``--database-url`` without ``--reset``: the run empties that database."""
    if args.database_url and not args.reset:
        parser.error("--database-url empties that database: add --reset to confirm")


def add_load_args(parser, *, requests: int = 2000, requests_help: str = "per target",
                  clients_help: str = "client processes",
                  time_cap_help: str | None = "seconds per target") -> None:
    """``--requests``, ``--clients`` (default 4) and ``--time-cap`` (default 60 s)."""
    parser.add_argument("--requests", type=int, default=requests, help=requests_help)
    parser.add_argument("--clients", type=int, default=4, help=clients_help)
    parser.add_argument("--time-cap", type=float, default=60, help=time_cap_help)
