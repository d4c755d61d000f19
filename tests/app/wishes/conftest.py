"""A village ready for wishes: a wisher, helpers of every kind, staff of every role."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.clock import frozen
from app.policy import Actor
from app.regions.models import Region
from app.regions.services import create_region
from app.wishes import claims, points, review
from app.wishes import services as wishes
from app.wishes.models import Wish
from tests.factories import Tree, build_tree, grant, make_user

# Monday 2026-11-23 09:00 in Asia/Shanghai.
MONDAY_9AM = dt.datetime(2026, 11, 23, 1, 0)
DAY = dt.timedelta(days=1)


@dataclass
class Village:
    tree: Tree
    household_next_door: Region
    wisher: User
    volunteer: User
    party_member: User
    neighbour: User
    other_village_volunteer: User
    visitor_volunteer: User
    grid_worker: User
    cadre: User
    town_admin: User
    other_grid_worker: User
    other_cadre: User

    def actor(self, user: User, kind: str = "miniprogram") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def staff(self, user: User) -> Actor:
        return self.actor(user, "staff")


@pytest.fixture(autouse=True)
def outbox_only(monkeypatch):
    """Whether or not app.points is installed, these tests see the points outbox alone."""
    monkeypatch.setattr(points, "find_recorder", lambda: None)


def staff_user(role: str, region: Region, name: str | None = None) -> User:
    user = make_user(name=name or role)
    grant(user, role, region)
    return user


@pytest.fixture
def village() -> Village:
    tree = build_tree()
    next_door = create_region(code=f"{tree.building_a1.code}h102", name="102室",
                              level="household", parent=tree.building_a1)
    wisher = make_user(household=tree.household_a1, name="张阿姨")
    volunteer = make_user(household=next_door, name="李志愿", is_volunteer=True)
    party_member = make_user(household=next_door, name="王党员", is_party_member=True)
    neighbour = make_user(household=next_door, name="赵邻居")
    other = make_user(household=tree.household_a2, name="陈志愿", is_volunteer=True)
    visitor = make_user(name="游客志愿者", is_volunteer=True)
    return Village(
        tree, next_door, wisher, volunteer, party_member, neighbour, other, visitor,
        staff_user("grid_worker", tree.grid_a1), staff_user("cadre", tree.village_a1),
        staff_user("town_admin", tree.town_a), staff_user("grid_worker", tree.grid_a2),
        staff_user("cadre", tree.village_a2))


TEXT = "想请人帮忙修一下家里的水龙头"


def submitted(village: Village, *, at: dt.datetime = MONDAY_9AM, text=TEXT, category="repair",
              deadline=None, user=None, **kw) -> Wish:
    with frozen(at):
        return wishes.create_wish(village.actor(user or village.wisher), category=category,
                                  text=text, deadline=deadline, **kw)


def approved(village: Village, *, at: dt.datetime = MONDAY_9AM, **kw) -> Wish:
    wish = submitted(village, at=at, **kw)
    with frozen(at):
        return review.approve_wish(village.staff(village.grid_worker), wish.id)


def claimed(village: Village, *, at: dt.datetime = MONDAY_9AM, by=None, **kw) -> Wish:
    wish = approved(village, at=at, **kw)
    with frozen(at):
        return claims.claim_wish(village.actor(by or village.volunteer), wish.id)


def fulfilled(village: Village, *, at: dt.datetime = MONDAY_9AM, by=None, **kw) -> Wish:
    wish = claimed(village, at=at, by=by, **kw)
    with frozen(at):
        return claims.fulfil_wish(village.actor(by or village.volunteer), wish.id,
                                  note="水龙头已经换好了")


def fresh(wish: Wish) -> Wish:
    return Wish.get_by_id(wish.id)
