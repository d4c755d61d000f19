"""HTTP: 微实事 in the staff console (``/admin/api/v1/projects``)."""

from __future__ import annotations

import datetime as dt

from app.audit.models import AuditEntry
from app.clock import frozen
from app.projects.models import ProjectRound
from tests.app.projects import conftest as projects_conftest
from tests.app.projects.conftest import IN, accepted, make_round, propose, staff_user, vote
from tests.factories import bearer

village = projects_conftest.village
API = "/admin/api/v1/projects"
DATES = {"proposal_opens_at": "2027-03-01T08:00:00", "review_opens_at": "2027-03-15T08:00:00",
         "voting_opens_at": "2027-04-01T08:00:00", "voting_closes_at": "2027-04-15T20:00:00",
         "execution_opens_at": "2027-05-01T08:00:00",
         "acceptance_opens_at": "2027-09-01T08:00:00", "closes_at": "2027-10-01T08:00:00"}


def staff(user):
    return bearer(user, "staff")


def code_of(res):
    return res.get_json()["error"]["code"]


def test_a_cadre_opens_a_round_and_its_dates_are_read_in_local_time(client, village):
    with frozen(dt.datetime(2027, 1, 4, 1, 0)):
        res = client.post(f"{API}/rounds", headers=staff(village.cadre), json={
            "region_id": village.tree.village_a1.id, "title": "2027年东星社区微实事",
            "ballot_type": "budget", "vote_unit": "household", "budget_fen": 20_000_000,
            **DATES})
    assert res.status_code == 201
    round_ = res.get_json()["data"]
    assert (round_["phase"], round_["voting_closes_at"], round_["ballot_type"]) == (
        "scheduled", "2027-04-15T20:00:00+08:00", "budget")
    stored = ProjectRound.get_by_id(round_["id"])
    assert stored.voting_closes_at.hour == 12  # stored in UTC
    other = client.post(f"{API}/rounds", headers=staff(village.other_cadre), json={
        "region_id": village.tree.village_a1.id, "title": "越权开设的轮次",
        "ballot_type": "approval", "vote_unit": "resident", "budget_fen": 1, **DATES})
    assert other.status_code == 403 and code_of(other) == "permission.denied"
    wrong = client.post(f"{API}/rounds", headers=staff(village.cadre), json={
        "region_id": village.tree.village_a1.id, "title": "日期颠倒的轮次",
        "ballot_type": "approval", "vote_unit": "resident", "budget_fen": 1,
        **DATES, "closes_at": "2027-01-01T08:00:00"})
    assert wrong.status_code == 422 and code_of(wrong) == "project.bad_dates"


def test_the_review_queue_holds_proposals_of_the_scope_only(client, village):
    round_ = make_round(village)
    waiting = propose(village, round_)
    accepted(village, round_, title="更换路灯")
    [item] = client.get(API, headers=staff(village.cadre)).get_json()["data"]["items"]
    assert (item["id"], item["proposer_user_id"]) == (waiting.id, village.proposer.id)
    assert client.get(API, headers=staff(village.other_cadre)).get_json()[
        "data"]["items"] == []
    denied = client.get(API, headers=staff(village.grid_worker))
    assert denied.status_code == 403 and code_of(denied) == "permission.denied"


def test_a_reviewer_accepts_merges_and_rejects_with_a_reason(client, village):
    round_ = make_round(village)
    first = propose(village, round_)
    second = propose(village, round_, title="楼道扶手", user=village.neighbour)
    third = propose(village, round_, title="修建停车场", user=village.spouse)
    with frozen(IN["review"]):
        ok = client.post(f"{API}/{first.id}/accept", headers=staff(village.cadre))
        merged = client.post(f"{API}/{second.id}/merge", headers=staff(village.cadre),
                             json={"into_id": first.id})
        blank = client.post(f"{API}/{third.id}/reject", headers=staff(village.cadre),
                            json={"reason": " "})
        rejected = client.post(f"{API}/{third.id}/reject", headers=staff(village.cadre),
                               json={"reason": "用地不属于本社区"})
        again = client.post(f"{API}/{first.id}/accept", headers=staff(village.cadre))
        hidden = client.post(f"{API}/{third.id}/accept", headers=staff(village.other_cadre))
    assert ok.get_json()["data"]["status"] == "accepted"
    assert merged.get_json()["data"]["merged_into_id"] == first.id
    assert blank.status_code == 422 and code_of(blank) == "project.reason_required"
    assert rejected.get_json()["data"]["review_reason"] == "用地不属于本社区"
    assert again.status_code == 409 and code_of(again) == "project.illegal_transition"
    assert hidden.status_code == 404 and code_of(hidden) == "project.not_found"
    audited = [e.action for e in AuditEntry.select().where(AuditEntry.object_type == "project")
               .order_by(AuditEntry.id)]
    assert audited == ["project.accept", "project.merge", "project.reject"]


def test_staff_advance_a_phase_but_never_skip_one(client, village):
    round_ = make_round(village)
    with frozen(IN["proposal"]):
        res = client.post(f"{API}/rounds/{round_.id}/advance", headers=staff(village.cadre),
                          json={"to_phase": "review"})
        skip = client.post(f"{API}/rounds/{round_.id}/advance", headers=staff(village.cadre),
                           json={"to_phase": "result"})
    assert res.get_json()["data"]["phase"] == "review"
    assert skip.status_code == 409 and code_of(skip) == "project.bad_advance"


def test_publishing_and_an_override_without_a_reason_is_refused(client, village):
    round_ = make_round(village, budget_fen=30_000)
    rail = accepted(village, round_, cost=30_000)
    lights = accepted(village, round_, title="更换路灯", cost=10_000)
    vote(village, round_, village.proposer, rail)
    vote(village, round_, village.neighbour, rail, lights)
    with frozen(IN["result"]):
        headers = staff(village.cadre)
        published = client.post(f"{API}/rounds/{round_.id}/publish-result", headers=headers)
        twice = client.post(f"{API}/rounds/{round_.id}/publish-result", headers=headers)
        no_reason = client.post(f"{API}/{lights.id}/override", headers=headers,
                                json={"selected": True})
        done = client.post(f"{API}/{rail.id}/override", headers=headers,
                           json={"selected": False, "reason": "施工需占用消防通道，无法实施"})
        result = client.get(f"{API}/rounds/{round_.id}/result", headers=headers)
    standings = published.get_json()["data"]["standings"]
    assert [(s["project_id"], s["votes"], s["selected"]) for s in standings] == [
        (rail.id, 2, True), (lights.id, 1, False)]
    assert twice.status_code == 409 and code_of(twice) == "project.result_already_published"
    assert no_reason.status_code == 422
    assert code_of(no_reason) == "project.override_reason_required"
    assert done.get_json()["data"]["status"] == "not_selected"
    [override] = result.get_json()["data"]["overrides"]
    assert (override["project_id"], override["selected"], override["reason"]) == (
        rail.id, False, "施工需占用消防通道，无法实施")


def test_milestones_spending_and_completion_of_a_selected_project(client, village):
    round_ = make_round(village)
    project = accepted(village, round_)
    vote(village, round_, village.proposer, project)
    with frozen(IN["result"]):
        client.post(f"{API}/rounds/{round_.id}/publish-result", headers=staff(village.cadre))
    with frozen(IN["execution"]):
        headers = staff(village.cadre)
        milestone = client.post(f"{API}/{project.id}/milestones", headers=headers,
                                json={"note": "材料进场", "happened_on": "2026-12-13"})
        spending = client.post(f"{API}/{project.id}/spending", headers=headers,
                               json={"amount_fen": 12_000, "note": "扶手材料",
                                     "spent_on": "2026-12-13"})
        bad = client.post(f"{API}/{project.id}/spending", headers=headers,
                          json={"amount_fen": -5, "note": "退款", "spent_on": "2026-12-13"})
        done = client.post(f"{API}/{project.id}/complete", headers=headers)
        hidden = client.post(f"{API}/{project.id}/complete", headers=staff(village.other_cadre))
    assert milestone.status_code == 201 and milestone.get_json()["data"]["note"] == "材料进场"
    assert spending.status_code == 201
    assert spending.get_json()["data"]["voucher_no"] is None
    assert bad.status_code == 422 and code_of(bad) == "project.bad_amount"
    assert done.get_json()["data"]["status"] == "completed"
    assert hidden.status_code == 404


def test_rounds_and_projects_are_listed_by_scope_and_hidden_from_other_roles(client, village):
    own = make_round(village)
    make_round(village, region=village.tree.village_a2, by=village.other_cadre)
    project = propose(village, own)
    listed = client.get(f"{API}/rounds", headers=staff(village.cadre)).get_json()["data"]
    assert [r["id"] for r in listed["items"]] == [own.id]
    town = client.get(f"{API}/rounds", headers=staff(village.town_admin)).get_json()["data"]
    assert len(town["items"]) == 2
    detail = client.get(f"{API}/{project.id}", headers=staff(village.cadre)).get_json()["data"]
    assert (detail["proposer_user_id"], detail["proposer_name"]) == (village.proposer.id, "张**")
    for role, region in (("discipline_officer", village.tree.town_a),
                         ("finance_panel", village.tree.village_a1)):
        other = staff_user(role, region)
        assert client.get(f"{API}/rounds", headers=staff(other)).status_code == 403
        hidden = client.get(f"{API}/{project.id}", headers=staff(other))
        assert hidden.status_code == 404 and code_of(hidden) == "project.not_found"
    resident = client.get(f"{API}/rounds", headers=bearer(village.proposer))
    assert resident.status_code == 403 and code_of(resident) == "auth.staff_only"
