"""A town ready for supervision: staff of every supervising role, residents, a visitor.

Town A has villages A1 and A2, town B village B1 (``tests.factories.build_tree``). Feature
test packages import :func:`place` into their ``conftest.py``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.policy import Actor
from app.regions.models import Region
from app.requests.models import RequestCategory
from tests.factories import Tree, build_tree, grant, make_user

# Monday 2026-11-23 09:00 in Asia/Shanghai (a working day).
MONDAY_9AM = dt.datetime(2026, 11, 23, 1, 0)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)

ROLES_AT = {
    "grid_worker": "grid_a1", "cadre": "village_a1", "finance_panel": "village_a1",
    "supervision_committee": "village_a1", "discipline_officer": "town_a",
    "town_admin": "town_a",
}


@dataclass
class Place:
    tree: Tree
    staff_users: dict[str, User]
    cadre2: User
    cadre_b: User
    town_admin_b: User
    resident: User
    resident_a2: User
    resident_b: User
    visitor: User

    def actor(self, user: User, kind: str = "miniprogram") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def staff(self, who: str | User) -> Actor:
        user = self.staff_users[who] if isinstance(who, str) else who
        return self.actor(user, "staff")

    def user(self, role: str) -> User:
        return self.staff_users[role]


def staff_user(role: str, region: Region, name: str | None = None) -> User:
    user = make_user(name=name or role)
    grant(user, role, region)
    return user


def ensure_disclosure_category() -> None:
    """The default "要求公开" request category (its production source is the requests feature's
    default list: see the report of issue 7)."""
    if not RequestCategory.select().where(RequestCategory.town.is_null()
                                          & (RequestCategory.code == "disclosure")).exists():
        RequestCategory.create(town=None, code="disclosure", name="要求公开")


@pytest.fixture
def place() -> Place:
    tree = build_tree()
    ensure_disclosure_category()
    users = {role: staff_user(role, getattr(tree, where)) for role, where in ROLES_AT.items()}
    return Place(tree, users, staff_user("cadre", tree.village_a1, "第二位干部"),
                 staff_user("cadre", tree.village_b1, "B村干部"),
                 staff_user("town_admin", tree.town_b, "B镇管理员"),
                 make_user(household=tree.household_a1, name="张阿姨"),
                 make_user(household=tree.household_a2, name="李大爷"),
                 make_user(household=tree.household_b1, name="王先生"),
                 make_user(name="游客"))
