"""Reading points: a resident's own standing, statement and rankings; staff views of accounts,
statements, events and rankings in their scope. Nothing here writes."""

from __future__ import annotations

from dataclasses import dataclass

from app.clock import utcnow
from app.errors import InvalidInput, NotFound
from app.points import ledger, policies, rankings, rules
from app.points.models import PointsAccount, PointsEvent, PointsTransfer
from app.policy import Actor, authorize, can, require_any_scope
from app.regions.services import get_region, in_subtree


@dataclass(frozen=True)
class MyPoints:
    person: rankings.Standing
    household: rankings.Standing


def my_points(actor: Actor) -> MyPoints:
    """The caller's balance, earned points and stars, and their household's (星级文明户).
    Bound residents. Raises NotFound ``points.not_resident``."""
    policies.require_resident(actor)
    now = utcnow()
    person = ledger.find_account("person", actor.user_id)
    home = ledger.find_account("household", actor.household_id)
    return MyPoints(rankings.standing(person, "person", actor.household_path, now),
                    rankings.standing(home, "household", actor.household_path, now))


def my_statement(actor: Actor, *, kind: str = "person", before_id: int | None = None,
                 limit: int = 20) -> ledger.Statement:
    """Every line of the caller's own (or household's) account with its rule, newest first.
    Bound residents. Raises NotFound ``points.not_resident``."""
    policies.require_resident(actor)
    owner = actor.user_id if kind == "person" else actor.household_id
    account = ledger.find_account(kind, owner)
    if account is None:
        return ledger.Statement(PointsAccount(kind=kind, owner_id=owner, balance=0), [], None)
    return ledger.explain_balance(account, before_id=before_id, limit=limit)


def my_ranking(actor: Actor, *, scope_level: str, period_kind: str,
               account_kind: str = "person") -> rankings.Ranking:
    """A ranking of the caller's own grid, village or town, names masked, with their rank.
    Bound residents. Raises NotFound ``points.not_resident``, InvalidInput
    ``points.bad_ranking``."""
    policies.require_resident(actor)
    _check_ranking(scope_level, period_kind, account_kind)
    place = ledger.place_of(actor.household_path)
    region_id = getattr(place, f"{scope_level}_id")
    if region_id is None:
        raise InvalidInput("points.bad_ranking", "您的住址不在该范围的排行中")
    owner = actor.user_id if account_kind == "person" else actor.household_id
    mine = ledger.find_account(account_kind, owner)
    return rankings.ranking(scope_level, region_id, period_kind, account_kind, utcnow(),
                            mine=mine, mask=True)


def staff_ranking(actor: Actor, *, region_id: int, period_kind: str,
                  account_kind: str = "person") -> rankings.Ranking:
    """The ranking of a grid, village or town in the caller's scope, names unmasked.
    Staff who may read points there. Raises Forbidden, InvalidInput ``points.bad_ranking``."""
    region = get_region(region_id)
    authorize(actor, policies.READ, region.path)
    if region.level not in rules.SCOPE_LEVELS:
        raise InvalidInput("points.bad_ranking", "排行按网格、社区(村)或街道统计")
    _check_ranking(region.level, period_kind, account_kind)
    return rankings.ranking(region.level, region.id, period_kind, account_kind, utcnow(),
                            mask=False)


def _check_ranking(scope_level: str, period_kind: str, account_kind: str) -> None:
    if (scope_level not in rules.SCOPE_LEVELS or period_kind not in rules.PERIOD_KINDS
            or account_kind not in rules.RANKED_KINDS):
        raise InvalidInput("points.bad_ranking", "排行的范围、周期或对象无效")


def _in_scope(actor: Actor, field) -> object:
    cond = None
    for path in require_any_scope(actor, policies.READ):
        part = in_subtree(field, path)
        cond = part if cond is None else (cond | part)
    return cond


def staff_accounts(actor: Actor, *, region_id: int | None = None, kind: str | None = None):
    """Accounts placed in the caller's scope (optionally one region, one kind); a query."""
    query = PointsAccount.select().where(_in_scope(actor, PointsAccount.region_path))
    if region_id is not None:
        region = get_region(region_id)
        authorize(actor, policies.READ, region.path)
        query = query.where(in_subtree(PointsAccount.region_path, region.path))
    if kind is not None:
        query = query.where(PointsAccount.kind == kind)
    return query


def staff_account(actor: Actor, account_id: int) -> PointsAccount:
    """One account in the caller's scope; any other is ``points.account_not_found``."""
    account = PointsAccount.get_or_none(PointsAccount.id == account_id)
    if account is None or not can(actor, policies.READ, account.region_path):
        raise NotFound("points.account_not_found", "找不到该积分账户")
    return account


def staff_standing(actor: Actor, account_id: int) -> rankings.Standing:
    account = staff_account(actor, account_id)
    kind = account.kind if account.kind in rules.RANKED_KINDS else "person"
    return rankings.standing(account, kind, account.region_path, utcnow())


def staff_statement(actor: Actor, account_id: int, *, before_id: int | None = None,
                    limit: int = 20) -> ledger.Statement:
    """Every line of an account in scope, with its rule (the basis of 评先评优 reviews)."""
    return ledger.explain_balance(staff_account(actor, account_id), before_id=before_id,
                                  limit=limit)


def staff_transfer(actor: Actor, transfer_id: int) -> PointsTransfer:
    transfer = PointsTransfer.get_or_none(PointsTransfer.id == transfer_id)
    if transfer is None or not can(actor, policies.READ, transfer.region_path):
        raise NotFound("points.transfer_not_found", "找不到该积分记录")
    return transfer


def staff_events(actor: Actor, *, status: str | None = None):
    """Reported events in scope (``pending`` ones say what they wait for); a query."""
    query = PointsEvent.select().where(_in_scope(actor, PointsEvent.region_path))
    return query.where(PointsEvent.status == status) if status else query
