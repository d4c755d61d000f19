"""Pure ledger rules: money in fen, areas, row validation with every reason, balance."""

from __future__ import annotations

import datetime as dt

from app.assets_ledger import rules


def test_money_is_parsed_to_fen_without_floats_creeping_in():
    assert rules.parse_money("1,234.56") == 123456
    assert rules.parse_money(19.99) == 1999
    assert rules.parse_money(5000) == 500000
    assert rules.parse_money("0", allow_zero=True) == 0
    for bad in ("0", "-1", "1.234", "abc", "1e12", None, ""):
        assert rules.parse_money(bad) is None
    assert str(rules.yuan(123456)) == "1234.56"


def test_an_area_keeps_two_decimals():
    assert rules.parse_area("12.5") == "12.50"
    assert rules.parse_area(0) is None
    assert rules.parse_area("1.005") is None


def test_a_fund_entry_lists_every_reason_it_is_invalid():
    clean, errors = rules.validate_fund_entry({
        "period": "2026-13", "voucher_no": "", "entry_date": "不是日期",
        "direction": "转账", "summary": "", "amount": "-5"})
    assert clean is None
    assert len(errors) == 6
    assert "收支应为“收入”或“支出”" in errors


def test_a_fund_entry_must_fall_inside_its_month_and_accepts_labels_or_codes():
    clean, errors = rules.validate_fund_entry({
        "period": "2026-10", "voucher_no": "记-1", "entry_date": dt.datetime(2026, 10, 3),
        "direction": "收入", "category": "投资收益", "summary": "分红", "amount": 100})
    assert errors == [] and (clean["direction"], clean["category"]) == ("income", "investment")
    _, errors = rules.validate_fund_entry({
        "period": "2026-10", "voucher_no": "记-1", "entry_date": "2026-11-03",
        "direction": "income", "category": "investment", "summary": "分红", "amount": 100})
    assert errors == ["日期不在所填期间内"]


def test_a_leased_asset_needs_its_lease_and_others_must_not_have_one():
    _, errors = rules.validate_asset({"code": "A", "name": "店面", "category": "building",
                                      "value": 1, "status": "leased"})
    assert "出租的资产须填写承租方" in errors and "租期起不能为空" in errors
    _, errors = rules.validate_asset({"code": "A", "name": "店面", "category": "building",
                                      "value": 1, "status": "idle", "lease_holder": "某公司"})
    assert errors == ["只有出租的资产才填写承租方、租期和租金"]


def test_a_contract_term_ends_after_it_starts():
    _, errors = rules.validate_resource({"code": "R", "name": "林地", "kind": "forest",
                                         "area_mu": 3, "holder": "某人",
                                         "term_start": "2026-01-01", "term_end": "2025-01-01"})
    assert errors == ["承包期的结束日期应晚于开始日期"]


def test_a_period_balances_when_opening_plus_income_minus_expense_is_closing():
    assert rules.balance_problem(1_000_000, 500_000, 123_456, 1_376_544) == 0
    assert rules.balance_problem(1_000_000, 500_000, 123_456, 1_376_543) == 1
