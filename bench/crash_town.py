"""The crash test's town.

:func:`prepare` migrates the database and seeds, through the services, the demo town
(``app.demo.seed_demo``) with the default request categories and points rules, the first
village's points pool and seal, 60 requests whose escalation ladders the jobs climb during the
cycles, and tokens for two residents and the village cadre. (Its fake WeChat is
``bench.common.serve_fake_wechat``.)
"""

from __future__ import annotations

from bench import dbtools
from bench.crash_client import Town

TOKEN_TTL = 7 * 86400
SEEDED_REQUESTS = 60


def prepare(url: str, secret: str, *, reset: bool) -> tuple[Town, int]:
    """Migrate and seed ``url``; returns the town the client writes to and its log id."""
    from app.accounts.models import StaffCredential, User
    from app.accounts.tokens import issue_token, load_actor
    from app.demo import TOWN, seed_demo
    from app.points import setup as points_setup
    from app.regions.models import Region
    from app.requests.setup import ensure_default_categories
    from app.seals.services import register_seal

    db = dbtools.open_database(url, secret, reset=reset, pool_size=2)
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
