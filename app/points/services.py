"""The points-event inbox: how other features (and staff awards) turn events into credits.

Other features call :func:`record_points_event` inside their own transaction when something
that earns points happens (a wish confirmed fulfilled, a report confirmed valid, a comment
accepted, attendance confirmed). The event is stored first, then credited at once when a rule
is in force, the village has opened its points pool and the beneficiary is a bound resident;
otherwise it waits (``pending``, with ``waiting_for`` saying why) and the
``points.credit_pending`` job credits it later. Nothing is lost and nothing counts twice: the
event and its transfer are both unique by ``source_ref``.
"""

from __future__ import annotations

import datetime as dt

from app.accounts.models import User
from app.clock import utcnow
from app.errors import InvalidInput
from app.points import ledger, rules, tx
from app.points.models import PointsAccount, PointsEvent, PointsRule
from app.regions.models import Region
from app.regions.services import path_of


def record_points_event(event_type: str, source_ref: str, beneficiary_user_id: int | None = None,
                        region_id: int | None = None, quantity: int = 1, *,
                        beneficiary_household_id: int | None = None, amount: int | None = None,
                        reason: str = "", created_by: int | None = None,
                        occurred_at: dt.datetime | None = None) -> PointsEvent:
    """Record that ``event_type`` happened for a resident (or a household) in ``region_id`` and
    credit it if it can be credited now.

    Called by other features' services inside their transaction (a savepoint then), or on its
    own (its own transaction, retried on lock conflicts). ``quantity`` counts the rule's unit:
    events, or minutes for a per-hour rule. ``amount`` is only for staff awards (the points
    chosen, within the rule's cap). Idempotent on ``source_ref``: a retry or a concurrent
    duplicate returns the event recorded first and changes nothing.
    Raises InvalidInput ``points.bad_event`` (malformed type, reference or quantity),
    ``points.region_too_broad`` (a region above village level), ``region.not_found``.
    Changes: a ``PointsEvent`` row; when credited, transfers, balances and tallies.
    """
    if not rules.valid_event_type(event_type) or not rules.valid_source_ref(source_ref):
        raise InvalidInput("points.bad_event", "积分事件的类型或来源编号无效")
    if quantity < 0 or (beneficiary_user_id is None) == (beneficiary_household_id is None):
        raise InvalidInput("points.bad_event", "积分事件须指明一位居民或一户，数量不能为负")
    if region_id is None:
        raise InvalidInput("points.bad_event", "积分事件须指明所在区域")
    region_path = path_of(region_id)
    place = ledger.place_of(region_path)
    if place.village_id is None:
        raise InvalidInput("points.region_too_broad", "积分事件须发生在社区(村)或更具体的位置")
    occurred_at = occurred_at or utcnow()

    def run() -> PointsEvent:
        now = utcnow()
        (PointsEvent.insert(
            event_type=event_type, source_ref=source_ref,
            beneficiary_user_id=beneficiary_user_id,
            beneficiary_household_id=beneficiary_household_id, region_id=region_id,
            region_path=region_path, quantity=quantity, amount=amount, reason=reason[:200],
            created_by=created_by, status="pending", occurred_at=occurred_at)
         .on_conflict_ignore().execute())
        event = PointsEvent.get(PointsEvent.source_ref == source_ref)
        if event.status == "pending":
            event = _credit(event, now, place.village_id)
        return event

    return tx.write(run)


def credit_points(event_id: int) -> PointsEvent:
    """Try once more to credit a pending event (the job's step). Idempotent: a credited event
    is returned unchanged. Called by jobs and services, never by edges."""

    def run() -> PointsEvent:
        event = PointsEvent.get_by_id(event_id)
        return _credit(event, utcnow()) if event.status == "pending" else event

    return tx.write(run)


def find_rule(event_type: str, region_path: str, at: dt.datetime) -> PointsRule | None:
    """The rule for ``event_type`` in force at ``at`` on the most specific scope above
    ``region_path``."""
    rows = list(PointsRule.select().where(
        (PointsRule.event_type == event_type)
        & PointsRule.scope_path.in_(rules.scope_paths(region_path))
        & (PointsRule.effective_from <= at)))
    chosen = rules.choose_rule([rules.RuleVersion(r.id, r.scope_path, r.version,
                                                  r.effective_from, r.effective_to)
                                for r in rows], at)
    return next((r for r in rows if chosen and r.id == chosen.id), None)


def pool_of(region_path: str) -> PointsAccount | None:
    """The points pool of the village ``region_path`` lies in, if it has been opened."""
    village_id = ledger.place_of(region_path).village_id
    return ledger.find_account("pool", village_id) if village_id else None


def _wait(event: PointsEvent, reason: str) -> PointsEvent:
    (PointsEvent.update(waiting_for=reason, attempts=PointsEvent.attempts + 1)
     .where((PointsEvent.id == event.id) & (PointsEvent.status == "pending")).execute())
    return PointsEvent.get_by_id(event.id)


def _household_of(event: PointsEvent) -> tuple[Region | None, str | None]:
    """The household the beneficiary belongs to, or why the event must wait."""
    if event.beneficiary_user_id is not None:
        user = User.get_or_none(User.id == event.beneficiary_user_id)
        if user is None or user.status != "active":
            return None, "beneficiary"
        if user.household_id is None:
            return None, "beneficiary_unbound"
        return Region.get_or_none(Region.id == user.household_id), None
    household = Region.get_or_none(Region.id == event.beneficiary_household_id)
    if household is None or household.level != "household":
        return None, "beneficiary"
    return household, None


def _credit(event: PointsEvent, now: dt.datetime,
            village_id: int | None = None) -> PointsEvent:
    household, waiting = _household_of(event)
    if household is None:
        return _wait(event, waiting or "beneficiary")
    pool = (ledger.find_account("pool", village_id) if village_id
            else pool_of(event.region_path))
    if pool is None:
        return _wait(event, "pool")
    rule = (find_rule(event.event_type, event.region_path, event.occurred_at)
            or find_rule(event.event_type, event.region_path, now))
    if rule is None:
        return _wait(event, "rule")
    if event.event_type == rules.STAFF_AWARD:
        amount = min(event.amount or 0, rule.points)
    else:
        amount = rules.points_for(rule.points, rule.unit, event.quantity)
    if amount <= 0:
        (PointsEvent.update(status="no_points", waiting_for=None, credited_at=now)
         .where((PointsEvent.id == event.id) & (PointsEvent.status == "pending")).execute())
        return PointsEvent.get_by_id(event.id)
    place = ledger.place_of(household.path)
    home = ledger.ensure_account("household", household.id, place, now)
    common = {"event_type": event.event_type, "rule": rule, "quantity": event.quantity,
              "reason": event.reason, "created_by": event.created_by, "place": place}
    legs = []
    if event.beneficiary_user_id is not None:
        person = ledger.ensure_account("person", event.beneficiary_user_id, place, now)
        legs.append(ledger.Leg(pool, person, amount, event.source_ref, **common))
        ref = event.source_ref + rules.HOUSEHOLD_SUFFIX
    else:
        ref = event.source_ref
    legs.append(ledger.Leg(pool, home, amount, ref, **common))
    posted = ledger.post(legs, region_path=pool.region_path, now=now)
    done = (PointsEvent.update(status="credited", waiting_for=None,
                               transfer_id=posted.transfers[0].id, credited_at=now,
                               attempts=PointsEvent.attempts + 1)
            .where((PointsEvent.id == event.id) & (PointsEvent.status == "pending")).execute())
    if not done:
        return PointsEvent.get_by_id(event.id)
    event.status, event.waiting_for, event.transfer_id = "credited", None, posted.transfers[0].id
    event.credited_at, event.attempts = now, event.attempts + 1
    return event
