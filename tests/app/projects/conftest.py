"""A village ready for 微实事: residents (two in one household), neighbours elsewhere, staff
of every role, and a round whose phases fall on known dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.accounts.models import HouseholdBinding, User
from app.accounts.tokens import load_actor
from app.clock import frozen
from app.policy import Actor
from app.projects import review, rounds, services, voting
from app.projects.models import Project, ProjectRound
from app.regions.models import Region
from app.regions.services import create_region
from tests.factories import Tree, build_tree, grant, make_user

DAY = dt.timedelta(days=1)
# Monday 2026-11-02 09:00 in Asia/Shanghai: proposals open.
T0 = dt.datetime(2026, 11, 2, 1, 0)
DATES = {"proposal_opens_at": T0, "review_opens_at": T0 + 10 * DAY,
         "voting_opens_at": T0 + 20 * DAY, "voting_closes_at": T0 + 30 * DAY,
         "execution_opens_at": T0 + 40 * DAY, "acceptance_opens_at": T0 + 100 * DAY,
         "closes_at": T0 + 130 * DAY}
# An instant inside each phase.
IN = {"scheduled": T0 - DAY, "proposal": T0 + DAY, "review": T0 + 11 * DAY,
      "voting": T0 + 21 * DAY, "result": T0 + 31 * DAY, "execution": T0 + 41 * DAY,
      "acceptance": T0 + 101 * DAY, "closed": T0 + 131 * DAY}


@dataclass
class Village:
    tree: Tree
    household_next_door: Region
    proposer: User          # 张阿姨, household A1
    spouse: User            # same household as the proposer
    neighbour: User         # next door, village A1
    other_village: User     # village A2, same town
    other_town: User        # village B1
    visitor: User           # no household
    cadre: User
    town_admin: User
    grid_worker: User
    other_cadre: User       # village A2

    def actor(self, user: User, kind: str = "miniprogram") -> Actor:
        return load_actor(User.get_by_id(user.id), kind)

    def staff(self, user: User) -> Actor:
        return self.actor(user, "staff")


def staff_user(role: str, region: Region) -> User:
    user = make_user(name=role)
    grant(user, role, region)
    return user


def resident(household: Region, name: str) -> User:
    user = make_user(household=household, name=name)
    HouseholdBinding.create(user=user, household=household, region_path=household.path,
                            real_name=name, relation="户主", status="approved")
    return user


@pytest.fixture
def village() -> Village:
    tree = build_tree()
    next_door = create_region(code=f"{tree.building_a1.code}h102", name="102室",
                              level="household", parent=tree.building_a1)
    return Village(
        tree, next_door, resident(tree.household_a1, "张阿姨"),
        resident(tree.household_a1, "李大伯"), resident(next_door, "赵邻居"),
        resident(tree.household_a2, "陈村民"), resident(tree.household_b1, "林居民"),
        make_user(name="游客"), staff_user("cadre", tree.village_a1),
        staff_user("town_admin", tree.town_a), staff_user("grid_worker", tree.grid_a1),
        staff_user("cadre", tree.village_a2))


def make_round(village: Village, *, ballot_type: str = "approval", vote_unit: str = "resident",
               budget_fen: int = 100_000, region: Region | None = None,
               by: User | None = None) -> ProjectRound:
    with frozen(IN["scheduled"]):
        return rounds.create_round(village.staff(by or village.cadre),
                                   region_id=(region or village.tree.village_a1).id,
                                   title="2027年东星社区微实事", ballot_type=ballot_type,
                                   vote_unit=vote_unit, budget_fen=budget_fen,
                                   dates=dict(DATES))


def propose(village: Village, round_: ProjectRound, *, title: str = "加装楼道扶手",
            cost: int = 30_000, user: User | None = None, kind: str = "works") -> Project:
    with frozen(IN["proposal"]):
        return services.propose_project(
            village.actor(user or village.proposer), round_.id, kind=kind, title=title,
            description="老人上下楼不方便，希望在1号楼楼道加装扶手", location="1号楼楼道",
            estimated_cost_fen=cost)


def accepted(village: Village, round_: ProjectRound, **kw) -> Project:
    project = propose(village, round_, **kw)
    with frozen(IN["review"]):
        return review.accept_project(village.staff(village.cadre), project.id)


def vote(village: Village, round_: ProjectRound, user: User, *projects: Project):
    with frozen(IN["voting"]):
        return voting.cast_ballot(village.actor(user), round_.id,
                                  project_ids=[p.id for p in projects])


def publish(village: Village, round_: ProjectRound) -> ProjectRound:
    with frozen(IN["result"]):
        return voting.publish_result(village.staff(village.cadre), round_.id)


def fresh(project: Project) -> Project:
    return Project.get_by_id(project.id)
