"""Registering seals and recording their uses.

:func:`record_seal_use` is the heart of 公章监管: it checks the facts cited (the seal, the
power-list item and the notice must be the village's own), runs the pure anomaly rules against
the working-day calendar, stores the entry, appends it to the town's transparency log and tells
the discipline officers above the village about any anomaly — all in one transaction. The log
leaf carries what is public about the use (document, purpose, power item, notice, time, whether
it was approved, the anomalies), never the applicant's or approver's identity.
"""

from __future__ import annotations

import datetime as dt
import json

from app.accounts.models import User
from app.audit.services import record
from app.calendar.services import load_calendar
from app.clock import iso, utcnow
from app.db import database
from app.errors import InvalidInput, NotFound
from app.notices.models import Notice
from app.notifications.services import enqueue
from app.policy import Actor, authorize, can, require_any_scope
from app.powers.models import PowerItem
from app.regions.models import Region
from app.seals import policies, rules
from app.seals.models import Seal, SealUse
from app.supervision.places import (
    get_village,
    narrow_scope,
    scope_condition,
    staff_with_roles,
    town_id_of,
)

RECORD_TYPE = "seal_use"
BACKDATE_LIMIT = dt.timedelta(days=30)
KINDS = {"official": "公章", "party": "党组织印章", "finance": "财务专用章",
         "contract": "合同专用章"}


def register_seal(actor: Actor | None, *, village_id: int, name: str, kind: str,
                  keeper_user_id: int | None = None) -> Seal:
    """Register a seal of a village. Town admins in scope. Raises region.not_found,
    seal.bad_village, Forbidden, seal.bad_seal, user.not_found. Audits seal.register."""
    village = get_village(village_id, "seal.bad_village")
    grant = authorize(actor, policies.MANAGE, village.path)
    name = (name or "").strip()
    if not name or len(name) > 50 or kind not in KINDS:
        raise InvalidInput("seal.bad_seal", "请填写印章名称并选择印章类型")
    if keeper_user_id is not None and User.get_or_none(User.id == keeper_user_id) is None:
        raise NotFound("user.not_found", "找不到该用户")
    with database.atomic():
        seal = Seal.create(village=village.id, village_path=village.path, name=name, kind=kind,
                           keeper=keeper_user_id)
        record(actor=actor, grant=grant, action="seal.register", object_type="seal",
               object_id=seal.id, region_path=village.path, region_id=village.id,
               summary={"kind": kind})
    return seal


def _text(value: str, limit: int, code: str, message: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if (required and not value) or len(value) > limit:
        raise InvalidInput(code, message)
    return value


def _cited(seal: Seal, power_item_id, notice_id) -> tuple[PowerItem | None, Notice | None]:
    item = notice = None
    if power_item_id is not None:
        item = PowerItem.get_or_none(PowerItem.id == power_item_id)
        if item is None or item.region_id != seal.village_id or not item.active:
            raise InvalidInput("seal.bad_power_item", "请选择本村(社区)权力清单中的事项")
    if notice_id is not None:
        notice = Notice.get_or_none(Notice.id == notice_id)
        if notice is None or notice.village_id != seal.village_id:
            raise InvalidInput("seal.bad_notice", "请选择本村(社区)的事前公示")
    return item, notice


def _user(user_id: int | None) -> int | None:
    if user_id is not None and User.get_or_none(User.id == user_id) is None:
        raise NotFound("user.not_found", "找不到该用户")
    return user_id


def record_seal_use(actor: Actor | None, seal_id: int, *, document: str, purpose: str,
                    applicant_name: str, used_at: dt.datetime, copies: int = 1,
                    applicant_user_id: int | None = None, approver_user_id: int | None = None,
                    power_item_id: int | None = None, notice_id: int | None = None,
                    decision_ref: str = "") -> SealUse:
    """Log one use of a seal, check it against the rules, publish it, flag anomalies.

    Cadres and town admins in scope. ``document`` and ``purpose`` are published and must not
    name people (phone or ID-card numbers are refused); ``applicant_name`` stays with staff.
    ``used_at`` (naive UTC) may not lie in the future nor more than 30 days back. Raises
    seal.not_found, Forbidden, seal.bad_document / bad_purpose / bad_applicant / bad_copies /
    bad_time / personal_data / bad_power_item / bad_notice, user.not_found. Creates the entry,
    its transparency-log leaf, staff notices to the discipline officers when anomalous, and
    audits seal.record_use.
    """
    require_any_scope(actor, policies.RECORD)
    seal = Seal.get_or_none(Seal.id == seal_id)
    if seal is None or not seal.active or not can(actor, policies.RECORD, seal.village_path):
        raise NotFound("seal.not_found", "找不到该印章")
    grant = authorize(actor, policies.RECORD, seal.village_path)
    document = _text(document, rules.DOCUMENT_MAX, "seal.bad_document", "请填写用印文件名称")
    purpose = _text(purpose, rules.PURPOSE_MAX, "seal.bad_purpose", "请填写用印事由")
    applicant_name = _text(applicant_name, rules.NAME_MAX, "seal.bad_applicant", "请填写申请人")
    decision_ref = _text(decision_ref, rules.REF_MAX, "seal.bad_reference", "决策依据过长",
                         required=False)
    if rules.has_personal_number(document) or rules.has_personal_number(purpose):
        raise InvalidInput("seal.personal_data", "用印文件和事由会公开，请勿填写手机号、身份证号")
    if not isinstance(copies, int) or not 1 <= copies <= rules.MAX_COPIES:
        raise InvalidInput("seal.bad_copies", f"份数应为 1 到 {rules.MAX_COPIES}")
    now = utcnow()
    if used_at > now + dt.timedelta(minutes=5) or used_at < now - BACKDATE_LIMIT:
        raise InvalidInput("seal.bad_time", "用印时间不能晚于现在，也不能早于 30 天前")
    item, notice = _cited(seal, power_item_id, notice_id)
    public_notice = notice if notice is not None and notice.status in (
        "published", "decided") else None
    facts = rules.UseFacts(
        used_at=used_at, applicant_user_id=_user(applicant_user_id),
        approver_user_id=_user(approver_user_id), has_power_item=item is not None,
        requires_notice=bool(item and item.requires_notice),
        notice_published_at=public_notice.published_at if public_notice else None,
        notice_period_ends_at=public_notice.period_ends_at if public_notice else None)
    calendar = load_calendar()
    found = rules.anomalies(facts, calendar.is_working_day)
    with database.atomic():
        use = SealUse.create(
            seal=seal.id, village=seal.village_id, village_path=seal.village_path,
            town_id=town_id_of(seal.village_path), document=document, copies=copies,
            purpose=purpose, applicant_name=applicant_name, applicant_user=applicant_user_id,
            approver_user=approver_user_id, power_item=item.id if item else None,
            notice=notice.id if notice else None, decision_ref=decision_ref, used_at=used_at,
            recorded_by=actor.user_id, recorded_at=now, anomalies=json.dumps(found),
            flagged=bool(found))
        _publish(use, seal, item, now)
        if found:
            _flag(use, seal, found, now)
        record(actor=actor, grant=grant, action="seal.record_use", object_type="seal_use",
               object_id=use.id, region_path=seal.village_path, region_id=seal.village_id,
               summary={"seal": seal.id, "anomalies": found})
    return use


def _publish(use: SealUse, seal: Seal, item: PowerItem | None, now: dt.datetime) -> None:
    from app.transparency.services import append_record

    village = Region.get_by_id(seal.village_id)
    append_record(use.town_id, RECORD_TYPE, use.id, {
        "place": {"code": village.code, "name": village.name}, "seal": seal.name,
        "document": use.document, "copies": use.copies, "purpose": use.purpose,
        "power_item": {"code": item.code, "name": item.name} if item else None,
        "notice": use.notice_id, "decision_ref": use.decision_ref or None,
        "used_at": iso(use.used_at), "approved": use.approver_user_id is not None,
        "anomalies": json.loads(use.anomalies)}, now=now)


def _flag(use: SealUse, seal: Seal, found: list[str], now: dt.datetime) -> None:
    names = "、".join(rules.ANOMALIES[code] for code in found)
    for user_id in staff_with_roles(seal.village_path, {"discipline_officer"}):
        enqueue(channel="staff", recipient_user_id=user_id, kind="seal.anomaly",
                title="用印异常提醒", body=f"{seal.name}用印（{use.document}）：{names}",
                page=f"/console/seal-uses/{use.id}",
                dedupe_key=f"seal_use:{use.id}:flagged:user:{user_id}", now=now)


def load_use(actor: Actor | None, use_id: int) -> SealUse:
    """A logged use in the caller's reading scope. Raises Forbidden, seal.use_not_found."""
    require_any_scope(actor, policies.READ)
    use = SealUse.get_or_none(SealUse.id == use_id)
    if use is None or not can(actor, policies.READ, use.village_path):
        raise NotFound("seal.use_not_found", "找不到该用印记录")
    return use


def uses_query(actor: Actor | None, *, flagged: bool | None = None,
               region_id: int | None = None):
    """Seal uses in the caller's reading scope (only anomalous ones with ``flagged=True``),
    for keyset paging by id. Raises Forbidden, region.not_found. Reads only."""
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    query = SealUse.select().where(scope_condition(paths, SealUse.village_path))
    if flagged is not None:
        query = query.where(SealUse.flagged == flagged)
    return query


def seals_query(actor: Actor | None, *, region_id: int | None = None):
    """Seals in the caller's reading scope, for keyset paging. Raises Forbidden."""
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    return Seal.select().where(scope_condition(paths, Seal.village_path))
