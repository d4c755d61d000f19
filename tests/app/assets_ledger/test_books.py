"""Keeping the books row by row: upsert by natural key, scope, balance, audit without names."""

from __future__ import annotations

import pytest

from app.assets_ledger import services as ledger
from app.assets_ledger.models import Asset, FundEntry
from app.audit.models import AuditEntry
from app.errors import Forbidden, InvalidInput, NotFound
from tests.app.assets_ledger.conftest import books


def test_a_row_is_matched_by_its_natural_key_and_replaced(place):
    books(place)
    ledger.save_row(place.staff("cadre"), "fund_entry", village_id=place.tree.village_a1.id,
                    values={"period": "2026-10", "voucher_no": "记-001",
                            "entry_date": "2026-10-09", "direction": "收入",
                            "category": "发包及上交收入", "summary": "鱼塘承包费（更正日期）",
                            "amount": "5000"})
    entries = list(FundEntry.select().order_by(FundEntry.id))
    assert len(entries) == 2
    assert entries[0].summary == "鱼塘承包费（更正日期）"


def test_an_invalid_row_is_refused_with_every_reason(place):
    with pytest.raises(InvalidInput) as info:
        ledger.save_row(place.staff("cadre"), "asset", village_id=place.tree.village_a1.id,
                        values={"code": "", "name": "", "category": "飞机", "value": "x",
                                "status": "丢了"})
    assert info.value.code == "ledger.invalid_row"
    assert len(info.value.details["errors"]) == 5
    assert Asset.select().count() == 0


def test_the_month_balances_when_the_counted_closing_matches(place):
    books(place)
    balance = ledger.period_balance(place.staff("finance_panel"),
                                    village_id=place.tree.village_a1.id, period="2026-10")
    assert (balance.opening_fen, balance.income_fen, balance.expense_fen, balance.closing_fen,
            balance.difference_fen) == (1_000_000, 500_000, 123_456, 1_376_544, 0)


def test_writes_are_audited_without_holders_or_amounts(place):
    books(place)
    summaries = [e.summary for e in AuditEntry.select().where(
        AuditEntry.action.startswith("ledger."))]
    assert len(summaries) == 6
    assert not any("超市" in s or "陈某" in s or "5000" in s for s in summaries)


@pytest.mark.parametrize("role", ["grid_worker", "finance_panel", "supervision_committee",
                                  "discipline_officer"])
def test_only_cadres_and_town_admins_keep_the_books(place, role):
    with pytest.raises(Forbidden):
        ledger.save_row(place.staff(role), "fund_period", village_id=place.tree.village_a1.id,
                        values={"period": "2026-10", "opening": "1", "closing": "1"})


def test_staff_read_the_books_of_their_scope_only(place):
    books(place)
    books(place, place.tree.village_b1)
    assert len(list(ledger.rows_query(place.staff("discipline_officer"), "asset"))) == 2
    assert len(list(ledger.rows_query(place.staff(place.cadre_b), "asset"))) == 2
    row = Asset.get(Asset.village == place.tree.village_b1.id)
    with pytest.raises(NotFound):
        ledger.load_row(place.staff("cadre"), "asset", row.id)
    for user in (place.actor(place.resident), place.staff("grid_worker")):
        with pytest.raises(Forbidden):
            ledger.rows_query(user, "asset")
    with pytest.raises(Forbidden):
        ledger.save_row(place.staff("cadre"), "asset", village_id=place.tree.village_b1.id,
                        values={"code": "X", "name": "X", "category": "other", "value": 1,
                                "status": "idle"})
