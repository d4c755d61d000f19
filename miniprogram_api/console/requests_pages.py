"""Request pages: the work queues (keyset paginated) and a request's detail with its timeline
and the transition forms this staff member may use. Reads go through the same services as
``/admin/api/v1/requests`` (``queries.queue_query``, ``services.get_request``,
``services.timeline_for``, ``routing.suggest_unit``); photos are listed with
``media.attached_media`` and served by ``media_pages.media_file``."""

from __future__ import annotations

import json

from flask import request as http

from app.accounts.models import ROLE_NAMES
from app.errors import DomainError, Forbidden
from app.media import services as media
from app.policy import Actor, scope_paths
from app.requests import policies, queries, routing, rules
from app.requests import services as requests
from app.requests.models import HandlingUnit, Request
from miniprogram_api.console import request_forms
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.home import REQUEST_QUEUES
from miniprogram_api.console.pages import keyset_page, render
from miniprogram_api.console.session import page

PAGE_SIZE = 20
QUEUE_NAMES = dict(REQUEST_QUEUES) | {"all": "辖区全部诉求", "held": "内容待审核",
                                      "assisting": "本单位配合办理"}
ACTOR_ROLE_NAMES = ROLE_NAMES | {"handler": "承办单位", "resident": "居民", "staff": "工作人员",
                                 "system": "系统"}


@bp.app_template_filter("request_status")
def _status_name(value: str) -> str:
    return rules.STATE_NAMES.get(value, value)


@bp.app_template_filter("request_type")
def _type_name(value: str) -> str:
    return rules.TYPE_NAMES.get(value, value)


def may_see_requests(actor: Actor) -> bool:
    """Whether any request queue is open to the actor (the header shows the menu link)."""
    return bool(scope_paths(actor, policies.READ) or scope_paths(actor, policies.SUPERVISE)
                or policies.unit_ids_of(actor))


def _first_queue(actor: Actor) -> str:
    """The first queue in home-page order the actor may open; Forbidden when there is none."""
    for queue, _title in (*REQUEST_QUEUES, ("all", "")):
        if queue == "mine" and not policies.unit_ids_of(actor):
            continue
        try:
            queries.queue_query(actor, queue)
        except Forbidden:
            continue
        return queue
    raise Forbidden()


@bp.route("/requests")
@page
def request_queue(actor: Actor):
    queue = http.args.get("queue") or _first_queue(actor)
    query = queries.queue_query(actor, queue)
    rows, next_url = keyset_page(query, Request.id, "console.request_queue", limit=PAGE_SIZE,
                                 queue=queue)
    units = {u.id: u.name for u in HandlingUnit.select(HandlingUnit.id, HandlingUnit.name)
             .where(HandlingUnit.id.in_(sorted({r.lead_unit_id for r in rows
                                                if r.lead_unit_id})))}
    return render("console/requests/queue.html", queue=queue,
                  queue_title=QUEUE_NAMES.get(queue, queue), queues=QUEUE_NAMES,
                  rows=rows, units=units, next_url=next_url,
                  level_names=rules.LEVEL_NAMES,
                  may_enter=bool(scope_paths(actor, policies.ENTER)))


@bp.app_template_filter("timeline_details")
def _timeline_details(raw: str) -> str:
    """The facts a timeline entry's details record, in words (units, cited clause, days)."""
    try:
        details = json.loads(raw or "{}")
    except ValueError:
        return ""
    parts = []
    if details.get("lead_unit"):
        parts.append(f"承办单位：{details['lead_unit']}")
    if details.get("assist_units"):
        parts.append("配合单位：" + "、".join(details["assist_units"]))
    if details.get("to_unit"):
        parts.append(f"转给：{details['to_unit']}")
    if details.get("into"):
        parts.append(f"合并到诉求：{details['into']}")
    if details.get("clause"):
        parts.append(f"引用职责清单第 {details['clause']} 条：{details.get('clause_text', '')}")
    if details.get("days"):
        parts.append(f"{details['days']} 个工作日")
    return "；".join(parts)


def _category_name(request: Request) -> str:
    try:
        return requests.category_for(request.region_path, request.category_code).name
    except DomainError:  # a category retired since the request was made
        return request.category_code


def _photos_by_entry(request: Request, timeline) -> dict[int, list]:
    """Photos shown under their timeline entry: the resident's under the submission, and each
    resolution's under the 办结 entry they were attached with (a reopened request is resolved
    again with new photos). The caller has already been allowed to read the request."""
    shown: dict[int, list] = {}
    submitted = [e for e in timeline if e.action == "submit"]
    if submitted:
        shown[submitted[0].id] = media.attached_media(f"request:{request.id}")
    resolves = [e for e in timeline if e.action == "resolve"]
    if resolves:
        photos = media.attached_media(f"request_resolution:{request.id}")
        for entry, later in zip(resolves, [*resolves[1:], None], strict=False):
            shown[entry.id] = [p for p in photos if p.attached_at >= entry.at
                               and (later is None or p.attached_at < later.at)]
    return shown


@bp.route("/requests/<int:request_id>")
@page
def request_detail(actor: Actor, request_id: int):
    request = requests.get_request(actor, request_id)
    forms = request_forms.offered(actor, request)
    names = {f.name for f in forms}
    suggested = routing.suggest_unit(request) if names & {"dispatch", "transfer"} else None
    lead = HandlingUnit.get_or_none(HandlingUnit.id == request.lead_unit_id)
    timeline = requests.timeline_for(actor, request)
    return render(
        "console/requests/detail.html", r=request, forms=forms, form_names=names,
        category=_category_name(request), lead_unit=lead, suggested=suggested,
        units=(request_forms.candidate_units(request)
               if names & {"dispatch", "transfer"} else []),
        clauses=request_forms.clauses(request) if "return" in names else [],
        timeline=timeline, photos=_photos_by_entry(request, timeline),
        mediation_moves=request_forms.mediation_moves(request),
        mediation_names=rules.MEDIATION_NAMES, role_names=ACTOR_ROLE_NAMES,
        level_names=rules.LEVEL_NAMES)
