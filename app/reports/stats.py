"""Statistics of reports for officers, with small counts suppressed.

Counted: the reports the caller may see (live recipient, not excluded) and not destroyed, so
the accused and everyone excluded see no change anywhere. Every count below five, zero
included, is shown as "<5" (``rules.suppress``): one report cannot be told from none, and no
cell can be subtracted from a total to single one out, since totals are suppressed alike.
"""

from __future__ import annotations

from peewee import SQL, fn

from app.db import is_postgres
from app.errors import InvalidInput
from app.policy import Actor, require_any_scope
from app.regions.models import Region
from app.reports import policies, rules
from app.reports.models import Report
from app.reports.policies import HANDLE

GROUPS = ("status", "village", "month")


def _month():
    if is_postgres():
        return fn.to_char(Report.created_at + SQL("interval '8 hours'"), "YYYY-MM")
    return fn.strftime("%Y-%m", Report.created_at, "+8 hours")


def report_stats(actor: Actor | None, *, group_by: str = "status") -> dict:
    """Counts of the caller's reports grouped by status, village or (Asia/Shanghai) month.

    A discipline officer. Raises Unauthorized / Forbidden; InvalidInput report.bad_group.
    Changes nothing. Counts are strings: a number, or "<5".
    """
    require_any_scope(actor, HANDLE)
    if group_by not in GROUPS:
        raise InvalidInput("report.bad_group", "未知的统计分组")
    key = {"status": Report.status, "village": Report.village, "month": _month()}[group_by]
    base = Report.select().where(policies.visible_condition(actor)
                                 & Report.destroyed_at.is_null())
    total = base.count()
    rows = list(base.select(key.alias("k"), fn.COUNT(Report.id).alias("n"))
                .group_by(key).order_by(key).tuples())
    names = {}
    if group_by == "village":
        names = dict(Region.select(Region.id, Region.name)
                     .where(Region.id.in_([k for k, _ in rows] or [0])).tuples())
    elif group_by == "status":
        names = rules.STATE_NAMES
    # A group below the threshold is left out entirely: even its key would say "some here".
    groups = [{"key": str(k), "name": names.get(k, str(k)), "count": rules.suppress(n)}
              for k, n in rows if n >= rules.SMALL_COUNT]
    return {"group_by": group_by, "total": rules.suppress(total), "groups": groups}
