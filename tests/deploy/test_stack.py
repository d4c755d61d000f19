"""The deploy configs, exercised: nginx (deploy/nginx/*.conf) in front of two gunicorn
instances (deploy/gunicorn.conf.py) on PostgreSQL and Redis, all on loopback, under a short
bounded load. Checks: no errors, both instances served, X-Request-Id runs through, access lines
are JSON without query strings and without report routes, the body limit is nginx's.

Needs nginx (``scripts/ci/install_nginx.sh``), PostgreSQL (``TEST_DATABASE_URL``) and Redis on
127.0.0.1:6379; skipped with the reason otherwise.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
REDIS_URL = "redis://127.0.0.1:6379/15"
LOAD_SECONDS = 6
LOAD_THREADS = 4


def _port_open(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), 0.5).close()
        return True
    except OSError:
        return False


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


pytestmark = [
    pytest.mark.skipif(NGINX is None, reason="nginx is not installed "
                                             "(scripts/ci/install_nginx.sh installs it)"),
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                       reason="the deploy stack runs on PostgreSQL (set TEST_DATABASE_URL)"),
    pytest.mark.skipif(not _port_open(6379), reason="Redis is not running on 127.0.0.1:6379"),
]


def _wait_for(port: int, path: str = "/healthz", timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"nothing answered {path} on port {port} within {timeout} s")


def _nginx_conf(work: Path, port: int, upstreams: list[int]) -> Path:
    locations = (ROOT / "deploy/nginx/locations.conf").read_text()
    (work / "locations.conf").write_text(locations.replace("/var/log/nginx/", f"{work}/"))
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;"
                        for p in upstreams)
    conf = work / "nginx.conf"
    conf.write_text(f"""
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
events {{ worker_connections 256; }}
http {{
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    include {ROOT}/deploy/nginx/http.conf;
    upstream linli {{
        least_conn;
{servers}
        keepalive 8;
    }}
    server {{
        listen 127.0.0.1:{port};
        access_log {work}/access.log linli_json if=$linli_loggable;
        include {work}/locations.conf;
    }}
}}
""")
    return conf


@pytest.fixture
def stack(app, database_url):
    """nginx on a free port before two single-worker gunicorn instances; stopped after."""
    work = Path(tempfile.mkdtemp(prefix="linli-stack-"))
    work.chmod(0o755)  # nginx workers (nobody) read and write under it
    ports = [_free_port(), _free_port()]
    nginx_port = _free_port()
    env = {**os.environ, "LINLI_ENV": "development", "DATABASE_URL": database_url,
           "REDIS_URL": REDIS_URL, "SECRET_KEY": "stack-test-secret-0123456789abcdefghij",
           "WECHAT_MODE": "fake", "TRUSTED_PROXY_COUNT": "1", "RATE_LIMITS_ENABLED": "1",
           "RATE_LIMIT_STAFF_LOGIN": "1000 per minute", "MEDIA_ROOT": str(work / "media"),
           "GUNICORN_WORKERS": "1", "GUNICORN_THREADS": "4", "LOG_LEVEL": "INFO"}
    procs = []
    try:
        for n, port in enumerate(ports):
            metrics_dir = work / f"metrics{n}"
            log = (work / f"gunicorn{n}.log").open("w")
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy/gunicorn.conf.py")],
                cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                env={**env, "GUNICORN_BIND": f"127.0.0.1:{port}",
                     "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}))
        conf = _nginx_conf(work, nginx_port, ports)
        nginx_log = (work / "nginx.out").open("w")
        procs.append(subprocess.Popen([NGINX, "-p", str(work), "-c", str(conf)],
                                      stdout=nginx_log, stderr=subprocess.STDOUT))
        for port in ports:
            _wait_for(port)
            # Warm each instance once (first login loads the word lists, opens the pool).
            _call(http.client.HTTPConnection("127.0.0.1", port, timeout=30), "POST",
                  "/api/v1/auth/wx-login", {"code": "test:stack-warmup"})
        _wait_for(nginx_port)
        yield {"nginx": nginx_port, "gunicorn": ports, "work": work}
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(work, ignore_errors=True)


def _call(conn, method, path, body=None, headers=None):
    payload = json.dumps(body).encode() if body is not None else None
    hdrs = {"Content-Type": "application/json", **(headers or {})}
    started = time.perf_counter()
    conn.request(method, path, body=payload, headers=hdrs)
    res = conn.getresponse()
    data = res.read()
    return res, data, time.perf_counter() - started


def _load(port: int, stop_at: float, results: list, worker: int) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    n = 0
    while time.monotonic() < stop_at:
        n += 1
        try:
            res, data, took = _call(conn, "POST", "/api/v1/auth/wx-login",
                                    {"code": f"test:stack-{worker}-{n % 20}"})
            token = json.loads(data)["data"]["token"] if res.status == 200 else None
            results.append(("login", res.status, took))
            res, _, took = _call(conn, "GET", "/api/v1/me",
                                 headers={"Authorization": f"Bearer {token}"})
            results.append(("me", res.status, took))
            res, _, took = _call(conn, "GET", "/readyz?probe=stack-query-secret")
            results.append(("readyz", res.status, took))
            res, _, took = _call(conn, "POST", "/api/v1/reports/status",
                                 {"receipt": "0000-0000-0000-0000"})
            results.append(("receipt", res.status, took))
        except (OSError, http.client.HTTPException, ValueError) as exc:
            results.append(("error", type(exc).__name__, 0.0))
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def _served(port: int) -> float:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/metrics")
    text = conn.getresponse().read().decode()
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("linli_http_request_duration_seconds_count{"))


def test_nginx_and_two_gunicorns_serve_a_short_load_without_errors(stack):
    port = stack["nginx"]
    results: list = []
    stop_at = time.monotonic() + LOAD_SECONDS
    threads = [threading.Thread(target=_load, args=(port, stop_at, results, i))
               for i in range(LOAD_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 60)

    errors = [r for r in results if r[0] == "error" or (isinstance(r[1], int) and r[1] >= 500)]
    unexpected = [r for r in results if r[0] in ("login", "me", "readyz") and r[1] != 200]
    times = sorted(r[2] for r in results if r[0] != "error")
    assert len(results) >= 4 * LOAD_THREADS, results[:5]  # bounded by time, not by count
    p50 = statistics.median(times)
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"\ndeploy stack: {len(results)} requests in {LOAD_SECONDS} s through nginx, "
          f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms, {len(errors)} errors")
    assert errors == [] and unexpected == []
    assert all(r[1] in (404, 429) for r in results if r[0] == "receipt")
    served = [_served(p) for p in stack["gunicorn"]]
    assert all(count > 0 for count in served), served  # both instances took traffic


def test_request_ids_logs_and_body_limit_follow_the_configs(stack):
    port = stack["nginx"]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    res, _, _ = _call(conn, "GET", "/readyz?probe=zz-query-secret")
    request_id = res.getheader("X-Request-Id")
    assert res.status == 200 and request_id and len(request_id) == 32
    _call(conn, "POST", "/api/v1/reports/status", {"receipt": "0000-0000-0000-0000"})
    res, _, _ = _call(conn, "GET", "/metrics")
    assert res.status == 404  # never served on the public side
    big = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    big.request("POST", "/api/v1/requests", body=b"x" * (16 * 1024 * 1024 + 1),
                headers={"Content-Type": "application/json"})
    assert big.getresponse().status == 413
    time.sleep(0.5)  # nginx writes its access line after the response
    lines = [json.loads(line) for line in
             (stack["work"] / "access.log").read_text().splitlines() if line.strip()]
    assert any(line["request_id"] == request_id and line["uri"] == "/readyz"
               for line in lines)
    assert not any("reports" in line["uri"] for line in lines)
    assert "zz-query-secret" not in (stack["work"] / "access.log").read_text()
