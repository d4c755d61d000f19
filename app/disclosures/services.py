"""Staff intents on disclosures: draft, edit, submit, review, publish, discard, correct.

Every function checks permission first, then changes the disclosure in one transaction with an
optimistic version check (``_apply``: the conditional update is the transaction's first write)
and audits it with ids and codes only. Publication appends the disclosure to its town's
transparency log and settles the cadence obligations it meets, in the same transaction
(:mod:`app.disclosures.publication`). A published disclosure is never updated: every action on
it raises ``disclosure.published_immutable``; a correction is a new disclosure.
"""

from __future__ import annotations

import datetime as dt
import json

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.disclosures import policies, publication, rules
from app.disclosures.models import Disclosure
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.policy import Actor, Grant, authorize, can, require_any_scope
from app.regions import services as regions
from app.regions.models import Region
from app.supervision.places import narrow_scope, scope_condition, town_id_of, village_id_of


def not_found() -> NotFound:
    return NotFound("disclosure.not_found", "找不到该公开事项")


def load_for_staff(actor: Actor | None, disclosure_id: int) -> Disclosure:
    """The disclosure if the actor reads disclosures where it is. Roles that read none get
    Forbidden; a disclosure outside the caller's scope is not_found (existence not revealed)."""
    require_any_scope(actor, policies.READ)
    disclosure = Disclosure.get_or_none(Disclosure.id == disclosure_id)
    if disclosure is None or not can(actor, policies.READ, disclosure.region_path):
        raise not_found()
    return disclosure


def _audit(actor: Actor, grant: Grant | None, action: str, disclosure: Disclosure,
           **summary) -> None:
    record(actor=actor, grant=grant, action=f"disclosure.{action}", object_type="disclosure",
           object_id=disclosure.id, region_path=disclosure.region_path,
           region_id=disclosure.region_id, summary=summary)


def _apply(disclosure: Disclosure, action: str, changes: dict, now: dt.datetime) -> Disclosure:
    """Move ``disclosure`` by ``action`` and save ``changes`` unless it changed meanwhile."""
    target = rules.next_state(disclosure.status, action)
    values = dict(changes, status=target, version=disclosure.version + 1, updated_at=now)
    updated = (Disclosure.update({getattr(Disclosure, k): v for k, v in values.items()})
               .where((Disclosure.id == disclosure.id)
                      & (Disclosure.version == disclosure.version)
                      & (Disclosure.status == disclosure.status)).execute())
    if updated != 1:
        raise Conflict("disclosure.changed", "该公开事项刚被其他人处理过，请刷新后再试")
    for key, value in values.items():
        setattr(disclosure, key, value)
    return disclosure


def _place(region_id: int, kind: str) -> Region:
    region = regions.get_region(region_id)
    if region.level not in ("village", "town"):
        raise InvalidInput("disclosure.bad_region", "公开事项只能发布到社区(村)或街道(乡镇)")
    if kind == "finance" and region.level != "village":
        raise InvalidInput("disclosure.finance_needs_village",
                           "财务公开是村集体的财务，请选择社区(村)")
    return region


def _corrected(corrects_id: int | None, region: Region, kind: str) -> Disclosure | None:
    if corrects_id is None:
        return None
    original = Disclosure.get_or_none(Disclosure.id == corrects_id)
    if original is None or original.region_id != region.id:
        raise not_found()
    if original.status != "published":
        raise Conflict("disclosure.correct_unpublished", "只能更正已公开的内容，草稿请直接修改")
    if original.kind != kind:
        raise InvalidInput("disclosure.correction_kind", "更正须与原公开事项属于同一类")
    return original


def create_disclosure(actor: Actor | None, *, region_id: int, kind: str, category: str,
                      title: str, body: str, period: str, photo_ids: tuple[int, ...] = (),
                      corrects_id: int | None = None, correction_reason: str = "",
                      matter_key: str | None = None, extra: dict | None = None) -> Disclosure:
    """Write a draft disclosure for a village (or a town: affairs and party only).

    Cadres and town admins in scope. Other features call it inside their own transaction to
    draft the disclosure of their record, with ``matter_key`` (the major matter it discloses)
    and ``extra`` (JSON-native facts published with it; no floats, no personal data).
    ``corrects_id`` makes it a correction of a published disclosure of the same place and kind
    (a reason is then required). Raises Unauthorized/Forbidden, region.not_found,
    disclosure.bad_region / finance_needs_village / bad_kind / bad_category / bad_period /
    bad_title / bad_body / not_found / correct_unpublished / correction_kind /
    reason_required, media.* errors. Creates the draft, attaches the images, audits
    disclosure.create (or disclosure.correct).
    """
    rules.check_kind(kind)
    region = _place(region_id, kind)
    grant = authorize(actor, policies.WRITE, region.path)
    rules.check_category(kind, category)
    period = rules.check_period(period)
    title, body = rules.check_text(title, body)
    rules.check_matter_key(matter_key)
    reason = rules.check_note(correction_reason, required=corrects_id is not None)
    extra_text = json.dumps(extra or {}, ensure_ascii=False, sort_keys=True)
    original = _corrected(corrects_id, region, kind)  # published rows never change
    now = utcnow()
    with database.atomic():
        disclosure = Disclosure.create(
            kind=kind, category=category, title=title, body=body, period=period,
            matter_key=matter_key, extra=extra_text, region=region.id, region_path=region.path,
            village_id=village_id_of(region.path), town_id=town_id_of(region.path),
            author=actor.user_id, corrects=original.id if original else None,
            correction_reason=reason, created_at=now, updated_at=now)
        _attach(actor, disclosure, photo_ids)
        if original is not None:
            _audit(actor, grant, "correct", disclosure, corrects=original.id)
        else:
            _audit(actor, grant, "create", disclosure, kind=kind, category=category)
    return disclosure


def _attach(actor: Actor, disclosure: Disclosure, photo_ids) -> None:
    if photo_ids:
        from app.media.services import attach_media

        attach_media(actor, list(photo_ids), f"disclosure:{disclosure.id}",
                     limit=rules.MAX_PHOTOS)


def correct_disclosure(actor: Actor | None, disclosure_id: int, *, title: str, body: str,
                       reason: str, category: str | None = None, period: str | None = None,
                       photo_ids: tuple[int, ...] = ()) -> Disclosure:
    """Draft a correction of a published disclosure: a new disclosure pointing at it.

    Cadres and town admins in scope. The original stays published and unchanged; the
    correction goes through review like any disclosure, and both stay visible. Raises what
    :func:`create_disclosure` raises. Audits disclosure.correct.
    """
    original = load_for_staff(actor, disclosure_id)
    authorize(actor, policies.WRITE, original.region_path)
    return create_disclosure(
        actor, region_id=original.region_id, kind=original.kind,
        category=category or original.category, title=title, body=body,
        period=period or original.period, photo_ids=photo_ids, corrects_id=original.id,
        correction_reason=reason)


def update_disclosure(actor: Actor | None, disclosure_id: int, *, category: str, title: str,
                      body: str, period: str, photo_ids: tuple[int, ...] = ()) -> Disclosure:
    """Replace a draft's category, period, title and body, and add images.

    Cadres and town admins in scope. Raises disclosure.not_found, Forbidden,
    disclosure.published_immutable (published), disclosure.illegal_transition (not a draft),
    disclosure.changed and the validation errors of :func:`create_disclosure`. Audits
    disclosure.update.
    """
    disclosure = load_for_staff(actor, disclosure_id)
    grant = authorize(actor, policies.WRITE, disclosure.region_path)
    rules.next_state(disclosure.status, "update")
    rules.check_category(disclosure.kind, category)
    period = rules.check_period(period)
    title, body = rules.check_text(title, body)
    now = utcnow()
    with database.atomic():
        _apply(disclosure, "update", {"category": category, "title": title, "body": body,
                                      "period": period}, now)
        _attach(actor, disclosure, photo_ids)
        _audit(actor, grant, "update", disclosure, category=category)
    return disclosure


def submit_disclosure(actor: Actor | None, disclosure_id: int) -> Disclosure:
    """Send a draft for review. Cadres and town admins in scope; the reviewers in scope get a
    staff notice. Raises disclosure.not_found, Forbidden, published_immutable,
    illegal_transition, changed. Audits disclosure.submit."""
    disclosure = load_for_staff(actor, disclosure_id)
    grant = authorize(actor, policies.WRITE, disclosure.region_path)
    now = utcnow()
    with database.atomic():
        _apply(disclosure, "submit", {"submitted_at": now, "review_note": ""}, now)
        publication.notify_reviewers(disclosure)
        _audit(actor, grant, "submit", disclosure)
    return disclosure


def approve_disclosure(actor: Actor | None, disclosure_id: int, *, note: str = "") -> Disclosure:
    """Sign off a submitted disclosure (审核通过).

    Finance: the finance panel or the supervision committee in scope; affairs and party: the
    supervision committee or a town admin in scope. The author never approves their own
    (Forbidden ``disclosure.own_review``), whatever roles they hold. Raises
    disclosure.not_found, Forbidden, published_immutable, illegal_transition, changed.
    Audits disclosure.approve.
    """
    disclosure = load_for_staff(actor, disclosure_id)
    grant = authorize(actor, policies.review_action(disclosure.kind), disclosure.region_path)
    if disclosure.author_id == actor.user_id:
        raise Forbidden("disclosure.own_review", "不能审核自己起草的公开事项")
    note = rules.check_note(note, required=False)
    now = utcnow()
    with database.atomic():
        _apply(disclosure, "approve", {"reviewed_by": actor.user_id, "reviewed_at": now,
                                       "review_note": note}, now)
        _audit(actor, grant, "approve", disclosure, role=grant.role)
    return disclosure


def return_disclosure(actor: Actor | None, disclosure_id: int, *, reason: str) -> Disclosure:
    """Send a submitted or reviewed disclosure back to its author as a draft, with a reason.

    The reviewers of its kind in scope. Raises disclosure.not_found, Forbidden,
    disclosure.reason_required, published_immutable, illegal_transition, changed. The author
    gets a staff notice. Audits disclosure.return.
    """
    disclosure = load_for_staff(actor, disclosure_id)
    grant = authorize(actor, policies.review_action(disclosure.kind), disclosure.region_path)
    reason = rules.check_note(reason, required=True)
    now = utcnow()
    with database.atomic():
        _apply(disclosure, "return", {"review_note": reason, "reviewed_by": None,
                                      "reviewed_at": None}, now)
        publication.notify_author(disclosure, "disclosure.returned", "公开事项被退回修改")
        _audit(actor, grant, "return", disclosure)
    return disclosure


def publish_disclosure(actor: Actor | None, disclosure_id: int) -> Disclosure:
    """Publish a reviewed disclosure: residents see it, its town's transparency log gets it.

    Cadres and town admins in scope. In the same transaction: the log leaf
    (``app.transparency.services.append_record``) and the cadence obligations it meets.
    Raises disclosure.not_found, Forbidden, published_immutable, illegal_transition,
    changed. Audits disclosure.publish.
    """
    disclosure = load_for_staff(actor, disclosure_id)
    grant = authorize(actor, policies.WRITE, disclosure.region_path)
    now = utcnow()
    with database.atomic():
        _apply(disclosure, "publish", {"published_by": actor.user_id, "published_at": now}, now)
        leaf = publication.append_to_log(disclosure)
        publication.settle_obligations(disclosure, now)
        _audit(actor, grant, "publish", disclosure, leaf_index=leaf.leaf_index)
    return disclosure


def discard_disclosure(actor: Actor | None, disclosure_id: int, *, reason: str) -> Disclosure:
    """Discard an unpublished disclosure (it stays on record as discarded).

    Cadres and town admins in scope. Raises disclosure.not_found, Forbidden,
    disclosure.reason_required, published_immutable, changed. Audits disclosure.discard.
    """
    disclosure = load_for_staff(actor, disclosure_id)
    grant = authorize(actor, policies.WRITE, disclosure.region_path)
    reason = rules.check_note(reason, required=True)
    now = utcnow()
    with database.atomic():
        _apply(disclosure, "discard", {"review_note": reason}, now)
        _audit(actor, grant, "discard", disclosure)
    return disclosure


def staff_disclosures_query(actor: Actor | None, *, status: str | None = None,
                            kind: str | None = None, region_id: int | None = None):
    """Disclosures anywhere in the caller's reading scope, for keyset paging by id.

    Supervising staff (see policies.READ). Raises Unauthorized/Forbidden, region.not_found,
    disclosure.bad_kind / bad_status. Changes nothing.
    """
    paths = narrow_scope(require_any_scope(actor, policies.READ), region_id)
    query = (Disclosure.select(Disclosure, Region)
             .join(Region, on=(Disclosure.region == Region.id))
             .where(scope_condition(paths, Disclosure.region_path)))
    if status is not None:
        if status not in rules.STATES:
            raise InvalidInput("disclosure.bad_status", "未知的公开事项状态")
        query = query.where(Disclosure.status == status)
    if kind is not None:
        query = query.where(Disclosure.kind == rules.check_kind(kind))
    return query
