"""A hypothesis state machine drives credits, retries, awards, reversals, redemptions and
cancellations through the real services and database, and checks the ledger after every step:

- the ledger sums to zero: what the pools gave out is exactly what the other accounts hold;
- every cached balance equals the sum of its transfers, and every all-time tally the points
  earned from pools minus their reversals (the verify job agrees: no mismatch);
- no account but a pool is ever below zero, and no stock below zero;
- each source reference appears once, and each person holds exactly what a plain model of the
  successful operations says they should.

Each example runs inside one outer transaction rolled back at its end (as in the requests
state machine), so the services' own transactions nest as savepoints.
"""

from __future__ import annotations

import peewee
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from app.db import database
from app.errors import DomainError
from app.points import jobs, ledger, store
from app.points.awards import award_points, reverse_transfer
from app.points.models import PointsAccount, PointsTransfer, Redemption, StoreItem
from app.points.services import record_points_event

SETTINGS = settings(max_examples=30, stateful_step_count=30, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow,
                                           HealthCheck.function_scoped_fixture])
EVENTS = {"wish.fulfilled": (5, "event"), "action.attended": (10, "hour")}


class _Rollback(Exception):
    """Ends an example's outer transaction by rolling it back."""


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self, village):
        super().__init__()
        self.village = village
        self._tx = database.transaction()
        self._tx.__enter__()
        self.users = [village.resident, village.neighbour]
        self.residents = {u.id: village.resident_actor(u) for u in self.users}
        self.cadre = village.actor(village.cadre)
        self.item = store.create_item(self.cadre, village_id=village.tree.village_a1.id,
                                      name="肥皂", cost=7, stock=3)
        self.expected = {u.id: 0 for u in self.users}
        self.refs: dict[str, tuple[int, int]] = {}  # credited source_ref → (user id, amount)
        self.seen: set[str] = set()
        self.stock = 3

    def teardown(self):
        self._tx.__exit__(_Rollback, _Rollback(), None)

    def _credit(self, user_id: int, amount: int) -> None:
        self.expected[user_id] += amount

    @rule(who=st.integers(0, 1), n=st.integers(0, 5),
          kind=st.sampled_from(sorted(EVENTS)), quantity=st.integers(1, 150))
    def report_event(self, who, n, kind, quantity):
        """A feature reports an event; a repeated reference is a retry and changes nothing."""
        user = self.users[who]
        ref = f"{kind.split('.')[0]}:{n}"
        event = record_points_event(kind, ref, user.id, self.village.tree.village_a1.id,
                                    quantity=quantity)
        if ref not in self.seen:
            self.seen.add(ref)
            points, unit = EVENTS[kind]
            amount = points * quantity // 60 if unit == "hour" else points * quantity
            if event.status == "credited":
                self._credit(user.id, amount)
                self.refs[ref] = (user.id, amount)
            else:
                assert amount == 0 and event.status == "no_points", (event.status,
                                                                     event.waiting_for)

    @rule(who=st.integers(0, 1), points=st.integers(1, 60), key=st.sampled_from("abc"))
    def award(self, who, points, key):
        user = self.users[who]
        before = PointsTransfer.select().count()
        try:
            award_points(self.cadre, user_id=user.id, points=points, reason="好人好事",
                         request_key=key)
        except DomainError:
            assert points > 50
            return
        if PointsTransfer.select().count() > before:
            self._credit(user.id, points)

    @precondition(lambda self: self.refs)
    @rule(pick=st.integers(0, 1000), amount=st.one_of(st.none(), st.integers(1, 30)),
          key=st.sampled_from(["k1", "k2", None]))
    def reverse(self, pick, amount, key):
        ref = sorted(self.refs)[pick % len(self.refs)]
        user_id, _ = self.refs[ref]
        original = PointsTransfer.get(PointsTransfer.source_ref == ref)
        before = ledger.find_account("person", user_id).balance
        try:
            reversal = reverse_transfer(self.cadre, original.id, reason="核查",
                                        amount=amount, request_key=key)
        except DomainError:
            return
        after = ledger.find_account("person", user_id).balance
        assert before - after in (0, reversal.amount)
        self.expected[user_id] -= before - after

    @rule(who=st.integers(0, 1), quantity=st.integers(1, 3), key=st.sampled_from("xyz"))
    def redeem(self, who, quantity, key):
        user = self.users[who]
        existing = Redemption.select().count()
        try:
            store.redeem_item(self.residents[user.id], self.item.id, quantity=quantity,
                              request_key=key)
        except DomainError:
            return
        if Redemption.select().count() > existing:
            self.expected[user.id] -= 7 * quantity
            self.stock -= quantity

    @precondition(lambda self: Redemption.select().count())
    @rule(pick=st.integers(0, 100), by_staff=st.booleans())
    def cancel(self, pick, by_staff):
        rows = list(Redemption.select().order_by(Redemption.id))
        row = rows[pick % len(rows)]
        actor = self.cadre if by_staff else self.residents[row.user_id]
        try:
            store.cancel_redemption(actor, row.id, reason="不要了")
        except DomainError:
            return
        self.expected[row.user_id] += row.points
        self.stock += row.quantity

    @invariant()
    def ledger_sums_to_zero_and_nothing_is_negative(self):
        total = PointsAccount.select(peewee.fn.SUM(PointsAccount.balance)).scalar() or 0
        assert total == 0
        assert not PointsAccount.select().where((PointsAccount.kind != "pool")
                                                & (PointsAccount.balance < 0)).exists()
        assert StoreItem.get_by_id(self.item.id).stock == self.stock >= 0

    @invariant()
    def balances_equal_transfers_and_the_model(self):
        for account in PointsAccount.select():
            assert account.balance == ledger.signed_sum(account.id)
        for user_id, amount in self.expected.items():
            account = ledger.find_account("person", user_id)
            assert (account.balance if account else 0) == amount
        refs = PointsTransfer.select(PointsTransfer.source_ref)
        assert refs.count() == refs.distinct().count()
        assert jobs.verify_balances(batch=3)["mismatches"] == 0


def test_the_ledger_keeps_its_invariants_under_random_operations(village):
    run_state_machine_as_test(lambda: LedgerMachine(village), settings=SETTINGS)
