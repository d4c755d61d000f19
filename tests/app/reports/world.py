"""A district with two towns, the people a report touches, and helpers to act as them.

Used by the app tests (through ``conftest.py``) and by the HTTP tests of reports.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app import crypto
from app.accounts import phone as phones
from app.accounts.models import User
from app.accounts.tokens import issue_token, load_actor
from app.policy import Actor
from app.reports import keys, sealing, services, throttle
from tests.factories import Tree, build_tree, grant, make_user

KEY_PASSWORD = "Key-password-2026"
LIGHT_KDF = sealing.KdfParams(time_cost=1, memory_cost=256, parallelism=1)
RESIDENT_PHONE = "13912345678"
BODY = "村主任王某某在低保评定中收受好处费三千元，并让不符合条件的亲属享受低保"


@pytest.fixture
def light_kdf(monkeypatch):
    """Cheap Argon2id for tests (the production cost is exercised in test_sealing)."""
    monkeypatch.setattr(sealing, "RECEIPT_KDF", LIGHT_KDF)
    monkeypatch.setattr(sealing, "OFFICER_KDF", LIGHT_KDF)
    throttle.forget_submissions()


@dataclass
class World:
    tree: Tree
    resident: User
    accused: User
    accused_spouse: User
    other_cadre: User
    grid_worker: User
    officer: User
    officer2: User
    district_officer: User
    other_town_officer: User
    town_admin: User
    sysadmin: User

    def actor(self, user: User, kind: str = "staff") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def token(self, user: User, kind: str = "staff") -> str:
        return issue_token(User.get_by_id(user.id), kind, 3600)

    def session(self, user: User) -> tuple[Actor, str]:
        """An officer's actor and a staff token whose session has the key unlocked."""
        actor = self.actor(user)
        token = self.token(user)
        if not keys.has_key(user.id):
            keys.set_up_key(actor, KEY_PASSWORD)
        keys.unlock_key(actor, KEY_PASSWORD, session_token=token)
        return actor, token

    def submit(self, mode: str = "anonymous", *, accused: User | None = None, text: str = BODY,
               village=None, role: str = "cadre", client: str = "client-1", **extra):
        accused = self.accused if accused is None else accused
        kwargs = dict(village_id=(village or self.tree.village_a1).id, text=text,
                      client=client, accused_user_id=accused.id if accused else None,
                      accused_role=role, **extra)
        if mode == "confidential":
            return services.submit_confidential(self.actor(self.resident, "miniprogram"),
                                                **kwargs)
        return services.submit_anonymous(**kwargs)


def build_world(*, with_keys: bool = True) -> World:
    tree = build_tree()
    resident = make_user(household=tree.household_a1, name="举报的村民", openid="o-reporter-xyz",
                         phone_hash=crypto.keyed_hash(phones.LOOKUP_PURPOSE, RESIDENT_PHONE),
                         phone_cipher=crypto.encrypt(phones.CIPHER_PURPOSE, RESIDENT_PHONE),
                         phone_masked=phones.mask(RESIDENT_PHONE))
    grant(resident, "resident", tree.household_a1)
    accused = make_user(household=tree.household_a2, name="被举报干部")
    grant(accused, "cadre", tree.village_a1)
    spouse = make_user(household=tree.household_a2, name="干部家属")
    other_cadre = make_user(name="同村干部")
    grant(other_cadre, "cadre", tree.village_a1)
    grid_worker = make_user(name="网格员")
    grant(grid_worker, "grid_worker", tree.grid_a1)
    officer = make_user(name="纪检委员甲")
    grant(officer, "discipline_officer", tree.town_a)
    officer2 = make_user(name="纪检委员乙")
    grant(officer2, "discipline_officer", tree.town_a)
    district_officer = make_user(name="区纪委干部")
    grant(district_officer, "discipline_officer", tree.district)
    other_town_officer = make_user(name="外街道纪检委员")
    grant(other_town_officer, "discipline_officer", tree.town_b)
    town_admin = make_user(name="街道管理员")
    grant(town_admin, "town_admin", tree.town_a)
    sysadmin = make_user(name="系统管理员")
    grant(sysadmin, "sysadmin", tree.district)
    world = World(tree, resident, accused, spouse, other_cadre, grid_worker, officer, officer2,
                  district_officer, other_town_officer, town_admin, sysadmin)
    if with_keys:
        for user in (officer, officer2, district_officer, other_town_officer):
            keys.set_up_key(world.actor(user), KEY_PASSWORD)
    return world
