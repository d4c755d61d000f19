"""The three mixes of the city load test: weighted endpoint operations run by client processes.

Each client process keeps one keep-alive connection and works as its own people, so no two
clients do the same work: a resident client logs in (the fake WeChat's ``test:seed-<id>``
code) as the next resident of its own slice of the sampled residents and reads and writes as
them; a staff client logs into the console once as its own grid worker, cadre and town admin
and takes its grid's fresh requests through accept → dispatch → start → resolve while reading
queues and statistics; a bot client posts signed smart-bot callbacks to its own bound groups.
Operations are drawn by weight among those possible at that moment (a detail needs an id
seen before), until the client's share of requests is sent or the deadline passes.

``console login`` (once per client and role, weight 0: never drawn) has no latency target: its
argon2id verification (64 MiB, three passes) is slow on purpose.

Every answer other than the operation's success status is an error, except the statuses an
operation documents in ``expected`` (counted apart): ``follow`` answers 409 when the resident
already follows the request (a second run) — the one expected refusal.
"""

from __future__ import annotations

import http.client
import json
import random
import time
from dataclasses import dataclass

READ_MS, WRITE_MS, BOT_MS = 100, 200, 50  # p99 targets of the issue (city scale, PostgreSQL)


@dataclass(frozen=True)
class Op:
    name: str
    weight: int
    target_ms: int
    expected: tuple[int, ...] = ()


MIXES: dict[str, tuple[Op, ...]] = {
    "resident": (
        Op("wx-login", 5, WRITE_MS), Op("posts", 18, READ_MS), Op("my requests", 14, READ_MS),
        Op("submit request", 4, WRITE_MS), Op("request detail", 12, READ_MS),
        Op("follow request", 3, WRITE_MS, expected=(409,)),
        Op("action signup", 4, WRITE_MS), Op("disclosures", 12, READ_MS),
        Op("disclosure", 10, READ_MS), Op("village disclosures page", 8, READ_MS),
        Op("points", 10, READ_MS)),
    "staff": (
        Op("console login", 0, 0), Op("queue to_accept", 14, READ_MS),
        Op("queue mine", 12, READ_MS), Op("queue overdue (cadre)", 8, READ_MS),
        Op("queue all (town admin)", 8, READ_MS), Op("staff request detail", 14, READ_MS),
        Op("accept", 8, WRITE_MS), Op("dispatch", 8, WRITE_MS), Op("start", 7, WRITE_MS),
        Op("resolve", 7, WRITE_MS), Op("stats by grid (cadre)", 5, READ_MS),
        Op("stats by village (town admin)", 5, READ_MS),
        Op("stats by month (town admin)", 4, READ_MS)),
    "bot": (Op("complaint", 60, BOT_MS), Op("retry", 20, BOT_MS), Op("query", 20, BOT_MS)),
}


class Client:
    """One keep-alive connection that times every call and tallies it under its operation."""

    def __init__(self, port: int, ops: tuple[Op, ...], rate: float = 0.0):
        self.rate, self.began, self.turns = rate, time.monotonic(), 0
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        self.ops = {op.name: op for op in ops}
        self.tally = {op.name: {"lat": [], "errors": 0, "expected": 0, "statuses": {}}
                      for op in ops}
        self.sent = 0

    def more(self, count: int, deadline: float) -> bool:
        """Whether to send another request; with a ``rate`` (requests/s) it first waits for
        that request's turn (open loop), else the client sends back to back (closed loop)."""
        if self.rate:
            time.sleep(max(0.0, min(self.began + self.turns / self.rate, deadline)
                           - time.monotonic()))
            self.turns += 1
        return self.sent < count and time.monotonic() < deadline

    def call(self, op: str, method: str, path: str, body=None, token: str | None = None,
             ok: int = 200, headers: dict | None = None):
        """Send one request; returns the decoded JSON body (None if not JSON or failed)."""
        headers = dict(headers or {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if body is not None and not isinstance(body, bytes):
            body = json.dumps(body, ensure_ascii=False).encode()
            headers["Content-Type"] = "application/json"
        row, status, data = self.tally[op], 0, b""
        t0 = time.perf_counter()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            data, status = response.read(), response.status
            if response.will_close:
                self.conn.close()
        except (OSError, http.client.HTTPException):
            self.conn.close()
        row["lat"].append(time.perf_counter() - t0)
        self.sent += 1
        row["statuses"][str(status)] = row["statuses"].get(str(status), 0) + 1
        if status != ok:
            row["expected" if status in self.ops[op].expected else "errors"] += 1
            return None
        try:
            return json.loads(data)
        except ValueError:
            return None

    def result(self, start: float) -> dict:
        self.conn.close()
        return {"start": start, "end": time.monotonic(), "ops": self.tally}


def _draw(rng: random.Random, ops: tuple[Op, ...], possible) -> str:
    names = [op.name for op in ops if op.weight and possible(op.name)]
    return rng.choices(names, weights=[op.weight for op in ops
                                       if op.weight and possible(op.name)])[0]


def _items(body) -> list[int]:
    data = (body or {}).get("data") or {}
    return [item["id"] for item in data.get("items", [])]


def resident_client(port: int, people: list[dict], seed: int, count: int,
                    deadline: float, rate: float = 0.0) -> dict:
    """``people``: this client's residents (user id, village code, action, requests to
    follow); logs in as the next one on each ``wx-login``."""
    rng, start = random.Random(seed), time.monotonic()
    client = Client(port, MIXES["resident"], rate)
    me, token, mine, disclosures, turn = None, None, [], [], 0

    def possible(op: str) -> bool:
        return {"request detail": bool(mine), "disclosure": bool(disclosures),
                "follow request": bool(me and me["follow"])}.get(op, True)

    while client.more(count, deadline):
        op = "wx-login" if token is None else _draw(rng, MIXES["resident"], possible)
        if op == "wx-login":
            me, turn = people[turn % len(people)], turn + 1
            body = client.call(op, "POST", "/api/v1/auth/wx-login",
                               {"code": f"test:seed-{me['user_id']}"})
            token, mine, disclosures = (body or {}).get("data", {}).get("token"), [], []
        elif op == "posts":
            client.call(op, "GET", "/api/v1/posts?limit=20", token=token)
        elif op == "my requests":
            mine = _items(client.call(op, "GET", "/api/v1/requests?limit=20",
                                      token=token)) or mine
        elif op == "submit request":
            body = client.call(op, "POST", "/api/v1/requests", {
                "type": "complaint", "category_code": "environment",
                "text": f"小区门口的垃圾桶好几天没人清理了，气味很大（{seed}-{client.sent}）"},
                token=token, ok=201)
            if body:
                mine.insert(0, body["data"]["id"])
        elif op == "request detail":
            client.call(op, "GET", f"/api/v1/requests/{rng.choice(mine)}", token=token)
        elif op == "follow request":
            client.call(op, "POST", f"/api/v1/requests/{rng.choice(me['follow'])}/follow",
                        token=token)
        elif op == "action signup":
            client.call(op, "POST", f"/api/v1/actions/{me['action_id']}/signup", token=token)
        elif op == "disclosures":
            disclosures = _items(client.call(op, "GET", "/api/v1/disclosures?limit=20",
                                             token=token)) or disclosures
        elif op == "disclosure":
            client.call(op, "GET", f"/api/v1/disclosures/{rng.choice(disclosures)}",
                        token=token)
        elif op == "village disclosures page":
            client.call(op, "GET", f"/p/villages/{me['code']}/disclosures")
        elif op == "points":
            client.call(op, "GET", "/api/v1/points/me", token=token)
    return client.result(start)


def staff_client(port: int, who: dict, password: str, seed: int, count: int,
                 deadline: float, rate: float = 0.0) -> dict:
    """``who``: this client's grid worker (with its grid's unit), cadre and town admin."""
    rng, start = random.Random(seed), time.monotonic()
    client = Client(port, MIXES["staff"], rate)
    tokens = {}
    for role in ("grid_worker", "cadre", "town_admin"):
        body = client.call("console login", "POST", "/admin/api/v1/auth/login",
                           {"username": who[role]["username"], "password": password})
        tokens[role] = (body or {}).get("data", {}).get("token")
    client.began = time.monotonic()  # the pace starts after the logins
    stage = {"accept": [], "dispatch": [], "start": [], "resolve": []}
    seen: list[int] = []  # ids to read details of
    taken: set[int] = set()  # ids already put into the pipeline
    worker = tokens["grid_worker"]
    base = "/admin/api/v1/requests"

    def possible(op: str) -> bool:
        return bool(stage[op]) if op in stage else op != "staff request detail" or bool(seen)

    def step(op: str, body, nxt: str | None) -> None:
        request_id = stage[op].pop(0)
        if client.call(op, "POST", f"{base}/{request_id}/{op}", body, token=worker) and nxt:
            stage[nxt].append(request_id)

    while client.more(count, deadline):
        op = _draw(rng, MIXES["staff"], possible)
        if op == "queue to_accept":
            ids = _items(client.call(op, "GET", f"{base}?queue=to_accept&limit=20",
                                     token=worker))
            fresh = [i for i in ids if i not in taken]
            stage["accept"].extend(fresh)
            taken.update(fresh)
            seen = seen or ids
        elif op == "queue mine":
            seen = _items(client.call(op, "GET", f"{base}?queue=mine&limit=20",
                                      token=worker)) or seen
        elif op == "queue overdue (cadre)":
            client.call(op, "GET", f"{base}?queue=overdue&limit=20", token=tokens["cadre"])
        elif op == "queue all (town admin)":
            client.call(op, "GET", f"{base}?queue=all&limit=20", token=tokens["town_admin"])
        elif op == "staff request detail":
            client.call(op, "GET", f"{base}/{rng.choice(seen)}", token=worker)
        elif op == "accept":
            step(op, {"note": "已受理"}, "dispatch")
        elif op == "dispatch":
            step(op, {"lead_unit_id": who["grid_worker"]["unit_id"],
                      "reason": "属地网格办理"}, "start")
        elif op == "start":
            step(op, None, "resolve")
        elif op == "resolve":
            step(op, {"note": "已联系物业更换灯泡，现场已恢复照明"}, None)
        elif op.startswith("stats"):
            group = op.split()[2]
            role = "cadre" if group == "grid" else "town_admin"
            client.call(op, "GET", f"{base}/stats?group_by={group}", token=tokens[role])
    return client.result(start)


def bot_client(port: int, groups: list[dict], tracking: list[str], seed: int, count: int,
               deadline: float, rate: float = 0.0) -> dict:
    """Signed smart-bot callbacks to this client's bound ``groups``: new complaints, WeCom
    retries of an earlier callback (same msgid: the ledger replays its answer), 查询."""
    from tests.bot import wire

    rng, start = random.Random(seed), time.monotonic()
    client = Client(port, MIXES["bot"], rate)
    last: dict | None = None  # the latest complaint, for a WeCom retry of it
    run = f"{seed}-{time.time_ns()}"
    while client.more(count, deadline):
        op = _draw(rng, MIXES["bot"], lambda name, ok=last is not None: name != "retry" or ok)
        if op == "retry":
            group, message = last["group"], last["message"]
        else:
            group = rng.choice(groups)
            n = client.sent
            text = (f"投诉 楼下的路灯坏了好几天，晚上很黑（{run}-{n}）" if op == "complaint"
                    else f"查询 {rng.choice(tracking)}")
            message = {"msgid": f"cityload-{run}-{n}", "aibotid": "bench",
                       "chatid": group["chat"], "chattype": "group",
                       "from": {"userid": f"user{n % 40}"}, "msgtype": "text",
                       "text": {"content": f"@社区助手 {text}"}}
            if op == "complaint":
                last = {"group": group, "message": message}
        args, body = wire.smart_bot_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, message)
        query = "&".join(f"{k}={v}" for k, v in args.items())
        client.call(op, "POST", f"/bot/wecom-bot/{group['endpoint']}?{query}", body,
                    headers={"Content-Type": "application/json"})
    return client.result(start)
