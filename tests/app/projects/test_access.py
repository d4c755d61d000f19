"""Who may see and do what with 微实事: every role on a round of its own village ("in") and of
a village in another town ("out"), plus the residents' and neighbouring cadres' limits.

Outcomes, as in ``tests/app/test_role_matrix.py``: ``OK`` done; ``NO`` permission denied (the
role may never do this); ``HID`` reported missing (not here), and nothing changes.
"""

from __future__ import annotations

import datetime as dt

import pytest

from app.accounts.models import ROLES, User
from app.accounts.tokens import load_actor
from app.clock import frozen
from app.errors import Forbidden, NotFound
from app.projects import execution, reading, review, voting
from app.projects.models import ProjectMilestone, ProjectRound
from tests.app.projects.conftest import (
    IN,
    accepted,
    fresh,
    make_round,
    propose,
    publish,
    staff_user,
    vote,
)
from tests.factories import grant, make_user

OK, NO, HID = "allowed", "denied", "hidden"
ACTIONS = ("view", "staff_list", "accept", "publish", "override", "milestone")
STAFF_ALL = {a: (OK, HID) for a in ACTIONS}
NONE = {**{a: (HID, HID) for a in ACTIONS}, "staff_list": (NO, NO)}
MATRIX = {
    "resident": {**NONE, "view": (OK, HID)},
    "grid_worker": NONE, "finance_panel": NONE, "supervision_committee": NONE,
    "discipline_officer": NONE, "sysadmin": NONE,
    "cadre": STAFF_ALL, "town_admin": STAFF_ALL,
}
GRANTED_AT = {
    "resident": "household_a1", "grid_worker": "grid_a1", "cadre": "village_a1",
    "finance_panel": "village_a1", "supervision_committee": "village_a1",
    "discipline_officer": "town_a", "town_admin": "town_a", "sysadmin": "town_a",
}
CASES = [(role, action, where, MATRIX[role][action][where == "out"])
         for role in MATRIX for action in ACTIONS for where in ("in", "out")]


def attempt(call) -> str:
    try:
        call()
    except Forbidden:
        return NO
    except NotFound:
        return HID
    return OK


def actor_for(role, village):
    region = getattr(village.tree, GRANTED_AT[role])
    user = make_user(household=region) if role == "resident" else make_user()
    grant(user, role, region)
    return load_actor(User.get_by_id(user.id), "miniprogram" if role == "resident" else "staff")


def setting(village, where, stage):
    """A round in village A1 ("in") or B1 ("out") with one project brought to ``stage``."""
    if where == "in":
        round_, proposer = make_round(village), village.proposer
    else:
        cadre_b = staff_user("cadre", village.tree.village_b1)
        round_ = make_round(village, region=village.tree.village_b1, by=cadre_b)
        village.cadre, proposer = cadre_b, village.other_town  # later steps run as B's cadre
    if stage == "proposed":
        return round_, propose(village, round_, user=proposer)
    project = accepted(village, round_, user=proposer)
    if stage == "published":
        vote(village, round_, proposer, project)
        publish(village, round_)
    return round_, project


def view(actor, village, where):
    _, project = setting(village, where, "accepted")
    return attempt(lambda: reading.get_project(actor, project.id))


def staff_list(actor, village, where):
    _, project = setting(village, where, "accepted")
    seen = []
    outcome = attempt(lambda: seen.extend(
        p.id for p in reading.staff_projects_query(actor, status=None)))
    return HID if outcome == OK and project.id not in seen else outcome


def accept(actor, village, where):
    _, project = setting(village, where, "proposed")
    with frozen(IN["review"]):
        outcome = attempt(lambda: review.accept_project(actor, project.id))
    assert (fresh(project).status == "accepted") == (outcome == OK)
    return outcome


def publish_result(actor, village, where):
    round_, project = setting(village, where, "accepted")
    with frozen(IN["result"]):
        outcome = attempt(lambda: voting.publish_result(actor, round_.id))
    published = ProjectRound.get_by_id(round_.id).result_published_at is not None
    assert published == (outcome == OK)
    return outcome


def override(actor, village, where):
    _, project = setting(village, where, "published")
    with frozen(IN["result"]):
        outcome = attempt(lambda: voting.override_result(actor, project.id, selected=False,
                                                         reason="施工地点有产权争议"))
    assert (fresh(project).status == "not_selected") == (outcome == OK)
    return outcome


def milestone(actor, village, where):
    _, project = setting(village, where, "published")
    with frozen(IN["execution"]):
        outcome = attempt(lambda: execution.add_milestone(actor, project.id, note="已开工",
                                                          happened_on=dt.date(2026, 12, 20)))
    assert ProjectMilestone.select().exists() == (outcome == OK)
    return outcome


RUN = {"view": view, "staff_list": staff_list, "accept": accept, "publish": publish_result,
       "override": override, "milestone": milestone}


@pytest.mark.parametrize("role,action,where,expected", CASES,
                         ids=[f"{r}-{a}-{w}" for r, a, w, _ in CASES])
def test_role_may_or_may_not_act_on_projects_in_and_out_of_scope(village, role, action,
                                                                   where, expected):
    actor = actor_for(role, village)
    assert RUN[action](actor, village, where) == expected


def test_the_matrix_covers_every_role_and_action():
    assert set(MATRIX) == set(ROLES) == set(GRANTED_AT)
    assert set(RUN) == set(ACTIONS)


def test_a_cadre_of_the_neighbouring_village_neither_sees_nor_reviews(village):
    round_ = make_round(village)
    project = propose(village, round_)
    other = village.staff(village.other_cadre)
    with frozen(IN["review"]):
        with pytest.raises(NotFound) as info:
            review.accept_project(other, project.id)
    assert info.value.code == "project.not_found"
    with pytest.raises(NotFound):
        reading.get_round(other, round_.id)
    assert list(reading.staff_projects_query(other)) == []


def test_the_town_admin_reviews_but_a_village_cadre_cannot_see_a_town_round(village):
    round_ = make_round(village, region=village.tree.town_a, by=village.town_admin)
    project = propose(village, round_)
    with frozen(IN["review"]):
        with pytest.raises(NotFound):
            review.accept_project(village.staff(village.cadre), project.id)
        assert review.accept_project(village.staff(village.town_admin),
                                     project.id).status == "accepted"


def test_a_proposal_under_review_is_seen_by_its_proposer_and_staff_only(village):
    round_ = make_round(village)
    project = propose(village, round_)
    assert reading.get_project(village.actor(village.proposer), project.id).id == project.id
    assert reading.get_project(village.staff(village.cadre), project.id).id == project.id
    for other in (village.spouse, village.neighbour, village.visitor, village.other_village):
        with pytest.raises(NotFound) as info:
            reading.get_project(village.actor(other), project.id)
        assert info.value.code == "project.not_found"


def test_residents_list_rounds_of_their_village_and_town_only(village):
    own = make_round(village)
    town = make_round(village, region=village.tree.town_a, by=village.town_admin)
    make_round(village, region=village.tree.village_a2, by=village.other_cadre)
    listed = {r.id for r in reading.rounds_query(village.actor(village.neighbour))}
    assert listed == {own.id, town.id}
    with pytest.raises(Forbidden) as info:
        reading.rounds_query(village.actor(village.visitor))
    assert info.value.code == "project.household_required"
