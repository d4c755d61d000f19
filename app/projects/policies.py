"""Who may see and do what with 微实事 rounds and projects.

Decisions, so residents and staff can hold the software to them:

* A round belongs to one village or one town (``region_path``). Its residents are the users
  whose approved household binding lies inside that region: they see the round and its
  public projects (accepted, selected, not selected, completed), propose, vote and rate.
  An unbound visitor and a resident of another village see nothing of it.
* The proposer always sees their own proposal, including a rejection reason or the project
  it was merged into. Out of reach is ``project.not_found`` / ``project.round_not_found``:
  existence is not revealed.
* Staff scope is the round's region, not the proposer's household: a village round is
  reviewed and run by that village's cadres (and the town admin above them); a town round by
  the town admin. Cadres of another village, grid workers (whose grant is a grid, below any
  round) and roles outside project work (finance panel, supervision committee, discipline
  officer, sysadmin) neither review nor run rounds.
* Photos of milestones are visible to whoever may see the project.
"""

from __future__ import annotations

from app.errors import NotFound
from app.policy import Actor, can, register
from app.projects import rules
from app.projects.models import Project, ProjectMilestone, ProjectRound
from app.regions import rules as region_rules

READ = register("project.read", {"cadre", "town_admin"})
REVIEW = register("project.review", {"cadre", "town_admin"})
MANAGE = register("project.manage", {"cadre", "town_admin"})


def lives_in(actor: Actor | None, round_: ProjectRound) -> bool:
    """Whether the actor is a verified resident (approved binding) of the round's region."""
    return (actor is not None and actor.household_id is not None
            and actor.household_path is not None
            and region_rules.contains(round_.region_path, actor.household_path))


def is_staff_reader(actor: Actor | None, region_path: str) -> bool:
    return can(actor, READ, region_path)


def is_proposer(actor: Actor | None, project: Project) -> bool:
    return actor is not None and project.proposer_id == actor.user_id


def can_view_round(actor: Actor | None, round_: ProjectRound) -> bool:
    return lives_in(actor, round_) or is_staff_reader(actor, round_.region_path)


def can_view(actor: Actor | None, project: Project, round_: ProjectRound) -> bool:
    if actor is None:
        return False
    if is_proposer(actor, project) or is_staff_reader(actor, project.region_path):
        return True
    return project.status in rules.PUBLIC_STATES and lives_in(actor, round_)


def not_found() -> NotFound:
    return NotFound("project.not_found", "找不到该项目")


def round_not_found() -> NotFound:
    return NotFound("project.round_not_found", "找不到该轮微实事")


def _may_view_milestone_media(actor: Actor, target: str) -> bool:
    _, _, raw_id = target.partition(":")
    milestone = (ProjectMilestone.get_or_none(ProjectMilestone.id == int(raw_id))
                 if raw_id.isdigit() else None)
    if milestone is None:
        return False
    project = Project.get_by_id(milestone.project_id)
    return can_view(actor, project, ProjectRound.get_by_id(project.round_id))


def register_media_visibility() -> None:
    from app.media.policies import register_visibility

    register_visibility("project_milestone", _may_view_milestone_media)


register_media_visibility()
