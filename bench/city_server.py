"""The city load test's server side: gunicorn in the production configuration, worker memory.

:func:`serve` runs ``gunicorn -c deploy/gunicorn.conf.py`` (the production file: preloaded
app, 2 workers × 4 threads on 2 cores, workers recycled every 5,000 requests) on a free
loopback port with its log in a file, and always kills its process group (through
:func:`bench.common.gunicorn_process`, as the other benchmarks' server); :class:`RssSampler`
samples ``VmRSS`` of every child of the master from ``/proc`` (psutil is not installed);
:func:`error_lines` counts the ERROR lines of the log.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from bench import common
from bench.common import HOST

CONFIG = "deploy/gunicorn.conf.py"
RSS_BUDGET_MB = 200


# -- server and memory --------------------------------------------------------------------
@contextmanager
def serve(app_spec: str, env: dict[str, str], health: str = "/healthz", log: Path | None = None):
    """gunicorn -c deploy/gunicorn.conf.py ``app_spec`` on a free port, its log appended to
    ``log``; yields (port, master pid)."""
    port = common._free_port()
    argv = [sys.executable, "-m", "gunicorn", "-c", CONFIG, app_spec]
    with open(log or os.devnull, "ab") as sink, common.gunicorn_process(
            argv, dict(env, GUNICORN_BIND=f"{HOST}:{port}"), port, health, name=app_spec,
            start_s=60, probe_s=2, stop_s=15, output=sink) as proc:
        yield port, proc.pid


def worker_rss(master: int) -> dict[int, float]:
    """RSS in MB of each child process of ``master`` (from /proc)."""
    out = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) != master:
                continue
            for line in Path(f"/proc/{entry}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    out[int(entry)] = int(line.split()[1]) / 1024
        except (OSError, ValueError, IndexError):
            continue
    return out


class RssSampler(threading.Thread):
    """Samples the workers' RSS every ``every`` s until stopped; keeps each worker's peak."""

    def __init__(self, master: int, every: float = 0.5, settle: float = 6.0):
        super().__init__(daemon=True)
        self.master, self.every, self.settle = master, every, settle
        self.peaks: dict[int, float] = {}
        self.settled_peak, self.samples, self.stopped = 0.0, 0, threading.Event()

    def run(self):
        began = time.monotonic()
        while not self.stopped.is_set():
            for pid, mb in worker_rss(self.master).items():
                self.peaks[pid] = max(mb, self.peaks.get(pid, 0.0))
                if time.monotonic() - began >= self.settle:
                    self.settled_peak = max(self.settled_peak, mb)
            self.samples += 1
            self.stopped.wait(self.every)

    def report(self) -> dict:
        """Peak RSS of any worker, and the peak after the first ``settle`` s (the staff
        clients' console logins, argon2id at 64 MiB each, all fall in those first seconds)."""
        self.stopped.set()
        self.join()
        peak = max(self.peaks.values(), default=0.0)
        return {"workers_seen": len(self.peaks), "samples": self.samples,
                "peak_mb": round(peak, 1), "meets": peak <= RSS_BUDGET_MB,
                "peak_after_settle_mb": round(self.settled_peak, 1), "settle_s": self.settle,
                "peaks_mb": {str(p): round(mb, 1) for p, mb in self.peaks.items()}}


def error_lines(log: Path) -> int:
    """ERROR (or worse) lines the app and gunicorn wrote to ``log`` so far."""
    levels = ('"level": "ERROR"', '"level": "CRITICAL"')
    return sum(1 for line in log.read_text(errors="replace").splitlines()
               if any(level in line for level in levels))
