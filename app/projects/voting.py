"""Voting: a resident casts or changes their ballot; staff publish the counted result and
may override it with a written reason that is published beside it.

One ballot per voter key (``household:<id>`` or ``user:<id>``, the round's vote unit). The
row is created inside a savepoint and the unique index on (round, voter_key) decides a race:
the loser re-reads the winner's row and, if it is their own household member's, is refused
(``project.household_already_voted``); if it is their own, their choices replace it.
"""

from __future__ import annotations

import peewee

from app.clock import utcnow
from app.db import database
from app.errors import Conflict
from app.policy import Actor, authorize
from app.projects import notify, rules
from app.projects.changes import apply_action, audit, save_round
from app.projects.models import Ballot, BallotChoice, Project, ProjectRound, ResultOverride
from app.projects.policies import MANAGE
from app.projects.reading import get_round, load_for_staff, load_round_for_staff, phase_of
from app.projects.services import resident_round


def voter_key(actor: Actor, round_: ProjectRound) -> str:
    if round_.vote_unit == "household":
        return f"household:{actor.household_id}"
    return f"user:{actor.user_id}"


def candidate_costs(round_: ProjectRound) -> dict[int, int]:
    """Accepted projects of the round and their estimated cost (the vote's candidates)."""
    return dict(Project.select(Project.id, Project.estimated_cost_fen)
                .where((Project.round == round_.id) & (Project.status == "accepted")).tuples())


def _claim_key(actor: Actor, round_: ProjectRound, key: str, now) -> tuple[Ballot, bool]:
    # The insert is the transaction's first statement, before any read: on SQLite it waits
    # for the write lock with a fresh snapshot, on PostgreSQL for the other insert's commit.
    try:
        with database.atomic():
            return Ballot.create(round=round_.id, voter_key=key, user=actor.user_id,
                                 household=actor.household_id, cast_at=now,
                                 changed_at=now), True
    except peewee.IntegrityError:
        ballot = Ballot.get((Ballot.round == round_.id) & (Ballot.voter_key == key))
    if ballot.user_id != actor.user_id:
        raise Conflict("project.household_already_voted",
                       "您家已有家庭成员投过票（本轮每户一票），只有投票人本人可以修改")
    return ballot, False


def cast_ballot(actor: Actor | None, round_id: int, *, project_ids: list[int]) -> Ballot:
    """A verified resident of the round's region votes, or changes their vote, while voting
    is open.

    Raises Unauthorized, project.household_required, project.round_not_found,
    project.wrong_phase, project.empty_ballot, project.not_candidate, project.over_budget
    (budget ballots), project.household_already_voted (one vote per household and another
    member voted). Creates or rewrites the caller's one ballot row and its choices.
    """
    actor, round_ = resident_round(actor, round_id)
    now = utcnow()
    rules.require_phase(phase_of(round_, now), ("voting",), "现在不在投票时间内")
    chosen = rules.check_ballot(round_.ballot_type, round_.budget_fen, project_ids,
                                candidate_costs(round_))
    with database.atomic():
        ballot, created = _claim_key(actor, round_, voter_key(actor, round_), now)
        if not created:
            (Ballot.update(changed_at=now, change_count=Ballot.change_count + 1)
             .where(Ballot.id == ballot.id).execute())
            BallotChoice.delete().where(BallotChoice.ballot == ballot.id).execute()
        BallotChoice.insert_many([{"ballot": ballot.id, "round": round_.id, "project": i}
                                  for i in chosen]).execute()
    return Ballot.get_by_id(ballot.id)


def my_ballot(actor: Actor | None, round_id: int) -> tuple[Ballot | None, list[int]]:
    """The ballot counted for the caller (theirs, or their household's) and its choices."""
    actor, round_ = resident_round(actor, round_id)
    ballot = Ballot.get_or_none((Ballot.round == round_.id)
                                & (Ballot.voter_key == voter_key(actor, round_)))
    if ballot is None:
        return None, []
    return ballot, [c.project_id for c in BallotChoice.select(BallotChoice.project)
                    .where(BallotChoice.ballot == ballot.id).order_by(BallotChoice.project)]


def _ballots(round_: ProjectRound) -> list[list[int]]:
    grouped: dict[int, list[int]] = {}
    for ballot_id, project_id in (BallotChoice.select(BallotChoice.ballot, BallotChoice.project)
                                  .where(BallotChoice.round == round_.id).tuples()):
        grouped.setdefault(ballot_id, []).append(project_id)
    voted = Ballot.select(Ballot.id).where(Ballot.round == round_.id)
    return [grouped.get(b.id, []) for b in voted]


def publish_result(actor: Actor | None, round_id: int) -> ProjectRound:
    """Count the ballots (``rules.tally``) and publish the result with the counts.

    Cadres and town admins in scope, once voting has closed (result phase). Raises
    project.round_not_found, Forbidden, project.wrong_phase, project.result_already_published,
    project.changed. Sets every candidate's votes, rank and status (selected / not_selected);
    audits project.publish_result with the winners; tells each proposer.
    """
    round_ = load_round_for_staff(actor, round_id)
    grant = authorize(actor, MANAGE, round_.region_path)
    now = utcnow()
    rules.require_phase(phase_of(round_, now), ("result",), "投票结束后才能公布结果")
    if round_.result_published_at is not None:
        raise Conflict("project.result_already_published", "本轮结果已经公布")
    candidates = list(Project.select().where((Project.round == round_.id)
                                             & (Project.status == "accepted")))
    result = rules.tally([rules.Candidate(p.id, p.estimated_cost_fen) for p in candidates],
                         _ballots(round_), round_.budget_fen)
    by_id = {p.id: p for p in candidates}
    with database.atomic():
        save_round(round_, {"result_published_at": now, "ballot_count": result.ballots})
        for standing in result.standings:
            project = apply_action(by_id[standing.project_id],
                                   "select" if standing.selected else "not_select",
                                   {"vote_count": standing.votes, "rank": standing.rank,
                                    "computed_selected": standing.selected})
            notify.to_proposer(project, "project.result",
                               f"投票结果已公布：您的提议得 {standing.votes} 票，"
                               + ("已入选实施" if standing.selected else "未入选"),
                               dedupe="result")
        audit(actor, grant, "publish_result", round_, ballots=result.ballots,
              winners=result.winners)
    return round_


def override_result(actor: Actor | None, project_id: int, *, selected: bool,
                    reason: str) -> Project:
    """Change a published result for one project, with a reason published beside the result.

    Cadres and town admins in scope, in the result or execution phase. Raises
    project.not_found, Forbidden, project.override_reason_required (no written reason),
    project.result_not_published, project.wrong_phase, project.illegal_transition (already
    so), project.changed. Records the override; audits project.override_result.
    """
    project, round_ = load_for_staff(actor, project_id)
    grant = authorize(actor, MANAGE, round_.region_path)
    reason = rules.check_reason(reason, "project.override_reason_required",
                                "调整投票结果必须写明理由，理由会与结果一同公布")
    if round_.result_published_at is None:
        raise Conflict("project.result_not_published", "结果公布后才能调整")
    now = utcnow()
    rules.require_phase(phase_of(round_, now), ("result", "execution"), "现在不能调整结果")
    with database.atomic():
        apply_action(project, "override_select" if selected else "override_deselect")
        ResultOverride.create(round=round_.id, project=project.id, selected=selected,
                              reason=reason, actor_id=actor.user_id, actor_role=grant.role,
                              at=now)
        audit(actor, grant, "override_result", round_, project=project, selected=selected)
    return project


def result_of(actor: Actor | None, round_id: int) -> dict:
    """The published result of a round: counts in rank order, the budget and what the
    selection costs, and every override with its reason. Residents of the region and staff
    in scope. Raises project.round_not_found, project.result_not_published."""
    round_ = get_round(actor, round_id)
    if round_.result_published_at is None:
        raise Conflict("project.result_not_published", "本轮投票结果尚未公布")
    counted = list(Project.select().where((Project.round == round_.id)
                                          & Project.rank.is_null(False))
                   .order_by(Project.rank))
    overrides = list(ResultOverride.select().where(ResultOverride.round == round_.id)
                     .order_by(ResultOverride.id))
    chosen = [p for p in counted if p.status in ("selected", "completed")]
    return {"round_id": round_.id, "ballot_type": round_.ballot_type,
            "vote_unit": round_.vote_unit, "budget_fen": round_.budget_fen,
            "ballot_count": round_.ballot_count, "published_at": round_.result_published_at,
            "selected_cost_fen": sum(p.estimated_cost_fen for p in chosen),
            "standings": [{"project_id": p.id, "title": p.title, "kind": p.kind,
                           "estimated_cost_fen": p.estimated_cost_fen, "votes": p.vote_count,
                           "rank": p.rank, "computed_selected": bool(p.computed_selected),
                           "selected": p.status in ("selected", "completed")}
                          for p in counted],
            "overrides": [{"project_id": o.project_id, "selected": o.selected,
                           "reason": o.reason, "actor_role": o.actor_role, "at": o.at}
                          for o in overrides]}
