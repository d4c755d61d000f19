"""Opening and advancing rounds, proposing, and staff review of proposals (accept, merge,
reject), with the refusals along the way."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.content import WordListChecker
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.notifications.models import Notification
from app.projects import describe, reading, review, rounds, services, voting
from app.projects.changes import apply_action
from app.projects.models import ProjectRound
from tests.app.projects.conftest import (
    DATES,
    IN,
    accepted,
    fresh,
    make_round,
    propose,
)


def code(excinfo) -> str:
    return excinfo.value.code


# -- rounds -------------------------------------------------------------------------------------


def test_only_a_village_or_town_can_hold_a_round(village):
    with pytest.raises(InvalidInput) as info:
        rounds.create_round(village.staff(village.town_admin),
                            region_id=village.tree.grid_a1.id, title="网格微实事",
                            ballot_type="approval", vote_unit="resident", budget_fen=10,
                            dates=dict(DATES))
    assert code(info) == "project.bad_region"


@pytest.mark.parametrize("field,value,expected", [
    ("ballot_type", "ranked", "project.bad_ballot_type"),
    ("vote_unit", "building", "project.bad_vote_unit"),
    ("budget_fen", 0, "project.bad_budget")])
def test_a_round_needs_a_known_ballot_type_vote_unit_and_a_budget(village, field, value,
                                                                  expected):
    fields = {"ballot_type": "budget", "vote_unit": "household", "budget_fen": 100}
    fields[field] = value
    with pytest.raises(InvalidInput) as info:
        rounds.create_round(village.staff(village.cadre), region_id=village.tree.village_a1.id,
                            title="2027年微实事", dates=dict(DATES), **fields)
    assert code(info) == expected


def test_a_cadre_cannot_open_a_round_for_another_village(village):
    with pytest.raises(Forbidden):
        make_round(village, by=village.other_cadre)


def test_staff_start_the_next_phase_early_by_moving_its_date(village):
    round_ = make_round(village)
    now = IN["proposal"]
    with frozen(now):
        moved = rounds.advance_round(village.staff(village.cadre), round_.id,
                                     to_phase="review")
        assert reading.phase_of(moved, now) == "review"
        with pytest.raises(Conflict) as info:
            rounds.advance_round(village.staff(village.cadre), round_.id, to_phase="result")
    assert code(info) == "project.bad_advance"
    stored = ProjectRound.get_by_id(round_.id)
    assert (stored.review_opens_at, stored.voting_opens_at) == (now, DATES["voting_opens_at"])
    assert AuditEntry.select().where(AuditEntry.action == "project.advance_round").count() == 1


def test_execution_cannot_start_before_the_result_is_published(village):
    round_ = make_round(village)
    with frozen(IN["result"]), pytest.raises(Conflict) as info:
        rounds.advance_round(village.staff(village.cadre), round_.id, to_phase="execution")
    assert code(info) == "project.result_not_published"


# -- proposals and review -----------------------------------------------------------------------


@pytest.mark.parametrize("phase", ["scheduled", "review", "voting"])
def test_proposals_are_taken_only_while_the_proposal_phase_is_open(village, phase):
    round_ = make_round(village)
    with frozen(IN[phase]), pytest.raises(Conflict) as info:
        services.propose_project(village.actor(village.proposer), round_.id, kind="service",
                                 title="组织义诊活动", description="请社区医院来做一次免费义诊",
                                 location="社区活动室", estimated_cost_fen=5_000)
    assert code(info) == "project.wrong_phase"


def test_a_visitor_and_a_resident_elsewhere_cannot_propose(village):
    round_ = make_round(village)
    with pytest.raises(Forbidden) as info:
        propose(village, round_, user=village.visitor)
    assert code(info) == "project.household_required"
    for outsider in (village.other_village, village.other_town):
        with pytest.raises(NotFound) as info:
            propose(village, round_, user=outsider)
        assert code(info) == "project.round_not_found"


def test_a_town_round_takes_proposals_from_every_village_of_the_town(village):
    round_ = make_round(village, region=village.tree.town_a, by=village.town_admin)
    assert propose(village, round_, user=village.other_village).status == "proposed"
    with pytest.raises(NotFound):
        propose(village, round_, user=village.other_town)


def test_risky_text_is_refused_and_doubtful_text_held_for_the_reviewer(village):
    round_ = make_round(village)
    actor = village.actor(village.proposer)
    with frozen(IN["proposal"]):
        with pytest.raises(InvalidInput) as info:
            services.propose_project(actor, round_.id, kind="service", title="组织棋牌赌博",
                                     description="想在活动室组织赌博活动给大家玩",
                                     location="活动室", estimated_cost_fen=100)
        held = services.propose_project(actor, round_.id, kind="service", title="组织广场舞",
                                        description="每晚在广场跳舞需要一套音响",
                                        location="文化广场", estimated_cost_fen=100,
                                        checker=WordListChecker(review=("音响",)))
    assert code(info) == "content.risky"
    assert held.held_for_review is True
    with frozen(IN["review"]):
        assert review.accept_project(village.staff(village.cadre),
                                     held.id).held_for_review is False


def test_a_rejection_needs_a_reason_which_the_proposer_is_shown(village):
    round_ = make_round(village)
    project = propose(village, round_)
    staff = village.staff(village.cadre)
    with frozen(IN["review"]):
        with pytest.raises(InvalidInput) as info:
            review.reject_project(staff, project.id, reason="  ")
        review.reject_project(staff, project.id, reason="楼道属于物业维修范围")
    assert code(info) == "project.reason_required"
    seen = describe.project_summary(village.actor(village.proposer), fresh(project))
    assert (seen["status"], seen["review_reason"]) == ("rejected", "楼道属于物业维修范围")
    with pytest.raises(NotFound):
        reading.get_project(village.actor(village.neighbour), project.id)


def test_a_proposal_is_merged_into_a_similar_one_of_the_same_round(village):
    round_ = make_round(village)
    first = propose(village, round_)
    duplicate = propose(village, round_, user=village.neighbour, title="楼道装扶手")
    other_round = make_round(village)
    elsewhere = propose(village, other_round, title="更换路灯")
    staff = village.staff(village.cadre)
    with frozen(IN["review"]):
        for target in (duplicate, elsewhere):
            with pytest.raises(InvalidInput) as info:
                review.merge_project(staff, duplicate.id, into_id=target.id)
            assert code(info) == "project.bad_merge_target"
        merged = review.merge_project(staff, duplicate.id, into_id=first.id)
        with pytest.raises(InvalidInput):
            review.merge_project(staff, first.id, into_id=duplicate.id)  # merged: no target
    seen = describe.project_summary(village.actor(village.neighbour), fresh(merged))
    assert (seen["status"], seen["merged_into_id"]) == ("merged", first.id)
    assert "楼道加装扶手" in seen["review_reason"] or "加装楼道扶手" in seen["review_reason"]


@pytest.mark.parametrize("step", ["accept", "reject", "merge"])
def test_a_decided_proposal_cannot_be_decided_again(village, step):
    round_ = make_round(village)
    other = propose(village, round_, title="更换路灯")
    project = accepted(village, round_)
    staff = village.staff(village.cadre)
    with frozen(IN["review"]), pytest.raises(Conflict) as info:
        if step == "accept":
            review.accept_project(staff, project.id)
        elif step == "reject":
            review.reject_project(staff, project.id, reason="重复")
        else:
            review.merge_project(staff, project.id, into_id=other.id)
    assert code(info) == "project.illegal_transition"


def test_review_is_closed_once_voting_opens(village):
    round_ = make_round(village)
    project = propose(village, round_)
    with frozen(IN["voting"]), pytest.raises(Conflict) as info:
        review.accept_project(village.staff(village.cadre), project.id)
    assert code(info) == "project.wrong_phase"


def test_the_proposer_is_told_of_each_decision_and_of_the_result(village):
    round_ = make_round(village)
    kept = propose(village, round_)
    refused = propose(village, round_, title="修建停车场")
    with frozen(IN["review"]):
        review.accept_project(village.staff(village.cadre), kept.id)
        review.reject_project(village.staff(village.cadre), refused.id,
                              reason="用地不属于本社区")
    with frozen(IN["result"]):
        voting.publish_result(village.staff(village.cadre), round_.id)
    notices = [(n.kind, n.body) for n in Notification.select()
               .where(Notification.recipient_user == village.proposer.id)
               .order_by(Notification.id)]
    assert notices == [("project.accepted", "您的提议已通过审核，将进入居民投票"),
                       ("project.rejected", "您的提议未通过审核：用地不属于本社区"),
                       ("project.result", "投票结果已公布：您的提议得 0 票，未入选")]


def test_of_two_reviewers_deciding_at_once_the_second_is_told_it_changed(village):
    round_ = make_round(village)
    project = propose(village, round_)
    stale = fresh(project)
    with frozen(IN["review"]):
        review.accept_project(village.staff(village.cadre), project.id)
        with pytest.raises(Conflict) as info, database.atomic():
            apply_action(stale, "reject", {"review_reason": "重复"})
    assert code(info) == "project.illegal_transition"
    assert fresh(project).status == "accepted"
