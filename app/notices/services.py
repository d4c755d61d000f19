"""Staff intents on 事前公示 notices: draft, edit, publish (the period starts), discard, and
publish the decision result once the period is over and every objection is answered.

Each function checks permission first, then changes the notice in one transaction with an
optimistic version check, and audits with ids and codes only. Publishing the notice and
publishing its result each append a record to the town's transparency log in the same
transaction; publishing the notice also tells the village's groups (``village:<id>``).
"""

from __future__ import annotations

import datetime as dt

from app.audit.services import record
from app.clock import iso, utcnow
from app.db import database
from app.errors import Conflict, NotFound
from app.notices import policies, rules
from app.notices.models import Notice, NoticeObjection
from app.notifications.services import enqueue
from app.policy import Actor, Grant, authorize, can, require_any_scope
from app.regions.models import Region
from app.supervision.places import get_village, narrow_scope, scope_condition, town_id_of

NOTICE_RECORD, RESULT_RECORD = "notice", "notice_result"


def not_found() -> NotFound:
    return NotFound("notice.not_found", "找不到该事前公示")


def load_for_staff(actor: Actor | None, notice_id: int) -> Notice:
    """The notice if the caller reads notices where it is (Forbidden for roles that read none,
    notice.not_found outside scope)."""
    require_any_scope(actor, policies.READ)
    notice = Notice.get_or_none(Notice.id == notice_id)
    if notice is None or not can(actor, policies.READ, notice.village_path):
        raise not_found()
    return notice


def _audit(actor: Actor, grant: Grant, action: str, notice: Notice, **summary) -> None:
    record(actor=actor, grant=grant, action=f"notice.{action}", object_type="notice",
           object_id=notice.id, region_path=notice.village_path, region_id=notice.village_id,
           summary=summary)


def _apply(notice: Notice, action: str, changes: dict, now: dt.datetime) -> Notice:
    target = rules.next_state(notice.status, action)
    values = dict(changes, status=target, version=notice.version + 1, updated_at=now)
    updated = (Notice.update({getattr(Notice, k): v for k, v in values.items()})
               .where((Notice.id == notice.id) & (Notice.version == notice.version)).execute())
    if updated != 1:
        raise Conflict("notice.changed", "该公示刚被其他人处理过，请刷新后再试")
    for key, value in values.items():
        setattr(notice, key, value)
    return notice


def _attach(actor: Actor, notice: Notice, photo_ids) -> None:
    if photo_ids:
        from app.media.services import attach_media

        attach_media(actor, list(photo_ids), f"notice:{notice.id}", limit=rules.MAX_PHOTOS)


def create_notice(actor: Actor | None, *, village_id: int, matter_type: str, matter: str,
                  proposal: str, objection_days: int = rules.MIN_DAYS,
                  photo_ids: tuple[int, ...] = ()) -> Notice:
    """Draft a 事前公示 for a village. Cadres and town admins in scope.

    Raises region.not_found, notice.bad_village, Forbidden, notice.bad_matter_type /
    bad_matter / bad_proposal / bad_period, media.* errors. Audits notice.create.
    """
    village = get_village(village_id, "notice.bad_village")
    grant = authorize(actor, policies.MANAGE, village.path)
    matter_type, matter, proposal = rules.check_matter(matter_type, matter, proposal)
    rules.check_days(objection_days)
    now = utcnow()
    with database.atomic():
        notice = Notice.create(village=village.id, village_path=village.path,
                               town_id=town_id_of(village.path), matter_type=matter_type,
                               matter=matter, proposal=proposal, objection_days=objection_days,
                               author=actor.user_id, created_at=now, updated_at=now)
        _attach(actor, notice, photo_ids)
        _audit(actor, grant, "create", notice, matter_type=matter_type)
    return notice


def update_notice(actor: Actor | None, notice_id: int, *, matter_type: str, matter: str,
                  proposal: str, objection_days: int,
                  photo_ids: tuple[int, ...] = ()) -> Notice:
    """Replace a draft's matter, proposal and period. Cadres and town admins in scope. Raises
    notice.not_found, Forbidden, notice.illegal_transition (published: a published notice
    never changes), notice.changed and the validation errors of :func:`create_notice`."""
    notice = load_for_staff(actor, notice_id)
    grant = authorize(actor, policies.MANAGE, notice.village_path)
    rules.next_state(notice.status, "update")
    matter_type, matter, proposal = rules.check_matter(matter_type, matter, proposal)
    rules.check_days(objection_days)
    now = utcnow()
    with database.atomic():
        _apply(notice, "update", {"matter_type": matter_type, "matter": matter,
                                  "proposal": proposal, "objection_days": objection_days}, now)
        _attach(actor, notice, photo_ids)
        _audit(actor, grant, "update", notice)
    return notice


def _place(notice: Notice) -> dict:
    region = Region.get_by_id(notice.village_id)
    return {"code": region.code, "name": region.name}


def publish_notice(actor: Actor | None, notice_id: int) -> Notice:
    """Publish a draft: the objection period starts now and ends at 24:00 (Asia/Shanghai) of
    the N-th calendar day after today. Cadres and town admins in scope. Appends the notice to
    the town's transparency log, announces it to the village's groups, audits
    notice.publish. Raises notice.not_found, Forbidden, illegal_transition, changed."""
    notice = load_for_staff(actor, notice_id)
    grant = authorize(actor, policies.MANAGE, notice.village_path)
    now = utcnow()
    ends = rules.period_end(now, notice.objection_days)
    with database.atomic():
        _apply(notice, "publish", {"published_by": actor.user_id, "published_at": now,
                                   "period_ends_at": ends}, now)
        from app.media.services import attached_media
        from app.transparency.services import append_record

        leaf = append_record(notice.town_id, NOTICE_RECORD, notice.id, {
            "place": _place(notice), "matter_type": notice.matter_type, "matter": notice.matter,
            "proposal": notice.proposal, "objection_days": notice.objection_days,
            "published_at": iso(now), "period_ends_at": iso(ends),
            "attachments": [m.sha256 for m in attached_media(f"notice:{notice.id}")]}, now=now)
        enqueue(channel="group", group_key=f"village:{notice.village_id}",
                kind="notice.published", title=f"事前公示：{notice.matter}",
                body=f"{rules.MATTER_TYPES[notice.matter_type]}，异议期至 "
                     f"{iso(ends - dt.timedelta(seconds=1))[:10]} 24:00，"
                     "有意见可在小程序“事前公示”中提出。",
                page=f"pages/notices/detail?id={notice.id}",
                dedupe_key=f"notice:{notice.id}:published", now=now)
        _audit(actor, grant, "publish", notice, leaf_index=leaf.leaf_index)
    return notice


def discard_notice(actor: Actor | None, notice_id: int) -> Notice:
    """Discard a draft. Cadres and town admins in scope. Raises notice.not_found, Forbidden,
    illegal_transition (a published notice cannot be withdrawn: publish its result instead),
    changed. Audits notice.discard."""
    notice = load_for_staff(actor, notice_id)
    grant = authorize(actor, policies.MANAGE, notice.village_path)
    now = utcnow()
    with database.atomic():
        _apply(notice, "discard", {}, now)
        _audit(actor, grant, "discard", notice)
    return notice


def publish_result(actor: Actor | None, notice_id: int, *, result: str,
                   result_text: str) -> Notice:
    """Publish the decision taken after the notice (四议两公开's second 公开).

    Cadres and town admins in scope; only after the objection period has ended (Conflict
    ``notice.period_not_over`` before, with the end time) and every objection has been
    answered (Conflict ``notice.objections_unanswered``). Appends the result — with the
    objections' public wording and answers, never the objectors — to the town's transparency
    log, tells the village's groups, audits notice.decide. Raises also notice.not_found,
    Forbidden, notice.bad_result / bad_result_text, illegal_transition, changed.
    """
    notice = load_for_staff(actor, notice_id)
    grant = authorize(actor, policies.MANAGE, notice.village_path)
    result, result_text = rules.check_result(result, result_text)
    now = utcnow()
    rules.next_state(notice.status, "decide")
    if rules.period_open(notice.period_ends_at, now):
        raise Conflict("notice.period_not_over", "公示期未满，不能公布决策结果",
                       {"period_ends_at": iso(notice.period_ends_at)})
    # Read before the transaction (whose first statement is then the conditional update): no
    # objection can be filed any more, since the period is over.
    objections = list(NoticeObjection.select().where(NoticeObjection.notice == notice.id)
                      .order_by(NoticeObjection.id))
    if any(o.status != "answered" for o in objections):
        raise Conflict("notice.objections_unanswered", "还有异议未答复，请先逐条答复",
                       {"open": sum(o.status != "answered" for o in objections)})
    with database.atomic():
        _apply(notice, "decide", {"result": result, "result_text": result_text,
                                  "decided_by": actor.user_id, "decided_at": now}, now)
        from app.transparency.services import append_record

        leaf = append_record(notice.town_id, RESULT_RECORD, notice.id, {
            "place": _place(notice), "notice": notice.id, "matter": notice.matter,
            "published_at": iso(notice.published_at),
            "period_ends_at": iso(notice.period_ends_at),
            "objections": [{"objection": o.public_text, "answer": o.answer}
                           for o in objections],
            "result": result, "result_text": result_text, "decided_at": iso(now)}, now=now)
        enqueue(channel="group", group_key=f"village:{notice.village_id}",
                kind="notice.decided", title=f"决策结果公开：{notice.matter}",
                body=f"结果：{rules.RESULTS[result]}。详情见小程序“事前公示”。",
                page=f"pages/notices/detail?id={notice.id}",
                dedupe_key=f"notice:{notice.id}:decided", now=now)
        _audit(actor, grant, "decide", notice, result=result, leaf_index=leaf.leaf_index)
    return notice


def staff_notices_query(actor: Actor | None, *, status: str | None = None,
                        region_id: int | None = None):
    """Notices in the caller's reading scope, for keyset paging by id. Raises Forbidden,
    region.not_found. Changes nothing."""
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    query = (Notice.select(Notice, Region).join(Region, on=(Notice.village == Region.id))
             .where(scope_condition(paths, Notice.village_path)))
    if status is not None:
        query = query.where(Notice.status == status)
    return query
