"""Statistics of requests per village, grid, category or month, aggregated in SQL.

One GROUP BY query computes every figure (rows are never loaded into Python); one more query
names the groups. Months are Asia/Shanghai months (UTC+8, no daylight saving), so a request
created 2026-10-31 17:00 UTC counts in 2026-11.

Figures per group:
- ``total``; ``resolved`` (has a resolution time); ``on_time`` (resolved by its deadline) and
  ``on_time_rate`` = on_time / resolved;
- ``avg_handling_hours``: from the first dispatch to the resolution, resolved requests only;
- ``ratings`` by value, and ``satisfaction_rate`` = (satisfied + basically) / (satisfied +
  basically + unsatisfied): "none" (no answer within the rating window) stays out of the
  denominator and is never counted as satisfied;
- ``hops``: the sum of hop counts (退单 and 转办), and ``returned``: requests returned (退单)
  at least once.
Rates are None when their denominator is 0.
"""

from __future__ import annotations

import datetime as dt

import peewee
from peewee import SQL, Case, NodeList, fn

from app.db import is_postgres
from app.errors import InvalidInput
from app.policy import Actor, authorize, require_any_scope
from app.regions.models import Region
from app.regions.services import in_subtree, path_of
from app.requests import policies
from app.requests.models import Request, TimelineEntry
from app.requests.setup import category_names, town_of

GROUPS = ("village", "grid", "category", "month")
RATING_KEYS = ("satisfied", "basically", "unsatisfied", "none")
UNASSIGNED = {"village": "未归属社区(村)", "grid": "未归属网格", "category": "未分类",
              "month": "未知月份"}


def _month_key() -> peewee.Node:
    """The Asia/Shanghai month of ``created_at`` as ``YYYY-MM`` (stored times are naive UTC)."""
    if is_postgres():
        return fn.to_char(Request.created_at + SQL("interval '8 hours'"), "YYYY-MM")
    return fn.strftime("%Y-%m", Request.created_at, "+8 hours")


def _handling_hours() -> peewee.Node:
    if is_postgres():
        seconds = fn.EXTRACT(NodeList((SQL("EPOCH FROM"),
                                       Request.resolved_at - Request.dispatched_at)))
        return seconds / 3600.0
    return (fn.julianday(Request.resolved_at) - fn.julianday(Request.dispatched_at)) * 24.0


def _count_if(condition) -> peewee.Node:
    return fn.SUM(Case(None, [(condition, 1)], 0))


def _group_key(group_by: str) -> peewee.Node:
    return {"village": Request.village_id, "grid": Request.grid_id,
            "category": Request.category_code, "month": _month_key()}[group_by]


def _scope_condition(actor: Actor, region_id: int | None) -> peewee.Expression:
    if region_id is not None:
        path = path_of(region_id)
        authorize(actor, policies.STATS, path)
        return in_subtree(Request.region_path, path)
    cond = None
    for path in require_any_scope(actor, policies.STATS):
        part = in_subtree(Request.region_path, path)
        cond = part if cond is None else (cond | part)
    return cond


def request_stats(actor: Actor, *, group_by: str, region_id: int | None = None,
                  created_from: dt.datetime | None = None,
                  created_to: dt.datetime | None = None) -> list[dict]:
    """Figures of the requests created in ``[created_from, created_to)`` (naive UTC) inside the
    caller's scope, or inside ``region_id`` when given, one dict per group ordered by key.

    Cadres, town admins, sysadmins and discipline officers (``request.stats``) in scope.
    Raises request.bad_group_by, region.not_found, Forbidden. Reads only; changes nothing.
    """
    if group_by not in GROUPS:
        raise InvalidInput("request.bad_group_by", "统计维度应为社区(村)、网格、类别或月份",
                           {"allowed": list(GROUPS)})
    cond = _scope_condition(actor, region_id)
    if created_from is not None:
        cond &= Request.created_at >= created_from
    if created_to is not None:
        cond &= Request.created_at < created_to
    returned = TimelineEntry.alias("returns")
    # Every 退单 adds a hop, so the timeline is probed only for requests that hopped (a
    # nested CASE: SQL does not promise to evaluate an AND's cheap side first). Without the
    # guard the probe ran for every request of a town: 85 % of a town admin's stats query.
    ever_returned = Case(None, [(Request.hop_count > 0, fn.EXISTS(returned.select(SQL("1")).where(
        (returned.request == Request.id) & (returned.action == "return"))))], False)
    resolved = Request.resolved_at.is_null(False)
    columns = [
        _group_key(group_by).alias("grp"),
        fn.COUNT(Request.id).alias("total"),
        _count_if(resolved).alias("resolved"),
        _count_if(resolved & Request.resolve_deadline.is_null(False)
                  & (Request.resolved_at <= Request.resolve_deadline)).alias("on_time"),
        fn.AVG(Case(None, [(resolved & Request.dispatched_at.is_null(False),
                            _handling_hours())], None)).alias("avg_hours"),
        fn.SUM(Request.hop_count).alias("hops"),
        _count_if(ever_returned).alias("returned"),
    ]
    columns += [_count_if(Request.rating == key).alias(f"r_{key}") for key in RATING_KEYS]
    rows = list(Request.select(*columns).where(cond).group_by(SQL("grp")).dicts())
    labels = _labels(group_by, [row["grp"] for row in rows], region_id)
    out = [_figures(row, group_by, labels) for row in rows]
    return sorted(out, key=lambda item: (item["key"] is None, str(item["key"] or "")))


def _figures(row: dict, group_by: str, labels: dict) -> dict:
    ratings = {key: int(row[f"r_{key}"] or 0) for key in RATING_KEYS}
    rated = ratings["satisfied"] + ratings["basically"] + ratings["unsatisfied"]
    resolved, on_time = int(row["resolved"] or 0), int(row["on_time"] or 0)
    hours = row["avg_hours"]
    key = row["grp"]
    return {
        "key": key,
        "label": labels.get(key) or (UNASSIGNED[group_by] if key is None else str(key)),
        "total": int(row["total"]),
        "resolved": resolved,
        "on_time": on_time,
        "on_time_rate": round(on_time / resolved, 4) if resolved else None,
        "avg_handling_hours": round(float(hours), 2) if hours is not None else None,
        "ratings": ratings,
        "satisfaction_rate": (round((ratings["satisfied"] + ratings["basically"]) / rated, 4)
                              if rated else None),
        "hops": int(row["hops"] or 0),
        "returned": int(row["returned"] or 0),
    }


def _labels(group_by: str, keys: list, region_id: int | None) -> dict:
    present = [k for k in keys if k is not None]
    if not present:
        return {}
    if group_by in ("village", "grid"):
        return dict(Region.select(Region.id, Region.name).where(Region.id.in_(present)).tuples())
    if group_by == "category":
        return _category_names(present, region_id)
    return {k: f"{k[:4]}年{int(k[5:7])}月" for k in present}


def _category_names(codes: list[str], region_id: int | None) -> dict:
    """Names as shown in the town of ``region_id`` (its own names win), else the defaults."""
    town = town_of(path_of(region_id)) if region_id else None
    return {code: name for (_, code), name in category_names({(town, c) for c in codes}).items()}
