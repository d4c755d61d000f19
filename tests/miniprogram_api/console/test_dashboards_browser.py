"""The request dashboard in a real browser: ECharts (vendored, served by the app) draws every
chart as SVG from the page's JSON data island; nothing is fetched from elsewhere (asserted
by ``browser_page``). Saves the dashboard screenshot."""

from __future__ import annotations

import datetime as dt

from tests.app.requests.lifecycle import dispatched_at, rated, resolved_at, submit_at
from tests.miniprogram_api.console.helpers import browser_login, screenshot

SEPT = dt.datetime(2026, 9, 14, 1, 0)  # Monday 09:00 in Asia/Shanghai


def some_requests(town) -> None:
    """Three months of requests in a few categories, some resolved and rated."""
    for month, (category, count) in enumerate((("environment", 3), ("roads", 2),
                                               ("property", 4))):
        at = SEPT + dt.timedelta(days=30 * month)
        for n in range(count):
            if n % 2 == 0:
                request = dispatched_at(town, at, category=category)
                resolved_at(town, request, at + dt.timedelta(hours=5))
                rated(town, request, "satisfied" if n == 0 else "unsatisfied",
                      at + dt.timedelta(hours=8))
            else:
                submit_at(town, at, category=category)


def test_the_request_dashboard_draws_its_charts(browser_page, staff_town):
    page = browser_page
    some_requests(staff_town)
    browser_login(page, "cadre")
    page.get_by_role("heading", name="我的工作").wait_for()
    page.get_by_role("link", name="统计看板").click()
    page.get_by_role("heading", name="统计看板 · 群众诉求").wait_for()
    for chart_id in ("requests-month", "requests-category", "requests-place"):
        chart = page.locator(f'[data-chart="{chart_id}"][data-drawn="true"]')
        chart.wait_for()
        box = chart.locator("svg").first.bounding_box()
        assert box and box["width"] > 300 and box["height"] > 200
        assert chart.locator("svg path").count() > 10  # axes, bars and the legend
    month_table = page.locator('[data-chart-section="requests-month"] table tbody tr')
    assert month_table.count() == 3
    assert page.get_by_text("2026年9月").first.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "console-dashboard")
