"""The charts of the staff dashboards: each one a table (columns and rows, what the page
shows under the chart and what the Excel file holds) plus the chart spec ``dashboard.js``
draws with ECharts. Figures come from one service call each; nothing is computed here but
the shape.

A spec is plain JSON: ``{"categories": [...], "series": [{"name", "data", "line"?,
"percent"?, "stack"?}]}`` — bars by default, a line on a 0–100 % axis when ``percent``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from app.dashboards import cadence, volunteering
from app.disclosures.cadence_rules import DUE_STATE_NAMES
from app.policy import Actor
from app.requests.stats import request_stats


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    percent: bool = False


@dataclass
class Chart:
    id: str
    title: str
    columns: list[Column]
    rows: list[dict]
    series: list[dict] = field(default_factory=list)

    def spec(self) -> dict:
        return {"id": self.id, "title": self.title,
                "categories": [row["label"] for row in self.rows],
                "series": [{**s, "data": [_number(row.get(s["key"]), s.get("percent"))
                                          for row in self.rows]} for s in self.series]}

    def cell(self, row: dict, column: Column):
        value = row.get(column.key)
        if value is None:
            return "—" if column.key != "label" else ""
        return f"{value * 100:.1f}%" if column.percent else value


def _number(value, percent: bool | None):
    if value is None:
        return None
    return round(value * 100, 1) if percent else value


def _bar(key: str, name: str, **extra) -> dict:
    return {"key": key, "name": name, **extra}


def _rate(key: str, name: str) -> dict:
    return {"key": key, "name": name, "line": True, "percent": True}


def _with_open(rows: list[dict]) -> list[dict]:
    for row in rows:
        row["open"] = row["total"] - row["resolved"]
    return rows


def requests_by_month(actor: Actor, args) -> Chart:
    return Chart("requests-month", "诉求按月份：已办结与未办结、按时办结率", [
        Column("label", "月份"), Column("total", "诉求数"), Column("resolved", "已办结"),
        Column("open", "未办结"), Column("on_time", "按时办结"),
        Column("on_time_rate", "按时办结率", True), Column("satisfaction_rate", "满意率", True),
    ], _with_open(request_stats(actor, group_by="month")), [
        _bar("resolved", "已办结", stack="status"), _bar("open", "未办结", stack="status"),
        _rate("on_time_rate", "按时办结率")])


def requests_by_category(actor: Actor, args) -> Chart:
    return Chart("requests-category", "诉求按类别", [
        Column("label", "类别"), Column("total", "诉求数"), Column("resolved", "已办结"),
        Column("avg_handling_hours", "平均办理时长（小时）"), Column("returned", "被退单"),
    ], request_stats(actor, group_by="category"), [_bar("total", "诉求数"),
                                                    _bar("resolved", "已办结")])


def requests_by_place(actor: Actor, args) -> Chart:
    grid = args.get("by") == "grid"
    return Chart("requests-place", f"按{'网格' if grid else '社区(村)'}：按时办结率与满意率", [
        Column("label", "网格" if grid else "社区(村)"), Column("total", "诉求数"),
        Column("on_time_rate", "按时办结率", True), Column("satisfaction_rate", "满意率", True),
        Column("returned", "被退单"),
    ], request_stats(actor, group_by="grid" if grid else "village"), [
        {**_rate("on_time_rate", "按时办结率"), "line": False},
        {**_rate("satisfaction_rate", "满意率"), "line": False}])


def cadence_compliance(actor: Actor, args) -> Chart:
    states = ("met", "met_late", "overdue", "open")
    return Chart("disclosure-cadence", "公开义务完成情况（按社区(村)）", [
        Column("label", "社区(村)"), *(Column(s, DUE_STATE_NAMES[s]) for s in states),
        Column("waived", DUE_STATE_NAMES["waived"]), Column("on_time_rate", "按时公开率", True),
    ], cadence.compliance_by_village(actor),
        [_bar(s, DUE_STATE_NAMES[s], stack="due") for s in states])


def volunteer_hours(actor: Actor, args) -> Chart:
    return Chart("volunteer-hours", "志愿服务时长（按社区(村)）", [
        Column("label", "社区(村)"), Column("hours", "服务时长（小时）"),
        Column("volunteers", "志愿者人数"), Column("actions", "活动场次"),
    ], volunteering.hours_by_village(actor), [_bar("hours", "服务时长（小时）"),
                                              _bar("volunteers", "志愿者人数")])


def volunteer_points(actor: Actor, args) -> Chart:
    return Chart("volunteer-points", "积分（累计获得，按社区(村)）", [
        Column("label", "社区(村)"), Column("person_points", "个人积分"),
        Column("household_points", "家庭积分"), Column("earners", "获得积分人数"),
    ], volunteering.points_by_village(actor), [_bar("person_points", "个人积分"),
                                               _bar("household_points", "家庭积分")])


# board -> (title, charts); the order is the page's order.
BOARDS: dict[str, tuple[str, list[Callable[[Actor, dict], Chart]]]] = {
    "requests": ("群众诉求", [requests_by_month, requests_by_category, requests_by_place]),
    "disclosures": ("村务公开", [cadence_compliance]),
    "volunteering": ("志愿服务与积分", [volunteer_hours, volunteer_points]),
}
