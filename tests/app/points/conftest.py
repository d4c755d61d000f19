"""A village ready for points: default rules, an open pool, residents, staff of each role."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.points import setup
from app.policy import Actor
from tests.factories import Tree, build_tree, grant, make_user


@dataclass
class Village:
    tree: Tree
    resident: User
    neighbour: User
    outsider: User
    visitor: User
    grid_worker: User
    cadre: User
    town_admin: User
    other_cadre: User
    sysadmin: User

    def actor(self, user: User, kind: str = "staff") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def resident_actor(self, user: User) -> Actor:
        return load_actor(User.get_by_id(user.id), "miniprogram")


def make_village() -> Village:
    tree = build_tree()
    setup.ensure_default_rules()
    resident = make_user(household=tree.household_a1, name="张阿姨", is_volunteer=True)
    grant(resident, "resident", tree.household_a1)
    neighbour = make_user(household=tree.household_a1, name="李大爷")
    grant(neighbour, "resident", tree.household_a1)
    outsider = make_user(household=tree.household_b1, name="王先生")
    grant(outsider, "resident", tree.household_b1)
    visitor = make_user(name="游客")
    grid_worker = make_user(name="网格员")
    grant(grid_worker, "grid_worker", tree.grid_a1)
    cadre = make_user(name="社区干部")
    grant(cadre, "cadre", tree.village_a1)
    town_admin = make_user(name="街道管理员")
    grant(town_admin, "town_admin", tree.town_a)
    other_cadre = make_user(name="外村干部")
    grant(other_cadre, "cadre", tree.village_b1)
    sysadmin = make_user(name="系统管理员")
    grant(sysadmin, "sysadmin", tree.district)
    village = Village(tree, resident, neighbour, outsider, visitor, grid_worker, cadre,
                      town_admin, other_cadre, sysadmin)
    setup.open_pool(village.actor(cadre), tree.village_a1.id)
    setup.open_pool(village.actor(other_cadre), tree.village_b1.id)
    return village


@pytest.fixture
def village() -> Village:
    return make_village()
