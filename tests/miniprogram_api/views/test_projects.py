"""HTTP: 微实事 for residents (``/api/v1/projects``), content-checked through the fake WeChat."""

from __future__ import annotations

import datetime as dt

import pytest

from app.accounts.models import User
from app.clock import frozen
from app.projects import execution, voting
from tests.app.projects import conftest as projects_conftest
from tests.app.projects.conftest import IN, accepted, make_round, propose, publish, vote
from tests.factories import bearer

village = projects_conftest.village  # the service tests' village, shared
API = "/api/v1/projects"
PRIVATE_KEYS = {"proposer_user_id", "household_id", "review_reason", "merged_into_id",
                "held_for_review"}
PROPOSAL = {"kind": "works", "title": "加装楼道扶手",
            "description": "老人上下楼不方便，希望加装扶手", "location": "1号楼楼道",
            "estimated_cost_fen": 30_000}


@pytest.fixture(autouse=True)
def wechat(fake_wechat):
    """Residents' text goes through msgSecCheck on the fake WeChat."""
    return fake_wechat


def code_of(res):
    return res.get_json()["error"]["code"]


def test_a_resident_proposes_a_project_and_finds_it_among_their_own(client, village):
    round_ = make_round(village)
    with frozen(IN["proposal"]):
        res = client.post(f"{API}/rounds/{round_.id}/projects", headers=bearer(village.proposer),
                          json=PROPOSAL)
    assert res.status_code == 201
    project = res.get_json()["data"]
    assert (project["status"], project["proposer_name"], project["is_mine"],
            project["estimated_cost_fen"]) == ("proposed", "张**", True, 30_000)
    mine = client.get(f"{API}/mine", headers=bearer(village.proposer)).get_json()["data"]
    assert [p["id"] for p in mine["items"]] == [project["id"]]


def test_risky_text_is_refused_by_the_content_check(client, village):
    round_ = make_round(village)
    with frozen(IN["proposal"]):
        res = client.post(f"{API}/rounds/{round_.id}/projects", headers=bearer(village.proposer),
                          json={**PROPOSAL, "description": "想在活动室里组织大家赌博"})
    assert res.status_code == 422 and code_of(res) == "content.risky"


def test_a_proposal_out_of_its_phase_is_refused_with_a_stable_code(client, village):
    round_ = make_round(village)
    with frozen(IN["voting"]):
        res = client.post(f"{API}/rounds/{round_.id}/projects", headers=bearer(village.proposer),
                          json=PROPOSAL)
    assert res.status_code == 409 and code_of(res) == "project.wrong_phase"


def test_the_public_list_masks_names_and_shows_nothing_private(client, village):
    User.update(phone_masked="138****5678").where(User.id == village.proposer.id).execute()
    round_ = make_round(village)
    first = accepted(village, round_)
    second = accepted(village, round_, title="更换路灯", user=village.spouse)
    propose(village, round_, title="还在审核中的提议")
    res = client.get(f"{API}/rounds/{round_.id}/projects?limit=1",
                     headers=bearer(village.neighbour))
    page = res.get_json()["data"]
    [shown] = page["items"]
    assert (shown["id"], shown["proposer_name"], shown["is_mine"]) == (second.id, "李**", False)
    assert not PRIVATE_KEYS & set(shown)
    body = res.get_data(as_text=True)
    assert "张阿姨" not in body and "李大伯" not in body and "138****5678" not in body
    more = client.get(f"{API}/rounds/{round_.id}/projects?limit=1&cursor={page['next_cursor']}",
                      headers=bearer(village.neighbour)).get_json()["data"]
    assert [p["id"] for p in more["items"]] == [first.id]
    assert more["next_cursor"] is None


def test_a_visitor_and_a_resident_elsewhere_see_nothing_of_the_round(client, village):
    round_ = make_round(village)
    project = accepted(village, round_)
    res = client.get(f"{API}/rounds", headers=bearer(village.visitor))
    assert res.status_code == 403 and code_of(res) == "project.household_required"
    for outsider in (village.other_village, village.other_town):
        res = client.get(f"{API}/rounds/{round_.id}", headers=bearer(outsider))
        assert res.status_code == 404 and code_of(res) == "project.round_not_found"
        res = client.get(f"{API}/{project.id}", headers=bearer(outsider))
        assert res.status_code == 404 and code_of(res) == "project.not_found"
    rounds = client.get(f"{API}/rounds", headers=bearer(village.other_village)).get_json()
    assert rounds["data"]["items"] == []


def test_a_resident_votes_changes_the_ballot_and_a_household_member_is_refused(client,
                                                                                village):
    round_ = make_round(village, vote_unit="household")
    rail = accepted(village, round_)
    lights = accepted(village, round_, title="更换路灯")
    url = f"{API}/rounds/{round_.id}/ballot"
    with frozen(IN["voting"]):
        first = client.put(url, headers=bearer(village.proposer),
                           json={"project_ids": [rail.id]})
        changed = client.put(url, headers=bearer(village.proposer),
                             json={"project_ids": [lights.id, rail.id]})
        spouse = client.put(url, headers=bearer(village.spouse),
                            json={"project_ids": [lights.id]})
        seen = client.get(url, headers=bearer(village.spouse)).get_json()["data"]
    assert first.status_code == 200 and first.get_json()["data"]["project_ids"] == [rail.id]
    assert changed.get_json()["data"]["project_ids"] == sorted([rail.id, lights.id])
    assert spouse.status_code == 409 and code_of(spouse) == "project.household_already_voted"
    assert (seen["voted"], seen["cast_by_me"]) == (True, False)


def test_a_budget_ballot_over_the_budget_is_refused(client, village):
    round_ = make_round(village, ballot_type="budget", budget_fen=50_000)
    rail = accepted(village, round_, cost=30_000)
    lights = accepted(village, round_, title="更换路灯", cost=20_001)
    with frozen(IN["voting"]):
        res = client.put(f"{API}/rounds/{round_.id}/ballot", headers=bearer(village.neighbour),
                         json={"project_ids": [rail.id, lights.id]})
    assert res.status_code == 422 and code_of(res) == "project.over_budget"
    assert res.get_json()["error"]["details"] == {"total_fen": 50_001, "budget_fen": 50_000}


def test_the_published_result_shows_counts_and_every_override_with_its_reason(client,
                                                                              village):
    round_ = make_round(village, budget_fen=30_000)
    rail = accepted(village, round_, cost=30_000)
    lights = accepted(village, round_, title="更换路灯", cost=20_000)
    vote(village, round_, village.proposer, rail, lights)
    vote(village, round_, village.neighbour, rail)
    url = f"{API}/rounds/{round_.id}/result"
    with frozen(IN["voting"]):
        early = client.get(url, headers=bearer(village.neighbour))
    assert early.status_code == 409 and code_of(early) == "project.result_not_published"
    publish(village, round_)
    with frozen(IN["result"]):
        voting.override_result(village.staff(village.cadre), lights.id, selected=True,
                               reason="街道追加了路灯专项经费")
        result = client.get(url, headers=bearer(village.neighbour)).get_json()["data"]
        shown = client.get(f"{API}/rounds/{round_.id}", headers=bearer(village.neighbour))
    assert [(s["project_id"], s["votes"], s["rank"], s["computed_selected"], s["selected"])
            for s in result["standings"]] == [(rail.id, 2, 1, True, True),
                                               (lights.id, 1, 2, False, True)]
    assert result["overrides"][0]["reason"] == "街道追加了路灯专项经费"
    assert (result["budget_fen"], result["selected_cost_fen"]) == (30_000, 50_000)
    assert shown.get_json()["data"]["phase"] == "result"


def test_residents_read_milestones_and_spending_and_rate_a_completed_project(client, village):
    round_ = make_round(village)
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    publish(village, round_)
    staff = village.staff(village.cadre)
    with frozen(IN["execution"]):
        execution.add_milestone(staff, project.id, note="扶手安装完成",
                                happened_on=dt.date(2026, 12, 20))
        execution.add_spending(staff, project.id, amount_fen=28_000, note="材料及安装",
                               spent_on=dt.date(2026, 12, 20), voucher_no="记-031")
        execution.complete_project(staff, project.id)
    reader = bearer(village.neighbour)
    [milestone] = client.get(f"{API}/{project.id}/milestones",
                             headers=reader).get_json()["data"]["items"]
    assert (milestone["note"], milestone["happened_on"], milestone["photos"]) == (
        "扶手安装完成", "2026-12-20", [])
    [line] = client.get(f"{API}/{project.id}/spending", headers=reader).get_json()["data"]["items"]
    assert (line["amount_fen"], line["voucher_no"]) == (28_000, "记-031")
    with frozen(IN["acceptance"]):
        reader = bearer(village.neighbour)  # tokens expire by the (frozen) clock
        rated = client.post(f"{API}/{project.id}/ratings", headers=reader,
                            json={"score": 4, "comment": "扶手很结实"})
        again = client.post(f"{API}/{project.id}/ratings", headers=reader, json={"score": 5})
        out = client.post(f"{API}/{project.id}/ratings", headers=bearer(village.other_village),
                          json={"score": 1})
        detail = client.get(f"{API}/{project.id}", headers=reader).get_json()["data"]
        ratings = client.get(f"{API}/{project.id}/ratings", headers=bearer(village.spouse))
    assert rated.status_code == 201
    assert (rated.get_json()["data"]["rater_name"], rated.get_json()["data"]["score"]) == (
        "赵**", 4)
    assert again.status_code == 409 and code_of(again) == "project.already_rated"
    assert out.status_code == 404 and code_of(out) == "project.not_found"
    assert (detail["spent_fen"], detail["rating_count"], detail["rating_average"]) == (
        28_000, 1, 4.0)
    assert [r["comment"] for r in ratings.get_json()["data"]["items"]] == ["扶手很结实"]
