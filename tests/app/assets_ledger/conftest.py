"""三资 ledger tests: the supervision town, a month of books, spreadsheets built in memory."""

from __future__ import annotations

import io

from app.assets_ledger import services as ledger
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import Place

place = fixtures.place


def books(place: Place, village=None, *, period="2026-10") -> None:
    """A balanced October: opening 10,000.00, income 5,000.00, expense 1,234.56."""
    village = village or place.tree.village_a1
    cadre = place.staff("town_admin" if village.path.startswith(place.tree.town_a.path)
                        else place.town_admin_b)
    for values in (
        {"period": period, "voucher_no": "记-001", "entry_date": f"{period}-08",
         "direction": "收入", "category": "发包及上交收入", "summary": "鱼塘承包费",
         "amount": "5000"},
        {"period": period, "voucher_no": "记-002", "entry_date": f"{period}-15",
         "direction": "expense", "category": "management", "summary": "办公用品",
         "amount": "1234.56"},
    ):
        ledger.save_row(cadre, "fund_entry", village_id=village.id, values=values)
    ledger.save_row(cadre, "fund_period", village_id=village.id,
                    values={"period": period, "opening": "10000", "closing": "13765.44"})
    ledger.save_row(cadre, "asset", village_id=village.id, values={
        "code": "ZC-001", "name": "村部办公楼", "category": "房屋及建筑物", "value": "850000",
        "acquired_on": "2015-06-01", "location": "村部", "status": "在用"})
    ledger.save_row(cadre, "asset", village_id=village.id, values={
        "code": "ZC-002", "name": "临街店面", "category": "building", "value": "320000",
        "status": "leased", "lease_holder": "某某超市有限公司", "lease_start": "2026-01-01",
        "lease_end": "2028-12-31", "lease_rent": "36000"})
    ledger.save_row(cadre, "resource", village_id=village.id, values={
        "code": "ZY-001", "name": "东坑鱼塘", "kind": "水面坑塘", "area_mu": "12.5",
        "location": "东坑", "holder": "陈某", "term_start": "2024-01-01",
        "term_end": "2029-12-31", "rent": "6000"})


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        ws = book.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
