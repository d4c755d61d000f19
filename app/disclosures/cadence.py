"""The disclosure cadence: each village's rhythm per kind, and the obligations it creates.

Town admins set a village's rhythm (monthly finance where transactions are frequent; quarterly
otherwise) and grace days. The ``disclosures.cadence`` job (:mod:`app.disclosures.jobs`)
creates the obligation of each completed period and marks the unmet ones overdue. Features
whose records are major matters (a livestreamed decision) register an obligation due
"immediately" (``major_days``) with :func:`require_matter_disclosure`, inside their own
transaction; :func:`waive_matter_disclosure` withdraws it when the matter is cancelled.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.disclosures import cadence_rules, policies, rules
from app.disclosures.models import CadenceRule, Disclosure, DisclosureDue
from app.errors import InvalidInput
from app.policy import Actor, authorize, require_any_scope
from app.regions import services as regions
from app.regions.models import Region
from app.supervision.places import get_village, narrow_scope, scope_condition


@dataclass(frozen=True)
class Rhythm:
    """The effective cadence of one village and kind."""

    village_id: int
    kind: str
    rhythm: str
    grace_days: int
    major_days: int
    configured: bool


def default_rhythm(village_id: int, kind: str) -> Rhythm:
    return Rhythm(village_id, kind, cadence_rules.DEFAULT_RHYTHM,
                  cadence_rules.DEFAULT_GRACE_DAYS, cadence_rules.DEFAULT_MAJOR_DAYS, False)


def rhythms_for(village_ids: list[int]) -> dict[tuple[int, str], Rhythm]:
    """The effective rhythms of ``village_ids`` for every kind (configured or default)."""
    found = {(r.village_id, r.kind): Rhythm(r.village_id, r.kind, r.rhythm, r.grace_days,
                                            r.major_days, True)
             for r in CadenceRule.select().where(CadenceRule.village.in_(village_ids or [0]))}
    return {(v, k): found.get((v, k)) or default_rhythm(v, k)
            for v in village_ids for k in rules.KINDS}


def set_cadence(actor: Actor | None, *, village_id: int, kind: str, rhythm: str,
                grace_days: int = cadence_rules.DEFAULT_GRACE_DAYS,
                major_days: int = cadence_rules.DEFAULT_MAJOR_DAYS) -> Rhythm:
    """Configure a village's rhythm for one kind. Town admins in scope.

    Applies to periods ending from now on (obligations already created keep their due time).
    Raises region.not_found, disclosure.bad_village, Forbidden, disclosure.bad_kind /
    bad_rhythm / bad_days. Audits disclosure.set_cadence.
    """
    village = get_village(village_id, "disclosure.bad_village")
    grant = authorize(actor, policies.CADENCE_CONFIGURE, village.path)
    rules.check_kind(kind)
    if rhythm not in cadence_rules.RHYTHMS:
        raise InvalidInput("disclosure.bad_rhythm", "公开频次应为每月或每季度")
    cadence_rules.check_days(grace_days, "disclosure.bad_days")
    cadence_rules.check_days(major_days, "disclosure.bad_days")
    now = utcnow()
    with database.atomic():
        (CadenceRule.insert(village=village.id, kind=kind, rhythm=rhythm, grace_days=grace_days,
                            major_days=major_days, updated_by=actor.user_id, updated_at=now)
         .on_conflict(conflict_target=[CadenceRule.village, CadenceRule.kind],
                      update={CadenceRule.rhythm: rhythm, CadenceRule.grace_days: grace_days,
                              CadenceRule.major_days: major_days,
                              CadenceRule.updated_by: actor.user_id,
                              CadenceRule.updated_at: now})
         .execute())
        record(actor=actor, grant=grant, action="disclosure.set_cadence",
               object_type="village", object_id=village.id, region_path=village.path,
               region_id=village.id, summary={"kind": kind, "rhythm": rhythm,
                                              "grace_days": grace_days,
                                              "major_days": major_days})
    return Rhythm(village.id, kind, rhythm, grace_days, major_days, True)


def village_cadence(actor: Actor | None, village_id: int) -> list[Rhythm]:
    """A village's effective rhythm for each kind. Staff who read the cadence in scope.
    Raises region.not_found, disclosure.bad_village, Forbidden. Changes nothing."""
    village = get_village(village_id, "disclosure.bad_village")
    authorize(actor, policies.CADENCE_READ, village.path)
    table = rhythms_for([village.id])
    return [table[(village.id, kind)] for kind in rules.KINDS]


def dues_query(actor: Actor | None, *, status: str | None = None,
               region_id: int | None = None):
    """Obligations in the caller's scope (the overdue list with ``status="overdue"``), with
    their village joined, for keyset paging by id. Town admins, discipline officers, the
    supervision committee and cadres. Raises Forbidden, region.not_found,
    disclosure.bad_status. Changes nothing."""
    paths = narrow_scope(require_any_scope(actor, policies.CADENCE_READ), region_id)
    query = (DisclosureDue.select(DisclosureDue, Region)
             .join(Region, on=(DisclosureDue.village == Region.id))
             .where(scope_condition(paths, DisclosureDue.village_path)))
    if status is not None:
        if status not in cadence_rules.DUE_STATES:
            raise InvalidInput("disclosure.bad_status", "未知的公开义务状态")
        query = query.where(DisclosureDue.status == status)
    return query


def _published_match(village_id: int, kind: str, period: str) -> int | None:
    if period.startswith("matter:"):
        cond = Disclosure.matter_key == period[len("matter:"):]
    else:
        cond = Disclosure.period == period
    row = (Disclosure.select(Disclosure.id)
           .where((Disclosure.region == village_id) & (Disclosure.kind == kind) & cond
                  & (Disclosure.status == "published"))
           .order_by(Disclosure.id).limit(1).tuples().first())
    return row[0] if row else None


def ensure_due(village: Region, kind: str, period: str, due_at: dt.datetime,
               now: dt.datetime) -> None:
    """Create the obligation unless it exists; already met when a matching disclosure was
    published before it was created. Runs inside the caller's transaction."""
    met_by = _published_match(village.id, kind, period)
    (DisclosureDue.insert(village=village.id, village_path=village.path, kind=kind,
                          period=period, due_at=due_at,
                          status="met" if met_by else "open", disclosure_id=met_by,
                          met_at=now if met_by else None, created_at=now)
     .on_conflict_ignore().execute())


def require_matter_disclosure(village_id: int, matter_key: str, *, kind: str = "affairs",
                              happened_at: dt.datetime) -> None:
    """A major matter of the village took place: its disclosure is due "immediately" — by the
    end of the village's ``major_days``-th day after ``happened_at``. Called by features'
    services inside their transaction; changes DisclosureDue (idempotent)."""
    rules.check_matter_key(matter_key)
    village = regions.get_region(village_id)
    rhythm = rhythms_for([village.id])[(village.id, kind)]
    ensure_due(village, kind, cadence_rules.matter_key(matter_key),
               cadence_rules.matter_due_at(happened_at, rhythm.major_days), utcnow())


def waive_matter_disclosure(village_id: int, matter_key: str, *, kind: str = "affairs") -> None:
    """The major matter was cancelled: its pending obligation no longer applies. Inside the
    caller's transaction."""
    (DisclosureDue.update(status="waived")
     .where((DisclosureDue.village == village_id) & (DisclosureDue.kind == kind)
            & (DisclosureDue.period == cadence_rules.matter_key(matter_key))
            & (DisclosureDue.status == "open")).execute())
