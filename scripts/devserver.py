"""The development launcher behind ``make run``: migrate, seed, start every process, stop them all.

Steps: ``flask --app miniprogram_api db upgrade``, ``flask --app miniprogram_api seed-demo``, then
each entry of :func:`process_table` in its own process group, their output prefixed with the
process name. Once ``/healthz`` answers it prints the URLs, the demo logins and a curl line.
Ctrl-C (or SIGTERM, or any one process exiting) stops all of them. WeChat runs in fake mode,
which accepts login codes ``test:<openid>``.

:func:`process_table` is the one place that lists processes: today the web server (gunicorn)
and the single scheduler (``flask --app miniprogram_api scheduler``); add a line there for more.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
FLASK = [PY, "-m", "flask", "--app", "miniprogram_api"]
SEED_BASE = "http://127.0.0.1:5000"  # the base URL the seed-demo command prints


@dataclass(frozen=True)
class Proc:
    name: str
    argv: list[str]


def process_table(host: str, port: int, workers: int) -> list[Proc]:
    """The long-running processes of a development instance."""
    web = Proc("web", [PY, "-m", "gunicorn", "--workers", str(workers), "--bind",
                       f"{host}:{port}", "--access-logfile", "-", "--graceful-timeout", "5",
                       "--no-control-socket", "miniprogram_api:create_app()"])
    scheduler = Proc("scheduler", FLASK + ["scheduler"])
    return [web, scheduler]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["WECHAT_MODE"] = "fake"
    env.setdefault("LINLI_ENV", "development")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _step(title: str, argv: list[str], env: dict[str, str]) -> str:
    print(f"==> {title}", flush=True)
    done = subprocess.run(argv, cwd=ROOT, env=env, text=True, capture_output=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"'{' '.join(argv[2:])}' failed (exit {done.returncode})")
    return done.stdout


def _port_free(host: str, port: int) -> bool:
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _pump(name: str, stream) -> None:
    for line in stream:
        sys.stdout.write(f"[{name}] {line}")
        sys.stdout.flush()


class Supervisor:
    """Starts processes in their own groups and stops all of them exactly once."""

    def __init__(self, procs: list[Proc], env: dict[str, str]):
        self.procs, self.env = procs, env
        self.running: dict[str, subprocess.Popen] = {}
        self.stop_requested = threading.Event()

    def start(self) -> None:
        for proc in self.procs:
            child = subprocess.Popen(proc.argv, cwd=ROOT, env=self.env, text=True,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     start_new_session=True)
            self.running[proc.name] = child
            threading.Thread(target=_pump, args=(proc.name, child.stdout), daemon=True).start()

    def exited(self) -> tuple[str, int] | None:
        for name, child in self.running.items():
            if child.poll() is not None:
                return name, child.returncode
        return None

    def stop(self, timeout: float = 10) -> None:
        for child in self.running.values():
            if child.poll() is None:
                os.killpg(child.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for child in self.running.values():
            try:
                child.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(child.pid, signal.SIGKILL)
                child.wait()


def _wait_healthy(url: str, sup: Supervisor, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not sup.stop_requested.is_set():
        if sup.exited():
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as res:
                if res.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def _banner(base: str, logins: str) -> str:
    login = (f"curl -s -X POST {base}/api/v1/auth/wx-login -H 'Content-Type: application/json'"
             " -d '{\"code\":\"test:demo-resident-1\"}'")
    token = "python3 -c 'import json,sys; print(json.load(sys.stdin)[\"data\"][\"token\"])'"
    lines = [
        "",
        "邻里 Linli 开发服务器已启动 / development server is up (WECHAT_MODE=fake)",
        f"  API base     {base}/api/v1",
        f"  health       {base}/healthz",
        f"  OpenAPI      {base}/api/v1/openapi.json",
        f"  工作台 console {base}/console  (demo staff username + password below)",
        f"  公开栏 public  {base}/p/villages/350503001001/disclosures",
        f"  统计看板       {base}/console/dashboards",
        "",
        logins.replace(SEED_BASE, base).rstrip(),
        "",
        "登录并查看我的资料 / log in as demo-resident-1 and read /me (paste into a shell):",
        f"  TOKEN=$({login} | {token}) && curl -s {base}/api/v1/me"
        " -H \"Authorization: Bearer $TOKEN\"",
        "",
        "工作人员登录 / console login (any demo staff username, same password):",
        f"  curl -s -X POST {base}/admin/api/v1/auth/login -H 'Content-Type: application/json'"
        " -d '{\"username\":\"grid1\",\"password\":\"Linli-demo-2026\"}'",
        "",
        "Ctrl-C 停止 / stops every process.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    env = _env()
    if not _port_free(args.host, args.port):
        raise SystemExit(f"port {args.port} on {args.host} is in use; try: make run PORT=5001")

    print(_step("flask --app miniprogram_api db upgrade", FLASK + ["db", "upgrade"], env)
          .rstrip(), flush=True)
    logins = _step("flask --app miniprogram_api seed-demo", FLASK + ["seed-demo"], env)

    sup = Supervisor(process_table(args.host, args.port, args.workers), env)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, lambda *_: sup.stop_requested.set())
    base = f"http://{args.host}:{args.port}"
    print("==> starting " + ", ".join(p.name for p in sup.procs), flush=True)
    sup.start()
    try:
        if _wait_healthy(f"{base}/healthz", sup):
            print(_banner(base, logins), flush=True)
        elif not sup.stop_requested.is_set():
            print("the web process did not become healthy; stopping", file=sys.stderr)
            return 1
        while not sup.stop_requested.wait(0.5):
            gone = sup.exited()
            if gone:
                print(f"process {gone[0]} exited with {gone[1]}; stopping the others",
                      file=sys.stderr)
                return gone[1] or 1
        return 0
    finally:
        print("==> stopping " + ", ".join(sup.running), flush=True)
        sup.stop()


if __name__ == "__main__":
    sys.exit(main())
