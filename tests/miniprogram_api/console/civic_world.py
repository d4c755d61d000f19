"""Shared set-up of the 微实事 and 议事 console tests: an extra staff login (a cadre of the
next village), posting a console form, and a 微实事 round walked to a given phase through the
services, on the known dates of ``tests.app.projects.conftest``."""

from __future__ import annotations

from app.accounts.models import StaffCredential, User
from app.clock import frozen
from app.projects import review, rounds, services, voting
from app.projects.models import Project, ProjectRound
from tests.app.projects.conftest import DATES, IN
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of

DESCRIPTION = "老人上下楼不方便，希望在1号楼楼道加装扶手"


def other_cadre(town: Town, password_hash: str) -> User:
    """A cadre of 后埔村 (village A2, same town), who logs in as ``othercadre``."""
    user = make_user(name="后埔村干部")
    grant(user, "cadre", town.tree.village_a2)
    StaffCredential.create(user=user, username="othercadre", password_hash=password_hash)
    return user


def post(web, url: str, page: str = "/console/", **data):
    """POST a console form (with the session's CSRF token), following the redirect."""
    token = csrf_of(web.get(page).text)
    return web.post(url, data={"csrf_token": token, **data}, follow_redirects=True)


def make_round(town: Town, *, budget_fen: int = 100_000) -> ProjectRound:
    with frozen(IN["scheduled"]):
        return rounds.create_round(town.actor(town.cadre), region_id=town.tree.village_a1.id,
                                   title="2027年东星社区微实事", ballot_type="approval",
                                   vote_unit="resident", budget_fen=budget_fen,
                                   dates=dict(DATES))


def propose(town: Town, round_: ProjectRound, title: str = "加装楼道扶手",
            cost: int = 30_000, user: User | None = None) -> Project:
    with frozen(IN["proposal"]):
        return services.propose_project(
            town.actor(user or town.resident, "miniprogram"), round_.id, kind="works",
            title=title, description=DESCRIPTION, location="1号楼楼道",
            estimated_cost_fen=cost)


def accept(town: Town, project: Project) -> Project:
    with frozen(IN["review"]):
        return review.accept_project(town.actor(town.cadre), project.id)


def vote(town: Town, round_: ProjectRound, user: User, *projects: Project) -> None:
    with frozen(IN["voting"]):
        voting.cast_ballot(town.actor(user, "miniprogram"), round_.id,
                           project_ids=[p.id for p in projects])


def published(town: Town) -> tuple[ProjectRound, Project, Project]:
    """A round whose result is out: 扶手 won (two votes), 路灯 lost (one vote, over budget)."""
    round_ = make_round(town, budget_fen=50_000)
    rail = accept(town, propose(town, round_))
    lamp = accept(town, propose(town, round_, title="更换小区路灯", cost=40_000))
    vote(town, round_, town.resident, rail, lamp)
    vote(town, round_, town.neighbour, rail)
    with frozen(IN["result"]):
        voting.publish_result(town.actor(town.cadre), round_.id)
    return round_, Project.get_by_id(rail.id), Project.get_by_id(lamp.id)
