"""Benchmark: bot callback handling under gunicorn on loopback, plus the classifier figures.

    .venv/bin/python bench/bot_bench.py [--database-url postgresql://…] [--requests 2000]

For each database (a fresh SQLite file; with ``--database-url`` a PostgreSQL database migrated
in place) it configures a WeCom smart-bot endpoint and a relay bridge, binds one group per
scenario, starts gunicorn exactly as ``bench/me_bench.py`` does and sends a bounded load of
POST callbacks, each a new message (distinct msgid) built with the real crypto before timing
starts. Scenarios: ``chatter`` (group chatter through the HMAC-signed relay: stored, left
alone, no reply — the bulk of a group's traffic), ``help`` (a smart-bot @-mention saying thanks:
the help text comes back encrypted), ``complaint`` (a smart-bot message with the 投诉 marker:
one new request each, numbered in the encrypted reply) and ``retry`` (one smart-bot callback
sent again and again: the ledger replays the stored answer). Latency is per request, send to
body read; results go to ``bench/results/bot_bench-*.json``. The classifier's figures come
from ``bench/bot_classifier.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import bot_classifier, common, dbtools, loadgen  # noqa: E402
from bench.common import GUNICORN, HOST, gunicorn  # noqa: E402

RELAY_SECRET = "bench-relay-secret-0123456789"
CHATTER = ("今天菜市场的青菜好便宜", "下午一起去公园跳广场舞吗", "周末愉快～",
           "有没有人拼车去火车站", "小区门口新开了一家包子铺，味道不错")
SCENARIOS = ("chatter", "help", "complaint", "retry")


def prepare(database_url: str, secret: str) -> dict:
    """Migrate, configure endpoints and bind one group per scenario; returns their ids."""
    from app.accounts.models import RoleGrant, User
    from app.accounts.tokens import load_actor
    from app.bot import config
    from app.bot.dictionary import ensure_seed_dictionary
    from app.bot.groups import issue_binding_code
    from app.bot.inbox import receive
    from app.bot.messages import InboundMessage, Sender
    from app.clock import utcnow
    from app.regions.models import Region
    from app.regions.services import create_region
    from app.requests.setup import ensure_default_categories
    from bench.me_bench import BENCH_TREE
    from tests.bot import wire

    db = dbtools.open_database(database_url, secret, pool_size=1)
    run = secrets.token_hex(4)
    with db.connection_context():
        with db.atomic():
            parent, nodes = None, {}
            for level, code, name in BENCH_TREE:
                parent = (Region.get_or_none(Region.code == code)
                          or create_region(code=code, name=name, level=level, parent=parent))
                nodes[level] = parent
            ensure_default_categories()
            ensure_seed_dictionary()
            worker = User.create(display_name="压测网格员")
            RoleGrant.create(user=worker, role="grid_worker", region=nodes["grid"])
            admin = User.create(display_name="压测管理员")
            RoleGrant.create(user=admin, role="town_admin", region=nodes["town"])
        boss = load_actor(admin, "staff")
        smart = config.create_endpoint(boss, kind="wecom_bot", name="压测机器人",
                                       region_id=nodes["town"].id, token=wire.DOC_TOKEN,
                                       encoding_aes_key=wire.DOC_AES_KEY)
        relay = config.create_endpoint(boss, kind="relay", name="压测转发桥",
                                       region_id=nodes["town"].id, secret=RELAY_SECRET)
        chats = {}
        for scenario, endpoint in (("chatter", relay), ("help", smart), ("complaint", smart),
                                   ("retry", smart)):
            chat = f"bench-{run}-{scenario}"
            code = issue_binding_code(load_actor(worker, "staff"), nodes["building"].id).code
            receive(InboundMessage(
                channel=endpoint.kind, msg_id=f"{endpoint.id}:bind-{chat}",
                chat_id=f"{endpoint.id}:{chat}", sender=Sender("wecom_user", "gw", "bench"),
                text=f"绑定 {code}", created_at=utcnow()))
            chats[scenario] = chat
    if hasattr(db, "close_all"):
        db.close_all()
    return {"smart": smart.id, "relay": relay.id, "chats": chats, "run": run}


def _payloads(setup: dict, scenario: str, count: int, seed: str
              ) -> list[tuple[str, bytes, dict]]:
    from tests.bot import wire

    chat = setup["chats"][scenario]
    out = []
    for i in range(count):
        msgid = "retry-1" if scenario == "retry" else f"{setup['run']}-{scenario}-{seed}-{i}"
        text = "谢谢网格员！辛苦了" if scenario == "help" else CHATTER[i % len(CHATTER)]
        if scenario in ("complaint", "retry"):
            text = f"投诉 小区门口的垃圾桶好几天没人清了（第{seed}-{i}次）"
        if scenario == "chatter":
            body = json.dumps({"msg_id": msgid, "chat_id": chat, "text": text,
                               "sender": {"id": f"wm{i % 50}", "kind": "wecom_external"}},
                              ensure_ascii=False).encode()
            out.append(("/bot/relay", body, wire.relay_headers(setup["relay"], RELAY_SECRET,
                                                               body)))
            continue
        message = {"msgid": msgid, "aibotid": "bench", "chatid": chat, "chattype": "group",
                   "from": {"userid": f"user{i % 50}"}, "msgtype": "text",
                   "text": {"content": f"@社区助手 {text}"}}
        args, body = wire.smart_bot_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, message)
        query = "&".join(f"{k}={v}" for k, v in args.items())
        out.append((f"/bot/wecom-bot/{setup['smart']}?{query}", body,
                    {"Content-Type": "application/json"}))
    return out


def _client(port: int, setup: dict, scenario: str, count: int, seed: str, time_cap: float):
    payloads = [("POST", path, body, headers)
                for path, body, headers in _payloads(setup, scenario, count, seed)]
    return loadgen.send(HOST, port, payloads, time.monotonic() + time_cap)


def load(name: str, port: int, setup: dict, scenario: str, total: int, clients: int,
         time_cap: float, tag: str = "run") -> loadgen.Result:
    return loadgen.pooled(name, _client, [
        (port, setup, scenario, share, f"{tag}{seed}", time_cap)
        for seed, share in enumerate(loadgen.shares(total, clients))])


def main() -> int:
    parser = argparse.ArgumentParser(description="bot callbacks under gunicorn")
    common.add_database_args(parser, reset=False)
    common.add_load_args(parser, requests_help="per scenario", clients_help=None,
                         time_cap_help=None)
    args = parser.parse_args()
    common.exit_on_sigterm()
    secret = secrets.token_urlsafe(48)
    base_env = common.server_env(secret, keep_redis=True)
    results = []
    with tempfile.TemporaryDirectory(prefix="linli-bot-bench-") as tmp:
        for label, url in common.databases(tmp, args.database_url):
            setup = prepare(url, secret)
            with gunicorn("miniprogram_api:create_app()", dict(base_env, DATABASE_URL=url),
                          "/healthz") as port:
                for scenario in SCENARIOS:  # every code path imported and cached first
                    load("warm-up", port, setup, scenario, 40, 2, 20, tag="warm")
                for scenario in SCENARIOS:
                    print(f"-- {scenario} ({label})", flush=True)
                    results.append(load(f"{scenario} ({label})", port, setup, scenario,
                                        args.requests, args.clients, args.time_cap))
    print()
    print(common.machine_line())
    print(common.table(results, first="scenario", rate="msg/s"))
    print()
    classifier = bot_classifier.main(["--json"])
    common.save_results("bot_bench", json.dumps(
        {"gunicorn": GUNICORN, "cores": os.cpu_count(), "args": vars(args),
         "results": [r.as_dict() for r in results], "classifier": classifier}, indent=2,
        ensure_ascii=False))
    return 1 if any(r.errors for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
