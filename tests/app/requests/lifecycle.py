"""Builders of requests at chosen moments of their life, through the services (tests only)."""

from __future__ import annotations

import datetime as dt

from app.clock import frozen
from app.requests import feedback, handling, workflow
from app.requests import services as requests
from app.requests.models import Request


def submit_at(town, at: dt.datetime, *, resident=None, category: str = "environment",
              type: str = "help", text: str = "楼道里的灯坏了一个星期", **kw) -> Request:
    with frozen(at):
        return requests.submit_request(town.actor(resident or town.resident, "miniprogram"),
                                       type=type, category_code=category, text=text, **kw)


def dispatched_at(town, at: dt.datetime, **kw) -> Request:
    """Submitted, accepted and dispatched (by the routing rule) at ``at``."""
    request = submit_at(town, at, **kw)
    with frozen(at):
        workflow.accept_request(town.actor(town.town_admin), request.id)
        return workflow.dispatch_request(town.actor(town.town_admin), request.id)


def handler_of(town, request: Request):
    return town.grid_worker if request.lead_unit_id == town.grid_unit.id else town.handler


def returned_once(town, request: Request, at: dt.datetime) -> Request:
    """The lead unit returns it (退单, clause 1) and the town admin dispatches it again."""
    with frozen(at):
        workflow.return_request(town.actor(handler_of(town, request)), request.id, clause=1,
                                note="不属于本单位职责")
        return workflow.dispatch_request(town.actor(town.town_admin), request.id)


def resolved_at(town, request: Request, at: dt.datetime) -> Request:
    with frozen(at):
        who = town.actor(handler_of(town, request))
        workflow.start_request(who, request.id)
        return handling.resolve_request(who, request.id, note="已经处理完毕，请查看")


def rated(town, request: Request, rating: str, at: dt.datetime, *, resident=None) -> Request:
    """``rating`` "none": nobody answers and the rating window expires."""
    if rating == "none":
        feedback.expire_rating(request.id, at)
        return Request.get_by_id(request.id)
    with frozen(at):
        return feedback.rate_request(town.actor(resident or town.resident, "miniprogram"),
                                     request.id, rating=rating)
