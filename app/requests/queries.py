"""Staff queues over requests, scoped by role and region; each returns a query for keyset
paging (``miniprogram_api.pagination.page_of``) — nothing is loaded whole."""

from __future__ import annotations

import datetime as dt

import peewee

from app.errors import InvalidInput
from app.policy import Actor, require_any_scope, scope_paths
from app.regions import rules as region_rules
from app.regions.services import in_subtree, path_of
from app.requests import policies, rules
from app.requests.models import Request, RequestTask

QUEUES = ("all", "to_accept", "held", "to_dispatch", "mine", "assisting", "overdue",
          "escalated", "extensions", "joint")
ACTIVE = ("accepted", "dispatched", "in_progress", "waiting_for_resident", "returned",
          "reopened", "submitted")
# ``status IN ('accepted', …)`` with the ACTIVE values as LITERALS, not bound parameters:
# SQLite uses the partial index ``request_open_id`` (migration 0017, whose condition has this
# exact text) only when the query repeats its condition literally; with ``IN (?, ?, …)`` it
# ignores the index and a town-wide queue reads the town's whole region-path range (a town's
# range is the whole table) and sorts it. Safe to inline: the values are our own constants
# above, never user input. Built once.
_ACTIVE_LITERAL = peewee.NodeList((
    Request.status,
    peewee.SQL("IN (" + ", ".join(f"'{status}'" for status in ACTIVE) + ")"),
))
# Only scopes of a town or wider (a path of at most this many ids: district, town) take the
# literal term. A grid's or village's region-path range is small; given the literal term SQLite
# would walk every open request of the town instead (measured: a grid worker's overdue queue
# got slower), so narrower scopes keep the bound ``IN`` and their region-path plan.
_WIDE_SCOPE_IDS = 2


def _active(wide: bool) -> peewee.Expression:
    return _ACTIVE_LITERAL if wide else Request.status.in_(list(ACTIVE))


def _within_active(wide: bool, condition: peewee.Expression) -> peewee.Expression:
    """``condition`` (whose statuses all lie in ACTIVE), plus the redundant literal ACTIVE term
    for a wide scope so that SQLite may read ``request_open_id``: the same rows either way."""
    return (_ACTIVE_LITERAL & condition) if wide else condition


def _is_wide(paths: list[str]) -> bool:
    return any(len(region_rules.path_ids(path)) <= _WIDE_SCOPE_IDS for path in paths)


def _scoped(paths: list[str]) -> peewee.Expression:
    cond = None
    for path in paths:
        part = in_subtree(Request.region_path, path)
        cond = part if cond is None else (cond | part)
    return cond


def queue_query(actor: Actor, queue: str, *, status: str | None = None,
                type: str | None = None, category_code: str | None = None,
                channel: str | None = None, region_id: int | None = None,
                created_from: dt.datetime | None = None,
                created_to: dt.datetime | None = None):
    """The requests of ``queue`` the actor may see. Raises Forbidden without any scope."""
    if queue not in QUEUES:
        raise InvalidInput("request.bad_queue", "未知的工作队列")
    query = Request.select()
    if queue in ("mine", "assisting"):
        units = sorted(policies.unit_ids_of(actor))
        if queue == "mine":
            query = query.where(Request.lead_unit.in_(units or [0])
                                & Request.status.in_(sorted(rules.OPEN_FOR_HANDLING
                                                            | {"waiting_for_resident"})))
        else:
            tasks = RequestTask.select(RequestTask.request).where(
                RequestTask.unit.in_(units or [0]) & (RequestTask.role == "assist")
                & (RequestTask.status == "open"))
            query = query.where(Request.id.in_(tasks))
    elif queue == "joint":
        # The discipline officer (SUPERVISE) and any staff who read requests (READ) alike.
        paths = scope_paths(actor, policies.SUPERVISE) + scope_paths(actor, policies.READ)
        if not paths:
            require_any_scope(actor, policies.SUPERVISE)  # raises Forbidden
        query = query.where(_scoped(paths) & (Request.escalation_level >= rules.LEVEL_JOINT))
    else:
        action = {"to_accept": policies.ACCEPT, "held": policies.RELEASE_REVIEW,
                  "to_dispatch": policies.DISPATCH,
                  "extensions": policies.DECIDE_EXTENSION}.get(queue, policies.READ)
        paths = require_any_scope(actor, action)
        query = query.where(_scoped(paths) & _QUEUE_CONDITIONS[queue](_is_wide(paths)))
    if status:
        query = query.where(Request.status == status)
    if type:
        query = query.where(Request.type == type)
    if category_code:
        query = query.where(Request.category_code == category_code)
    if channel:
        query = query.where(Request.channel == channel)
    if region_id:
        query = query.where(in_subtree(Request.region_path, path_of(region_id)))
    if created_from:
        query = query.where(Request.created_at >= created_from)
    if created_to:
        query = query.where(Request.created_at < created_to)
    return query


# Each takes ``wide``: whether the scope is a town or wider (default: the whole deployment, as
# app.monitoring.queue_depths counts them).
_QUEUE_CONDITIONS = {
    "all": lambda wide=True: peewee.SQL("1 = 1"),
    "to_accept": lambda wide=True: _within_active(
        wide, (Request.status == "submitted") & ~Request.held_for_review),
    "held": lambda wide=True: _within_active(
        wide, (Request.status == "submitted") & Request.held_for_review),
    "to_dispatch": lambda wide=True: _within_active(
        wide, Request.status.in_(["accepted", "returned", "reopened"])),
    "overdue": lambda wide=True: _active(wide) & (Request.escalation_level >= rules.LEVEL_URGED),
    "escalated": lambda wide=True: _active(wide)
    & (Request.escalation_level >= rules.LEVEL_ESCALATED),
    "extensions": lambda wide=True: Request.extension_days_pending.is_null(False),
}
