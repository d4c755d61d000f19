"""微实事 round pages over HTTP: the rounds in scope, opening a round (and the refusals of bad
input on the form), a round with its proposals, starting the next phase, publishing the
counted result, and the 403/404 pages for roles and places the project services refuse."""

from __future__ import annotations

import datetime as dt

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.projects.models import Project, ProjectRound
from tests.app.projects.conftest import IN
from tests.miniprogram_api.console.civic_world import (
    accept,
    make_round,
    other_cadre,
    post,
    propose,
    published,
    vote,
)

TITLE = "2027年东星社区微实事"
FORM = {"title": "2027年东星社区微实事", "description": "每户可提议一项", "ballot_type": "budget",
        "vote_unit": "household", "budget_yuan": "50000.50",
        "proposal_opens_at": "2026-11-02", "review_opens_at": "2026-11-12",
        "voting_opens_at": "2026-11-22", "voting_closes_at": "2026-12-02",
        "execution_opens_at": "2026-12-12", "acceptance_opens_at": "2027-03-01",
        "closes_at": "2027-04-01"}


def _new_round(web, town, **changes):
    return post(web, "/console/project-rounds/new", page="/console/project-rounds/new",
                **{"region_id": str(town.tree.village_a1.id), **FORM, **changes})


def test_the_cadre_opens_a_round_on_the_form_and_finds_it_in_the_list(console, staff_town):
    web = console("cadre")
    assert 'href="/console/project-rounds"' in web.get("/console/").text  # the header menu
    form = web.get("/console/project-rounds/new")
    assert form.status_code == 200 and 'for="budget_yuan"' in form.text
    res = _new_round(web, staff_town)
    assert res.status_code == 200 and f"微实事：{TITLE}" in res.text
    round_ = ProjectRound.get()
    assert (round_.budget_fen, round_.ballot_type, round_.vote_unit) == (5_000_050, "budget",
                                                                        "household")
    # 2026-11-12 00:00 in Asia/Shanghai is 2026-11-11 16:00 UTC.
    assert round_.review_opens_at == dt.datetime(2026, 11, 11, 16, 0)
    assert AuditEntry.get(AuditEntry.action == "project.create_round").object_id == str(
        round_.id)
    listing = web.get("/console/project-rounds").text
    assert TITLE in listing and "50,000.50 元" in listing


@pytest.mark.parametrize(("changes", "message"), [
    ({"title": "微事"}, "标题应为 4 到 100 个字"),
    ({"budget_yuan": "五万"}, "请填写本轮预算（单位：元，最多两位小数）"),
    ({"budget_yuan": "12.345"}, "请填写本轮预算（单位：元，最多两位小数）"),
    ({"voting_closes_at": "2026-11-20"}, "各阶段时间须依次递增"),
    ({"closes_at": ""}, "请填写每个阶段的开始时间"),
])
def test_bad_input_on_the_round_form_is_explained_and_nothing_is_saved(console, staff_town,
                                                                       changes, message):
    res = _new_round(console("cadre"), staff_town, **changes)
    assert res.status_code == 422 and message in res.text
    assert 'value="每户可提议一项"' not in res.text  # textarea keeps it as text
    assert "每户可提议一项" in res.text
    assert ProjectRound.select().count() == 0


def test_a_grid_worker_gets_the_403_page_and_opens_no_round(console, staff_town):
    web = console("grid")
    assert 'href="/console/project-rounds"' not in web.get("/console/").text
    for url in ("/console/project-rounds", "/console/project-rounds/new", "/console/projects"):
        res = web.get(url)
        assert res.status_code == 403 and "没有权限" in res.text
    res = _new_round(web, staff_town)
    assert res.status_code == 403 and ProjectRound.select().count() == 0


def test_a_cadre_of_another_village_may_not_open_or_see_a_round_here(console, staff_town,
                                                                     password_hash):
    other_cadre(staff_town, password_hash)
    round_ = make_round(staff_town)
    web = console("othercadre")
    assert TITLE not in web.get("/console/project-rounds").text
    detail = web.get(f"/console/project-rounds/{round_.id}")
    assert detail.status_code == 404 and TITLE not in detail.text
    res = _new_round(web, staff_town, title="别人村里的一轮微实事")
    assert res.status_code == 403 and ProjectRound.select().count() == 1


def test_the_round_page_lists_its_proposals_and_starts_the_next_phase(console, staff_town):
    round_ = make_round(staff_town)
    rail = propose(staff_town, round_)
    with frozen(IN["proposal"]):
        web = console("townadmin")
        page = web.get(f"/console/project-rounds/{round_.id}")
        assert 'data-field="phase">征集提议' in page.text
        assert f'data-project="{rail.id}"' in page.text and "待审核" in page.text
        res = post(web, f"/console/project-rounds/{round_.id}/advance", to_phase="review")
        assert "已进入下一阶段" in res.text and 'data-field="phase">审核提议' in res.text
        accepted_only = web.get(f"/console/project-rounds/{round_.id}?status=accepted").text
    assert f'data-project="{rail.id}"' not in accepted_only
    assert ProjectRound.get_by_id(round_.id).review_opens_at == IN["proposal"]
    assert AuditEntry.get(AuditEntry.action == "project.advance_round").object_id == str(
        round_.id)


def test_skipping_a_phase_is_refused_on_the_round_page(console, staff_town):
    round_ = make_round(staff_town)
    with frozen(IN["proposal"]):
        res = post(console("cadre"), f"/console/project-rounds/{round_.id}/advance",
                   to_phase="voting")
    assert "只能进入下一阶段" in res.text
    assert ProjectRound.get_by_id(round_.id).version == 1  # no date moved


def test_the_cadre_publishes_the_count_and_reads_the_tally(console, staff_town):
    round_ = make_round(staff_town, budget_fen=50_000)
    rail = accept(staff_town, propose(staff_town, round_))
    lamp = accept(staff_town, propose(staff_town, round_, title="更换小区路灯", cost=40_000))
    vote(staff_town, round_, staff_town.resident, rail, lamp)
    vote(staff_town, round_, staff_town.neighbour, rail)
    with frozen(IN["result"]):
        web = console("cadre")
        assert web.get(f"/console/project-rounds/{round_.id}/result").status_code == 409
        page = web.get(f"/console/project-rounds/{round_.id}").text
        assert 'data-action="publish_result"' in page
        res = post(web, f"/console/project-rounds/{round_.id}/publish_result")
        assert "已计票并公布结果" in res.text and 'data-link="result"' in res.text
        tally = web.get(f"/console/project-rounds/{round_.id}/result").text
    assert 'data-field="ballots">2 张' in tally
    assert f'href="/p/project-rounds/{round_.id}"' in tally
    assert Project.get_by_id(rail.id).status == "selected"
    assert Project.get_by_id(lamp.id).status == "not_selected"  # 300 + 400 元 > 500 元
    assert tally.index("加装楼道扶手") < tally.index("更换小区路灯")


def test_publishing_before_voting_closes_is_refused_and_nothing_is_counted(console,
                                                                          staff_town):
    round_ = make_round(staff_town)
    with frozen(IN["voting"]):
        res = post(console("cadre"), f"/console/project-rounds/{round_.id}/publish_result")
    assert "投票结束后才能公布结果" in res.text
    assert ProjectRound.get_by_id(round_.id).result_published_at is None


@pytest.mark.parametrize("username", ["grid", "discipline", "sysadmin"])
def test_roles_outside_project_work_cannot_publish_a_result(console, staff_town, username):
    round_ = make_round(staff_town)
    with frozen(IN["result"]):
        res = post(console(username), f"/console/project-rounds/{round_.id}/publish_result")
    assert res.status_code == 404 and "页面不存在" in res.text
    assert ProjectRound.get_by_id(round_.id).result_published_at is None


def test_the_public_result_link_appears_once_the_result_is_out(console, staff_town):
    round_, _, _ = published(staff_town)
    with frozen(IN["result"]):
        page = console("cadre").get(f"/console/project-rounds/{round_.id}").text
    assert f'href="/p/project-rounds/{round_.id}"' in page
    assert 'data-action="publish_result"' not in page
