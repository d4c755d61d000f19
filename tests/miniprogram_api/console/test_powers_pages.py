"""权力清单 pages over HTTP: a town admin adds an item with its steps, edits and switches it
off, copies the town template into a village; a cadre reads the list but is refused the form;
a grid worker reads their village's list; another town's admin gets the 403/404 pages; a bad
form is refused in Chinese with nothing saved."""

from __future__ import annotations

import pytest

from app.powers import services as powers
from app.powers.models import PowerItem, PowerStep
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of

STEPS = [{"name": "村两委提议", "description": "", "requires_evidence": True,
          "evidence_hint": "会议记录"},
         {"name": "村民代表会议决议", "description": "过半数通过"}]


def _item(town: Town, region=None, code: str = "ZC-01", name: str = "集体资产出租") -> PowerItem:
    return powers.save_item(town.actor(town.town_admin),
                            region_id=(region or town.tree.village_a1).id, code=code,
                            name=name, category="assets_resources",
                            legal_basis="《村民委员会组织法》第二十四条", steps=STEPS,
                            requires_notice=True)


def _post(web, url: str, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=True)


FORM = {"code": "GC-02", "name": "小型工程发包", "category": "projects",
        "legal_basis": "《招标投标法》", "requires_notice": "1",
        "step-1-name": "提出方案", "step-2-name": "公开招标", "step-2-evidence": "1",
        "step-2-hint": "招标公告照片"}


def test_a_town_admin_adds_an_item_with_its_steps_through_the_form(console, staff_town):
    web = console("townadmin")
    listing = web.get("/console/power-items")
    assert listing.status_code == 200 and 'href="/console/power-items/new"' in listing.text
    form = web.get("/console/power-items/new").text
    assert '<label for="step-1-name">' in form and '<label for="code">' in form
    res = _post(web, "/console/power-items/new", region_id=staff_town.tree.village_a1.id,
                **FORM)
    item = PowerItem.get(PowerItem.code == "GC-02")
    assert res.status_code == 200 and "权力事项已保存" in res.text
    assert item.region_id == staff_town.tree.village_a1.id and item.requires_notice
    steps = list(PowerStep.select().where(PowerStep.item == item.id).order_by(PowerStep.seq))
    assert [(s.name, s.requires_evidence, s.evidence_hint) for s in steps] == [
        ("提出方案", False, ""), ("公开招标", True, "招标公告照片")]
    assert "招标公告照片" in res.text and "小型工程发包" in web.get("/console/power-items").text


def test_editing_keeps_the_code_and_can_switch_the_item_off(console, staff_town):
    item = _item(staff_town)
    web = console("townadmin")
    form = web.get(f"/console/power-items/{item.id}/edit").text
    assert 'value="村两委提议"' in form and 'name="code"' not in form
    res = _post(web, f"/console/power-items/{item.id}/edit", code="HACK", name="集体资产租赁",
                category="assets_resources", legal_basis="《村民委员会组织法》",
                **{"step-1-name": "提议", "step-2-name": "决议"})
    saved = PowerItem.get_by_id(item.id)
    assert "权力事项已保存" in res.text and saved.code == "ZC-01"
    assert saved.name == "集体资产租赁" and not saved.active and not saved.requires_notice
    assert PowerItem.select().count() == 1 and "已停用" in res.text


def test_a_form_with_no_step_is_refused_in_chinese_and_nothing_is_saved(console, staff_town):
    res = _post(console("townadmin"), "/console/power-items/new",
                region_id=staff_town.tree.village_a1.id,
                **{k: v for k, v in FORM.items() if not k.startswith("step-")})
    assert res.status_code == 422 and "请列出 1 到 20 个办理步骤" in res.text
    assert 'value="小型工程发包"' in res.text and PowerItem.select().count() == 0


def test_a_step_needing_evidence_must_name_it(console, staff_town):
    res = _post(console("townadmin"), "/console/power-items/new",
                region_id=staff_town.tree.village_a1.id,
                **dict(FORM, **{"step-2-hint": ""}))
    assert res.status_code == 422 and "第 2 步须写明要留存的证据" in res.text
    assert PowerItem.select().count() == 0


def test_the_town_template_is_copied_into_a_village(console, staff_town):
    _item(staff_town, staff_town.tree.town_a, code="ZC-01")
    _item(staff_town, staff_town.tree.town_a, code="CW-01", name="大额资金支出")
    _item(staff_town, staff_town.tree.village_a1, code="ZC-01", name="本村自己的写法")
    res = _post(console("townadmin"), "/console/power-items/import-template",
                village_id=staff_town.tree.village_a1.id)
    assert "新增 1 项，本村已有而保留不变 1 项" in res.text
    village_items = PowerItem.select().where(PowerItem.region == staff_town.tree.village_a1.id)
    assert sorted(i.name for i in village_items) == ["大额资金支出", "本村自己的写法"]


def test_a_cadre_reads_the_list_and_an_item_but_may_not_change_it(console, staff_town):
    item = _item(staff_town)
    web = console("cadre")
    listing = web.get("/console/power-items").text
    assert "集体资产出租" in listing and "/console/power-items/new" not in listing
    detail = web.get(f"/console/power-items/{item.id}")
    assert detail.status_code == 200 and "会议记录" in detail.text and "/edit" not in detail.text
    for url in ("/console/power-items/new", f"/console/power-items/{item.id}/edit"):
        res = web.get(url)
        assert res.status_code == 403 and "没有权限" in res.text
    res = _post(web, f"/console/power-items/{item.id}/edit", name="改名", category="other",
                legal_basis="无", **{"step-1-name": "x"})
    assert res.status_code == 403 and PowerItem.get_by_id(item.id).name == "集体资产出租"
    res = _post(web, "/console/power-items/import-template",
                village_id=staff_town.tree.village_a1.id)
    assert res.status_code == 403


def test_a_grid_worker_reads_the_list_of_their_village(console, staff_town):
    _item(staff_town)
    assert "集体资产出租" in console("grid").get("/console/power-items").text


@pytest.fixture
def admin_b(staff_town, password_hash):
    from app.accounts.models import StaffCredential

    user = make_user(name="城东街道管理员")
    grant(user, "town_admin", staff_town.tree.town_b)
    StaffCredential.create(user=user, username="townadminb", password_hash=password_hash)
    return user


def test_another_towns_admin_gets_the_404_page_and_cannot_save_here(console, staff_town,
                                                                    admin_b):
    item = _item(staff_town)
    web = console("townadminb")
    assert "集体资产出租" not in web.get("/console/power-items").text
    res = web.get(f"/console/power-items/{item.id}")
    assert res.status_code == 404 and "集体资产出租" not in res.text
    res = _post(web, "/console/power-items/new", region_id=staff_town.tree.village_a1.id,
                **FORM)
    assert res.status_code == 403 and "没有权限" in res.text
    assert PowerItem.select().where(PowerItem.code == "GC-02").count() == 0
