"""Builders for test state, going through services where a service exists."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from app.accounts.models import RoleGrant, User
from app.accounts.tokens import issue_token
from app.regions.models import Region
from app.regions.services import create_region

_seq = itertools.count(1)


@dataclass
class Tree:
    """Two towns; town A has villages A1 and A2, each with a grid, building and household."""

    district: Region
    town_a: Region
    town_b: Region
    village_a1: Region
    village_a2: Region
    village_b1: Region
    grid_a1: Region
    grid_a2: Region
    grid_b1: Region
    building_a1: Region
    building_a2: Region
    building_b1: Region
    household_a1: Region
    household_a2: Region
    household_b1: Region


def build_tree() -> Tree:
    district = create_region(code="350500", name="丰泽区", level="district")
    town_a = create_region(code="350500001", name="东海街道", level="town", parent=district)
    town_b = create_region(code="350500002", name="城东街道", level="town", parent=district)
    nodes = {}
    for key, town, name in (("a1", town_a, "东星社区"), ("a2", town_a, "后埔村"),
                            ("b1", town_b, "仁风社区")):
        village = create_region(code=f"{town.code}{key}", name=name, level="village",
                                parent=town)
        grid = create_region(code=f"{village.code}g1", name="第一网格", level="grid",
                             parent=village)
        building = create_region(code=f"{grid.code}b1", name="1号楼", level="building",
                                 parent=grid)
        household = create_region(code=f"{building.code}h101", name="101室",
                                  level="household", parent=building)
        nodes[key] = (village, grid, building, household)
    return Tree(district, town_a, town_b,
                nodes["a1"][0], nodes["a2"][0], nodes["b1"][0],
                nodes["a1"][1], nodes["a2"][1], nodes["b1"][1],
                nodes["a1"][2], nodes["a2"][2], nodes["b1"][2],
                nodes["a1"][3], nodes["a2"][3], nodes["b1"][3])


def make_user(*, household: Region | None = None, openid: str | None = None, **fields) -> User:
    n = next(_seq)
    return User.create(openid=openid or f"openid-{n}", display_name=fields.pop("name", f"用户{n}"),
                       household=household, **fields)


def grant(user: User, role: str, region: Region) -> RoleGrant:
    return RoleGrant.create(user=user, role=role, region=region)


def bearer(user: User, kind: str = "miniprogram", ttl: int = 3600) -> dict:
    """Authorization header for a fresh token of ``user``."""
    return {"Authorization": f"Bearer {issue_token(user, kind, ttl)}"}
