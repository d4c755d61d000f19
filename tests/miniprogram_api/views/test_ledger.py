"""HTTP: the 三资 books in the console (``/admin/api/v1/ledger``) and 咱厝家底 for residents
(``/api/v1/ledger``)."""

from __future__ import annotations

import io

from app.assets_ledger.models import FundEntry
from tests.app.assets_ledger.conftest import books, workbook_bytes
from tests.app.supervision import fixtures
from tests.factories import bearer

ADMIN = "/admin/api/v1/ledger"
place = fixtures.place


def staff(user):
    return bearer(user, "staff")


def test_a_cadre_keeps_books_and_checks_the_balance(client, place):
    village = place.tree.village_a1.id
    res = client.post(f"{ADMIN}/fund-entries", headers=staff(place.user("cadre")), json={
        "village_id": village, "period": "2026-11", "voucher_no": "记-001",
        "entry_date": "2026-11-05", "direction": "收入", "category": "经营收入",
        "summary": "店面租金", "amount": "3000.50"})
    assert res.status_code == 200
    assert (res.get_json()["data"]["amount_fen"], res.get_json()["data"]["amount"]) == (
        300050, "3000.50")
    bad = client.post(f"{ADMIN}/fund-entries", headers=staff(place.user("cadre")), json={
        "village_id": village, "period": "2026-11", "voucher_no": "记-002",
        "entry_date": "2026-12-05", "direction": "收入", "category": "经营收入",
        "summary": "店面租金", "amount": "1.001"})
    assert bad.status_code == 422
    assert len(bad.get_json()["error"]["details"]["errors"]) == 2
    client.put(f"{ADMIN}/fund-periods", headers=staff(place.user("cadre")), json={
        "village_id": village, "period": "2026-11", "opening": "0", "closing": "3000.50"})
    balance = client.get(f"{ADMIN}/fund-periods/balance?village_id={village}&period=2026-11",
                         headers=staff(place.user("finance_panel"))).get_json()["data"]
    assert balance["difference_fen"] == 0
    listed = client.get(f"{ADMIN}/fund-entries?village_id={village}",
                        headers=staff(place.user("discipline_officer"))).get_json()["data"]
    assert [e["voucher_no"] for e in listed["items"]] == ["记-001"]


def test_import_dry_run_then_import_through_the_api(client, place):
    village = place.tree.village_a1.id
    data = workbook_bytes({"资产": [
        ["资产编号", "资产名称", "类别", "原值(元)", "购置日期", "存放地点", "状态", "承租方",
         "租期起", "租期止", "年租金(元)"],
        ["ZC-1", "仓库", "房屋及建筑物", 1000, None, "村东", "在用"],
        ["ZC-2", "旧车", "汽车", 1000, None, None, "在用"]]})

    def upload(dry_run):
        return client.post(f"{ADMIN}/import?village_id={village}&dry_run={dry_run}",
                           headers=staff(place.user("cadre")),
                           data={"file": (io.BytesIO(data), "books.xlsx")},
                           content_type="multipart/form-data")

    report = upload("false").get_json()["data"]
    assert report["imported"] is False
    assert [(e["sheet"], e["row"]) for e in report["errors"]] == [("资产", 3)]
    assert client.get(f"{ADMIN}/assets", headers=staff(place.user("cadre"))).get_json()[
        "data"]["items"] == []


def test_export_downloads_a_workbook_without_personal_data_in_the_name(client, place):
    books(place)
    res = client.get(f"{ADMIN}/export.xlsx?village_id={place.tree.village_a1.id}",
                     headers=staff(place.user("finance_panel")))
    assert res.status_code == 200
    assert res.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert place.tree.village_a1.code in res.headers["Content-Disposition"]
    assert res.data[:2] == b"PK"
    refused = client.get(f"{ADMIN}/export.xlsx?village_id={place.tree.village_a1.id}",
                         headers=staff(place.user("grid_worker")))
    assert refused.status_code == 403


def test_residents_see_the_books_only_after_the_finance_disclosure_is_published(client, place):
    books(place)
    res = client.post(f"{ADMIN}/publications", headers=staff(place.user("cadre")), json={
        "village_id": place.tree.village_a1.id, "section": "funds", "period": "2026-10"})
    assert res.status_code == 201
    disclosure = res.get_json()["data"]
    assert disclosure["extra"]["ledger"]["income_fen"] == 500000
    summary = client.get("/api/v1/ledger/summary", headers=bearer(place.resident))
    assert summary.get_json()["data"]["sections"] == []
    hidden = client.get(f"/api/v1/ledger/snapshots/{disclosure['id']}",
                        headers=bearer(place.resident))
    assert hidden.status_code == 404
    url = f"/admin/api/v1/disclosures/{disclosure['id']}"
    client.post(f"{url}/submit", headers=staff(place.user("cadre")))
    client.post(f"{url}/approve", headers=staff(place.user("finance_panel")), json={})
    client.post(f"{url}/publish", headers=staff(place.user("cadre")))
    sections = client.get("/api/v1/ledger/summary", headers=bearer(place.resident)).get_json()[
        "data"]["sections"]
    assert [(s["section"], s["totals"]["expense_fen"]) for s in sections] == [
        ("funds", 123456)]
    shown = client.get(f"/api/v1/ledger/snapshots/{disclosure['id']}",
                       headers=bearer(place.resident)).get_json()["data"]
    assert len(shown["data"]["rows"]) == FundEntry.select().count() == 2
