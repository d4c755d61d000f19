"""A town ready for consultations: residents of village A1, neighbours elsewhere, staff of
every role that matters, and helpers that walk a topic through its lifecycle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.clock import frozen
from app.consultations import comments, topics
from app.consultations.models import Consultation
from app.policy import Actor
from app.regions.models import Region
from app.regions.services import create_region
from tests.factories import Tree, build_tree, grant, make_user

# Monday 2026-11-23 09:00 in Asia/Shanghai.
MONDAY_9AM = dt.datetime(2026, 11, 23, 1, 0)
DAY = dt.timedelta(days=1)
POLL = {"mode": "single", "options": ["同意", "不同意", "弃权"], "results": "after_close"}


@dataclass
class Town:
    tree: Tree
    household_next_door: Region
    author: User          # a resident of A1 who comments
    neighbours: list[User]  # three more residents of A1
    other_village: User   # a resident of A2 (same town)
    other_town: User      # a resident of B1
    visitor: User         # logged in, no household
    cadre: User
    town_admin: User
    grid_worker: User
    finance_panel: User
    other_cadre: User     # cadre of A2
    other_town_admin: User

    def actor(self, user: User, kind: str = "miniprogram") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def staff(self, user: User) -> Actor:
        return self.actor(user, "staff")


def staff_user(role: str, region: Region, name: str | None = None) -> User:
    user = make_user(name=name or role)
    grant(user, role, region)
    return user


@pytest.fixture
def town() -> Town:
    tree = build_tree()
    next_door = create_region(code=f"{tree.building_a1.code}h102", name="102室",
                              level="household", parent=tree.building_a1)
    neighbours = [make_user(household=next_door, name=name)
                  for name in ("李明", "王小红", "赵大海")]
    return Town(
        tree, next_door, make_user(household=tree.household_a1, name="张阿姨"), neighbours,
        make_user(household=tree.household_a2, name="陈后埔"),
        make_user(household=tree.household_b1, name="林仁风"), make_user(name="游客"),
        staff_user("cadre", tree.village_a1), staff_user("town_admin", tree.town_a),
        staff_user("grid_worker", tree.grid_a1), staff_user("finance_panel", tree.village_a1),
        staff_user("cadre", tree.village_a2), staff_user("town_admin", tree.town_b))


def draft_of(*, at: dt.datetime = MONDAY_9AM, poll: dict | None = POLL,
             opens_at: dt.datetime | None = None, closes_at: dt.datetime | None = None,
             **kw) -> topics.Draft:
    return topics.Draft(title=kw.pop("title", "小区停车位如何分配"),
                        background=kw.pop("background", "小区新增车位 20 个，请大家议一议。"),
                        closes_at=closes_at or at + 7 * DAY, opens_at=opens_at, poll=poll, **kw)


def drafted(town: Town, *, at: dt.datetime = MONDAY_9AM, region: Region | None = None,
            by: User | None = None, **kw) -> Consultation:
    with frozen(at):
        return topics.create_consultation(town.staff(by or town.cadre),
                                          region_id=(region or town.tree.village_a1).id,
                                          draft=draft_of(at=at, **kw))


def opened(town: Town, *, at: dt.datetime = MONDAY_9AM, **kw) -> Consultation:
    consultation = drafted(town, at=at, **kw)
    with frozen(at):
        return topics.publish_consultation(town.staff(kw.get("by") or town.cadre),
                                           consultation.id)


def closed(town: Town, *, at: dt.datetime = MONDAY_9AM, **kw) -> Consultation:
    consultation = opened(town, at=at, **kw)
    with frozen(at + DAY):
        return topics.close_consultation(town.staff(kw.get("by") or town.cadre),
                                         consultation.id)


def commented(town: Town, consultation: Consultation, *, by: User | None = None,
              content: str = "建议按先来后到排号分配", at: dt.datetime = MONDAY_9AM, **kw):
    with frozen(at):
        return comments.create_comment(town.actor(by or town.author), consultation.id,
                                       content=content, **kw)


def fresh(consultation: Consultation) -> Consultation:
    return Consultation.get_by_id(consultation.id)
