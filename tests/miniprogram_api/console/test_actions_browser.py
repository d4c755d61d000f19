"""微行动 in a real browser (Playwright, system Chromium): a cadre publishes an action from the
menu, a resident signs up, and the cadre finds it in the list with its sign-up on the roster.
The ``browser_page`` fixture asserts that no request left the app's origin."""

from __future__ import annotations

import datetime as dt

from app.actions import signups
from app.actions.models import Action
from app.clock import to_local, utcnow
from tests.miniprogram_api.console.helpers import browser_login, screenshot
from tests.miniprogram_api.console.volunteering import stars_village as stars_village  # noqa: F401


def test_a_cadre_publishes_an_action_and_sees_it_listed_with_its_signups(browser_page,
                                                                        stars_village):
    page = browser_page
    start = to_local(utcnow() + dt.timedelta(days=3)).replace(hour=9, minute=0)
    browser_login(page, "cadre")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="微行动").click()
    page.get_by_role("heading", name="微行动").wait_for()
    page.get_by_role("link", name="发布微行动").click()
    page.get_by_label("可报名的范围").select_option(label="东星社区")
    page.get_by_label("活动名称").fill("周末清洁家园")
    page.get_by_label("活动地点").fill("东星社区广场")
    page.get_by_label("开始时间").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("结束时间（单次不超过 24 小时）").fill(
        (start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("招募人数（满员后报名进入候补）").fill("15")
    page.get_by_role("button", name="发布").click()
    page.get_by_role("heading", name="微行动：周末清洁家园").wait_for()
    assert page.get_by_text("还没有人报名。").is_visible()

    action = Action.get(Action.title == "周末清洁家园")
    signups.sign_up(stars_village.resident_actor(stars_village.resident), action.id)
    page.get_by_role("link", name="返回微行动列表").click()
    row = page.locator(f'tr[data-action="{action.id}"]')
    assert "1 / 15" in row.inner_text()
    row.get_by_role("link", name="周末清洁家园").click()
    roster = page.locator("table.roster")
    roster.get_by_role("rowheader", name="张阿姨").wait_for()
    assert "已报名" in roster.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "console-action-roster")
