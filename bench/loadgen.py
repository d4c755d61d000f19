"""A small bounded HTTP load generator: a few processes, one keep-alive connection each.

Each client process sends its share of a fixed number of requests (GET, or a POST of one
fixed JSON body, ``method``/``body``) over ``http.client``
(reconnecting if the server closes the connection) and stops early at a deadline, so a run is
bounded in both requests and time. Latency is measured per request, from send to body read.
A script with requests of its own (each one different) builds them into :func:`send` from a
client function of its own and runs those clients with :func:`shares` and :func:`pooled`.
"""

from __future__ import annotations

import http.client
import itertools
import multiprocessing as mp
import time
from dataclasses import dataclass


@dataclass
class Result:
    """What one target gave: completed requests, errors, wall time and sorted latencies (s)."""

    name: str
    requests: int
    errors: int
    wall: float
    latencies: list[float]

    @property
    def throughput(self) -> float:
        return self.requests / self.wall if self.wall > 0 else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        index = min(len(self.latencies) - 1, max(0, round(p / 100 * len(self.latencies)) - 1))
        return self.latencies[index]

    def as_dict(self) -> dict:
        return {"name": self.name, "requests": self.requests, "errors": self.errors,
                "wall_s": round(self.wall, 3), "req_per_s": round(self.throughput, 1),
                "p50_ms": round(self.percentile(50) * 1000, 2),
                "p95_ms": round(self.percentile(95) * 1000, 2),
                "p99_ms": round(self.percentile(99) * 1000, 2)}


def send(host: str, port: int, requests, deadline: float, ok: int = 200):
    """Send each (method, path, body, headers) of ``requests`` over one keep-alive connection
    until ``deadline`` (monotonic); returns (start, end, latencies, errors) of this client."""
    conn = http.client.HTTPConnection(host, port, timeout=10)
    latencies, errors = [], 0
    start = time.monotonic()
    for method, path, body, headers in requests:
        if time.monotonic() >= deadline:
            break
        t0 = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.status != ok:
                errors += 1
            if response.will_close:
                conn.close()
        except (OSError, http.client.HTTPException):
            errors += 1
            conn.close()
        latencies.append(time.perf_counter() - t0)
    end = time.monotonic()
    conn.close()
    return start, end, latencies, errors


def _client(host: str, port: int, path: str, headers: dict, count: int, deadline: float,
            method: str = "GET", body: bytes | None = None, ok: int = 200):
    return send(host, port, itertools.repeat((method, path, body, headers), count), deadline,
                ok)


def shares(total: int, clients: int) -> list[int]:
    """``total`` split over ``clients`` as evenly as it goes."""
    return [total // clients + (1 if i < total % clients else 0) for i in range(clients)]


def pooled(name: str, client, arguments: list[tuple]) -> Result:
    """Run ``client(*a)`` for each ``a`` of ``arguments`` in a process of its own, at once;
    one :class:`Result` of what they returned (as :func:`send` returns it)."""
    # spawn, not fork: the parent has threads (pool handlers of earlier runs, database
    # drivers), and forking a process with threads can deadlock the child on a held lock.
    ctx = mp.get_context("spawn")
    with ctx.Pool(len(arguments)) as pool:
        parts = pool.starmap(client, arguments)
    latencies = sorted(lat for part in parts for lat in part[2])
    errors = sum(part[3] for part in parts)
    wall = max(part[1] for part in parts) - min(part[0] for part in parts)
    return Result(name, len(latencies), errors, wall, latencies)


def run(name: str, host: str, port: int, path: str, *, headers: dict | None = None,
        total: int = 3000, clients: int = 4, time_cap: float = 60.0, method: str = "GET",
        body: bytes | None = None, ok: int = 200) -> Result:
    """Send up to ``total`` requests from ``clients`` processes, for at most ``time_cap`` s;
    a response other than ``ok`` counts as an error."""
    headers = dict(headers or {})
    deadline = time.monotonic() + time_cap
    return pooled(name, _client, [(host, port, path, headers, share, deadline, method, body, ok)
                                  for share in shares(total, clients)])


def warm_up(host: str, port: int, path: str, headers: dict | None = None, n: int = 100,
            **request) -> None:
    """Unmeasured requests so both workers have imported, connected and cached
    (``request``: ``method``, ``body``, ``ok`` as for :func:`run`)."""
    run("warm-up", host, port, path, headers=headers, total=n, clients=2, time_cap=20,
        **request)
