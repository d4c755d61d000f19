"""Staff dashboards over the Flask client: each chart's table and JSON data, the Excel export,
and the 403 page for roles without the statistics a board needs."""

from __future__ import annotations

import io
import json
import re

from openpyxl import load_workbook

from tests.miniprogram_api.console.helpers import submit


def chart_data(html: str) -> list[dict]:
    match = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html,
                      re.S)
    assert match, "no chart data island"
    return json.loads(match.group(1))


def test_a_cadre_sees_request_charts_with_their_tables(console, staff_town):
    submit(staff_town)
    submit(staff_town, text="小区门口的路灯不亮了，晚上很黑")
    res = console("cadre").get("/console/dashboards/requests")
    assert res.status_code == 200
    specs = {spec["id"]: spec for spec in chart_data(res.text)}
    assert set(specs) == {"requests-month", "requests-category", "requests-place"}
    month = specs["requests-month"]
    assert len(month["categories"]) == 1
    assert {s["name"]: s["data"] for s in month["series"]}["未办结"] == [2]
    assert 'data-chart="requests-month"' in res.text
    assert "<th scope=\"col\">按时办结率</th>" in res.text
    assert "vendor/echarts/echarts.min.js" in res.text and "dashboard.js" in res.text


def test_the_place_chart_groups_by_grid_on_request(console, staff_town):
    submit(staff_town)
    res = console("cadre").get("/console/dashboards/requests?by=grid")
    place = {s["id"]: s for s in chart_data(res.text)}["requests-place"]
    assert place["title"].startswith("按网格")
    assert place["categories"] == [staff_town.tree.grid_a1.name]


def test_the_excel_export_holds_the_table_under_the_chart(console, staff_town):
    submit(staff_town)
    res = console("cadre").get("/console/dashboards/requests/requests-month.xlsx")
    assert res.status_code == 200
    assert res.headers["Content-Disposition"].startswith('attachment; filename="requests-month-')
    sheet = load_workbook(io.BytesIO(res.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("月份", "诉求数", "已办结", "未办结")
    assert rows[1][1:4] == (1, 0, 1)


def test_a_grid_worker_is_refused_the_request_dashboard(console, staff_town):
    res = console("grid").get("/console/dashboards/requests")
    assert res.status_code == 403
    assert "没有权限" in res.text and "chart-data" not in res.text


def test_a_grid_worker_is_refused_the_request_export_too(console, staff_town):
    client = console("grid")
    assert client.get("/console/dashboards/requests/requests-month.xlsx").status_code == 403


def test_the_cadence_board_needs_cadence_access(console, staff_town):
    assert console("cadre").get("/console/dashboards/disclosures").status_code == 200
    assert console("grid").get("/console/dashboards/disclosures").status_code == 403


def test_a_grid_worker_sees_volunteer_hours_and_points(console, staff_town):
    res = console("grid").get("/console/dashboards/volunteering")
    assert res.status_code == 200
    assert {s["id"] for s in chart_data(res.text)} == {"volunteer-hours", "volunteer-points"}


def test_an_unknown_board_or_chart_is_the_404_page(console, staff_town):
    client = console("cadre")
    assert client.get("/console/dashboards/nothing").status_code == 404
    assert client.get("/console/dashboards/requests/nothing.xlsx").status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(client, staff_town):
    res = client.get("/console/dashboards/requests")
    assert res.status_code == 302 and "/console/login" in res.headers["Location"]
