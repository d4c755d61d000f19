"""A whole round from proposal to rating, then publishing and overriding the result and
running the selected projects, with the refusals along the way."""

from __future__ import annotations

import datetime as dt

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.errors import Conflict, InvalidInput, NotFound
from app.projects import describe, execution, voting
from app.projects.models import ResultOverride
from tests.app.projects.conftest import (
    IN,
    accepted,
    fresh,
    make_round,
    publish,
    vote,
)


def code(excinfo) -> str:
    return excinfo.value.code


def test_a_round_runs_from_proposal_to_rating(village):
    round_ = make_round(village)
    rail = accepted(village, round_, title="加装楼道扶手", cost=30_000)
    bench = accepted(village, round_, title="添置休闲座椅", cost=20_000, kind="goods",
                     user=village.neighbour)
    vote(village, round_, village.proposer, rail, bench)
    vote(village, round_, village.neighbour, rail)
    publish(village, round_)
    assert (fresh(rail).status, fresh(rail).vote_count, fresh(rail).rank) == ("selected", 2, 1)
    assert (fresh(bench).status, fresh(bench).vote_count) == ("selected", 1)
    staff = village.staff(village.cadre)
    with frozen(IN["execution"]):
        execution.add_milestone(staff, rail.id, note="扶手材料已进场",
                                happened_on=dt.date(2026, 12, 15))
        execution.add_spending(staff, rail.id, amount_fen=12_345, note="不锈钢扶手材料费",
                               spent_on=dt.date(2026, 12, 14), voucher_no="记-2026-12-031")
        execution.complete_project(staff, rail.id)
    with frozen(IN["acceptance"]):
        rating = execution.rate_project(village.actor(village.neighbour), rail.id, score=5,
                                        comment="扶手很结实，老人上楼方便多了")
    assert (rating.score, rating.rater_name) == (5, "赵**")
    detail = describe.project_detail(village.actor(village.neighbour), fresh(rail))
    assert (detail["status"], detail["spent_fen"], detail["rating_count"],
            detail["rating_average"], detail["rated_by_me"]) == ("completed", 12_345, 1, 5.0,
                                                                 True)
    actions = [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]
    assert actions == ["project.create_round", "project.accept", "project.accept",
                       "project.publish_result", "project.add_milestone",
                       "project.add_spending", "project.complete"]


# -- result and override ------------------------------------------------------------------------


def test_the_result_is_published_once_and_only_after_voting_closed(village):
    round_ = make_round(village)
    accepted(village, round_)
    staff = village.staff(village.cadre)
    with frozen(IN["voting"]), pytest.raises(Conflict) as info:
        voting.publish_result(staff, round_.id)
    assert code(info) == "project.wrong_phase"
    with frozen(IN["voting"]), pytest.raises(Conflict) as info:
        voting.result_of(village.actor(village.neighbour), round_.id)
    assert code(info) == "project.result_not_published"
    publish(village, round_)
    with frozen(IN["result"]), pytest.raises(Conflict) as info:
        voting.publish_result(staff, round_.id)
    assert code(info) == "project.result_already_published"


def test_an_override_without_a_reason_is_refused(village):
    round_ = make_round(village)
    project = accepted(village, round_)
    publish(village, round_)
    with frozen(IN["result"]):
        for blank in ("", "   "):
            with pytest.raises(InvalidInput) as info:
                voting.override_result(village.staff(village.cadre), project.id,
                                       selected=True, reason=blank)
            assert code(info) == "project.override_reason_required"
    assert fresh(project).status == "not_selected"  # no votes: not selected
    assert ResultOverride.select().count() == 0


def test_an_override_is_published_beside_the_result_with_its_reason(village):
    round_ = make_round(village, budget_fen=50_000)
    rail = accepted(village, round_, cost=30_000)
    lights = accepted(village, round_, title="更换路灯", cost=40_000)
    vote(village, round_, village.proposer, rail, lights)
    vote(village, round_, village.neighbour, rail)
    publish(village, round_)
    assert (fresh(rail).status, fresh(lights).status) == ("selected", "not_selected")
    with frozen(IN["result"]):
        voting.override_result(village.staff(village.cadre), lights.id, selected=True,
                               reason="路灯损坏存在安全隐患，街道追加经费")
        with pytest.raises(Conflict) as info:
            voting.override_result(village.staff(village.cadre), lights.id, selected=True,
                                   reason="再次调整")
        result = voting.result_of(village.actor(village.spouse),
                                  round_.id)
    assert code(info) == "project.illegal_transition"
    assert [(s["project_id"], s["votes"], s["computed_selected"], s["selected"])
            for s in result["standings"]] == [(rail.id, 2, True, True),
                                               (lights.id, 1, False, True)]
    reason = "路灯损坏存在安全隐患，街道追加经费"
    assert [(o["project_id"], o["selected"], o["reason"], o["actor_role"])
            for o in result["overrides"]] == [(lights.id, True, reason, "cadre")]
    assert (result["ballot_count"], result["selected_cost_fen"]) == (2, 70_000)


def test_an_override_before_publication_is_refused(village):
    round_ = make_round(village)
    project = accepted(village, round_)
    with frozen(IN["result"]), pytest.raises(Conflict) as info:
        voting.override_result(village.staff(village.cadre), project.id, selected=True,
                               reason="需要")
    assert code(info) == "project.result_not_published"


# -- execution ----------------------------------------------------------------------------------


def test_only_selected_projects_get_milestones_and_spending(village):
    round_ = make_round(village)
    project = accepted(village, round_)
    publish(village, round_)  # no votes: not selected
    staff = village.staff(village.cadre)
    with frozen(IN["execution"]):
        with pytest.raises(Conflict) as info:
            execution.add_milestone(staff, project.id, note="开工", happened_on=dt.date.today())
        assert code(info) == "project.not_selected"
        with pytest.raises(Conflict) as info:
            execution.add_spending(staff, project.id, amount_fen=1, note="材料",
                                   spent_on=dt.date.today())
        assert code(info) == "project.not_selected"


def test_spending_needs_a_positive_amount_and_a_note(village):
    round_ = make_round(village)
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    publish(village, round_)
    staff = village.staff(village.cadre)
    for amount, note, expected in ((0, "材料", "project.bad_amount"),
                                   (100, "", "project.note_required")):
        with frozen(IN["execution"]), pytest.raises(InvalidInput) as info:
            execution.add_spending(staff, project.id, amount_fen=amount, note=note,
                                   spent_on=dt.date(2026, 12, 1))
        assert code(info) == expected


def test_completion_waits_for_the_execution_phase_and_rating_for_completion(village):
    round_ = make_round(village)
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    publish(village, round_)
    with frozen(IN["result"]), pytest.raises(Conflict) as info:
        execution.complete_project(village.staff(village.cadre), project.id)
    assert code(info) == "project.wrong_phase"
    with frozen(IN["execution"]), pytest.raises(Conflict) as info:
        execution.rate_project(village.actor(village.neighbour), project.id, score=4)
    assert code(info) == "project.not_completed"


def test_a_resident_rates_a_completed_project_once_with_a_score_from_one_to_five(village):
    round_ = make_round(village)
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    publish(village, round_)
    with frozen(IN["execution"]):
        execution.complete_project(village.staff(village.cadre), project.id)
        with pytest.raises(Conflict) as info:
            execution.complete_project(village.staff(village.cadre), project.id)
        assert code(info) == "project.illegal_transition"
        neighbour = village.actor(village.neighbour)
        for bad in (0, 6):
            with pytest.raises(InvalidInput) as info:
                execution.rate_project(neighbour, project.id, score=bad)
            assert code(info) == "project.bad_score"
        execution.rate_project(neighbour, project.id, score=3)
        with pytest.raises(Conflict) as info:
            execution.rate_project(neighbour, project.id, score=5)
        assert code(info) == "project.already_rated"
        with pytest.raises(NotFound):
            execution.rate_project(village.actor(village.other_village), project.id, score=1)
