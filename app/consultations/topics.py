"""Staff intents on topics: draft, edit, publish (open now or on schedule), close, publish the
outcome, withdraw; and the staff list.

Each function checks permission first, then changes the topic in one transaction whose first
write is the optimistic, version-checked status update (``_apply``), and audits the change with
ids and codes only — reasons and outcomes stay on the topic, where residents read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.audit.services import record
from app.clock import utcnow
from app.consultations import links, notify, policies, rules
from app.consultations.models import Consultation, ConsultationOption
from app.db import database
from app.errors import Conflict, InvalidInput
from app.policy import Actor, Grant, authorize, can, require_any_scope
from app.regions import services as regions
from app.supervision.places import narrow_scope, scope_condition

TOPIC_LEVELS = ("village", "town")


@dataclass(frozen=True)
class Draft:
    """What staff write on a topic (create and edit alike)."""

    title: str
    background: str
    closes_at: dt.datetime
    opens_at: dt.datetime | None = None
    # As written: a dict of mode, options, max_choices, results; once checked: a rules.Poll.
    poll: dict | rules.Poll | None = None
    notice_id: int | None = None
    project_id: int | None = None
    photo_ids: tuple[int, ...] = ()


def load_for_staff(actor: Actor | None, consultation_id: int) -> Consultation:
    """The topic if the caller reads topics where it is: Forbidden for roles that read none,
    consultation.not_found outside scope."""
    require_any_scope(actor, policies.READ)
    consultation = Consultation.get_or_none(Consultation.id == consultation_id)
    if consultation is None or not can(actor, policies.READ, consultation.region_path):
        raise policies.not_found()
    return consultation


def _audit(actor: Actor, grant: Grant, action: str, consultation: Consultation,
           **summary) -> None:
    record(actor=actor, grant=grant, action=f"consultation.{action}",
           object_type="consultation", object_id=consultation.id,
           region_path=consultation.region_path, region_id=consultation.region_id,
           summary=summary)


def apply(consultation: Consultation, action: str, changes: dict, now: dt.datetime,
          *, code: str = "consultation.changed") -> Consultation:
    """Move the topic by ``action`` and save ``changes`` unless someone changed it meanwhile
    (raises the state machine's error, or ``code``). Runs inside the caller's transaction."""
    target = rules.next_state(consultation.status, action)
    values = dict(changes, status=target, version=consultation.version + 1, updated_at=now)
    updated = (Consultation.update({getattr(Consultation, k): v for k, v in values.items()})
               .where((Consultation.id == consultation.id)
                      & (Consultation.version == consultation.version)).execute())
    if updated != 1:
        raise Conflict(code, "该议题刚被其他人处理过，请刷新后再试")
    for key, value in values.items():
        setattr(consultation, key, value)
    return consultation


def _write_poll(consultation: Consultation, poll: rules.Poll | None) -> dict:
    """Replace the draft's poll options (a draft has no answers yet)."""
    ConsultationOption.delete().where(ConsultationOption.consultation == consultation.id).execute()
    if poll is None:
        return {"poll_mode": "", "poll_max_choices": 0, "poll_results": "after_close"}
    ConsultationOption.insert_many([
        {"consultation": consultation.id, "position": i, "label": label}
        for i, label in enumerate(poll.options)]).execute()
    return {"poll_mode": poll.mode, "poll_max_choices": poll.max_choices,
            "poll_results": poll.results}


def _checked(actor: Actor, draft: Draft, region_path: str, now: dt.datetime) -> Draft:
    title, background = rules.check_topic(draft.title, draft.background)
    rules.check_times(draft.opens_at, draft.closes_at, now)
    poll = None
    if draft.poll:
        poll = rules.check_poll(draft.poll.get("mode", ""), draft.poll.get("options") or (),
                                draft.poll.get("max_choices"),
                                draft.poll.get("results", "after_close"))
    return Draft(title, background, draft.closes_at, draft.opens_at, poll,
                 links.check_notice(actor, draft.notice_id, region_path),
                 links.check_project(actor, draft.project_id, region_path), draft.photo_ids)


def _fields(draft: Draft) -> dict:
    return {"title": draft.title, "background": draft.background, "opens_at": draft.opens_at,
            "closes_at": draft.closes_at, "notice_id": draft.notice_id,
            "project_id": draft.project_id}


def _attach(actor: Actor, consultation: Consultation, photo_ids) -> None:
    if photo_ids:
        from app.media.services import attach_media

        attach_media(actor, list(photo_ids), f"consultation:{consultation.id}",
                     limit=rules.MAX_PHOTOS)


def create_consultation(actor: Actor | None, *, region_id: int, draft: Draft) -> Consultation:
    """Draft a topic for a village or a town. Cadres and town admins in scope.

    Raises region.not_found, consultation.bad_region, Unauthorized / Forbidden,
    consultation.bad_title / bad_background / closes_in_past / bad_times / bad_notice /
    bad_project, media.* errors. Creates the topic and its poll options, attaches the images
    (``consultation:<id>``), audits consultation.create.
    """
    region = regions.get_region(region_id)
    grant = authorize(actor, policies.MANAGE, region.path)
    if region.level not in TOPIC_LEVELS:
        raise InvalidInput("consultation.bad_region", "议题只能面向一个社区(村)或街道(乡镇)")
    now = utcnow()
    draft = _checked(actor, draft, region.path, now)
    with database.atomic():
        consultation = Consultation.create(region=region.id, region_path=region.path,
                                           author=actor.user_id, created_at=now,
                                           updated_at=now, **_fields(draft))
        poll = _write_poll(consultation, draft.poll)
        Consultation.update(**poll).where(Consultation.id == consultation.id).execute()
        for key, value in poll.items():
            setattr(consultation, key, value)
        _attach(actor, consultation, draft.photo_ids)
        _audit(actor, grant, "create", consultation, poll=bool(draft.poll))
    return consultation


def update_consultation(actor: Actor | None, consultation_id: int, *,
                        draft: Draft) -> Consultation:
    """Replace a draft's text, times, poll and links, and add images. Cadres and town admins in
    scope. Raises consultation.not_found, Forbidden, consultation.illegal_transition (not a
    draft), consultation.changed, and the validation errors of :func:`create_consultation`.
    Audits consultation.update."""
    consultation = load_for_staff(actor, consultation_id)
    grant = authorize(actor, policies.MANAGE, consultation.region_path)
    rules.next_state(consultation.status, "update")
    now = utcnow()
    draft = _checked(actor, draft, consultation.region_path, now)
    with database.atomic():
        apply(consultation, "update", _fields(draft), now)
        poll = _write_poll(consultation, draft.poll)
        Consultation.update(**poll).where(Consultation.id == consultation.id).execute()
        for key, value in poll.items():
            setattr(consultation, key, value)
        _attach(actor, consultation, draft.photo_ids)
        _audit(actor, grant, "update", consultation, poll=bool(draft.poll))
    return consultation


def publish_consultation(actor: Actor | None, consultation_id: int) -> Consultation:
    """Open a draft for discussion now, or schedule it when its ``opens_at`` lies ahead (the
    ``consultations.advance`` job opens it then); publishing a scheduled topic opens it at
    once. Cadres and town admins in scope.

    Raises consultation.not_found, Forbidden, consultation.illegal_transition,
    consultation.closes_in_past, consultation.changed. Audits consultation.open or
    consultation.schedule; opening tells the region's residents through its groups.
    """
    consultation = load_for_staff(actor, consultation_id)
    grant = authorize(actor, policies.MANAGE, consultation.region_path)
    rules.next_state(consultation.status, "open")  # the workflow's error comes first
    now = utcnow()
    rules.check_times(None, consultation.closes_at, now)
    with database.atomic():
        if (consultation.status == "draft" and consultation.opens_at is not None
                and consultation.opens_at > now):
            apply(consultation, "schedule", {}, now)
            _audit(actor, grant, "schedule", consultation)
        else:
            apply(consultation, "open", {"opened_at": now}, now)
            _audit(actor, grant, "open", consultation)
            notify.opened(consultation)
    return consultation


def close_consultation(actor: Actor | None, consultation_id: int) -> Consultation:
    """End the discussion and the poll before the planned time. Cadres and town admins in
    scope. Raises consultation.not_found, Forbidden, consultation.illegal_transition,
    consultation.changed. Audits consultation.close."""
    consultation = load_for_staff(actor, consultation_id)
    grant = authorize(actor, policies.MANAGE, consultation.region_path)
    now = utcnow()
    with database.atomic():
        apply(consultation, "close", {"closed_at": now}, now)
        _audit(actor, grant, "close", consultation)
    return consultation


def publish_outcome(actor: Actor | None, consultation_id: int, *, outcome: str,
                    reason: str) -> Consultation:
    """Publish what was decided and why, beside the poll counts, once the topic is closed.

    Cadres and town admins in scope. Both texts are required. Raises consultation.not_found,
    Forbidden, consultation.outcome_required, consultation.reason_required,
    consultation.illegal_transition, consultation.changed. Audits consultation.decide and
    tells everyone who commented or answered the poll.
    """
    consultation = load_for_staff(actor, consultation_id)
    grant = authorize(actor, policies.MANAGE, consultation.region_path)
    outcome = rules.check_text(outcome, "consultation.outcome_required",
                               "请写明议事的结果", maximum=rules.OUTCOME_MAX)
    reason = rules.check_text(reason, "consultation.reason_required",
                              "请写明作出该决定的理由", maximum=rules.OUTCOME_MAX)
    now = utcnow()
    with database.atomic():
        apply(consultation, "decide", {"outcome": outcome, "outcome_reason": reason,
                                       "decided_by": actor.user_id, "decided_at": now}, now)
        _audit(actor, grant, "decide", consultation)
        notify.decided(consultation)
    return consultation


def withdraw_consultation(actor: Actor | None, consultation_id: int, *,
                          reason: str) -> Consultation:
    """Withdraw a topic before its outcome, with a reason residents are shown. Cadres and town
    admins in scope. Raises consultation.not_found, Forbidden, consultation.reason_required,
    consultation.illegal_transition, consultation.changed. Audits consultation.withdraw."""
    consultation = load_for_staff(actor, consultation_id)
    grant = authorize(actor, policies.MANAGE, consultation.region_path)
    reason = rules.check_text(reason, "consultation.reason_required", "请说明撤回议题的理由",
                              maximum=rules.REASON_MAX)
    now, previous = utcnow(), consultation.status
    with database.atomic():
        apply(consultation, "withdraw", {"withdraw_reason": reason, "withdrawn_at": now}, now)
        _audit(actor, grant, "withdraw", consultation, from_status=previous)
    return consultation


def staff_query(actor: Actor | None, *, status: str | None = None,
                region_id: int | None = None):
    """Topics in the caller's scope, optionally one status or one region's subtree, for keyset
    paging by id. Raises Forbidden, consultation.bad_status, region.not_found. Changes
    nothing."""
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    query = Consultation.select().where(scope_condition(paths, Consultation.region_path))
    if status is not None:
        if status not in rules.STATES:
            raise InvalidInput("consultation.bad_status", "未知的议题状态")
        query = query.where(Consultation.status == status)
    return query
