"""Disclosure pages over HTTP: drafting through the form, the forms each role is offered,
the finance review by the finance panel (never by the author), publication, correction, and
the Chinese 403/404 pages for roles and places outside the reader's scope."""

from __future__ import annotations

import re

from app.disclosures import services as disclosures
from app.disclosures.models import Disclosure
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401
from tests.miniprogram_api.console.supervision import finance_draft


def _forms(html: str) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def _post(web, url: str, **data):
    page = web.get(url.rsplit("/", 1)[0])
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data})


def test_a_cadre_drafts_a_disclosure_through_the_form(console, desk):  # noqa: F811
    web = console("cadre")
    form = web.get("/console/disclosures/new")
    assert form.status_code == 200 and "起草公开事项" in form.text
    res = web.post("/console/disclosures/new", data={
        "csrf_token": csrf_of(form.text), "region_id": desk.town.tree.village_a1.id,
        "kind": "affairs", "category": "decisions", "period": "2026-Q4",
        "title": "村民代表会议决定事项", "body": "同意修缮村部道路。"})
    assert res.status_code == 303
    created = Disclosure.get(Disclosure.title == "村民代表会议决定事项")
    assert res.headers["Location"].endswith(f"/console/disclosures/{created.id}")
    assert created.status == "draft" and created.author_id == desk.town.cadre.id
    assert _forms(web.get(res.headers["Location"]).text) == {"update", "submit", "discard"}


def test_a_draft_with_a_bad_period_is_shown_again_with_the_reason(console, desk):  # noqa: F811
    web = console("cadre")
    form = web.get("/console/disclosures/new")
    res = web.post("/console/disclosures/new", data={
        "csrf_token": csrf_of(form.text), "region_id": desk.town.tree.village_a1.id,
        "kind": "affairs", "category": "decisions", "period": "十月",
        "title": "一个标题", "body": "正文"})
    assert res.status_code == 422
    assert "公开期间请写成 2026、2026-Q4、2026-11 或 2026-11-23" in res.text
    assert 'value="一个标题"' in res.text
    assert not Disclosure.select().exists()


def test_a_cadre_edits_a_draft_then_submits_it_for_review(console, desk):  # noqa: F811
    d = finance_draft(desk, submit=False)
    web = console("cadre")
    url = f"/console/disclosures/{d.id}"
    _post(web, url + "/update", category="income", period="2026-11",
          title="2026年11月收入明细", body="本月收入店面租金800元。")
    saved = Disclosure.get_by_id(d.id)
    assert (saved.category, saved.period) == ("income", "2026-11")
    assert saved.title == "2026年11月收入明细"
    res = _post(web, url + "/submit")
    assert "已提交审核" in web.get(res.headers["Location"]).text
    assert Disclosure.get_by_id(d.id).status == "submitted"


def test_the_finance_panel_approves_and_the_cadre_then_publishes(console, desk):  # noqa: F811
    d = finance_draft(desk)
    web = console("finance")
    home = web.get("/console/").text
    assert 'data-list="disclosures_review"' in home and f"/console/disclosures/{d.id}" in home
    url = f"/console/disclosures/{d.id}"
    assert _forms(web.get(url).text) == {"approve", "return"}
    res = _post(web, url + "/approve", note="账实相符")
    assert res.status_code == 303
    assert "已审核通过" in web.get(url).text
    assert Disclosure.get_by_id(d.id).status == "reviewed"
    assert Disclosure.get_by_id(d.id).reviewed_by_id == desk.finance.id

    cadre = console("cadre")
    assert _forms(cadre.get(url).text) == {"publish", "discard"}
    _post(cadre, url + "/publish")
    page = cadre.get(url).text
    assert "已公开，并已写入透明日志" in page and _forms(page) == {"correct"}
    assert Disclosure.get_by_id(d.id).status == "published"


def test_the_author_is_not_offered_approval_and_is_refused_in_chinese(console, desk):  # noqa: F811
    d = finance_draft(desk, desk.author_reviewer)
    web = console("cadrefinance")
    url = f"/console/disclosures/{d.id}"
    page = web.get(url).text
    assert "approve" not in _forms(page) and "return" in _forms(page)
    assert "您是起草人，不能审核自己起草的公开事项" in page
    res = _post(web, url + "/approve")
    assert res.status_code == 303
    assert "不能审核自己起草的公开事项" in web.get(res.headers["Location"]).text
    assert Disclosure.get_by_id(d.id).status == "submitted"


def test_a_cadre_is_not_offered_the_finance_review(console, desk):  # noqa: F811
    d = finance_draft(desk)
    web = console("cadre")
    assert _forms(web.get(f"/console/disclosures/{d.id}").text) == {"discard"}
    res = _post(web, f"/console/disclosures/{d.id}/approve")
    assert res.status_code == 403 and "没有权限" in res.text
    assert Disclosure.get_by_id(d.id).status == "submitted"


def test_returning_needs_a_reason_and_goes_back_to_draft(console, desk):  # noqa: F811
    d = finance_draft(desk)
    web = console("finance")
    url = f"/console/disclosures/{d.id}"
    res = _post(web, url + "/return", reason="")
    assert "请填写理由" in web.get(res.headers["Location"]).text
    _post(web, url + "/return", reason="缺少凭证号")
    assert Disclosure.get_by_id(d.id).status == "draft"
    assert "缺少凭证号" in console("cadre").get(url).text


def test_a_correction_is_a_new_draft_pointing_at_the_published_one(console, desk):  # noqa: F811
    d = finance_draft(desk)
    disclosures.approve_disclosure(desk.actor(desk.finance), d.id)
    disclosures.publish_disclosure(desk.actor(desk.town.cadre), d.id)
    web = console("cadre")
    res = _post(web, f"/console/disclosures/{d.id}/correct", title="更正：10月收支",
                body="支出应为1243.56元。", reason="金额录入错误")
    correction = Disclosure.get(Disclosure.corrects == d.id)
    assert res.headers["Location"].endswith(f"/console/disclosures/{correction.id}")
    assert correction.status == "draft"
    assert Disclosure.get_by_id(d.id).body == d.body  # the published record never changes
    assert "原公开事项" in web.get(res.headers["Location"]).text


def test_the_queue_lists_submitted_disclosures_by_default(console, desk):  # noqa: F811
    d = finance_draft(desk)
    draft = finance_draft(desk, submit=False)
    html = console("townadmin").get("/console/disclosures").text
    assert f"/console/disclosures/{d.id}\"" in html
    assert f"/console/disclosures/{draft.id}\"" not in html


def test_a_grid_worker_gets_the_403_page_on_every_disclosure_page(console, desk):  # noqa: F811
    d = finance_draft(desk)
    web = console("grid")
    for url in ("/console/disclosures", f"/console/disclosures/{d.id}",
                "/console/disclosures/new", "/console/disclosures/dues"):
        res = web.get(url)
        assert res.status_code == 403, url
        assert "没有权限" in res.text and d.title not in res.text


def test_a_disclosure_of_another_town_is_the_404_page(console, desk):  # noqa: F811
    other = desk.town.tree.village_b1
    from tests.factories import grant, make_user

    cadre_b = make_user(name="外街道干部")
    grant(cadre_b, "cadre", other)
    d = disclosures.create_disclosure(desk.actor(cadre_b), region_id=other.id, kind="affairs",
                                      category="other", title="外村事项", body="正文",
                                      period="2026-11")
    res = console("cadre").get(f"/console/disclosures/{d.id}")
    assert res.status_code == 404 and "外村事项" not in res.text


def test_the_overdue_list_shows_on_the_home_page_and_its_own_page(console, desk):  # noqa: F811
    import datetime as dt

    from app.disclosures.cadence import ensure_due
    from app.disclosures.models import DisclosureDue

    village = desk.town.tree.village_a1
    ensure_due(village, "finance", "2026-09", dt.datetime(2026, 10, 10), dt.datetime(2026, 10, 1))
    DisclosureDue.update(status="overdue").execute()
    web = console("townadmin")
    home = web.get("/console/").text
    assert 'data-list="disclosures_overdue"' in home and "东星社区 财务公开 2026-09" in home
    page = web.get("/console/disclosures/dues?status=overdue").text
    assert "东星社区" in page and "2026-09" in page


def test_a_published_disclosure_links_its_print_page_and_a_draft_does_not(console, desk):  # noqa: F811
    d = finance_draft(desk)
    web = console("cadre")
    print_url = f"/p/disclosures/{d.id}/print"
    assert print_url not in web.get(f"/console/disclosures/{d.id}").text
    disclosures.approve_disclosure(desk.actor(desk.finance), d.id)
    disclosures.publish_disclosure(desk.actor(desk.town.cadre), d.id)
    assert f'href="{print_url}"' in web.get(f"/console/disclosures/{d.id}").text
    assert web.get(print_url).status_code == 200
