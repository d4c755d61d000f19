"""Residents' questions on disclosures, and the disclosure cadence, over HTTP: the cadre sees a
question on the home page and in the queue, answers it with a public wording (published and
logged); an empty answer is refused in Chinese; the discipline officer reads but may not
answer; a grid worker and a cadre of another village get the 403/404 pages. The town admin
sets a village's finance cadence; the cadre reads it but is refused the form."""

from __future__ import annotations

from app.disclosures import questions
from app.disclosures import services as disclosures
from app.disclosures.models import CadenceRule, DisclosureQuestion
from app.transparency.models import LogLeaf
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of

QUESTION = "修路的钱是怎么算的？我是3栋的张阿姨，电话13812345678"


def _published(town: Town, village=None, author=None):
    actor = town.actor(author or town.cadre)
    d = disclosures.create_disclosure(
        actor, region_id=(village or town.tree.village_a1).id, kind="affairs",
        category="decisions", title="村道硬化工程决定", body="经村民代表会议表决通过。",
        period="2026-11")
    disclosures.submit_disclosure(actor, d.id)
    disclosures.approve_disclosure(town.actor(town.town_admin), d.id)
    return disclosures.publish_disclosure(actor, d.id)


def _asked(town: Town, disclosure=None, asker=None) -> DisclosureQuestion:
    return questions.ask_question(town.actor(asker or town.resident, "miniprogram"),
                                  (disclosure or _published(town)).id, kind="question",
                                  text=QUESTION)


def _post(web, url: str, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=True)


def test_the_cadre_finds_the_question_at_home_and_answers_it_publicly(console, staff_town):
    q = _asked(staff_town)
    web = console("cadre")
    home = web.get("/console/").text
    assert 'data-list="disclosure_questions"' in home
    assert f"/console/disclosure-questions/{q.id}" in home
    assert "修路的钱是怎么算的" in web.get("/console/disclosure-questions").text
    detail = web.get(f"/console/disclosure-questions/{q.id}").text
    assert "张阿姨" in detail and 'data-action="answer"' in detail
    res = _post(web, f"/console/disclosure-questions/{q.id}/answer",
                public_question="修路的钱是怎么算的？", answer="按实际工程量结算，明细见财务公开。")
    saved = DisclosureQuestion.get_by_id(q.id)
    assert "已答复并公开" in res.text and saved.status == "answered"
    assert saved.public_question == "修路的钱是怎么算的？"
    assert LogLeaf.select().where(LogLeaf.record_type == "disclosure_answer").count() == 1
    assert f"/console/disclosure-questions/{q.id}" not in web.get("/console/").text
    assert "修路的钱是怎么算的" in web.get("/console/disclosure-questions?status=answered").text


def test_an_empty_answer_is_refused_in_chinese_and_nothing_changes(console, staff_town):
    q = _asked(staff_town)
    res = _post(console("cadre"), f"/console/disclosure-questions/{q.id}/answer", answer=" ")
    assert "答复不能为空" in res.text and DisclosureQuestion.get_by_id(q.id).status == "open"


def test_the_discipline_officer_reads_the_question_but_may_not_answer(console, staff_town):
    q = _asked(staff_town)
    web = console("discipline")
    detail = web.get(f"/console/disclosure-questions/{q.id}")
    assert detail.status_code == 200 and 'data-action="answer"' not in detail.text
    assert 'data-list="disclosure_questions"' not in web.get("/console/").text
    res = _post(web, f"/console/disclosure-questions/{q.id}/answer", answer="我来答")
    assert res.status_code == 403 and DisclosureQuestion.get_by_id(q.id).status == "open"


def test_a_grid_worker_gets_the_403_page(console, staff_town):
    q = _asked(staff_town)
    web = console("grid")
    for url in ("/console/disclosure-questions", f"/console/disclosure-questions/{q.id}"):
        res = web.get(url)
        assert res.status_code == 403 and "修路" not in res.text
    assert _post(web, f"/console/disclosure-questions/{q.id}/answer",
                 answer="网格员答复").status_code == 403
    assert DisclosureQuestion.get_by_id(q.id).status == "open"


def test_a_cadre_of_another_village_gets_the_404_page(console, staff_town):
    other = make_user(name="后埔村干部")
    grant(other, "cadre", staff_town.tree.village_a2)
    resident = make_user(household=staff_town.tree.household_a2, name="后埔村民")
    grant(resident, "resident", staff_town.tree.household_a2)
    q = _asked(staff_town, _published(staff_town, staff_town.tree.village_a2, other), resident)
    web = console("cadre")
    assert "修路" not in web.get("/console/disclosure-questions").text
    assert web.get(f"/console/disclosure-questions/{q.id}").status_code == 404
    res = _post(web, f"/console/disclosure-questions/{q.id}/answer", answer="越权答复")
    assert res.status_code == 404 and DisclosureQuestion.get_by_id(q.id).status == "open"


# -- cadence ---------------------------------------------------------------------------------

def test_the_town_admin_sets_a_monthly_finance_cadence(console, staff_town):
    village = staff_town.tree.village_a1
    web = console("townadmin")
    page = web.get(f"/console/disclosures/cadence?village_id={village.id}")
    assert page.status_code == 200 and 'data-action="cadence-finance"' in page.text
    res = _post(web, "/console/disclosures/cadence", village_id=village.id, kind="finance",
                rhythm="monthly", grace_days="5", major_days="2")
    rule = CadenceRule.get((CadenceRule.village == village.id) & (CadenceRule.kind == "finance"))
    assert "公开频次已保存" in res.text and (rule.rhythm, rule.grace_days, rule.major_days) == (
        "monthly", 5, 2)
    assert "每月" in res.text and "街道设定" in res.text


def test_days_out_of_range_are_refused_and_nothing_is_saved(console, staff_town):
    res = _post(console("townadmin"), "/console/disclosures/cadence",
                village_id=staff_town.tree.village_a1.id, kind="finance", rhythm="monthly",
                grace_days="90", major_days="")
    assert "天数应在 0 到 60 之间" in res.text and CadenceRule.select().count() == 0


def test_the_cadre_reads_the_cadence_but_may_not_set_it(console, staff_town):
    web = console("cadre")
    page = web.get("/console/disclosures/cadence")
    assert page.status_code == 200 and "每季度" in page.text and "data-action=" not in page.text
    res = _post(web, "/console/disclosures/cadence", village_id=staff_town.tree.village_a1.id,
                kind="finance", rhythm="monthly", grace_days="5", major_days="2")
    assert res.status_code == 403 and CadenceRule.select().count() == 0


def test_a_grid_worker_gets_the_403_page_for_the_cadence(console, staff_town):
    assert console("grid").get("/console/disclosures/cadence").status_code == 403
