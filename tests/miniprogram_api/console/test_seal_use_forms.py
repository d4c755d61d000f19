"""Recording a seal use through the form on the seal log page: the keeper records a use citing
a power-list item with an approver (published on the transparency log); what is published may
not carry a phone number and a missing time is refused, in Chinese, with nothing recorded; the
discipline officer reads the log but is offered no form and is refused; a cadre of another
village gets the 404 page for this village's seal; a grid worker the 403 page."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import to_local, utcnow
from app.powers import services as powers
from app.seals import services as seals
from app.seals.models import Seal, SealUse
from app.transparency.models import LogLeaf
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of


@pytest.fixture
def seal(staff_town: Town) -> Seal:
    return seals.register_seal(staff_town.actor(staff_town.town_admin),
                               village_id=staff_town.tree.village_a1.id, name="东星社区公章",
                               kind="official", keeper_user_id=staff_town.cadre.id)


@pytest.fixture
def item(staff_town: Town):
    return powers.save_item(staff_town.actor(staff_town.town_admin),
                            region_id=staff_town.tree.village_a1.id, code="FW-01",
                            name="出具证明", category="services", legal_basis="便民服务规定",
                            steps=[{"name": "核实情况"}])


def _form(seal: Seal, **changes) -> dict:
    now = to_local(utcnow() - dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")
    return dict({"seal_id": str(seal.id), "document": "居住证明", "copies": "2",
                 "purpose": "开具居住证明用于子女入学", "applicant_name": "李会计",
                 "used_at": now}, **changes)


def _post(web, url: str, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=True)


def test_the_keeper_records_a_use_citing_a_power_item_and_an_approver(console, staff_town,
                                                                       seal, item):
    web = console("cadre")
    assert 'href="/console/seal-uses/new"' in web.get("/console/seal-uses").text
    form = web.get("/console/seal-uses/new").text  # the only seal: straight to its form
    assert "登记用印：东星社区公章" in form and "FW-01 出具证明" in form
    assert '<label for="approver_user_id">' in form and "街道管理员" in form
    res = _post(web, "/console/seal-uses/new", **_form(
        seal, power_item_id=str(item.id), approver_user_id=str(staff_town.town_admin.id)))
    use = SealUse.get()
    assert res.status_code == 200 and "用印已登记，并已写入透明日志" in res.text
    assert (use.copies, use.power_item_id, use.approver_user_id) == (
        2, item.id, staff_town.town_admin.id)
    assert "无审批人" not in res.text and "未关联权力清单事项" not in res.text
    assert LogLeaf.select().where(LogLeaf.record_type == "seal_use").count() == 1


def test_a_use_without_approver_or_item_is_recorded_and_flagged(console, staff_town, seal):
    res = _post(console("cadre"), "/console/seal-uses/new", **_form(seal))
    assert "发现异常，已通知纪检" in res.text and "无审批人" in res.text
    assert SealUse.get().flagged


def test_a_phone_number_in_the_purpose_is_refused_and_nothing_is_recorded(console, staff_town,
                                                                          seal):
    res = _post(console("cadre"), "/console/seal-uses/new",
                **_form(seal, purpose="给13812345678开证明"))
    assert res.status_code == 422 and "请勿填写手机号、身份证号" in res.text
    assert 'value="居住证明"' in res.text and SealUse.select().count() == 0


def test_a_missing_time_is_refused_in_chinese(console, staff_town, seal):
    res = _post(console("cadre"), "/console/seal-uses/new", **_form(seal, used_at=""))
    assert res.status_code == 422 and "请填写用印时间" in res.text
    assert SealUse.select().count() == 0


def test_the_discipline_officer_reads_the_log_but_may_not_record(console, staff_town, seal):
    web = console("discipline")
    assert "/console/seal-uses/new" not in web.get("/console/seal-uses").text
    assert web.get("/console/seal-uses/new").status_code == 403
    res = _post(web, "/console/seal-uses/new", **_form(seal))
    assert res.status_code == 403 and "没有权限" in res.text and SealUse.select().count() == 0


def test_a_cadre_of_another_village_gets_the_404_page_for_this_seal(console, staff_town, seal,
                                                                    password_hash):
    from app.accounts.models import StaffCredential

    other = make_user(name="后埔村干部")
    grant(other, "cadre", staff_town.tree.village_a2)
    StaffCredential.create(user=other, username="cadrea2", password_hash=password_hash)
    seals.register_seal(staff_town.actor(staff_town.town_admin),
                        village_id=staff_town.tree.village_a2.id, name="后埔村公章",
                        kind="official")
    web = console("cadrea2")
    assert web.get(f"/console/seal-uses/new?seal_id={seal.id}").status_code == 404
    res = _post(web, "/console/seal-uses/new", **_form(seal))
    assert res.status_code == 404 and SealUse.select().count() == 0


def test_a_grid_worker_gets_the_403_page(console, staff_town, seal):
    web = console("grid")
    assert web.get("/console/seal-uses/new").status_code == 403
    assert _post(web, "/console/seal-uses/new", **_form(seal)).status_code == 403
    assert SealUse.select().count() == 0
