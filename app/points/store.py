"""The village 爱心超市: goods with stock, residents redeeming points, staff handing over.

Redeeming debits the resident (a transfer to the village's sink, ``WHERE balance >= cost``) and
takes the stock (``WHERE stock >= n``) in one transaction: either both happen or neither, so
no account goes below zero and no item is oversold however many redeem at once. Cancelling
before hand-over refunds by a reversing transfer and puts the stock back.
"""

from __future__ import annotations

from app.audit.services import record
from app.clock import utcnow
from app.errors import Conflict, InvalidInput, NotFound
from app.points import ledger, policies, rules, tx
from app.points.awards import checked_request_key
from app.points.models import PointsAccount, PointsTransfer, Redemption, StoreItem
from app.policy import Actor, authorize, can, require_any_scope
from app.regions.services import get_region, in_subtree

MAX_PER_REDEMPTION = 20


def create_item(actor: Actor, *, village_id: int, name: str, cost: int, stock: int,
                description: str = "") -> StoreItem:
    """Put a good on a village's shelf. Cadres and town admins over the village.
    Raises Forbidden, InvalidInput ``points.bad_item`` / ``points.not_a_village``.
    Changes: an item; an audit entry."""
    village = get_region(village_id)
    grant = authorize(actor, policies.STORE_MANAGE, village.path)
    if village.level != "village":
        raise InvalidInput("points.not_a_village", "爱心超市按社区(村)设立")
    name = (name or "").strip()
    if not name or cost <= 0 or stock < 0:
        raise InvalidInput("points.bad_item", "请填写名称、所需积分（正数）和库存")

    def run() -> StoreItem:
        item = StoreItem.create(village_id=village.id, region_path=village.path, name=name[:50],
                                description=(description or "")[:500], cost=cost, stock=stock,
                                created_by=actor.user_id, created_at=utcnow())
        record(actor=actor, grant=grant, action="points.create_item", object_type="store_item",
               object_id=item.id, region_path=village.path,
               summary={"cost": cost, "stock": stock})
        return item

    return tx.write(run)


def _staff_item(actor: Actor, item_id: int, action: str):
    item = StoreItem.get_or_none(StoreItem.id == item_id)
    if item is None or not can(actor, policies.READ, item.region_path):
        raise NotFound("points.item_not_found", "找不到该物品")
    return item, authorize(actor, action, item.region_path)


def update_item(actor: Actor, item_id: int, *, name: str | None = None,
                description: str | None = None, cost: int | None = None,
                active: bool | None = None, stock_change: int = 0) -> StoreItem:
    """Edit an item, take it off the shelf, or restock (``stock_change`` > 0) / write off
    (< 0, never below zero). Cadres and town admins over its village. Raises Forbidden,
    NotFound ``points.item_not_found``, InvalidInput ``points.bad_item``, Conflict
    ``points.out_of_stock``. Changes: the item; an audit entry."""
    item, grant = _staff_item(actor, item_id, policies.STORE_MANAGE)
    if cost is not None and cost <= 0 or name is not None and not name.strip():
        raise InvalidInput("points.bad_item", "名称不能为空，所需积分应为正数")

    def run() -> StoreItem:
        changes = {}
        if name is not None:
            changes[StoreItem.name] = name.strip()[:50]
        if description is not None:
            changes[StoreItem.description] = description[:500]
        if cost is not None:
            changes[StoreItem.cost] = cost
        if active is not None:
            changes[StoreItem.active] = active
        cond = StoreItem.id == item.id
        if stock_change:
            changes[StoreItem.stock] = StoreItem.stock + stock_change
            if stock_change < 0:
                cond &= StoreItem.stock >= -stock_change
        if changes and StoreItem.update(changes).where(cond).execute() != 1:
            raise Conflict("points.out_of_stock", "库存不足，无法核减")
        record(actor=actor, grant=grant, action="points.update_item", object_type="store_item",
               object_id=item.id, region_path=item.region_path,
               summary={"fields": sorted(f.name for f in changes)})
        return StoreItem.get_by_id(item.id)

    return tx.write(run)


def items_query(region_path: str, *, include_inactive: bool = False):
    """Items of the village store at ``region_path`` (for keyset paging)."""
    query = StoreItem.select().where(in_subtree(StoreItem.region_path, region_path))
    return query if include_inactive else query.where(StoreItem.active)


def resident_items(actor: Actor):
    """The store of the caller's own village (residents only)."""
    policies.require_resident(actor)
    village = ledger.place_of(actor.household_path).village_id
    return items_query(get_region(village).path) if village else StoreItem.select().where(
        StoreItem.id == 0)


def staff_items(actor: Actor, village_id: int):
    village = get_region(village_id)
    authorize(actor, policies.READ, village.path)
    return items_query(village.path, include_inactive=True)


def redeem_item(actor: Actor, item_id: int, *, quantity: int = 1,
                request_key: str) -> Redemption:
    """A resident redeems ``quantity`` of an item at their own village's store.

    Bound residents of that village only (other stores do not exist for them). The points
    are debited and the stock taken at once; ``request_key`` makes a retried or duplicated
    submission return the first redemption. Raises NotFound ``points.not_resident`` /
    ``points.item_not_found``, InvalidInput ``points.bad_quantity``, Conflict
    ``points.insufficient_balance`` / ``points.out_of_stock`` / ``points.item_inactive``.
    Changes: a transfer to the store's sink, the balance, the stock, a redemption row.
    """
    policies.require_resident(actor)
    item = StoreItem.get_or_none(StoreItem.id == item_id)
    if item is None or not policies.in_home_area(actor, item.region_path):
        raise NotFound("points.item_not_found", "找不到该物品")
    if not 1 <= quantity <= MAX_PER_REDEMPTION:
        raise InvalidInput("points.bad_quantity", f"每次兑换 1 到 {MAX_PER_REDEMPTION} 件")
    ref = f"redeem:{actor.user_id}:{checked_request_key(request_key)}"

    def run() -> Redemption:
        done = PointsTransfer.get_or_none(PointsTransfer.source_ref == ref)
        if done is not None:
            return Redemption.get(Redemption.transfer == done.id)
        current = StoreItem.get_by_id(item.id)
        if not current.active:
            raise Conflict("points.item_inactive", "该物品已下架")
        person = ledger.find_account("person", actor.user_id)
        total = current.cost * quantity
        if person is None or person.balance < total:
            raise Conflict("points.insufficient_balance", "积分余额不足")
        now = utcnow()
        sink = ledger.ensure_account("sink", current.village_id,
                                     ledger.place_of(current.region_path), now)
        posted = ledger.post([ledger.Leg(person, sink, total, ref, rules.REDEMPTION,
                                         quantity=quantity, reason=current.name,
                                         created_by=actor.user_id)],
                             region_path=current.region_path, now=now)
        if not posted.created:
            return Redemption.get(Redemption.transfer == posted.transfers[0].id)
        taken = (StoreItem.update(stock=StoreItem.stock - quantity)
                 .where((StoreItem.id == current.id) & (StoreItem.stock >= quantity)
                        & StoreItem.active).execute())
        if taken != 1:
            raise Conflict("points.out_of_stock", "库存不足")
        return Redemption.create(item=current.id, account=person.id, user_id=actor.user_id,
                                 region_path=current.region_path, quantity=quantity,
                                 points=total, transfer=posted.transfers[0].id,
                                 status="reserved", created_at=now)

    return tx.write(run)


def _staff_redemption(actor: Actor, redemption_id: int, action: str):
    row = Redemption.get_or_none(Redemption.id == redemption_id)
    if row is None or not can(actor, policies.READ, row.region_path):
        raise NotFound("points.redemption_not_found", "找不到该兑换记录")
    return row, authorize(actor, action, row.region_path)


def hand_over(actor: Actor, redemption_id: int) -> Redemption:
    """Staff confirm the resident received the goods. Cadres and town admins
    over the store's village. Raises Forbidden, NotFound ``points.redemption_not_found``,
    Conflict ``points.redemption_closed``. Changes: the redemption; an audit entry."""
    row, grant = _staff_redemption(actor, redemption_id, policies.STORE_HAND_OVER)

    def run() -> Redemption:
        now = utcnow()
        done = (Redemption.update(status="handed_over", handed_over_at=now,
                                  handed_over_by=actor.user_id)
                .where((Redemption.id == row.id) & (Redemption.status == "reserved")).execute())
        if not done:
            raise Conflict("points.redemption_closed", "该兑换已处理")
        record(actor=actor, grant=grant, action="points.hand_over", object_type="redemption",
               object_id=row.id, region_path=row.region_path,
               summary={"item_id": row.item_id, "quantity": row.quantity})
        return Redemption.get_by_id(row.id)

    return tx.write(run)


def cancel_redemption(actor: Actor, redemption_id: int, *, reason: str = "") -> Redemption:
    """Cancel a redemption not yet handed over: the resident (their own) or staff of the
    store's village (with a reason). Points come back by a reversing transfer, the stock goes
    back on the shelf. Raises NotFound ``points.redemption_not_found``, InvalidInput
    ``points.bad_reversal``, Conflict ``points.redemption_closed``.
    Changes: the redemption, a refund transfer, balances, the stock; audited for staff."""
    row = Redemption.get_or_none(Redemption.id == redemption_id)
    own = row is not None and row.user_id == actor.user_id
    grant = None
    if row is None or not (own or can(actor, policies.STORE_HAND_OVER, row.region_path)):
        raise NotFound("points.redemption_not_found", "找不到该兑换记录")
    if not own:
        grant = authorize(actor, policies.STORE_HAND_OVER, row.region_path)
        if not (reason or "").strip():
            raise InvalidInput("points.bad_reversal", "工作人员取消兑换须填写理由")

    def run() -> Redemption:
        now = utcnow()
        closed = (Redemption.update(status="cancelled", cancelled_at=now,
                                    cancelled_by=actor.user_id, cancel_reason=reason[:200])
                  .where((Redemption.id == row.id) & (Redemption.status == "reserved"))
                  .execute())
        if not closed:
            raise Conflict("points.redemption_closed", "该兑换已处理")
        debit = PointsTransfer.get_by_id(row.transfer_id)
        accounts = {a.id: a for a in PointsAccount.select().where(
            PointsAccount.id.in_([debit.from_account_id, debit.to_account_id]))}
        posted = ledger.post([ledger.Leg(
            accounts[debit.to_account_id], accounts[debit.from_account_id], debit.amount,
            f"redemption:{row.id}:cancel", rules.REDEMPTION, quantity=row.quantity,
            reason=(reason or "居民取消")[:200], created_by=actor.user_id, reverses=debit)],
            region_path=row.region_path, now=now)
        StoreItem.update(stock=StoreItem.stock + row.quantity).where(
            StoreItem.id == row.item_id).execute()
        Redemption.update(refund_transfer_id=posted.transfers[0].id).where(
            Redemption.id == row.id).execute()
        if grant is not None:
            record(actor=actor, grant=grant, action="points.cancel_redemption",
                   object_type="redemption", object_id=row.id, region_path=row.region_path,
                   summary={"refund_transfer_id": posted.transfers[0].id})
        return Redemption.get_by_id(row.id)

    return tx.write(run)


def my_redemptions(actor: Actor):
    """The caller's own redemptions (for keyset paging)."""
    policies.require_resident(actor)
    return Redemption.select().where(Redemption.user_id == actor.user_id)


def staff_redemptions(actor: Actor, *, status: str | None = None):
    """Redemptions at the stores in the caller's scope (for keyset paging)."""
    paths = require_any_scope(actor, policies.READ)
    cond = None
    for path in paths:
        part = in_subtree(Redemption.region_path, path)
        cond = part if cond is None else (cond | part)
    query = Redemption.select().where(cond)
    return query.where(Redemption.status == status) if status else query
