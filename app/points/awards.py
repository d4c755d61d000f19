"""Staff acts on the ledger: awarding points with a reason, and reversing a credit.

A reversal is a new transfer the other way that names the credit it reverses; the credit itself
never changes. Reversals can be partial, never add up to more than the credit, and are never
themselves reversed (a mistaken reversal is put right by a new award).
"""

from __future__ import annotations

from app.accounts.models import User
from app.audit.services import record
from app.clock import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.points import ledger, policies, rules, tx
from app.points.models import PointsAccount, PointsEvent, PointsTransfer
from app.points.services import find_rule, pool_of, record_points_event
from app.policy import Actor, authorize
from app.regions.models import Region

REQUEST_KEY_MAX = 64


def checked_request_key(request_key: str) -> str:
    key = (request_key or "").strip()
    if not key or len(key) > REQUEST_KEY_MAX or not key.replace("-", "").replace("_", "").isalnum():
        raise InvalidInput("points.bad_request_key", "请求编号无效")
    return key


def award_points(actor: Actor, *, points: int, reason: str, request_key: str,
                 user_id: int | None = None, household_id: int | None = None) -> PointsEvent:
    """Award ``points`` to a resident or a household with a reason (工作人员奖励).

    Grid workers, cadres and town admins whose grant covers the beneficiary's household. At
    most the ``staff.award`` rule's cap per award. ``request_key`` (chosen by the client) makes
    a retried submission return the first award. Raises Forbidden, NotFound
    ``points.beneficiary_not_found``, InvalidInput ``points.bad_award`` /
    ``points.award_too_large``, Conflict ``points.no_rule`` / ``points.no_pool``.
    Changes: an event, its transfers, balances and tallies; an audit entry.
    """
    household = _household_of(user_id, household_id)
    grant = authorize(actor, policies.AWARD, household.path)
    reason = (reason or "").strip()
    if not reason or points <= 0:
        raise InvalidInput("points.bad_award", "请填写奖励分值和理由")
    rule = find_rule(rules.STAFF_AWARD, household.path, utcnow())
    if rule is None:
        raise Conflict("points.no_rule", "本地尚未设置工作人员奖励规则")
    if points > rule.points:
        raise InvalidInput("points.award_too_large", f"单次奖励不能超过 {rule.points} 分")
    if pool_of(household.path) is None:
        raise Conflict("points.no_pool", "本社区(村)尚未开设积分池")
    ref = f"award:{actor.user_id}:{checked_request_key(request_key)}"

    def run() -> PointsEvent:
        event = record_points_event(rules.STAFF_AWARD, ref, user_id, household.id, 1,
                                    beneficiary_household_id=household_id if user_id is None
                                    else None, amount=points, reason=reason[:200],
                                    created_by=actor.user_id)
        record(actor=actor, grant=grant, action="points.award", object_type="points_event",
               object_id=event.id, region_path=household.path,
               summary={"points": points, "transfer_id": event.transfer_id})
        return event

    return tx.write(run)


def _household_of(user_id: int | None, household_id: int | None) -> Region:
    if (user_id is None) == (household_id is None):
        raise InvalidInput("points.bad_award", "请指定一位居民或一户")
    if user_id is not None:
        user = User.get_or_none(User.id == user_id)
        hid = user.household_id if user is not None else None
    else:
        hid = household_id
    household = Region.get_or_none(Region.id == hid) if hid else None
    if household is None or household.level != "household":
        raise NotFound("points.beneficiary_not_found", "找不到该居民或住户")
    return household


def reverse_transfer(actor: Actor, transfer_id: int, *, reason: str, amount: int | None = None,
                     request_key: str | None = None) -> PointsTransfer:
    """Reverse a credit (all of what is left of it, or ``amount``) with a reason (冲正).

    Cadres and town admins whose grant covers the village of the credit. A person's credit
    is reversed together with its household share. Raises Forbidden, NotFound
    ``points.transfer_not_found``, InvalidInput ``points.bad_reversal`` /
    ``points.reversal_too_large``, Conflict ``points.not_reversible`` (a reversal, a
    redemption or a household share), ``points.already_reversed``,
    ``points.insufficient_balance`` (the points were spent already).
    Changes: reversing transfers, balances and tallies; an audit entry.
    """
    original = PointsTransfer.get_or_none(PointsTransfer.id == transfer_id)
    if original is None:
        raise NotFound("points.transfer_not_found", "找不到该积分记录")
    grant = authorize(actor, policies.REVERSE, original.region_path)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("points.bad_reversal", "冲正必须填写理由")
    if original.reverses_id is not None:
        raise Conflict("points.not_reversible", "冲正记录不能再冲正")
    if original.source_ref.endswith(rules.HOUSEHOLD_SUFFIX) or original.event_type in (
            rules.REDEMPTION,):
        raise Conflict("points.not_reversible", "该记录不能直接冲正")
    suffix = checked_request_key(request_key) if request_key else None

    def run() -> PointsTransfer:
        if suffix is not None:
            done = PointsTransfer.get_or_none(
                PointsTransfer.source_ref == f"reversal:{original.id}:{suffix}")
            if done is not None:
                return done  # a retried submission
        locked = tx.lock_for_update(PointsTransfer.select().where(
            PointsTransfer.id == original.id)).get()
        remaining = locked.amount - ledger.reversed_amount(locked.id)
        if remaining <= 0:
            raise Conflict("points.already_reversed", "该记录已全部冲正")
        take = remaining if amount is None else amount
        if take <= 0:
            raise InvalidInput("points.bad_reversal", "冲正分值应为正整数")
        if take > remaining:
            raise InvalidInput("points.reversal_too_large", f"最多还能冲正 {remaining} 分",
                               details={"remaining": remaining})
        count = PointsTransfer.select().where(PointsTransfer.reverses == locked.id).count()
        ref = f"reversal:{locked.id}:{suffix or count + 1}"
        legs = [_reversal_leg(locked, take, ref, reason, actor)]
        share = PointsTransfer.get_or_none(
            PointsTransfer.source_ref == locked.source_ref + rules.HOUSEHOLD_SUFFIX)
        if share is not None:
            legs.append(_reversal_leg(share, take, ref + rules.HOUSEHOLD_SUFFIX, reason, actor))
        posted = ledger.post(legs, region_path=locked.region_path, now=utcnow())
        if posted.created:
            record(actor=actor, grant=grant, action="points.reverse",
                   object_type="points_transfer", object_id=locked.id,
                   region_path=locked.region_path,
                   summary={"amount": take, "reversal_id": posted.transfers[0].id})
        return posted.transfers[0]

    return tx.write(run)


def _reversal_leg(original: PointsTransfer, amount: int, ref: str, reason: str,
                  actor: Actor) -> ledger.Leg:
    accounts = {a.id: a for a in PointsAccount.select().where(
        PointsAccount.id.in_([original.from_account_id, original.to_account_id]))}
    return ledger.Leg(accounts[original.to_account_id], accounts[original.from_account_id],
                      amount, ref, original.event_type,
                      rule=original.rule if original.rule_id else None, reason=reason[:200],
                      created_by=actor.user_id, reverses=original)
