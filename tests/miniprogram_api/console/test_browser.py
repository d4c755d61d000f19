"""The console in a real browser (Playwright, system Chromium): login, a grid worker's whole
loop on a request, and the 403 page. Every test also asserts (in the ``browser_page``
fixture) that no request left the app's origin. Screenshots go to .test-results/screenshots/.
"""

from __future__ import annotations

from app.requests.models import Request
from tests.miniprogram_api.console.helpers import PASSWORD, browser_login, screenshot, submit


def test_login_with_a_wrong_then_the_right_password(browser_page, staff_town):
    page = browser_page
    submit(staff_town)
    browser_login(page, "grid", "not-the-password")
    assert page.get_by_role("alert").inner_text() == "用户名或密码错误"
    assert page.get_by_label("用户名").input_value() == "grid"
    page.get_by_label("密码", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")  # the form submits from the keyboard
    page.get_by_role("heading", name="我的工作").wait_for()
    assert page.locator('[data-list="requests_to_accept"] .count').inner_text() == "1"
    screenshot(page, "console-home")


def test_a_grid_worker_accepts_dispatches_and_resolves_a_request(browser_page, staff_town):
    page = browser_page
    request = submit(staff_town)
    browser_login(page, "grid")
    page.locator('[data-list="requests_to_accept"]').get_by_role(
        "link", name=request.tracking_no, exact=False).click()
    page.get_by_role("heading", name=f"诉求 {request.tracking_no}").wait_for()

    page.get_by_label("受理说明（可不填）").fill("已电话联系居民")
    page.get_by_role("button", name="受理").click()
    page.get_by_text("已受理", exact=True).first.wait_for()
    assert page.locator('[data-field="suggested"]').inner_text() == staff_town.grid_unit.name
    page.get_by_role("button", name="分办").click()
    page.get_by_role("status").filter(has_text="已分办").wait_for()
    screenshot(page, "console-request-detail")

    # The grid worker is a member of the unit the routing rule chose: they handle it too.
    page.get_by_role("button", name="开始办理").click()
    page.get_by_role("status").filter(has_text="已开始办理").wait_for()
    page.get_by_label("办理结果（至少 5 个字，居民可见）").fill("已更换楼道灯泡，恢复照明")
    page.get_by_role("button", name="办结").click()
    page.get_by_role("status").filter(has_text="已办结，等待居民评价").wait_for()
    assert page.locator('[data-field="status"]').inner_text() == "已办结"
    assert page.locator("ol.timeline").get_by_text("已更换楼道灯泡，恢复照明").is_visible()
    assert Request.get_by_id(request.id).status == "resolved"


def test_a_page_the_role_may_not_reach_is_the_chinese_403(browser_page, staff_town):
    page = browser_page
    browser_login(page, "discipline")
    page.get_by_role("heading", name="我的工作").wait_for()
    response = page.goto("/console/requests?queue=to_accept")
    assert response.status == 403
    assert page.get_by_role("heading").first.inner_text() == "没有权限"
    assert "待受理" not in page.locator("main").inner_text()


def test_large_font_mode_is_usable_from_the_keyboard(browser_page, staff_town):
    page = browser_page
    page.goto("/console/login")
    size = page.evaluate("getComputedStyle(document.body).fontSize")
    page.get_by_role("button", name="大字模式").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="标准字号").wait_for()
    # The button exists as soon as the new page's DOM does; its stylesheet may still be loading.
    page.wait_for_load_state("load")
    assert page.evaluate("getComputedStyle(document.body).fontSize") != size
    browser_login(page, "grid")
    page.get_by_role("heading", name="我的工作").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "console-home-large-font")
