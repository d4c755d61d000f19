"""三资 single-row entry over HTTP: a cadre adds a fund entry and an asset through the form
(listed at once, audited); a row with several mistakes is refused with every reason in Chinese
and nothing saved; the finance panel reads the books but is offered no form and is refused;
a cadre posting into another village and a grid worker get the 403 page."""

from __future__ import annotations

from app.assets_ledger.models import Asset, FundEntry
from app.audit.models import AuditEntry
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401

ENTRY = {"period": "2026-10", "voucher_no": "记-011", "entry_date": "2026-10-08",
         "direction": "income", "category": "contracting", "summary": "鱼塘承包费",
         "amount": "5000.50"}


def _post(web, url: str, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=True)


def test_a_cadre_adds_one_fund_entry_through_the_form(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    web = console("cadre")
    assert "/console/ledger/fund_entry?village_id=" in web.get("/console/ledger").text
    form = web.get(f"/console/ledger/fund_entry?village_id={village.id}").text
    assert '<label for="f-voucher_no">' in form and 'data-action="save-fund_entry"' in form
    res = _post(web, "/console/ledger/fund_entry", village_id=village.id, **ENTRY)
    entry = FundEntry.get()
    assert res.status_code == 200 and "已保存一条资金收支记录" in res.text
    assert (entry.village_id, entry.amount_fen, entry.category) == (village.id, 500050,
                                                                    "contracting")
    assert "鱼塘承包费" in res.text and "5000.50" in res.text
    assert AuditEntry.select().where(AuditEntry.action == "ledger.save_fund_entry").count() == 1


def test_a_leased_asset_is_registered_with_its_lease(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    res = _post(console("cadre"), "/console/ledger/asset", village_id=village.id,
                code="ZC-001", name="临街店面", category="building", value="360000",
                status="leased", lease_holder="某便利店", lease_start="2026-01-01",
                lease_end="2028-12-31", lease_rent="36000")
    asset = Asset.get()
    assert "已保存一条资产记录" in res.text and asset.lease_rent_fen == 3_600_000
    assert "临街店面" in res.text


def test_a_bad_row_is_refused_with_every_reason_and_nothing_is_saved(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    res = _post(console("cadre"), "/console/ledger/fund_entry", village_id=village.id,
                **dict(ENTRY, entry_date="2026-11-02", amount="12.345"))
    assert res.status_code == 422
    assert "日期不在所填期间内" in res.text
    assert "金额应为大于零、最多两位小数的金额（元）" in res.text
    assert 'value="鱼塘承包费"' in res.text and FundEntry.select().count() == 0


def test_the_finance_panel_reads_but_is_offered_no_form_and_is_refused(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    web = console("finance")
    page = web.get(f"/console/ledger/fund_entry?village_id={village.id}")
    assert page.status_code == 200 and 'data-action="save-fund_entry"' not in page.text
    res = _post(web, "/console/ledger/fund_entry", village_id=village.id, **ENTRY)
    assert res.status_code == 403 and "没有权限" in res.text
    assert FundEntry.select().count() == 0


def test_a_cadre_cannot_write_into_another_village(console, desk):  # noqa: F811
    other = desk.town.tree.village_a2
    web = console("cadre")
    page = web.get(f"/console/ledger/fund_entry?village_id={other.id}").text
    assert 'data-action="save-fund_entry"' not in page and "暂无记录" in page  # nothing there
    res = _post(web, "/console/ledger/fund_entry", village_id=other.id, **ENTRY)
    assert res.status_code == 403 and FundEntry.select().count() == 0


def test_a_grid_worker_gets_the_403_page(console, desk):  # noqa: F811
    web = console("grid")
    assert web.get("/console/ledger/asset").status_code == 403
    res = _post(web, "/console/ledger/fund_entry", village_id=desk.town.tree.village_a1.id,
                **ENTRY)
    assert res.status_code == 403 and FundEntry.select().count() == 0
