"""The minor-power pages in a real browser (Playwright, system Chromium), in one page session:
a cadre issues a binding code for a building's WeChat group (shown once, with the ``绑定``
instruction), then records a seal use through the form on the seal log page. The
``browser_page`` fixture asserts that no request left the app's origin."""

from __future__ import annotations

import re

from app.bot.models import BindingCode
from app.crypto import sha256_hex
from app.powers import services as powers
from app.seals import services as seals
from app.seals.models import SealUse
from tests.miniprogram_api.console.helpers import browser_login, screenshot


def test_a_cadre_issues_a_binding_code_then_records_a_seal_use(browser_page, staff_town):
    town = staff_town
    seals.register_seal(town.actor(town.town_admin), village_id=town.tree.village_a1.id,
                        name="东星社区公章", kind="official", keeper_user_id=town.cadre.id)
    item = powers.save_item(town.actor(town.town_admin), region_id=town.tree.village_a1.id,
                            code="FW-01", name="出具证明", category="services",
                            legal_basis="便民服务规定", steps=[{"name": "核实情况"}])
    page = browser_page
    browser_login(page, "cadre")
    menu = page.get_by_role("navigation", name="主菜单")

    menu.get_by_role("link", name="群绑定").click()
    page.get_by_role("heading", name="群绑定", exact=True).wait_for()
    page.get_by_label("要绑定的楼栋（或小区、网格、社区(村)）").select_option(
        label="东星社区 第一网格 1号楼")
    page.get_by_role("button", name="生成绑定码").click()
    page.get_by_role("heading", name="绑定码已生成").wait_for()
    code = page.locator('[data-field="code"]').inner_text()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)
    assert page.locator('[data-field="command"]').inner_text() == f"绑定 {code}"
    assert BindingCode.get().code_hash == sha256_hex(code)
    screenshot(page, "console-group-binding-code")

    menu.get_by_role("link", name="用印记录").click()
    page.get_by_role("link", name="登记用印").click()
    page.get_by_role("heading", name="登记用印：东星社区公章").wait_for()
    page.get_by_label("用印文件名称").fill("居住证明")
    page.get_by_label("用印事由").fill("开具居住证明用于子女入学")
    page.get_by_label("权力清单事项（东星社区）").select_option(label="FW-01 出具证明")
    page.get_by_label("申请人", exact=True).fill("李会计")
    page.get_by_label("审批人").select_option(label="街道管理员")
    page.get_by_role("button", name="登记用印").click()
    # a status, or an alert when the clock puts the use outside office hours (an anomaly)
    page.locator("p.flash").filter(has_text="用印已登记，并已写入透明日志").wait_for()
    assert "出具证明" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "console-seal-use-recorded")
    use = SealUse.get()
    assert (use.document, use.power_item_id, use.approver_user_id) == (
        "居住证明", item.id, town.town_admin.id)
