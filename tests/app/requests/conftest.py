"""A small town ready for requests: units, routing, staff of each role, two residents."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.policy import Actor
from app.requests import setup
from app.requests.models import HandlingUnit
from tests.factories import Tree, build_tree, grant, make_user

# Monday 2026-11-23 09:00 in Asia/Shanghai, an ordinary working day.
MONDAY_9AM = dt.datetime(2026, 11, 23, 1, 0)


@dataclass
class Town:
    tree: Tree
    resident: User
    neighbour: User
    outsider: User
    grid_worker: User
    cadre: User
    town_admin: User
    discipline: User
    handler: User
    other_handler: User
    sysadmin: User
    grid_unit: HandlingUnit
    dept_unit: HandlingUnit
    other_unit: HandlingUnit

    def actor(self, user: User, kind: str = "staff") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)


@pytest.fixture
def town() -> Town:
    tree = build_tree()
    setup.ensure_default_categories()
    resident = make_user(household=tree.household_a1, name="张阿姨")
    grant(resident, "resident", tree.household_a1)
    neighbour = make_user(household=tree.household_a1, name="李大爷")
    grant(neighbour, "resident", tree.household_a1)
    outsider = make_user(household=tree.household_b1, name="王先生")
    grant(outsider, "resident", tree.household_b1)
    grid_worker = make_user(name="网格员")
    grant(grid_worker, "grid_worker", tree.grid_a1)
    cadre = make_user(name="社区干部")
    grant(cadre, "cadre", tree.village_a1)
    town_admin = make_user(name="街道管理员")
    grant(town_admin, "town_admin", tree.town_a)
    discipline = make_user(name="纪检委员")
    grant(discipline, "discipline_officer", tree.town_a)
    sysadmin = make_user(name="系统管理员")
    grant(sysadmin, "sysadmin", tree.district)
    handler, other_handler = make_user(name="城管队员"), make_user(name="水务员")
    admin = load_actor(sysadmin, "staff")
    grid_unit = setup.create_unit(admin, name="东星社区第一网格", kind="grid",
                                  region_id=tree.grid_a1.id,
                                  responsibilities=["网格内环境巡查", "邻里矛盾初步调解"])
    dept_unit = setup.create_unit(admin, name="东海街道城管科", kind="department",
                                  region_id=tree.town_a.id,
                                  responsibilities=["占道经营", "违章搭建"])
    other_unit = setup.create_unit(admin, name="城东街道水务站", kind="department",
                                   region_id=tree.town_b.id, responsibilities=["供水"])
    setup.add_unit_member(admin, grid_unit.id, grid_worker.id)
    setup.add_unit_member(admin, dept_unit.id, handler.id)
    setup.add_unit_member(admin, other_unit.id, other_handler.id)
    setup.add_routing_rule(admin, region_id=tree.grid_a1.id, unit_id=grid_unit.id)
    setup.add_routing_rule(admin, region_id=tree.town_a.id, unit_id=dept_unit.id,
                           category_code="roads")
    return Town(tree, resident, neighbour, outsider, grid_worker, cadre, town_admin,
                discipline, handler, other_handler, sysadmin, grid_unit, dept_unit, other_unit)
