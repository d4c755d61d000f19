"""The crash test's client: threads that write over HTTP and keep a journal of what was answered.

Three kinds of write, each carrying a marker the checks find it by afterwards:

* ``request`` — a resident's ``POST /api/v1/requests``; the marker is in the text;
* ``award`` — a cadre's ``POST /admin/api/v1/points/awards``; the marker is the ``request_key``
  (an award is idempotent on it, so an award in doubt is sent again after the restart);
* ``seal_use`` — a cadre's ``POST /admin/api/v1/seals/<id>/uses``, which appends a leaf to the
  town's transparency log in the same transaction; the marker is in the document name.

A write is journalled *before* it is sent. Its status ends as ``acked`` (a 2xx answer: it must
then exist exactly once), ``in_doubt`` (no answer, or a 5xx: it may exist, at most once) or
``refused`` (a 4xx: it must not exist). A connection that could not even be opened sent nothing
and is not journalled.
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import random
import threading
import time
from dataclasses import dataclass, field

KINDS = ("request", "award", "seal_use")
TIMEOUT = 10


@dataclass
class Write:
    kind: str
    marker: str
    cycle: int
    user_id: int | None = None  # an award's beneficiary
    points: int = 0
    status: str = "in_doubt"
    object_id: int | None = None
    http_status: int | None = None


@dataclass
class Town:
    """What the client needs to know of the seeded town (ids and bearer tokens)."""

    resident_tokens: list[str]
    resident_ids: list[int]
    cadre_token: str
    cadre_id: int
    seal_id: int


@dataclass
class Journal:
    writes: list[Write] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, write: Write) -> Write:
        with self.lock:
            self.writes.append(write)
        return write

    def of(self, kind: str, status: str | None = None) -> list[Write]:
        with self.lock:
            return [w for w in self.writes
                    if w.kind == kind and (status is None or w.status == status)]


def _call(conn: http.client.HTTPConnection, path: str, body: dict, token: str):
    conn.request("POST", path, body=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                 headers={"Content-Type": "application/json",
                          "Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    return response.status, response.read()


def _build(kind: str, marker: str, rng: random.Random, town: Town, cycle: int):
    """(write, path, body, token) of one write of ``kind``."""
    if kind == "request":
        who = rng.randrange(len(town.resident_tokens))
        body = {"type": "help", "category_code": "environment",
                "text": f"楼道的灯坏了，晚上看不清台阶，请尽快修理。[{marker}]"}
        return Write(kind, marker, cycle), "/api/v1/requests", body, town.resident_tokens[who]
    if kind == "award":
        who = rng.randrange(len(town.resident_ids))
        points = rng.randint(1, 9)
        body = {"user_id": town.resident_ids[who], "points": points, "reason": "清理楼道杂物",
                "request_key": marker}
        write = Write(kind, marker, cycle, user_id=town.resident_ids[who], points=points)
        return write, "/admin/api/v1/points/awards", body, town.cadre_token
    used_at = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=rng.randint(1, 600)))
    body = {"document": f"证明材料 {marker}", "purpose": "居住证明", "applicant_name": "申请人",
            "used_at": used_at.isoformat(timespec="seconds")}
    return (Write(kind, marker, cycle), f"/admin/api/v1/seals/{town.seal_id}/uses", body,
            town.cadre_token)


def _settle(write: Write, status: int, payload: bytes) -> None:
    write.http_status = status
    if 200 <= status < 300:
        write.status = "acked"
        write.object_id = json.loads(payload)["data"]["id"]
    elif status < 500:
        write.status = "refused"
    # a 5xx stays in doubt: the server may have failed after its commit


def client_thread(host: str, port: int, town: Town, journal: Journal, stop: threading.Event,
                  *, cycle: int, index: int, seed: int) -> None:
    """Write until ``stop`` is set; a dead server makes the thread wait and try again."""
    rng = random.Random(f"{seed}:{cycle}:{index}")
    conn, n = None, 0
    while not stop.is_set():
        if conn is None:
            conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
            try:
                conn.connect()
            except OSError:  # nothing was sent
                conn = None
                time.sleep(0.05)
                continue
        n += 1
        kind = rng.choice(KINDS)
        write, path, body, token = _build(kind, f"ck{seed}-c{cycle}-t{index}-n{n}", rng, town,
                                          cycle)
        journal.add(write)
        try:
            status, payload = _call(conn, path, body, token)
        except (OSError, http.client.HTTPException):
            conn.close()
            conn = None
            continue
        _settle(write, status, payload)


def retry_awards(host: str, port: int, town: Town, journal: Journal) -> int:
    """Send every award still in doubt again with its request key (after a restart).

    An award is idempotent on its key, so the answer names the award made before the crash if
    there was one. Returns how many were resent."""
    doubtful = journal.of("award", "in_doubt")
    for write in doubtful:
        body = {"user_id": write.user_id, "points": write.points, "reason": "清理楼道杂物",
                "request_key": write.marker}
        conn = http.client.HTTPConnection(host, port, timeout=TIMEOUT)
        try:
            status, payload = _call(conn, "/admin/api/v1/points/awards", body,
                                    town.cadre_token)
        except (OSError, http.client.HTTPException):
            continue  # still in doubt: sent again after the next restart
        finally:
            conn.close()
        _settle(write, status, payload)
    return len(doubtful)
