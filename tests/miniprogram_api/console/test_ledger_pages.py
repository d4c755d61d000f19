"""三资 import page over HTTP: the dry run lists every bad row (sheet, row number, reasons) and
imports nothing; a good sheet imports; the export; and who may do which."""

from __future__ import annotations

import io
import re

from app.assets_ledger.models import FundEntry
from app.audit.models import AuditEntry
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.supervision import BAD_ROWS, GOOD_ROWS, workbook_bytes
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401


def _upload(web, village_id: int, data: bytes, mode: str = "dry_run"):
    page = web.get(f"/console/ledger?village_id={village_id}")
    return web.post("/console/ledger/import", content_type="multipart/form-data", data={
        "csrf_token": csrf_of(page.text), "village_id": str(village_id), "mode": mode,
        "file": (io.BytesIO(data), "三资.xlsx")})


def test_a_dry_run_shows_every_bad_row_and_imports_nothing(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    res = _upload(console("cadre"), village.id, workbook_bytes(BAD_ROWS))
    assert res.status_code == 422
    assert "检查发现 1 个错误行，本次一行也没有导入" in res.text
    row = re.search(r'<tr data-row="资金收支:4">(.*?)</tr>', res.text, re.S).group(1)
    assert "第 4 行" in row and "日期不在所填期间内" in row
    assert FundEntry.select().count() == 0


def test_importing_a_file_with_a_bad_row_imports_nothing_either(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    res = _upload(console("cadre"), village.id, workbook_bytes(BAD_ROWS), mode="import")
    assert res.status_code == 422 and 'data-row="资金收支:4"' in res.text
    assert FundEntry.select().count() == 0


def test_a_good_sheet_passes_the_dry_run_then_imports(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    web = console("cadre")
    dry = _upload(web, village.id, workbook_bytes(GOOD_ROWS))
    assert dry.status_code == 200 and "试导入通过：没有错误行" in dry.text
    assert FundEntry.select().count() == 0
    done = _upload(web, village.id, workbook_bytes(GOOD_ROWS), mode="import")
    assert done.status_code == 200 and "导入完成" in done.text
    counts = re.search(r'<tr data-kind="fund_entry">(.*?)</tr>', done.text, re.S).group(1)
    assert re.findall(r"<td>([^<]*)</td>", counts) == ["资金收支", "2", "0", "0"]
    assert FundEntry.select().where(FundEntry.village == village.id).count() == 2
    assert AuditEntry.select().where(AuditEntry.action == "ledger.import").count() == 1


def test_a_file_that_is_not_excel_is_refused_with_the_reason(console, desk):  # noqa: F811
    res = _upload(console("cadre"), desk.town.tree.village_a1.id, b"not a workbook")
    assert res.status_code == 422 and "无法读取该文件，请上传 Excel 文件（.xlsx）" in res.text


def test_the_export_is_the_workbook_of_the_village(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    web = console("cadre")
    _upload(web, village.id, workbook_bytes(GOOD_ROWS), mode="import")
    assert "/console/ledger/export.xlsx?village_id=" in web.get("/console/ledger").text
    res = web.get(f"/console/ledger/export.xlsx?village_id={village.id}")
    assert res.status_code == 200
    assert res.headers["Content-Disposition"].startswith('attachment; filename="ledger-')
    from openpyxl import load_workbook

    rows = list(load_workbook(io.BytesIO(res.data))["资金收支"].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["记-001", "记-002"]


def test_the_finance_panel_reads_but_is_offered_no_upload_and_is_refused(console, desk):  # noqa: F811
    village = desk.town.tree.village_a1
    web = console("finance")
    page = web.get("/console/ledger")
    assert page.status_code == 200 and 'name="file"' not in page.text
    res = _upload(web, village.id, workbook_bytes(GOOD_ROWS), mode="import")
    assert res.status_code == 403 and "没有权限" in res.text
    assert FundEntry.select().count() == 0


def test_a_cadre_of_another_village_cannot_import_here(console, desk):  # noqa: F811
    res = _upload(console("cadre"), desk.town.tree.village_a2.id, workbook_bytes(GOOD_ROWS))
    assert res.status_code == 403
    assert FundEntry.select().count() == 0


def test_a_grid_worker_gets_the_403_page(console, desk):  # noqa: F811
    web = console("grid")
    assert web.get("/console/ledger").status_code == 403
    village = desk.town.tree.village_a1
    assert web.get(f"/console/ledger/export.xlsx?village_id={village.id}").status_code == 403
