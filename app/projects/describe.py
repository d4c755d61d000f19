"""What each viewer is shown of rounds, projects, milestones, spending and ratings.

Everyone who may see a project reads its proposal, state, masked proposer name and, once the
result is out, its votes and rank. The proposer and staff also read the review reason, what
it was merged into and whether the content check held it; only staff see user and household
ids. Nobody is shown a real name, phone number or address here.
"""

from __future__ import annotations

from peewee import fn

from app.clock import utcnow
from app.media.models import Media
from app.policy import Actor
from app.projects import policies, rules
from app.projects.models import (
    Project,
    ProjectMilestone,
    ProjectRating,
    ProjectRound,
    ProjectSpending,
)
from app.projects.reading import dates_of, phase_of


def round_summary(actor: Actor | None, round_: ProjectRound) -> dict:
    phase = phase_of(round_, utcnow())
    return {"id": round_.id, "region_id": round_.region_id, "title": round_.title,
            "description": round_.description, "ballot_type": round_.ballot_type,
            "ballot_type_name": rules.BALLOT_TYPE_NAMES[round_.ballot_type],
            "vote_unit": round_.vote_unit,
            "vote_unit_name": rules.VOTE_UNIT_NAMES[round_.vote_unit],
            "budget_fen": round_.budget_fen, "phase": phase,
            "phase_name": rules.PHASE_NAMES[phase], **dates_of(round_),
            "result_published_at": round_.result_published_at,
            "ballot_count": round_.ballot_count if round_.result_published_at else None,
            "is_resident": policies.lives_in(actor, round_)}


def project_summary(actor: Actor | None, project: Project) -> dict:
    staff = policies.is_staff_reader(actor, project.region_path)
    mine = policies.is_proposer(actor, project)
    data = {"id": project.id, "round_id": project.round_id, "kind": project.kind,
            "kind_name": rules.KIND_NAMES[project.kind], "title": project.title,
            "description": project.description, "location": project.location,
            "estimated_cost_fen": project.estimated_cost_fen, "status": project.status,
            "status_name": rules.STATE_NAMES[project.status],
            "proposer_name": project.proposer_name, "created_at": project.created_at,
            "vote_count": project.vote_count, "rank": project.rank,
            "completed_at": project.completed_at, "is_mine": mine}
    if mine or staff:
        data.update(review_reason=project.review_reason or None,
                    merged_into_id=project.merged_into_id,
                    held_for_review=project.held_for_review)
    if staff:
        data.update(proposer_user_id=project.proposer_id, household_id=project.household_id)
    return data


def project_detail(actor: Actor | None, project: Project) -> dict:
    data = project_summary(actor, project)
    spent = (ProjectSpending.select(fn.COALESCE(fn.SUM(ProjectSpending.amount_fen), 0))
             .where(ProjectSpending.project == project.id).scalar())
    count, average = (ProjectRating.select(fn.COUNT(ProjectRating.id),
                                           fn.AVG(ProjectRating.score))
                      .where(ProjectRating.project == project.id).tuples().first())
    data.update(spent_fen=int(spent or 0), rating_count=int(count or 0),
                rating_average=round(float(average), 2) if average else None,
                rated_by_me=actor is not None and ProjectRating.select().where(
                    (ProjectRating.project == project.id)
                    & (ProjectRating.user == actor.user_id)).exists())
    return data


def milestones(actor: Actor | None, rows: list[ProjectMilestone]) -> list[dict]:
    targets = [f"project_milestone:{m.id}" for m in rows]
    photos: dict[str, list[Media]] = {t: [] for t in targets}
    if targets:
        for media in (Media.select().where(Media.attached_to.in_(targets))
                      .order_by(Media.attached_at, Media.id)):
            photos[media.attached_to].append(media)
    return [{"id": m.id, "note": m.note, "happened_on": m.happened_on,
             "created_at": m.created_at, "photos": photos[f"project_milestone:{m.id}"]}
            for m in rows]


def spending(actor: Actor | None, rows: list[ProjectSpending]) -> list[dict]:
    return [{"id": s.id, "amount_fen": s.amount_fen, "note": s.note,
             "voucher_no": s.voucher_no or None, "spent_on": s.spent_on,
             "created_at": s.created_at} for s in rows]


def ratings(actor: Actor | None, project: Project, rows: list[ProjectRating]) -> list[dict]:
    staff = policies.is_staff_reader(actor, project.region_path)
    out = []
    for r in rows:
        mine = actor is not None and r.user_id == actor.user_id
        out.append({"id": r.id, "rater_name": r.rater_name, "score": r.score,
                    "comment": (r.comment or None) if (mine or staff or not r.comment_held)
                    else None, "created_at": r.created_at, "is_mine": mine})
    return out
