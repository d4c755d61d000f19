"""Submitting and reading requests, and what residents do with their own.

Staff transitions are in ``workflow.py``; feedback (rating, reopening) in ``feedback.py``.
"""

from __future__ import annotations

import uuid

import peewee

from app.accounts import phone as phones
from app.accounts.models import User
from app.accounts.services import find_user_by_phone
from app.clock import to_local, utcnow
from app.content import ContentChecker, WordListChecker, screen_text
from app.db import database
from app.errors import Conflict, InvalidInput, NotFound
from app.policy import Actor, authorize
from app.regions import services as regions
from app.regions.models import Region
from app.requests import notify, policies, rules, sla
from app.requests.models import Request, RequestCategory, RequestFollower, TrackingCounter
from app.requests.timeline import add_entry, apply_action

MAX_PHOTOS = 9
STAFF_CHANNELS = ("phone", "walk_in", "staff_entry")


def category_for(region_path: str, code: str) -> RequestCategory:
    """The active category ``code`` for the town of ``region_path``, else the default list."""
    ids = [int(p) for p in region_path.strip("/").split("/") if p]
    rows = list(RequestCategory.select().where(
        (RequestCategory.code == code) & RequestCategory.active
        & (RequestCategory.town.is_null() | RequestCategory.town.in_(ids))))
    if not rows:
        raise InvalidInput("request.bad_category", "请选择有效的诉求类别")
    return sorted(rows, key=lambda c: c.town_id is None)[0]


def list_categories(region_id: int | None) -> list[RequestCategory]:
    """Categories offered at ``region_id`` (town-specific ones replace defaults by code)."""
    path = regions.path_of(region_id) if region_id else "/"
    ids = [int(p) for p in path.strip("/").split("/") if p]
    rows = list(RequestCategory.select().where(
        RequestCategory.active & (RequestCategory.town.is_null()
                                  | RequestCategory.town.in_(ids or [0])))
        .order_by(RequestCategory.id))
    chosen: dict[str, RequestCategory] = {}
    for row in rows:
        if row.code not in chosen or row.town_id is not None:
            chosen[row.code] = row
    return list(chosen.values())


def next_tracking_no(now) -> str:
    """Allocate today's next number inside the caller's transaction (row-locked counter).

    One upsert statement (``INSERT … ON CONFLICT DO UPDATE … RETURNING``, PostgreSQL and
    SQLite ≥ 3.35). The day's row stays locked until the caller commits, and every submission
    in the city waits on it: call this as late in the transaction as possible.
    """
    day = f"{to_local(now):%Y%m%d}"
    seq = (TrackingCounter.insert(day=day, seq=1)
           .on_conflict(conflict_target=[TrackingCounter.day],
                        update={TrackingCounter.seq: TrackingCounter.seq + 1})
           .returning(TrackingCounter.seq).execute())
    return rules.tracking_number(to_local(now).date(), list(seq)[0].seq)


def _provisional_tracking_no() -> str:
    """A unique stand-in until :func:`next_tracking_no` runs at the end of the transaction;
    never committed, so nobody sees it."""
    return "~" + uuid.uuid4().hex[:19]


def _resident_region(actor: Actor, region_id: int | None) -> Region:
    """Where a resident's request is: their household, or a node inside their village."""
    if actor.household_id is None:
        if region_id is None:
            raise InvalidInput("request.location_required", "请选择诉求发生的小区、楼栋或村")
        region = regions.get_region(region_id)
        if region.level in ("district", "town"):
            raise InvalidInput("request.location_too_broad", "请选择到社区(村)或更具体的位置")
        return region
    household = regions.get_region(actor.household_id)
    if region_id is None:
        return household
    region = regions.get_region(region_id)
    village = regions.ancestor_of_level(household, "village")
    if village is None or not region.path.startswith(village.path):
        raise InvalidInput("request.location_outside", "只能反映本社区(村)范围内的问题")
    return region


def _submitter_for_staff_entry(name: str | None, phone: str | None,
                               user_id: int | None) -> User:
    """The resident a staff member enters a request for (the caller checked ENTER); a person
    known only by phone number gets an account without WeChat, found again by that number."""
    if user_id is not None:
        user = User.get_or_none(User.id == user_id)
        if user is None:
            raise NotFound("user.not_found", "找不到该居民")
        return user
    if not phone:
        raise InvalidInput("request.resident_required", "代为登记时请填写居民的手机号")
    user = find_user_by_phone(phone)
    if user is None:
        from app import crypto

        number = phones.normalize(phone)
        user = User.create(display_name=(name or "")[:50],
                           phone_hash=crypto.keyed_hash(phones.LOOKUP_PURPOSE, number),
                           phone_cipher=crypto.encrypt(phones.CIPHER_PURPOSE, number),
                           phone_masked=phones.mask(number))
    return user


def submit_request(actor: Actor, *, type: str, category_code: str, text: str,
                   region_id: int | None = None, address_text: str = "",
                   photo_ids: tuple[int, ...] = (), channel: str = "mini_program",
                   checker: ContentChecker | None = None, on_behalf: dict | None = None,
                   openid: str | None = None) -> Request:
    """Any logged-in user submits a request; staff (grid worker, cadre, town admin) may enter
    one for a resident (channel phone / walk_in / staff_entry, ``on_behalf`` naming them).

    Raises request.bad_type / bad_category / location_*, content.risky, media.* errors.
    Creates the request, its first timeline entry, photo attachments and notices.
    """
    if type not in rules.TYPES:
        raise InvalidInput("request.bad_type", "请选择诉求类型")
    if channel not in rules.CHANNELS:
        raise InvalidInput("request.bad_channel", "未知的诉求来源")
    text = (text or "").strip()
    if len(text) < 5:
        raise InvalidInput("request.text_too_short", "请至少用 5 个字描述您的诉求")
    if len(photo_ids) > MAX_PHOTOS:
        raise InvalidInput("request.too_many_photos", f"最多上传 {MAX_PHOTOS} 张照片")
    now = utcnow()
    # Everything that only reads, and the content check (an HTTP call to WeChat in live mode,
    # which may refresh the access token), happens before the transaction: the write lock is
    # then held only for the inserts.
    if channel in STAFF_CHANNELS:
        if region_id is None:
            raise InvalidInput("request.location_required", "请选择诉求发生的位置")
        region = regions.get_region(region_id)
        authorize(actor, policies.ENTER, region.path)
        category_for(region.path, category_code)
        held = screen_text(checker or WordListChecker(), text, openid=None)
    else:
        region = _resident_region(actor, region_id)
        category_for(region.path, category_code)
        submitter = User.get_by_id(actor.user_id)
        held = screen_text(checker or WordListChecker(), text,
                           openid=openid or submitter.openid)
    with database.atomic():
        if channel in STAFF_CHANNELS:
            on_behalf = on_behalf or {}
            submitter = _submitter_for_staff_entry(on_behalf.get("name"), on_behalf.get("phone"),
                                                   on_behalf.get("user_id"))
        levels = {node.level: node.id for node in regions.ancestors(region)}
        request = Request.create(
            tracking_no=_provisional_tracking_no(), type=type, category_code=category_code,
            text=text, channel=channel, submitter=submitter,
            entered_by=actor.user_id if channel in STAFF_CHANNELS else None,
            region=region, region_path=region.path, village_id=levels.get("village"),
            grid_id=levels.get("grid"), address_text=address_text.strip()[:200],
            held_for_review=held, mediation_code="yellow" if type == "mediation" else None,
            accept_deadline=sla.accept_deadline(now), created_at=now)
        if photo_ids:
            from app.media.services import attach_media

            attach_media(actor, list(photo_ids), f"request:{request.id}", limit=MAX_PHOTOS)
        role = "resident" if channel not in STAFF_CHANNELS else "staff"
        add_entry(request, actor=actor, role=role, action="submit", from_status=None,
                  to_status="submitted", label="诉求已提交，内容待审核" if held else "诉求已提交",
                  details={"channel": channel}, at=now)
        frontline = [] if held else notify.staff_with_roles(
            request, policies.FRONTLINE - {"town_admin"})
        # From here to commit the day's counter row is locked (next_tracking_no): only the
        # writes that carry the number come after it.
        request.tracking_no = next_tracking_no(now)
        request.next_due_at = sla.next_due(request, now)
        request.save(only=[Request.tracking_no, Request.next_due_at])
        notify.to_resident(request, "request.submitted",
                           f"已收到您的诉求，编号 {request.tracking_no}", dedupe="submitted")
        if frontline:
            notify.to_users(request, frontline, "request.to_accept", "有新的诉求待受理",
                            dedupe="to_accept")
    return request


def get_request(actor: Actor | None, request_id: int) -> Request:
    """The request if the caller may read it (owner, follower, staff in scope, handler)."""
    return policies.load_readable(actor, request_id)


def timeline_for(actor: Actor | None, request: Request):
    """Timeline entries: residents see the public ones; staff and handlers see all."""
    from app.requests.models import TimelineEntry

    query = TimelineEntry.select().where(TimelineEntry.request == request.id)
    staff_view = (policies.is_handler(actor, request)
                  or policies.can(actor, policies.READ, request.region_path))
    if not staff_view:
        query = query.where(TimelineEntry.public)
    return list(query.order_by(TimelineEntry.id))


def actions_for(actor: Actor | None, request: Request) -> list[str]:
    """Next actions to offer the caller: the submitter sees only their own moves (cancel,
    rate, reopen, reply); staff in scope and the handling unit see the whole legal set."""
    legal = rules.allowed_actions(request.status)
    if (policies.is_handler(actor, request)
            or policies.can(actor, policies.READ, request.region_path)):
        return legal
    if policies.is_owner(actor, request):
        return [name for name in legal if name in rules.RESIDENT_ACTIONS]
    return []


def my_requests_query(actor: Actor):
    """The caller's own requests and those they follow (for keyset paging).

    One ``id IN (own UNION followed)``: with ``submitter = ? OR id IN (…)`` PostgreSQL walked
    the primary key backwards and filtered the whole table (379 ms at 500,000 requests; 1 ms
    this way, see BENCHMARKS.md "Requests")."""
    own = Request.select(Request.id).where(Request.submitter == actor.user_id)
    followed = RequestFollower.select(RequestFollower.request).where(
        RequestFollower.user == actor.user_id)
    return Request.select().where(Request.id.in_(own | followed))


def cancel_request(actor: Actor, request_id: int, reason: str = "") -> Request:
    """The submitter withdraws a request before it is accepted. Raises illegal_transition."""
    with database.atomic():
        request = policies.load_readable(actor, request_id)
        if not policies.is_owner(actor, request):
            raise NotFound("request.not_found", "找不到该诉求")
        return apply_action(request, "cancel", actor=actor, role="resident", note=reason,
                            changes={"next_due_at": None, "closed_at": utcnow()})


def follow_request(actor: Actor, request_id: int) -> Request:
    """我也遇到: a resident of the same village attaches themselves to an open request.

    Only residents whose household lies in the request's village; followers are notified of
    progress through their inbox. Raises request.not_found when out of reach, and for text
    still held for review (a follower could read it before staff released it).
    """
    with database.atomic():
        request = Request.get_or_none(Request.id == request_id)
        if (request is None or request.status in rules.TERMINAL or request.held_for_review
                or actor.household_path is None):
            raise NotFound("request.not_found", "找不到该诉求")
        village = _village_path(request.region_path)
        if village is None or not actor.household_path.startswith(village):
            raise NotFound("request.not_found", "找不到该诉求")
        if request.submitter_id == actor.user_id:
            raise Conflict("request.own_request", "这是您自己提交的诉求")
        try:
            with database.atomic():
                RequestFollower.create(request=request, user=actor.user_id)
        except peewee.IntegrityError as exc:
            raise Conflict("request.already_following", "您已关注该诉求") from exc
        add_entry(request, actor=actor, role="resident", action="note", from_status=None,
                  to_status=None, label="又有居民反映了相同问题", details={"followers": "+1"})
    return request


def _village_path(region_path: str) -> str | None:
    ids = [int(p) for p in region_path.strip("/").split("/") if p]
    rows = {r.id: r for r in Region.select(Region.id, Region.level, Region.path)
            .where(Region.id.in_(ids))}
    for node_id in ids:
        if node_id in rows and rows[node_id].level == "village":
            return rows[node_id].path
    return None


def reply_to_request(actor: Actor, request_id: int, note: str) -> Request:
    """The submitter supplies what the handler asked for; the paused clock resumes with the
    deadline pushed by the working time spent waiting. Raises illegal_transition."""
    now = utcnow()
    with database.atomic():
        request = policies.load_readable(actor, request_id)
        if not policies.is_owner(actor, request):
            raise NotFound("request.not_found", "找不到该诉求")
        return _resume(request, actor, "resident", note, now)


def _resume(request: Request, actor: Actor, role: str, note: str, now) -> Request:
    deadline = request.resolve_deadline
    if request.paused_at is not None and deadline is not None:
        deadline = sla.paused_shift(deadline, request.paused_at, now)
    request.resolve_deadline = deadline
    changes = {"resolve_deadline": deadline, "paused_at": None,
               "next_due_at": sla.next_due(request, now, status="in_progress")}
    apply_action(request, "resume", actor=actor, role=role, note=note, changes=changes, now=now)
    notify.to_users(request, notify.unit_members(request.lead_unit_id), "request.resumed",
                    "居民已补充情况，请继续办理", dedupe=f"resumed:{request.version}")
    return request
