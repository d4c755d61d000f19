"""A 微实事 project's page over HTTP: the review queue and the review forms (accept, merge,
reject with the reason the proposer reads), the result override with its published reason,
and execution (milestones, spending lines in yuan, completion), each with the refusals and
the 403/404 pages of roles and places the project services do not admit."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.projects import describe
from app.projects.models import (
    Project,
    ProjectMilestone,
    ProjectSpending,
    ResultOverride,
)
from tests.app.projects.conftest import IN
from tests.miniprogram_api.console.civic_world import (
    make_round,
    other_cadre,
    post,
    propose,
    published,
)


def _act(web, project_id: int, action: str, **data):
    return post(web, f"/console/projects/{project_id}/{action}", **data)


@pytest.fixture
def proposal(staff_town):
    return propose(staff_town, make_round(staff_town))


def test_the_cadre_finds_the_proposal_on_the_home_page_and_accepts_it(console, staff_town,
                                                                      proposal):
    with frozen(IN["review"]):
        web = console("cadre")
        home = web.get("/console/").text
        assert 'data-list="projects_review"' in home
        assert f"/console/projects/{proposal.id}" in home
        queue = web.get("/console/projects").text
        assert "加装楼道扶手" in queue and proposal.proposer_name in queue
        page = web.get(f"/console/projects/{proposal.id}").text
        assert 'data-action="accept"' in page and 'data-action="reject"' in page
        res = _act(web, proposal.id, "accept")
        assert "已通过审核" in res.text and 'data-field="status">已入选候选' in res.text
        assert "加装楼道扶手" not in web.get("/console/projects").text
    assert Project.get_by_id(proposal.id).status == "accepted"
    assert AuditEntry.get(AuditEntry.action == "project.accept").object_id == str(proposal.id)


def test_a_rejection_needs_a_reason_which_the_proposer_then_reads(console, staff_town,
                                                                  proposal):
    with frozen(IN["review"]):
        web = console("townadmin")
        refused = _act(web, proposal.id, "reject", reason="   ")
        assert "请说明未通过审核的理由" in refused.text
        assert Project.get_by_id(proposal.id).status == "proposed"
        res = _act(web, proposal.id, "reject", reason="楼道属于物业维修范围")
    assert "已退回" in res.text and "楼道属于物业维修范围" in res.text
    stored = Project.get_by_id(proposal.id)
    seen = describe.project_summary(staff_town.actor(staff_town.resident, "miniprogram"),
                                    stored)
    assert stored.status == "rejected" and seen["review_reason"] == "楼道属于物业维修范围"


def test_the_cadre_merges_a_proposal_into_a_similar_one(console, staff_town, proposal):
    twin = propose(staff_town, Project.get_by_id(proposal.id).round, title="楼道安装扶手",
                   user=staff_town.neighbour)
    with frozen(IN["review"]):
        web = console("cadre")
        page = web.get(f"/console/projects/{twin.id}").text
        assert f'<option value="{proposal.id}">加装楼道扶手' in page
        res = _act(web, twin.id, "merge", into_id=str(proposal.id), reason="")
    assert "已合并" in res.text and f'href="/console/projects/{proposal.id}"' in res.text
    assert Project.get_by_id(twin.id).merged_into_id == proposal.id


def test_review_after_voting_opened_is_refused_on_the_page(console, staff_town, proposal):
    with frozen(IN["voting"]):
        res = _act(console("cadre"), proposal.id, "accept")
    assert "提议审核已结束" in res.text
    assert Project.get_by_id(proposal.id).status == "proposed"


@pytest.mark.parametrize("username", ["grid", "discipline", "sysadmin", "othercadre"])
def test_staff_outside_the_round_see_the_404_page_and_change_nothing(console, staff_town,
                                                                     proposal, password_hash,
                                                                     username):
    other_cadre(staff_town, password_hash)
    with frozen(IN["review"]):
        web = console(username)
        page = web.get(f"/console/projects/{proposal.id}")
        assert page.status_code == 404 and "加装楼道扶手" not in page.text
        res = _act(web, proposal.id, "accept")
        assert res.status_code == 404
        res = _act(web, proposal.id, "reject", reason="不在本辖区")
        assert res.status_code == 404
    assert Project.get_by_id(proposal.id).status == "proposed"
    assert not AuditEntry.select().where(AuditEntry.action.startswith("project.")
                                         & (AuditEntry.action != "project.create_round")
                                         ).exists()


def test_an_override_needs_a_published_reason(console, staff_town):
    round_, rail, lamp = published(staff_town)
    with frozen(IN["result"]):
        web = console("cadre")
        page = web.get(f"/console/projects/{lamp.id}").text
        assert 'data-action="override"' in page and "调整为入选" in page
        refused = _act(web, lamp.id, "override", selected="yes", reason="")
        assert "调整投票结果必须写明理由" in refused.text
        assert Project.get_by_id(lamp.id).status == "not_selected"
        res = _act(web, lamp.id, "override", selected="yes", reason="追加财政资金，路灯一并实施")
        tally = web.get(f"/console/project-rounds/{round_.id}/result").text
    assert "已调整结果" in res.text and Project.get_by_id(lamp.id).status == "selected"
    assert ResultOverride.get().reason == "追加财政资金，路灯一并实施"
    assert "追加财政资金，路灯一并实施" in tally and "已调整" in tally


def test_a_cadre_of_another_village_cannot_override_a_result(console, staff_town,
                                                             password_hash):
    _, _, lamp = published(staff_town)
    other_cadre(staff_town, password_hash)
    with frozen(IN["result"]):
        res = _act(console("othercadre"), lamp.id, "override", selected="yes",
                   reason="想让它入选")
    assert res.status_code == 404 and Project.get_by_id(lamp.id).status == "not_selected"
    assert ResultOverride.select().count() == 0


def test_the_cadre_records_progress_and_spending_then_completes_the_project(console,
                                                                            staff_town):
    _, rail, _ = published(staff_town)
    with frozen(IN["execution"]):
        web = console("cadre")
        page = web.get(f"/console/projects/{rail.id}").text
        assert 'data-action="milestone"' in page and 'data-action="spending"' in page
        res = _act(web, rail.id, "milestone", happened_on="2026-12-20", note="扶手材料已进场")
        assert "已记录项目进展" in res.text and "扶手材料已进场" in res.text
        res = _act(web, rail.id, "spending", spent_on="2026-12-21", amount_yuan="1,280.50",
                   note="不锈钢扶手材料", voucher_no="记-2026-118")
        assert "已记录支出" in res.text and "1,280.50 元" in res.text
        res = _act(web, rail.id, "complete")
    assert "已标记完工" in res.text and 'data-field="status">已完工' in res.text
    assert ProjectSpending.get().amount_fen == 128_050
    assert str(ProjectMilestone.get().happened_on) == "2026-12-20"
    assert Project.get_by_id(rail.id).status == "completed"


@pytest.mark.parametrize(("action", "data", "message"), [
    ("spending", {"spent_on": "2026-12-21", "amount_yuan": "一千", "note": "材料"},
     "请填写支出金额（单位：元，最多两位小数）"),
    ("spending", {"spent_on": "", "amount_yuan": "10", "note": "材料"}, "请填写支出日期"),
    ("spending", {"spent_on": "2026-12-21", "amount_yuan": "10", "note": " "},
     "请填写支出用途"),
    ("milestone", {"happened_on": "2026-12-20", "note": ""}, "请填写进展说明"),
])
def test_bad_execution_input_is_explained_and_nothing_is_written(console, staff_town, action,
                                                                 data, message):
    _, rail, _ = published(staff_town)
    with frozen(IN["execution"]):
        res = _act(console("cadre"), rail.id, action, **data)
    assert res.status_code == 200 and message in res.text
    assert ProjectSpending.select().count() == 0 and ProjectMilestone.select().count() == 0


def test_a_project_that_was_not_selected_takes_no_spending(console, staff_town):
    _, _, lamp = published(staff_town)
    with frozen(IN["execution"]):
        page = console("cadre").get(f"/console/projects/{lamp.id}").text
        assert 'data-action="spending"' not in page
        res = _act(console("cadre"), lamp.id, "spending", spent_on="2026-12-21",
                   amount_yuan="10", note="材料")
    assert "只有入选实施的项目才能记录进展和支出" in res.text
    assert ProjectSpending.select().count() == 0


@pytest.mark.parametrize("username", ["grid", "discipline"])
def test_roles_outside_project_work_cannot_record_spending(console, staff_town, username):
    _, rail, _ = published(staff_town)
    with frozen(IN["execution"]):
        res = _act(console(username), rail.id, "spending", spent_on="2026-12-21",
                   amount_yuan="10", note="材料")
        assert res.status_code == 404
        res = _act(console(username), rail.id, "complete")
        assert res.status_code == 404
    assert ProjectSpending.select().count() == 0
    assert Project.get_by_id(rail.id).status == "selected"
