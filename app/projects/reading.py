"""Reading 微实事 rounds and projects as a given actor may see them, and the list queries.

``get_project`` is the entry other features use (议事 topics link to projects through it):
it returns a project the actor may see or raises ``project.not_found``. List functions return
unevaluated queries for keyset paging by id (``miniprogram_api.pagination``).
"""

from __future__ import annotations

import datetime as dt

from app.errors import Forbidden, InvalidInput, Unauthorized
from app.policy import Actor, require_any_scope
from app.projects import policies, rules
from app.projects.models import (
    Project,
    ProjectMilestone,
    ProjectRating,
    ProjectRound,
    ProjectSpending,
)
from app.regions import rules as region_rules
from app.regions.services import in_subtree


def dates_of(round_: ProjectRound) -> dict[str, dt.datetime]:
    return {field: getattr(round_, field) for field in rules.BOUNDARIES}


def phase_of(round_: ProjectRound, now: dt.datetime) -> str:
    return rules.phase_at(dates_of(round_), now)


def require_resident(actor: Actor | None) -> Actor:
    """The actor if bound to a household; Unauthorized / project.household_required."""
    if actor is None:
        raise Unauthorized()
    if actor.household_id is None or actor.household_path is None:
        raise Forbidden("project.household_required", "请先绑定您家的住户信息")
    return actor


def get_round(actor: Actor | None, round_id: int) -> ProjectRound:
    """The round if the actor is a resident of its region or staff in scope; otherwise
    project.round_not_found. Changes nothing."""
    round_ = ProjectRound.get_or_none(ProjectRound.id == round_id)
    if round_ is None or not policies.can_view_round(actor, round_):
        raise policies.round_not_found()
    return round_


def get_project(actor: Actor | None, project_id: int) -> Project:
    """The project if ``actor`` may see it (see ``policies``); otherwise project.not_found.

    Any caller, including other features' services. Changes nothing.
    """
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        raise policies.not_found()
    round_ = ProjectRound.get_by_id(project.round_id)
    if not policies.can_view(actor, project, round_):
        raise policies.not_found()
    return project


def load_for_staff(actor: Actor | None, project_id: int) -> tuple[Project, ProjectRound]:
    """A project and its round if the actor reads projects of that region (else not_found)."""
    project = Project.get_or_none(Project.id == project_id)
    if project is None or not policies.is_staff_reader(actor, project.region_path):
        raise policies.not_found()
    return project, ProjectRound.get_by_id(project.round_id)


def load_round_for_staff(actor: Actor | None, round_id: int) -> ProjectRound:
    round_ = ProjectRound.get_or_none(ProjectRound.id == round_id)
    if round_ is None or not policies.is_staff_reader(actor, round_.region_path):
        raise policies.round_not_found()
    return round_


# -- lists --------------------------------------------------------------------------------------


def rounds_query(actor: Actor | None):
    """Rounds of the caller's village and town (every region above their household).
    Raises project.household_required for a visitor."""
    actor = require_resident(actor)
    ids = region_rules.path_ids(actor.household_path)
    above = ["/" + "/".join(str(i) for i in ids[:n]) + "/" for n in range(1, len(ids) + 1)]
    return ProjectRound.select().where(ProjectRound.region_path.in_(above))


def _scope_condition(field, paths: list[str]):
    cond = None
    for path in paths:
        part = in_subtree(field, path)
        cond = part if cond is None else (cond | part)
    return cond


def staff_rounds_query(actor: Actor | None):
    """Rounds in the caller's project.read scope. Raises Unauthorized / Forbidden."""
    paths = require_any_scope(actor, policies.READ)
    return ProjectRound.select().where(_scope_condition(ProjectRound.region_path, paths))


def round_projects_query(actor: Actor | None, round_id: int, *, status: str | None = None):
    """Projects of a round: the public ones for residents, any state for staff in scope.
    Raises project.round_not_found, project.bad_status."""
    round_ = get_round(actor, round_id)
    if status is not None and status not in rules.STATES:
        raise InvalidInput("project.bad_status", "未知的项目状态")
    query = Project.select().where(Project.round == round_.id)
    if not policies.is_staff_reader(actor, round_.region_path):
        query = query.where(Project.status.in_(sorted(rules.PUBLIC_STATES)))
    if status is not None:
        query = query.where(Project.status == status)
    return query


def my_projects_query(actor: Actor | None):
    """The caller's own proposals, whatever their state."""
    if actor is None:
        raise Unauthorized()
    return Project.select().where(Project.proposer == actor.user_id)


def staff_projects_query(actor: Actor | None, *, status: str | None = "proposed",
                         round_id: int | None = None):
    """Projects in the caller's scope (default: the review queue of proposed ones).
    Raises Forbidden, project.bad_status, project.round_not_found."""
    paths = require_any_scope(actor, policies.READ)
    if status is not None and status not in rules.STATES:
        raise InvalidInput("project.bad_status", "未知的项目状态")
    query = Project.select().where(_scope_condition(Project.region_path, paths))
    if round_id is not None:
        query = query.where(Project.round == load_round_for_staff(actor, round_id).id)
    if status is not None:
        query = query.where(Project.status == status)
    return query


def milestones_query(actor: Actor | None, project_id: int):
    project = get_project(actor, project_id)
    return ProjectMilestone.select().where(ProjectMilestone.project == project.id)


def spending_query(actor: Actor | None, project_id: int):
    project = get_project(actor, project_id)
    return ProjectSpending.select().where(ProjectSpending.project == project.id)


def ratings_query(actor: Actor | None, project_id: int):
    project = get_project(actor, project_id)
    return ProjectRating.select().where(ProjectRating.project == project.id)
