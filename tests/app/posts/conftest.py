"""A town ready for posts: staff of each publishing role, residents in two towns, a visitor."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.accounts.models import User
from app.accounts.tokens import load_actor
from app.clock import frozen
from app.policy import Actor
from app.posts import services as posts
from app.posts.models import Post
from app.regions.models import Region
from app.regions.services import create_region
from tests.factories import Tree, build_tree, grant, make_user

# Monday 2026-11-23 09:00 in Asia/Shanghai.
MONDAY_9AM = dt.datetime(2026, 11, 23, 1, 0)
HOUR = dt.timedelta(hours=1)


@dataclass
class Town:
    tree: Tree
    grid_a1_east: Region
    resident: User
    resident_b: User
    visitor: User
    grid_worker: User
    cadre: User
    town_admin: User
    town_admin_b: User

    def actor(self, user: User, kind: str = "miniprogram") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def staff(self, user: User) -> Actor:
        return self.actor(user, "staff")


def staff_user(role: str, region: Region) -> User:
    user = make_user(name=role)
    grant(user, role, region)
    return user


@pytest.fixture
def town() -> Town:
    tree = build_tree()
    east = create_region(code=f"{tree.village_a1.code}g2", name="第二网格", level="grid",
                         parent=tree.village_a1)
    return Town(tree, east, make_user(household=tree.household_a1, name="张阿姨"),
                make_user(household=tree.household_b1, name="王先生"), make_user(name="游客"),
                staff_user("grid_worker", tree.grid_a1), staff_user("cadre", tree.village_a1),
                staff_user("town_admin", tree.town_a), staff_user("town_admin", tree.town_b))


def published(town: Town, region: Region, *, at: dt.datetime = MONDAY_9AM, kind="notice",
              title="停水通知", pinned=False, by: User | None = None) -> Post:
    """A post written and published at ``at`` by ``by`` (default: the town admin)."""
    author = by or (town.town_admin if region.path.startswith(town.tree.town_a.path)
                    else town.town_admin_b if region.path.startswith(town.tree.town_b.path)
                    else None)
    if author is None:
        author = staff_user("town_admin", town.tree.district)
    with frozen(at):
        post = posts.create_post(town.staff(author), kind=kind, title=title,
                                 body="明天上午九点到十二点停水，请提前储水。", region_id=region.id,
                                 pinned=pinned)
        return posts.publish_post(town.staff(author), post.id)


def draft(town: Town, region: Region, *, kind="notice", by: User | None = None,
          at: dt.datetime = MONDAY_9AM) -> Post:
    with frozen(at):
        return posts.create_post(town.staff(by or town.town_admin), kind=kind, title="草稿",
                                 body="正文内容", region_id=region.id)


def fresh(post: Post) -> Post:
    return Post.get_by_id(post.id)
