"""Volunteer service by village: confirmed service hours and volunteers from actions, and
points earned (all-time tallies of people's accounts) from the points ledger.

Hours are built on ``app.actions.services.staff_actions`` and points on
``app.points.queries.staff_accounts``: each feature's scope and readers apply.
"""

from __future__ import annotations

from peewee import fn

from app.actions import services as actions
from app.actions.models import Action, ActionSignup
from app.points import queries as points
from app.points.models import PointsAccount, PointsTally
from app.policy import Actor
from app.regions.models import Region


def _names(ids) -> dict[int, str]:
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    return dict(Region.select(Region.id, Region.name).where(Region.id.in_(ids)).tuples())


def hours_by_village(actor: Actor | None) -> list[dict]:
    """Confirmed service minutes (as hours, one decimal), volunteers and actions per village
    of the actions in the caller's scope. Staff who read actions (``action.read``). Raises
    Forbidden. Changes nothing."""
    in_scope = actions.staff_actions(actor).select(Action.id)
    rows = (ActionSignup.select(Action.region_id, fn.SUM(ActionSignup.minutes),
                                fn.COUNT(fn.DISTINCT(ActionSignup.user)),
                                fn.COUNT(fn.DISTINCT(ActionSignup.action)))
            .join(Action, on=(ActionSignup.action == Action.id))
            .where(ActionSignup.action.in_(in_scope)
                   & (ActionSignup.attendance == "confirmed"))
            .group_by(Action.region_id).tuples())
    rows = list(rows)
    names = _names(r[0] for r in rows)
    out = [{"region_id": region_id, "label": names.get(region_id, str(region_id)),
            "hours": round(int(minutes or 0) / 60, 1), "volunteers": int(people),
            "actions": int(count)} for region_id, minutes, people, count in rows]
    return sorted(out, key=lambda r: r["label"])


def points_by_village(actor: Actor | None) -> list[dict]:
    """Points earned all-time by people and by households per village, in the caller's
    scope. Staff who read points (``points.read``). Raises Forbidden. Changes nothing."""
    accounts = points.staff_accounts(actor).where(
        PointsAccount.kind.in_(("person", "household"))).select(PointsAccount.id)
    rows = list(PointsTally.select(PointsTally.village_id, PointsTally.account_kind,
                                   fn.SUM(PointsTally.points), fn.COUNT(PointsTally.account))
                .where(PointsTally.account.in_(accounts) & (PointsTally.period == "all"))
                .group_by(PointsTally.village_id, PointsTally.account_kind).tuples())
    names = _names(r[0] for r in rows)
    villages: dict = {}
    for village_id, kind, total, count in rows:
        row = villages.setdefault(village_id, {
            "village_id": village_id, "label": names.get(village_id, "未归属社区(村)"),
            "person_points": 0, "household_points": 0, "earners": 0})
        row[f"{kind}_points"] = int(total or 0)
        if kind == "person":
            row["earners"] = int(count)
    return sorted(villages.values(), key=lambda r: r["label"])
