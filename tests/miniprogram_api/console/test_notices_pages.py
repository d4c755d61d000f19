"""事前公示 pages over HTTP: drafting through the form, publishing, answering objections,
publishing the result (refused in Chinese while the period runs or objections are open), the
print link, and the 403/404 pages for roles and places the notice services do not admit."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen, utcnow
from app.notices import objections
from app.notices import services as notices
from app.notices.models import Notice, NoticeObjection
from tests.app.requests.conftest import Town
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401

MATTER = "临街店面出租"


def _draft(town: Town) -> Notice:
    return notices.create_notice(
        town.actor(town.cadre), village_id=town.tree.village_a1.id, matter_type="asset_lease",
        matter=MATTER, proposal="拟以每年 3.6 万元公开招租临街店面，租期三年。")


def _published(town: Town, *, days_ago: int = 0) -> Notice:
    notice = _draft(town)
    with frozen(utcnow() - dt.timedelta(days=days_ago)):
        notice = notices.publish_notice(town.actor(town.cadre), notice.id)
    return notice


def _objection(town: Town, notice: Notice, *, days_ago: int = 0) -> NoticeObjection:
    with frozen(utcnow() - dt.timedelta(days=days_ago)):
        return objections.file_objection(town.actor(town.resident, "miniprogram"), notice.id,
                                         text="租金偏低，建议公开竞价")


def _post(web, url: str, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=True)


def test_a_cadre_drafts_a_notice_through_the_form_and_publishes_it(console, staff_town):
    web = console("cadre")
    listing = web.get("/console/notices").text
    assert 'href="/console/notices"' in listing and 'href="/console/notices/new"' in listing
    res = _post(web, "/console/notices/new", village_id=staff_town.tree.village_a1.id,
                matter_type="asset_lease", matter=MATTER, objection_days="7",
                proposal="拟以每年 3.6 万元公开招租临街店面，租期三年。")
    notice = Notice.get(Notice.matter == MATTER)
    assert res.status_code == 200 and notice.status == "draft" and notice.objection_days == 7
    assert 'data-action="publish"' in res.text and "/print" not in res.text
    res = _post(web, f"/console/notices/{notice.id}/publish")
    assert "已发布公示" in res.text and Notice.get_by_id(notice.id).status == "published"
    assert f'href="/p/notices/{notice.id}/print"' in res.text
    assert web.get(f"/p/notices/{notice.id}/print").status_code == 200
    assert MATTER in web.get("/console/notices?tab=published").text


def test_a_draft_with_a_too_short_period_is_shown_again_with_the_reason(console, staff_town):
    res = _post(console("cadre"), "/console/notices/new",
                village_id=staff_town.tree.village_a1.id, matter_type="asset_lease",
                matter=MATTER, proposal="拟公开招租。", objection_days="3")
    assert res.status_code == 422 and "公示期应为 5 到 30 天" in res.text
    assert Notice.select().count() == 0


def test_a_draft_can_be_discarded(console, staff_town):
    notice = _draft(staff_town)
    res = _post(console("townadmin"), f"/console/notices/{notice.id}/discard")
    assert "草稿已作废" in res.text and Notice.get_by_id(notice.id).status == "discarded"


def test_the_result_is_refused_in_chinese_while_the_period_runs(console, staff_town):
    notice = _published(staff_town)
    web = console("cadre")
    assert 'data-field="period-open"' in web.get(f"/console/notices/{notice.id}").text
    res = _post(web, f"/console/notices/{notice.id}/result", result="adopted",
                result_text="经村民代表会议表决通过")
    assert "公示期未满，不能公布决策结果" in res.text
    assert Notice.get_by_id(notice.id).status == "published"


def test_objections_are_answered_one_by_one_before_the_result(console, staff_town):
    notice = _published(staff_town, days_ago=10)
    objection = _objection(staff_town, notice, days_ago=9)
    web = console("cadre")
    home = web.get("/console/").text
    assert 'data-list="notice_objections"' in home and f"/console/notices/{notice.id}" in home
    page = web.get(f"/console/notices/{notice.id}").text
    assert "租金偏低，建议公开竞价" in page and 'data-action="answer"' in page
    res = _post(web, f"/console/notices/{notice.id}/result", result="adopted",
                result_text="经村民代表会议表决通过")
    assert "还有异议未答复，请先逐条答复" in res.text
    res = _post(web, f"/console/notice-objections/{objection.id}/answer",
                answer="已委托第三方评估，租金高于评估价", public_text="有居民认为租金偏低")
    assert "已答复" in res.text and "已委托第三方评估" in res.text
    assert NoticeObjection.get_by_id(objection.id).public_text == "有居民认为租金偏低"
    res = _post(web, f"/console/notices/{notice.id}/result", result="adopted",
                result_text="经村民代表会议表决通过")
    assert "决策结果已公开" in res.text
    stored = Notice.get_by_id(notice.id)
    assert stored.status == "decided" and stored.result == "adopted"


def test_a_discipline_officer_reads_but_is_offered_nothing_and_refused(console, staff_town):
    notice = _published(staff_town)
    objection = _objection(staff_town, notice)
    web = console("discipline")
    page = web.get(f"/console/notices/{notice.id}")
    assert page.status_code == 200 and "租金偏低" in page.text
    assert 'data-action=' not in page.text and 'href="/console/notices/new"' not in page.text
    assert web.get("/console/notices/new").status_code == 403
    assert 'data-list="notice_objections"' not in web.get("/console/").text
    for url, data in ((f"/console/notices/{notice.id}/result",
                       {"result": "adopted", "result_text": "通过"}),
                      (f"/console/notice-objections/{objection.id}/answer",
                       {"answer": "已研究"})):
        res = _post(web, url, **data)
        assert res.status_code == 403 and "没有权限" in res.text
    assert NoticeObjection.get_by_id(objection.id).status == "open"


@pytest.mark.parametrize("username", ["grid", "sysadmin"])
def test_roles_without_notice_rights_get_the_403_page(console, staff_town, username):
    notice = _draft(staff_town)
    web = console(username)
    listing = web.get("/console/notices")
    assert listing.status_code == 403 and "没有权限" in listing.text
    assert 'href="/console/notices"' not in web.get("/console/").text
    detail = web.get(f"/console/notices/{notice.id}")
    assert detail.status_code == 403 and MATTER not in detail.text
    assert _post(web, f"/console/notices/{notice.id}/publish").status_code == 403
    assert Notice.get_by_id(notice.id).status == "draft"


def test_a_notice_of_another_town_is_the_404_page(console, staff_town):
    from tests.factories import grant, make_user

    cadre_b = make_user(name="外村干部")
    grant(cadre_b, "cadre", staff_town.tree.village_b1)
    other = notices.create_notice(
        staff_town.actor(cadre_b), village_id=staff_town.tree.village_b1.id,
        matter_type="tender", matter="道路硬化工程", proposal="拟公开招标。")
    res = console("townadmin").get(f"/console/notices/{other.id}")
    assert res.status_code == 404 and "道路硬化工程" not in res.text
