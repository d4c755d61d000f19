"""The crash test's town and its fake WeChat.

:func:`prepare` migrates the database and seeds, through the services, the demo town
(``app.demo.seed_demo``) with the default request categories and points rules, the first
village's points pool and seal, 60 requests whose escalation ladders the jobs climb during the
cycles, and tokens for two residents and the village cadre. :func:`serve_fake_wechat` puts the
in-repo :class:`~miniprogram_api.wechat.fake.FakeWeChat` behind a real loopback HTTP server, so
the app runs with ``WECHAT_MODE=live`` (its production configuration) and its content checks
never leave the machine.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench.crash_client import Town
from bench.me_bench import HOST

TOKEN_TTL = 7 * 86400
SEEDED_REQUESTS = 60


def prepare(url: str, secret: str, *, reset: bool) -> tuple[Town, int]:
    """Migrate and seed ``url``; returns the town the client writes to and its log id."""
    import migrations
    from app import crypto
    from app.accounts.models import StaffCredential, User
    from app.accounts.tokens import issue_token, load_actor
    from app.db import init_database, is_postgres
    from app.demo import TOWN, seed_demo
    from app.points import setup as points_setup
    from app.regions.models import Region
    from app.requests.setup import ensure_default_categories
    from app.seals.services import register_seal

    crypto.configure(secret)
    db = init_database(url, pool_size=2)
    if is_postgres(db) and reset:
        with db.connection_context():
            db.execute_sql("DROP SCHEMA public CASCADE")
            db.execute_sql("CREATE SCHEMA public")
    migrations.upgrade(db)
    with db.connection_context():
        seed_demo()
        ensure_default_categories()
        points_setup.ensure_default_rules()
        town = Region.get(Region.code == TOWN[0])
        village = Region.get(Region.code == f"{TOWN[0]}001")
        cadre = StaffCredential.get(StaffCredential.username == "cadre1").user
        admin = StaffCredential.get(StaffCredential.username == "townadmin").user
        points_setup.open_pool(load_actor(cadre, "staff"), village.id)
        seal = register_seal(load_actor(admin, "staff"), village_id=village.id,
                             name="东星社区居民委员会公章", kind="official")
        residents = [User.get(User.openid == f"demo-resident-{n}") for n in (1, 2)]
        _seed_requests(residents)
        result = Town(
            resident_tokens=[issue_token(u, "miniprogram", TOKEN_TTL) for u in residents],
            resident_ids=[u.id for u in residents],
            cadre_token=issue_token(cadre, "staff", TOKEN_TTL), cadre_id=cadre.id,
            seal_id=seal.id)
    return result, town.id


def _seed_requests(residents) -> None:
    """Requests submitted before the first cycle, so every cycle's jobs have ladders to climb
    (the client's own requests join them)."""
    from app.accounts.tokens import load_actor
    from app.content import WordListChecker
    from app.requests.services import submit_request

    for n in range(SEEDED_REQUESTS):
        submit_request(load_actor(residents[n % 2]), type="help", category_code="environment",
                       text=f"小区门口的路灯不亮了，第 {n + 1} 次反映", checker=WordListChecker())


class _FakeWeChatHandler(BaseHTTPRequestHandler):
    fake = None

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        status, payload = self.fake.handle(self.command, f"http://{HOST}{self.path}", body)
        data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _answer

    def log_message(self, *args):  # quiet
        return None


def serve_fake_wechat(appid: str, secret: str) -> ThreadingHTTPServer:
    """The in-repo FakeWeChat behind a real loopback HTTP server (the app stays ``live``)."""
    from miniprogram_api.wechat.fake import FakeWeChat

    handler = type("Handler", (_FakeWeChatHandler,), {"fake": FakeWeChat(appid, secret)})
    server = ThreadingHTTPServer((HOST, 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
