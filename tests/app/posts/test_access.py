"""Every role against every post action, on a grid inside (grid A1) and outside (grid B1) its
scope. Grid workers publish notices and service guides for their grid only; cadres and town
admins any kind inside their grant; nobody else publishes.

``OK`` done; ``NO`` permission denied; ``HID`` reported missing, and nothing changes.
"""

from __future__ import annotations

import pytest

from app.accounts.models import ROLES, User
from app.accounts.tokens import load_actor
from app.errors import Forbidden, NotFound
from app.posts import services as posts
from app.posts.models import Post
from tests.app.posts.conftest import draft, fresh
from tests.factories import grant, make_user

OK, NO, HID = "allowed", "denied", "hidden"

ACTIONS = ("write_notice", "write_policy", "publish_notice", "publish_policy", "withdraw",
           "list")
#                       notice    policy    pub notice pub policy withdraw  list
MATRIX = {
    "resident":        ((NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID), (NO, NO)),
    "grid_worker":     ((OK, NO), (NO, NO), (OK, HID), (NO, HID), (OK, HID), (OK, HID)),
    "cadre":           ((OK, NO), (OK, NO), (OK, HID), (OK, HID), (OK, HID), (OK, HID)),
    "finance_panel":   ((NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID), (NO, NO)),
    "supervision_committee": ((NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID),
                              (NO, NO)),
    "discipline_officer": ((NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID), (NO, NO)),
    "town_admin":      ((OK, NO), (OK, NO), (OK, HID), (OK, HID), (OK, HID), (OK, HID)),
    "sysadmin":        ((NO, NO), (NO, NO), (HID, HID), (HID, HID), (HID, HID), (NO, NO)),
}
GRANTED_AT = {
    "resident": "household_a1", "grid_worker": "grid_a1", "cadre": "village_a1",
    "finance_panel": "village_a1", "supervision_committee": "village_a1",
    "discipline_officer": "town_a", "town_admin": "town_a", "sysadmin": "town_a",
}
CASES = [(role, action, where, MATRIX[role][i][where == "out"])
         for role in MATRIX for i, action in enumerate(ACTIONS) for where in ("in", "out")]


def attempt(call) -> str:
    try:
        call()
    except Forbidden:
        return NO
    except NotFound:
        return HID
    return OK


def run(action, actor, town, where):
    grid = town.tree.grid_a1 if where == "in" else town.tree.grid_b1
    author = town.town_admin if where == "in" else town.town_admin_b
    if action.startswith("write_"):
        kind = action.removeprefix("write_")
        before = Post.select().count()
        outcome = attempt(lambda: posts.create_post(actor, kind=kind, title="标题", body="正文",
                                                    region_id=grid.id))
        assert Post.select().count() == before + (outcome == OK)
        return outcome
    kind = "policy" if action == "publish_policy" else "notice"
    post = draft(town, grid, kind=kind, by=author)
    if action == "list":
        seen = []
        outcome = attempt(lambda: seen.extend(p.id for p in posts.staff_posts_query(actor)))
        return HID if outcome == OK and post.id not in seen else outcome
    call = (lambda: posts.withdraw_post(actor, post.id, reason="理由")) \
        if action == "withdraw" else (lambda: posts.publish_post(actor, post.id))
    outcome = attempt(call)
    assert (fresh(post).status != "draft") == (outcome == OK)
    return outcome


def actor_for(role, town):
    region = getattr(town.tree, GRANTED_AT[role])
    if role == "resident":
        user = make_user(household=region)
        grant(user, "resident", region)
        return load_actor(User.get_by_id(user.id))
    user = make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "staff")


@pytest.mark.parametrize("role,action,where,expected", CASES,
                         ids=[f"{r}-{a}-{w}" for r, a, w, _ in CASES])
def test_role_may_or_may_not_act_on_posts_in_and_out_of_scope(town, role, action, where,
                                                              expected):
    assert run(action, actor_for(role, town), town, where) == expected


def test_the_matrix_covers_every_role():
    assert set(MATRIX) == set(ROLES) == set(GRANTED_AT)


def test_a_grid_worker_does_not_publish_for_the_whole_village_or_the_next_grid(town):
    worker = town.staff(town.grid_worker)
    for region in (town.tree.village_a1, town.grid_a1_east):
        with pytest.raises(Forbidden):
            posts.create_post(worker, kind="notice", title="通知", body="正文",
                              region_id=region.id)
    assert posts.create_post(worker, kind="service_guide", title="指南", body="正文",
                             region_id=town.tree.building_a1.id).status == "draft"


def test_a_grid_worker_cannot_turn_their_notice_into_a_policy(town):
    worker = town.staff(town.grid_worker)
    post = posts.create_post(worker, kind="notice", title="通知", body="正文",
                             region_id=town.tree.grid_a1.id)
    with pytest.raises(Forbidden):
        posts.update_post(worker, post.id, kind="policy", title="通知", body="正文")
    assert fresh(post).kind == "notice"


def test_a_cadre_in_the_village_manages_a_grid_workers_notice(town):
    post = posts.create_post(town.staff(town.grid_worker), kind="notice", title="通知",
                             body="正文", region_id=town.tree.grid_a1.id)
    assert posts.publish_post(town.staff(town.cadre), post.id).status == "published"


def test_staff_lists_narrow_to_a_region_inside_their_scope(town):
    here = draft(town, town.tree.grid_a1)
    there = draft(town, town.tree.village_a2)
    admin = town.staff(town.town_admin)
    assert {p.id for p in posts.staff_posts_query(admin)} == {here.id, there.id}
    narrowed = posts.staff_posts_query(admin, region_id=town.tree.village_a1.id)
    assert [p.id for p in narrowed] == [here.id]
    assert list(posts.staff_posts_query(town.staff(town.cadre),
                                        region_id=town.tree.town_a.id)) == [fresh(here)]
