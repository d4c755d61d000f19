"""属地属事: which unit handles a request, by category and place.

A rule naming the request's category (属事) beats a catch-all rule (属地) wherever they sit, so
a town department that owns a matter receives it from every grid; among rules of the same
kind, the most specific place wins (grid over village over town).
"""

from __future__ import annotations

import json

from app.errors import Conflict, InvalidInput, NotFound
from app.regions.rules import path_ids
from app.regions.services import path_of
from app.requests.models import HandlingUnit, Request, RoutingRule


def suggest_unit(request: Request) -> HandlingUnit | None:
    ancestors = path_ids(request.region_path)
    rules = list(RoutingRule.select(RoutingRule, HandlingUnit).join(HandlingUnit).where(
        RoutingRule.region.in_(ancestors)
        & RoutingRule.category_code.in_([request.category_code, ""])
        & HandlingUnit.active))
    if not rules:
        return None
    best = max(rules, key=lambda r: (r.category_code != "", len(r.region_path)))
    return best.unit


def load_unit(unit_id: int, request: Request) -> HandlingUnit:
    """An active unit responsible for the request's place (its region contains the request)."""
    unit = HandlingUnit.get_or_none((HandlingUnit.id == unit_id) & HandlingUnit.active)
    if unit is None:
        raise NotFound("request.unit_not_found", "找不到该承办单位")
    if not request.region_path.startswith(path_of(unit.region_id)):
        raise InvalidInput("request.unit_out_of_area", f"{unit.name}不负责该诉求所在区域")
    return unit


def responsibilities(unit: HandlingUnit) -> list[str]:
    try:
        items = json.loads(unit.responsibilities or "[]")
    except ValueError:
        return []
    return [str(item) for item in items]


def cited_clause(unit: HandlingUnit, clause: int) -> str:
    """The text of clause number ``clause`` (1-based) of the unit's responsibility list."""
    items = responsibilities(unit)
    if not items:
        raise Conflict("request.no_responsibility_list",
                       "本单位尚未录入职责清单，不能退单，请联系管理员")
    if clause < 1 or clause > len(items):
        raise InvalidInput("request.bad_clause", "请引用本单位职责清单中的条款",
                           {"clauses": len(items)})
    return items[clause - 1]
