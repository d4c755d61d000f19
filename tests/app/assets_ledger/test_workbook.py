"""Excel import with a dry run that lists every bad row and imports nothing until all rows are
valid; export; and the round trip export → import."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from app.assets_ledger import workbook
from app.assets_ledger.models import Asset, FundEntry, FundPeriod, Resource
from app.audit.models import AuditEntry
from app.errors import Forbidden, InvalidInput
from tests.app.assets_ledger.conftest import books, workbook_bytes

FUND_HEADER = ["期间", "凭证号", "日期", "收支", "类别", "摘要", "金额(元)"]
ASSET_HEADER = ["资产编号", "资产名称", "类别", "原值(元)", "购置日期", "存放地点", "状态",
                "承租方", "租期起", "租期止", "年租金(元)"]


def mixed_file() -> bytes:
    return workbook_bytes({
        "资金收支": [FUND_HEADER,
                     ["2026-10", "记-001", dt.date(2026, 10, 8), "收入", "经营收入", "租金", 800],
                     ["2026-10", "记-002", "2026-11-02", "支出", "管理费用", "水电费", 120.5],
                     [None, None, None, None, None, None, None],
                     ["2026-10", "记-001", "2026-10-09", "收入", "经营收入", "重复", 1],
                     ["2026-10", "记-003", "2026-10-12", "支出", "管理费用", "误差", "12.345"]],
        "资产": [ASSET_HEADER,
                 ["ZC-9", "仓库", "房屋及建筑物", 90000, None, "村东", "在用"],
                 ["ZC-10", "", "飞机", -1, None, None, "出租"]],
        "说明": [["这张表会被忽略"]],
    })


def test_a_dry_run_lists_every_bad_row_with_its_reasons_and_imports_nothing(place):
    report = workbook.import_workbook(place.staff("cadre"), village_id=place.tree.village_a1.id,
                                      data=mixed_file(), dry_run=True)
    assert report.imported is False
    bad = {(e.sheet, e.row): e.reasons for e in report.errors}
    assert set(bad) == {("资金收支", 3), ("资金收支", 5), ("资金收支", 6), ("资产", 3)}
    assert bad[("资金收支", 3)] == ("日期不在所填期间内",)
    assert bad[("资金收支", 5)] == ("与第 2 行重复（2026-10、记-001）",)
    assert len(bad[("资产", 3)]) == 7  # name, category, value, lease start, end, rent, holder
    assert report.counts == {"fund_entry": {"new": 1, "changed": 0, "unchanged": 0},
                             "asset": {"new": 1, "changed": 0, "unchanged": 0}}
    assert FundEntry.select().count() == Asset.select().count() == 0


def test_a_real_import_with_a_bad_row_imports_nothing_either(place):
    report = workbook.import_workbook(place.staff("cadre"), village_id=place.tree.village_a1.id,
                                      data=mixed_file(), dry_run=False)
    assert report.imported is False and report.errors
    assert FundEntry.select().count() == Asset.select().count() == 0
    assert not AuditEntry.select().where(AuditEntry.action == "ledger.import").exists()


def test_a_valid_file_imports_every_row_in_one_go(place):
    data = workbook_bytes({"资金收支": [FUND_HEADER,
                                        ["2026-10", "记-001", "2026-10-08", "收入", "经营收入",
                                         "租金", 800]],
                           "资产": [ASSET_HEADER,
                                    ["ZC-9", "仓库", "房屋及建筑物", 90000, None, "村东", "在用"]]})
    dry = workbook.import_workbook(place.staff("cadre"), village_id=place.tree.village_a1.id,
                                   data=data)
    assert (dry.errors, dry.imported) == ([], False)
    done = workbook.import_workbook(place.staff("cadre"), village_id=place.tree.village_a1.id,
                                    data=data, dry_run=False)
    assert done.imported is True
    assert FundEntry.get().amount_fen == 80_000 and Asset.get().code == "ZC-9"
    again = workbook.import_workbook(place.staff("cadre"), village_id=place.tree.village_a1.id,
                                     data=data)
    assert again.counts["fund_entry"] == {"new": 0, "changed": 0, "unchanged": 1}


def snapshot(village):
    def rows(model, *columns):
        return sorted(tuple(str(getattr(r, c)) for c in columns)
                      for r in model.select().where(model.village == village.id))

    return (rows(FundEntry, "period", "voucher_no", "entry_date", "direction", "category",
                 "summary", "amount_fen"),
            rows(FundPeriod, "period", "opening_fen", "closing_fen"),
            rows(Asset, "code", "name", "category", "value_fen", "acquired_on", "location",
                 "status", "lease_holder", "lease_start", "lease_end", "lease_rent_fen"),
            rows(Resource, "code", "name", "kind", "area_mu", "location", "holder",
                 "term_start", "term_end", "rent_fen"))


def test_round_trip_export_then_import_reproduces_the_books(place):
    books(place)
    exported = workbook.export_workbook(place.staff("finance_panel"),
                                        village_id=place.tree.village_a1.id)
    same = workbook.import_workbook(place.staff("cadre"), village_id=place.tree.village_a1.id,
                                    data=exported)
    assert same.errors == []
    assert all(c["new"] == c["changed"] == 0 for c in same.counts.values())
    moved = workbook.import_workbook(place.staff("town_admin"),
                                     village_id=place.tree.village_a2.id, data=exported,
                                     dry_run=False)
    assert moved.imported is True
    assert snapshot(place.tree.village_a2) == snapshot(place.tree.village_a1)
    assert moved.counts["fund_entry"]["new"] == 2 and moved.counts["resource"]["new"] == 1


def test_the_export_has_the_import_sheets_and_headers(place):
    from openpyxl import load_workbook

    books(place)
    data = workbook.export_workbook(place.staff("cadre"), village_id=place.tree.village_a1.id)
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["资金收支", "资金期间", "资产", "资源"]
    header = next(book["资产"].iter_rows(values_only=True))
    assert list(header) == ASSET_HEADER


def test_files_that_are_not_workbooks_or_lack_sheets_or_columns_are_refused(place):
    cadre, village = place.staff("cadre"), place.tree.village_a1.id
    with pytest.raises(InvalidInput) as info:
        workbook.import_workbook(cadre, village_id=village, data=b"not a spreadsheet")
    assert info.value.code == "ledger.bad_file"
    with pytest.raises(InvalidInput) as info:
        workbook.import_workbook(cadre, village_id=village,
                                 data=workbook_bytes({"Sheet1": [["x"]]}))
    assert info.value.code == "ledger.no_known_sheet"
    report = workbook.import_workbook(cadre, village_id=village,
                                      data=workbook_bytes({"资产": [["资产编号", "资产名称"]]}))
    assert [(e.sheet, e.row) for e in report.errors] == [("资产", 1)]


@pytest.mark.parametrize("role", ["finance_panel", "discipline_officer", "grid_worker"])
def test_only_bookkeepers_import(place, role):
    with pytest.raises(Forbidden):
        workbook.import_workbook(place.staff(role), village_id=place.tree.village_a1.id,
                                 data=mixed_file())
    with pytest.raises(Forbidden):
        workbook.export_workbook(place.actor(place.resident),
                                 village_id=place.tree.village_a1.id)
