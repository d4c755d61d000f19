"""Staff review of proposals: accept as a voting candidate, merge into another proposal,
reject with a reason the proposer is shown (and told, through the notification outbox).

Cadres and town admins of the round's region, while the round is in its proposal or review
phase. Out of scope is ``project.not_found``; in scope without the right is
``permission.denied``. Each decision is audited with ids only; the reason stays on the
project, where the proposer reads it.
"""

from __future__ import annotations

from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput
from app.policy import Actor, authorize
from app.projects import notify, rules
from app.projects.changes import apply_action, audit
from app.projects.models import Project
from app.projects.policies import REVIEW
from app.projects.reading import load_for_staff, phase_of

REVIEW_PHASES = ("proposal", "review")


def _reviewable(actor: Actor | None, project_id: int):
    project, round_ = load_for_staff(actor, project_id)
    grant = authorize(actor, REVIEW, round_.region_path)
    rules.require_phase(phase_of(round_, utcnow()), REVIEW_PHASES, "提议审核已结束")
    return project, round_, grant


def accept_project(actor: Actor | None, project_id: int) -> Project:
    """Make a proposal a candidate of the vote (releasing text the content check held).

    Raises project.not_found, Forbidden, project.wrong_phase, project.illegal_transition,
    project.changed. Audits project.accept; tells the proposer.
    """
    project, round_, grant = _reviewable(actor, project_id)
    now = utcnow()
    with database.atomic():
        apply_action(project, "accept", {"reviewed_at": now, "held_for_review": False})
        audit(actor, grant, "accept", round_, project=project)
        notify.to_proposer(project, "project.accepted", "您的提议已通过审核，将进入居民投票",
                           dedupe="accepted")
    return project


def merge_project(actor: Actor | None, project_id: int, *, into_id: int,
                  reason: str = "") -> Project:
    """Merge a proposal into another proposal of the same round (proposed or accepted).

    Raises project.not_found, Forbidden, project.wrong_phase, project.bad_merge_target
    (itself, another round, or a target that is not proposed or accepted),
    project.illegal_transition, project.changed. Audits project.merge; tells the proposer.
    """
    project, round_, grant = _reviewable(actor, project_id)
    target = Project.get_or_none(Project.id == into_id)
    if (target is None or target.id == project.id or target.round_id != project.round_id
            or target.status not in ("proposed", "accepted")):
        raise InvalidInput("project.bad_merge_target", "只能合并到本轮中待审核或已通过的提议")
    note = (reason or "").strip()[:rules.NOTE_MAX] or f"已合并到提议“{target.title}”"
    now = utcnow()
    with database.atomic():
        apply_action(project, "merge", {"merged_into": target.id, "review_reason": note,
                                        "reviewed_at": now})
        audit(actor, grant, "merge", round_, project=project, into_id=target.id)
        notify.to_proposer(project, "project.merged", f"您的提议已与相近提议合并：{note}",
                           dedupe="merged")
    return project


def reject_project(actor: Actor | None, project_id: int, *, reason: str) -> Project:
    """Refuse a proposal with a reason the proposer is shown.

    Raises project.not_found, Forbidden, project.reason_required, project.wrong_phase,
    project.illegal_transition, project.changed. Audits project.reject; tells the proposer.
    """
    project, round_, grant = _reviewable(actor, project_id)
    reason = rules.check_reason(reason, "project.reason_required",
                                "请说明未通过审核的理由，提议人会看到")
    now = utcnow()
    with database.atomic():
        apply_action(project, "reject", {"review_reason": reason, "reviewed_at": now})
        audit(actor, grant, "reject", round_, project=project)
        notify.to_proposer(project, "project.rejected", f"您的提议未通过审核：{reason}",
                           dedupe="rejected")
    return project
