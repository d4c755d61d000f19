"""Supervision pages in a real browser (Playwright, system Chromium): a cadre's 三资 import
with a bad row then a good sheet, a finance panel member approving a finance disclosure its
author may not approve, and an officer's report page the accused cadre cannot reach. The
``browser_page`` fixture asserts that no request left the app's origin."""

from __future__ import annotations

from app.assets_ledger.models import FundEntry
from app.disclosures.models import Disclosure
from app.reports import keys, services
from tests.app.reports.world import BODY, KEY_PASSWORD, light_kdf  # noqa: F401
from tests.miniprogram_api.console.helpers import browser_login, screenshot
from tests.miniprogram_api.console.supervision import (
    BAD_ROWS,
    GOOD_ROWS,
    finance_draft,
    workbook_bytes,
)
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _switch_user(page, username: str) -> None:
    page.get_by_role("button", name="退出").click()
    page.get_by_role("heading", name="工作人员登录").wait_for()
    browser_login(page, username)
    page.get_by_role("heading", name="我的工作").wait_for()


def test_a_cadre_imports_a_sheet_with_a_bad_row_then_a_good_one(browser_page, desk):  # noqa: F811
    page = browser_page
    browser_login(page, "cadre")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="三资账目").click()
    page.get_by_role("heading", name="三资账目 Excel 导入").wait_for()

    page.get_by_label("Excel 文件（.xlsx）").set_input_files(
        {"name": "十月账目.xlsx", "mimeType": XLSX, "buffer": workbook_bytes(BAD_ROWS)})
    page.get_by_role("button", name="试导入（只检查）").click()
    page.get_by_role("heading", name="检查发现 1 个错误行，本次一行也没有导入").wait_for()
    row = page.locator('tr[data-row="资金收支:4"]')
    assert "第 4 行" in row.inner_text() and "日期不在所填期间内" in row.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "console-ledger-dry-run")
    assert FundEntry.select().count() == 0

    page.get_by_label("Excel 文件（.xlsx）").set_input_files(
        {"name": "十月账目.xlsx", "mimeType": XLSX, "buffer": workbook_bytes(GOOD_ROWS)})
    page.get_by_role("button", name="正式导入").click()
    page.get_by_role("heading", name="导入完成").wait_for()
    assert page.locator('tr[data-kind="fund_entry"] td').nth(1).inner_text() == "2"
    assert FundEntry.select().count() == 2


def test_the_finance_panel_approves_what_its_author_may_not(browser_page, desk):  # noqa: F811
    page = browser_page
    d = finance_draft(desk, desk.author_reviewer)
    browser_login(page, "cadrefinance")  # the author, who also sits on the finance panel
    page.goto(f"/console/disclosures/{d.id}")
    page.get_by_role("heading", name=d.title).wait_for()
    assert page.locator('[data-field="own-review"]').inner_text().startswith("您是起草人")
    assert page.get_by_role("button", name="审核通过").count() == 0

    _switch_user(page, "finance")
    page.locator('[data-list="disclosures_review"]').get_by_role("link", name=d.title).click()
    page.get_by_label("审核意见（可不填）").fill("与账簿核对一致")
    page.get_by_role("button", name="审核通过").click()
    page.get_by_role("status").filter(has_text="已审核通过").wait_for()
    assert page.locator('[data-field="status"]').inner_text() == "已审核"
    assert page.locator('[data-field="reviewer"]').inner_text().startswith("理财小组成员")
    screenshot(page, "console-disclosure-approved")
    assert Disclosure.get_by_id(d.id).status == "reviewed"


def test_the_officer_reads_a_report_the_accused_cadre_cannot_reach(browser_page, staff_town,
                                                                   light_kdf):  # noqa: F811
    page = browser_page
    keys.set_up_key(staff_town.actor(staff_town.discipline), KEY_PASSWORD)
    report_id = services.submit_anonymous(
        village_id=staff_town.tree.village_a1.id, text=BODY, client="browser-test",
        accused_user_id=staff_town.cadre.id).report_id
    browser_login(page, "discipline")
    page.locator('[data-list="reports_open"]').get_by_role("link").first.click()
    page.get_by_label("密钥口令").fill(KEY_PASSWORD)
    page.get_by_role("button", name="解锁").click()
    page.get_by_role("heading", name=f"举报 {report_id}").wait_for()
    assert page.locator('[data-field="text"]').inner_text() == BODY
    screenshot(page, "console-report-detail")

    _switch_user(page, "cadre")  # the accused
    assert "举报" not in page.locator("body").inner_text()
    response = page.goto(f"/console/reports/{report_id}")
    assert response.status == 403
    assert page.get_by_role("heading").first.inner_text() == "没有权限"
    text = page.locator("body").inner_text()
    assert "举报" not in text and BODY[:6] not in text
    missing = page.goto("/console/reports/999999")
    assert missing.status == 403 and page.locator("body").inner_text() == text
    screenshot(page, "console-report-403-accused")
