"""Residents' objections to a 事前公示, staff's answers, and what residents read.

An objection may be filed only while the objection period is open, by a resident of the
village. Staff see the objector (to follow up); everybody else sees only the public wording
and the answer, and never a name — not even a count per person.
"""

from __future__ import annotations

from app.accounts.models import User
from app.audit.services import record
from app.clock import utcnow
from app.content import ContentChecker, WordListChecker, screen_text
from app.db import database
from app.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized
from app.notices import policies, rules
from app.notices.models import Notice, NoticeObjection
from app.notifications.services import enqueue
from app.policy import Actor, authorize, can, require_any_scope
from app.regions.models import Region
from app.supervision.places import (
    lives_under,
    resident_places,
    scope_condition,
    staff_with_roles,
)


def _not_found() -> NotFound:
    return NotFound("notice.not_found", "找不到该事前公示")


def file_objection(actor: Actor | None, notice_id: int, *, text: str,
                   checker: ContentChecker | None = None,
                   openid: str | None = None) -> NoticeObjection:
    """A resident of the village objects to a notice during its objection period.

    Raises Unauthorized, notice.not_found (not published, another village), Conflict
    ``notice.period_over`` after the period, notice.bad_objection, content.risky. Creates the
    objection and tells the cadres and town admins in scope.
    """
    if actor is None:
        raise Unauthorized()
    notice = Notice.get_or_none(Notice.id == notice_id)
    if (notice is None or not policies.is_public(notice)
            or not lives_under(actor, notice.village_path)):
        raise _not_found()
    text = rules.check_text(text, "notice.bad_objection", minimum=5)
    now = utcnow()
    if notice.status != "published" or not rules.period_open(notice.period_ends_at, now):
        raise Conflict("notice.period_over", "公示期已结束，不能再提出异议")
    if openid is None:
        openid = User.select(User.openid).where(User.id == actor.user_id).scalar()
    screen_text(checker or WordListChecker(), text, openid=openid)
    with database.atomic():
        objection = NoticeObjection.create(notice=notice.id, village_path=notice.village_path,
                                           objector=actor.user_id, text=text, created_at=now)
        for user_id in staff_with_roles(notice.village_path, {"cadre", "town_admin"}):
            enqueue(channel="staff", recipient_user_id=user_id, kind="notice.objection",
                    title="事前公示收到异议", body=notice.matter,
                    page=f"/console/notices/{notice.id}",
                    dedupe_key=f"notice_objection:{objection.id}:user:{user_id}", now=now)
    return objection


def answer_objection(actor: Actor | None, objection_id: int, *, answer: str,
                     public_text: str | None = None) -> NoticeObjection:
    """Answer an objection. Cadres and town admins in scope. ``public_text`` is the wording
    shown publicly (default: the resident's text). Raises notice.objection_not_found,
    Forbidden, notice.bad_answer, notice.already_answered. Tells the objector in the inbox;
    audits notice.answer."""
    require_any_scope(actor, policies.MANAGE)
    objection = NoticeObjection.get_or_none(NoticeObjection.id == objection_id)
    if objection is None or not can(actor, policies.MANAGE, objection.village_path):
        raise NotFound("notice.objection_not_found", "找不到该异议")
    grant = authorize(actor, policies.MANAGE, objection.village_path)
    answer = rules.check_text(answer, "notice.bad_answer")
    public = rules.check_text(public_text or objection.text, "notice.bad_answer")
    now = utcnow()
    with database.atomic():
        won = (NoticeObjection.update(status="answered", answer=answer, public_text=public,
                                      answered_by=actor.user_id, answered_at=now)
               .where((NoticeObjection.id == objection.id)
                      & (NoticeObjection.status == "open")).execute())
        if won != 1:
            raise Conflict("notice.already_answered", "该异议已经答复")
        enqueue(channel="in_app", recipient_user_id=objection.objector_id,
                kind="notice.answered", title="您提出的异议已答复", body=answer[:100],
                page=f"pages/notices/detail?id={objection.notice_id}",
                dedupe_key=f"notice_objection:{objection.id}:answered", now=now)
        record(actor=actor, grant=grant, action="notice.answer", object_type="notice_objection",
               object_id=objection.id, region_path=objection.village_path,
               summary={"notice": objection.notice_id})
    return NoticeObjection.get_by_id(objection.id)


def resident_notices_query(actor: Actor | None):
    """Published and decided notices of the caller's village, for keyset paging by id.

    Residents bound to a household. Raises Unauthorized, Forbidden notice.residents_only."""
    if actor is None:
        raise Unauthorized()
    places = resident_places(actor)
    if places is None:
        raise Forbidden("notice.residents_only", "事前公示仅向本村(社区)居民开放，请先绑定住户")
    return (Notice.select(Notice, Region).join(Region, on=(Notice.village == Region.id))
            .where((Notice.village == places[0]) & Notice.status.in_(("published", "decided"))))


def read_notice(actor: Actor | None, notice_id: int) -> Notice:
    """A notice the caller may read (residents: published ones of their village; staff in
    scope: any). Raises Unauthorized, notice.not_found. Changes nothing."""
    if actor is None:
        raise Unauthorized()
    notice = (Notice.select(Notice, Region).join(Region, on=(Notice.village == Region.id))
              .where(Notice.id == notice_id).first())
    if notice is None or not policies.can_read(actor, notice):
        raise _not_found()
    return notice


def public_objections(notice: Notice, *, limit: int = 200) -> list[NoticeObjection]:
    """Answered objections as the public sees them (use ``public_text`` and ``answer``)."""
    return list(NoticeObjection.select().where((NoticeObjection.notice == notice.id)
                                               & (NoticeObjection.status == "answered"))
                .order_by(NoticeObjection.id).limit(limit))


def my_objections_query(actor: Actor | None):
    """The caller's own objections, for keyset paging by id. Any logged-in user."""
    if actor is None:
        raise Unauthorized()
    return NoticeObjection.select().where(NoticeObjection.objector == actor.user_id)


def staff_objections_query(actor: Actor | None, *, notice_id: int | None = None,
                           status: str | None = None):
    """Objections in the caller's reading scope (objector ids included), for keyset paging.

    Raises Forbidden, notice.not_found, notice.bad_status. Changes nothing."""
    paths = require_any_scope(actor, policies.READ)
    query = NoticeObjection.select().where(scope_condition(paths, NoticeObjection.village_path))
    if notice_id is not None:
        from app.notices.services import load_for_staff

        query = query.where(NoticeObjection.notice == load_for_staff(actor, notice_id).id)
    if status is not None:
        if status not in ("open", "answered"):
            raise InvalidInput("notice.bad_status", "未知的异议状态")
        query = query.where(NoticeObjection.status == status)
    return query
