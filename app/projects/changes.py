"""Writing state changes of projects and rounds, and auditing staff actions.

``apply_action`` is the only place a project's status changes: a conditional update on the
status and version the caller read, inside the caller's transaction, so of two reviewers
acting at once exactly one wins and the other gets project.changed (or the state machine's
error for the state the winner left).
"""

from __future__ import annotations

from app.audit.services import record
from app.errors import Conflict
from app.policy import Actor, Grant
from app.projects import rules
from app.projects.models import Project, ProjectRound


def apply_action(project: Project, action: str, changes: dict | None = None) -> Project:
    target = rules.next_state(project.status, action)
    values = {**(changes or {}), "status": target}
    updated = (Project.update({**{getattr(Project, k): v for k, v in values.items()},
                               Project.version: Project.version + 1})
               .where((Project.id == project.id) & (Project.status == project.status)
                      & (Project.version == project.version))
               .execute())
    if updated != 1:
        current = Project.select(Project.status).where(Project.id == project.id).scalar()
        rules.next_state(current, action)
        raise Conflict("project.changed", "该项目刚被其他人处理过，请刷新后再试")
    for key, value in values.items():
        setattr(project, key, value)
    project.version += 1
    return project


def save_round(round_: ProjectRound, changes: dict) -> ProjectRound:
    """Update a round conditionally on the version read (project.changed otherwise)."""
    updated = (ProjectRound.update({**{getattr(ProjectRound, k): v for k, v in changes.items()},
                                    ProjectRound.version: ProjectRound.version + 1})
               .where((ProjectRound.id == round_.id)
                      & (ProjectRound.version == round_.version))
               .execute())
    if updated != 1:
        raise Conflict("project.changed", "该轮微实事刚被其他人修改过，请刷新后再试")
    for key, value in changes.items():
        setattr(round_, key, value)
    round_.version += 1
    return round_


def audit(actor: Actor, grant: Grant, action: str, round_: ProjectRound, *,
          project: Project | None = None, **summary) -> None:
    """One audit entry (ids and codes only) for a staff action on a round or project."""
    if project is not None:
        object_type, object_id = "project", project.id
        summary = {"round_id": round_.id, **summary}
    else:
        object_type, object_id = "project_round", round_.id
    record(actor=actor, grant=grant, action=f"project.{action}", object_type=object_type,
           object_id=object_id, region_path=round_.region_path, region_id=round_.region_id,
           summary=summary)
