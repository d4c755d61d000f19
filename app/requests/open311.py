"""Open311 GeoReport v2: our requests in the spec's shapes, API clients, and submission.

Services are (request type × category) pairs: ``service_code`` is ``"{type}.{category}"``
(e.g. ``complaint.environment``) and ``group`` the type, since a request needs both and the
spec's POST carries one code. Emergencies are not offered (GeoReport is for non-emergency
issues). Jurisdictions are region codes; a submission names its village.

What is public: the tracking number, status open/closed (closed = resolved, closed, merged,
cancelled), the latest public timeline label, the category, the lead unit, times in
Asia/Shanghai, the free address text with the village and town — never the household, the
resident, or coordinates. The request text is published only as a short summary with phone
and ID-like numbers masked, and not at all while held for review, once cancelled (withdrawn
or refused by review), or for disputes (矛盾纠纷 concern named neighbours).

Submissions come from integrating organisations with an API key (``Open311Client``: only the
key's SHA-256 is stored). They are filed under the client's own account with channel
``open311``; the reporter's name, phone and e-mail are accepted as the spec allows but not
stored — the organisation keeps its own contact with its reporter.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import peewee

from app.accounts.models import User
from app.audit.services import record
from app.clock import SHANGHAI, iso, utcnow
from app.content import ContentChecker
from app.crypto import sha256_hex
from app.db import BaseModel, database
from app.errors import Forbidden, InvalidInput, NotFound
from app.policy import Actor, authorize, register
from app.regions.models import Region
from app.regions.rules import LEVEL_NAMES
from app.regions.services import in_subtree
from app.requests import rules
from app.requests.models import HandlingUnit, Request, TimelineEntry
from app.requests.setup import category_names, town_of
from app.requests.timeline import add_entry

MANAGE_CLIENTS = register("request.open311_clients", {"sysadmin"})
KEY_PREFIX = "o311_"
WINDOW = dt.timedelta(days=90)
MAX_RESULTS = 1000
MAX_IDS = 100
SUMMARY_CHARS = 200
MAX_DESCRIPTION = 4000  # the spec's limit for a description
TYPES = tuple(t for t in rules.TYPES if t != "emergency")
CLOSED = frozenset({"resolved", "closed", "merged_duplicate", "cancelled"})
STATUSES = ("open", "closed")
READ_LEVELS = ("district", "town", "village")
_MOBILE = re.compile(r"(?<![0-9])(1[3-9][0-9])[0-9]{4}([0-9]{4})(?![0-9])")
_LONG_NUMBER = re.compile(r"(?<![0-9])[0-9]{7,}[0-9Xx]?(?![0-9])")


class Open311Client(BaseModel):
    """An integrating organisation allowed to submit inside ``region``; its requests are filed
    under ``user``, an account made for it."""

    name = peewee.CharField(max_length=100)
    key_hash = peewee.CharField(max_length=64, unique=True)
    region = peewee.ForeignKeyField(Region, on_delete="RESTRICT")
    user = peewee.ForeignKeyField(User, on_delete="RESTRICT")
    active = peewee.BooleanField(default=True)
    created_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        table_name = "open311_client"


# Pure mapping ---------------------------------------------------------------------------

def public_status(state: str) -> str:
    return "closed" if state in CLOSED else "open"


def service_code(request_type: str, category_code: str) -> str:
    return f"{request_type}.{category_code}"


def parse_service_code(code: str) -> tuple[str, str]:
    """(type, category) of a code; any type parses (emergencies are listed, not offered)."""
    request_type, _, category = (code or "").partition(".")
    if request_type not in rules.TYPES or not category:
        raise NotFound("open311.service_not_found", f"没有这项服务：{code}")
    return request_type, category


def service_name(request_type: str, category_name: str) -> str:
    return f"{category_name}（{rules.TYPE_NAMES[request_type]}）"


def parse_w3(value: str) -> dt.datetime:
    """A W3C date-time (``2010-01-01T00:00:00Z``, with an offset, or a bare date) as naive
    UTC; a time without an offset is read as Asia/Shanghai."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip())
    except (ValueError, AttributeError) as exc:
        raise InvalidInput("open311.bad_date", f"时间格式不正确：{value}") from exc
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=SHANGHAI)
    return parsed.astimezone(dt.UTC).replace(tzinfo=None)


def mask_numbers(text: str) -> str:
    """Mobile numbers become ``138****1234``; other long numbers (ID cards, landlines, bank
    cards) become ``****``."""
    text = _MOBILE.sub(r"\1****\2", text)
    return _LONG_NUMBER.sub("****", text)


def public_summary(request: Request) -> str | None:
    if request.held_for_review or request.status == "cancelled" or request.type == "mediation":
        return None
    text = mask_numbers(" ".join(request.text.split()))
    return text if len(text) <= SUMMARY_CHARS else text[:SUMMARY_CHARS - 1] + "…"


def time_window(start: dt.datetime | None, end: dt.datetime | None,
                now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """The requested span, 90 days at most; the last 90 days when neither end is given."""
    if start is None and end is None:
        return now - WINDOW, now
    if start is None:
        return end - WINDOW, end
    if end is None:
        return start, start + WINDOW
    if end < start:
        raise InvalidInput("open311.bad_date_range", "end_date 不能早于 start_date")
    if end - start > WINDOW:
        raise InvalidInput("open311.window_too_long", "查询时间跨度不能超过 90 天")
    return start, end


# Clients --------------------------------------------------------------------------------

def create_client(actor: Actor, *, name: str, region_id: int) -> tuple[Open311Client, str]:
    """A sysadmin registers an organisation for ``region_id`` (its submissions must lie in
    it). Returns the client and its API key, shown this once. Raises Forbidden,
    region.not_found, open311.name_required. Creates the client, its account, an audit entry."""
    name = (name or "").strip()
    if not name:
        raise InvalidInput("open311.name_required", "请填写对接单位名称")
    region = Region.get_or_none(Region.id == region_id)
    if region is None:
        raise NotFound("region.not_found", "找不到该区域")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    with database.atomic():
        grant = authorize(actor, MANAGE_CLIENTS, region.path)
        account = User.create(display_name=f"Open311·{name}"[:50])
        client = Open311Client.create(name=name[:100], key_hash=sha256_hex(key),
                                      region=region, user=account)
        record(actor=actor, grant=grant, action="request.open311_client_create",
               object_type="open311_client", object_id=client.id, region_path=region.path,
               summary={"region": region.id})
    return client, key


def deactivate_client(actor: Actor, client_id: int) -> Open311Client:
    """A sysadmin whose scope holds the client's region switches its key off. Raises
    open311.client_not_found, Forbidden. Changes the client row; audited."""
    client = Open311Client.get_or_none(Open311Client.id == client_id)
    if client is None:
        raise NotFound("open311.client_not_found", "找不到该对接单位")
    path = Region.get_by_id(client.region_id).path
    with database.atomic():
        grant = authorize(actor, MANAGE_CLIENTS, path)
        Open311Client.update(active=False).where(Open311Client.id == client.id).execute()
        record(actor=actor, grant=grant, action="request.open311_client_deactivate",
               object_type="open311_client", object_id=client.id, region_path=path)
    client.active = False
    return client


def authenticate(api_key: str | None) -> Open311Client:
    """The active client holding ``api_key``. Raises Forbidden open311.bad_api_key."""
    key = (api_key or "").strip()
    client = None
    if key.startswith(KEY_PREFIX) and len(key) < 200:
        client = Open311Client.get_or_none((Open311Client.key_hash == sha256_hex(key))
                                           & Open311Client.active)
    if client is None:
        raise Forbidden("open311.bad_api_key", "API 密钥缺失或无效")
    return client


def jurisdiction(code: str, levels: tuple[str, ...] = READ_LEVELS) -> Region:
    """The region named by a ``jurisdiction_id``. Raises open311.jurisdiction_not_found,
    open311.bad_jurisdiction (a level that may not be named, e.g. a household)."""
    region = Region.get_or_none(Region.code == (code or "").strip())
    if region is None:
        raise NotFound("open311.jurisdiction_not_found", f"找不到辖区：{code}")
    if region.level not in levels:
        names = "、".join(LEVEL_NAMES[level] for level in levels)
        raise InvalidInput("open311.bad_jurisdiction", f"jurisdiction_id 应为{names}的代码")
    return region


def _in_jurisdiction(query, code: str | None):
    if code:
        query = query.where(in_subtree(Request.region_path, jurisdiction(code).path))
    return query


def present(rows: list[Request]) -> list[dict]:
    """GeoReport service request objects for ``rows`` (five queries for the whole list)."""
    ids = [r.id for r in rows] or [0]
    last = TimelineEntry.alias("last_public")
    newest = (last.select(peewee.fn.MAX(last.id))
              .where(last.public & last.request.in_(ids)).group_by(last.request))
    notes = {request_id: (label, at) for request_id, label, at in TimelineEntry.select(
        TimelineEntry.request, TimelineEntry.label, TimelineEntry.at)
        .where(TimelineEntry.id.in_(newest)).tuples()}
    units = dict(HandlingUnit.select(HandlingUnit.id, HandlingUnit.name).where(
        HandlingUnit.id.in_({r.lead_unit_id for r in rows if r.lead_unit_id} or {0})).tuples())
    places = {r.id: (r.village_id, town_of(r.region_path)) for r in rows}
    names = dict(Region.select(Region.id, Region.name).where(
        Region.id.in_({i for pair in places.values() for i in pair if i} or {0})).tuples())
    categories = category_names({(town_of(r.region_path), r.category_code) for r in rows})
    out = []
    for r in rows:
        label, at = notes.get(r.id, (None, None))
        address = [mask_numbers(r.address_text)] + [names.get(i) for i in places[r.id]]
        category = categories[(town_of(r.region_path), r.category_code)]
        out.append({
            "service_request_id": r.tracking_no,
            "status": public_status(r.status),
            "status_notes": label,
            "service_name": service_name(r.type, category),
            "service_code": service_code(r.type, r.category_code),
            "description": public_summary(r),
            "agency_responsible": units.get(r.lead_unit_id),
            "requested_datetime": iso(r.created_at),
            "updated_datetime": iso(max(at, r.created_at) if at else r.created_at),
            "expected_datetime": iso(r.resolve_deadline),
            "address": ", ".join(part for part in address if part),
        })
    return out


# Services of the GeoReport endpoints (anyone may read; submitting needs an API key) -------

def list_services(jurisdiction_id: str | None = None) -> list[dict]:
    """GET services: the categories offered in the jurisdiction's town (the default list
    without one), one service per request type. Raises open311.jurisdiction_not_found."""
    from app.requests.services import list_categories

    region = jurisdiction(jurisdiction_id) if jurisdiction_id else None
    out = []
    for request_type in TYPES:
        type_name = rules.TYPE_NAMES[request_type]
        for category in list_categories(region.id if region else None):
            days = (category.resolve_days if category.resolve_days is not None
                    else rules.resolve_days(request_type))
            limit = f"分办后 {days} 个工作日内办结" if days else "分办当日办结"
            out.append({
                "service_code": service_code(request_type, category.code),
                "service_name": service_name(request_type, category.name),
                "description": f"{category.name}方面的{type_name}，{limit}",
                "metadata": False, "type": "realtime",
                "keywords": ", ".join((category.name, type_name, category.code, request_type)),
                "group": type_name,
            })
    return out


def find_requests(*, jurisdiction_id: str | None = None, service_request_id: str | None = None,
                  service_code: str | None = None, start_date: str | None = None,
                  end_date: str | None = None, status: str | None = None,
                  now: dt.datetime | None = None) -> list[dict]:
    """GET requests: newest first, at most 1000, within a 90-day window of creation (the
    last 90 days by default); ``service_request_id`` (comma-separated tracking numbers)
    overrides the other filters. Raises open311.bad_date, open311.bad_date_range,
    open311.window_too_long, open311.bad_status, open311.too_many_ids,
    open311.service_not_found, open311.jurisdiction_not_found. Reads only."""
    query = _in_jurisdiction(Request.select(), jurisdiction_id)
    if service_request_id:
        wanted = [s.strip() for s in service_request_id.split(",") if s.strip()]
        if len(wanted) > MAX_IDS:
            raise InvalidInput("open311.too_many_ids", f"一次最多查询 {MAX_IDS} 个编号")
        query = query.where(Request.tracking_no.in_(wanted))
    else:
        start, end = time_window(parse_w3(start_date) if start_date else None,
                                 parse_w3(end_date) if end_date else None, now or utcnow())
        query = query.where((Request.created_at >= start) & (Request.created_at <= end))
        if service_code:
            cond = None
            for code in (c.strip() for c in service_code.split(",") if c.strip()):
                request_type, category = parse_service_code(code)
                part = (Request.type == request_type) & (Request.category_code == category)
                cond = part if cond is None else (cond | part)
            query = query.where(cond) if cond is not None else query
        if status:
            wanted_status = {s.strip() for s in status.split(",") if s.strip()}
            if not wanted_status <= set(STATUSES):
                raise InvalidInput("open311.bad_status", "status 只能是 open 或 closed")
            if wanted_status == {"open"}:
                query = query.where(Request.status.not_in(sorted(CLOSED)))
            elif wanted_status == {"closed"}:
                query = query.where(Request.status.in_(sorted(CLOSED)))
    rows = list(query.order_by(Request.created_at.desc(), Request.id.desc()).limit(MAX_RESULTS))
    return present(rows)


def get_request(service_request_id: str, jurisdiction_id: str | None = None) -> dict:
    """GET requests/<id>: one request by tracking number. Raises open311.request_not_found,
    open311.jurisdiction_not_found. Reads only."""
    query = _in_jurisdiction(Request.select(), jurisdiction_id)
    row = query.where(Request.tracking_no == service_request_id).first()
    if row is None:
        raise NotFound("open311.request_not_found", f"找不到诉求：{service_request_id}")
    return present([row])[0]


def submit(api_key: str | None, *, jurisdiction_id: str | None, service_code: str | None,
           description: str | None, address_string: str | None,
           checker: ContentChecker | None = None) -> dict:
    """POST requests: an organisation holding an active API key files a request in a village
    of its region. Raises (in this order) open311.bad_api_key, open311.jurisdiction_required,
    open311.jurisdiction_not_found, open311.bad_jurisdiction, open311.out_of_scope,
    open311.service_code_required, open311.service_not_found, open311.location_required,
    open311.description_too_long, and what ``submit_request`` raises (request.text_too_short,
    content.risky). Creates the request (channel ``open311``), an internal timeline note
    naming the organisation and an audit entry."""
    from app.requests.services import list_categories, submit_request

    client = authenticate(api_key)
    if not (jurisdiction_id or "").strip():
        raise InvalidInput("open311.jurisdiction_required",
                           "请提供 jurisdiction_id（社区(村)代码）")
    village = jurisdiction(jurisdiction_id, ("village",))
    client_path = Region.get_by_id(client.region_id).path
    if not village.path.startswith(client_path):
        raise Forbidden("open311.out_of_scope", "该 API 密钥不能向这个社区(村)提交诉求")
    if not (service_code or "").strip():
        raise InvalidInput("open311.service_code_required", "请提供 service_code")
    request_type, category = parse_service_code(service_code.strip())
    if request_type not in TYPES or category not in {c.code for c in list_categories(village.id)}:
        raise NotFound("open311.service_not_found", f"没有这项服务：{service_code}")
    address = " ".join((address_string or "").split())
    if not address:
        raise InvalidInput("open311.location_required",
                           "请在 address_string 中填写地址（暂不支持经纬度）")
    if len(description or "") > MAX_DESCRIPTION:
        raise InvalidInput("open311.description_too_long", "描述不能超过 4000 字")
    actor = Actor(user_id=client.user_id)
    with database.atomic():
        request = submit_request(actor, type=request_type, category_code=category,
                                 text=description or "", region_id=village.id,
                                 address_text=address[:200], channel="open311", checker=checker)
        add_entry(request, actor=actor, role="open311", action="note", from_status=None,
                  to_status=None, label="经 Open311 接口提交", public=False,
                  details={"client": client.name, "client_id": client.id})
        record(actor=actor, grant=None, action="request.open311_submit", object_type="request",
               object_id=request.id, region_path=request.region_path,
               summary={"client": client.id})
    return {"service_request_id": request.tracking_no,
            "service_notice": f"已收到，编号 {request.tracking_no}，"
                              f"将在 {rules.DEFAULT_ACCEPT_DAYS} 个工作日内受理",
            "account_id": None}
