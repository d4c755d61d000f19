"""Excel import and export of a village's 三资 ledger (openpyxl).

One workbook, four sheets with a header row: 资金收支 (fund entries), 资金期间 (monthly
opening and closing balances), 资产 (the asset register), 资源 (resources). Columns are found by
their header text, so their order does not matter; sheets with other names are ignored, and a
workbook holding none of the four is refused.

Import is all-or-nothing: every row of every sheet is validated first and the report lists every
bad row with its sheet, row number and reasons (a voucher number or code repeated in the file is
a bad row too). Nothing is imported while any row is bad, and nothing on a dry run. Rows are
matched to the books by their natural key (period + voucher number; period; code) and added or
replaced; rows absent from the file are left alone. The export writes the same sheets and
columns, so an exported workbook imports back unchanged (tested round trip).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field

from app.assets_ledger import policies, rules
from app.assets_ledger.models import Asset, FundEntry, FundPeriod, Resource
from app.assets_ledger.services import KINDS, upsert
from app.audit.services import record
from app.clock import utcnow
from app.db import database
from app.errors import InvalidInput
from app.policy import Actor, authorize
from app.supervision.places import get_village

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
BATCH = 500
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Sheet:
    title: str
    kind: str
    columns: tuple[tuple[str, str], ...]  # (header, row key)


SHEETS = (
    Sheet("资金收支", "fund_entry", (
        ("期间", "period"), ("凭证号", "voucher_no"), ("日期", "entry_date"),
        ("收支", "direction"), ("类别", "category"), ("摘要", "summary"), ("金额(元)", "amount"))),
    Sheet("资金期间", "fund_period", (
        ("期间", "period"), ("期初余额(元)", "opening"), ("期末余额(元)", "closing"))),
    Sheet("资产", "asset", (
        ("资产编号", "code"), ("资产名称", "name"), ("类别", "category"), ("原值(元)", "value"),
        ("购置日期", "acquired_on"), ("存放地点", "location"), ("状态", "status"),
        ("承租方", "lease_holder"), ("租期起", "lease_start"), ("租期止", "lease_end"),
        ("年租金(元)", "lease_rent"))),
    Sheet("资源", "resource", (
        ("资源编号", "code"), ("资源名称", "name"), ("类型", "kind"), ("面积(亩)", "area_mu"),
        ("坐落", "location"), ("承包方", "holder"), ("承包起", "term_start"),
        ("承包止", "term_end"), ("年租金(元)", "rent"))),
)


# The stored columns of each kind, as the validators return them (compared for the counts).
COLUMNS = {"fund_entry": ("period", "voucher_no", "entry_date", "direction", "category",
                          "summary", "amount_fen"),
           "fund_period": ("period", "opening_fen", "closing_fen"),
           "asset": ("code", "name", "category", "value_fen", "acquired_on", "location",
                     "status", "lease_holder", "lease_start", "lease_end", "lease_rent_fen"),
           "resource": ("code", "name", "kind", "area_mu", "location", "holder", "term_start",
                        "term_end", "rent_fen")}


@dataclass(frozen=True)
class RowError:
    sheet: str
    row: int  # the spreadsheet's row number (the header is row 1)
    reasons: tuple[str, ...]


@dataclass
class ImportReport:
    dry_run: bool
    imported: bool = False
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    errors: list[RowError] = field(default_factory=list)


def _open(data: bytes):
    from openpyxl import load_workbook

    if not data or len(data) > MAX_BYTES:
        raise InvalidInput("ledger.bad_file", f"请上传不超过 {MAX_BYTES // 1024 // 1024} MB 的 "
                                              "Excel 文件（.xlsx）")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a file that is not xlsx
        raise InvalidInput("ledger.bad_file", "无法读取该文件，请上传 Excel 文件（.xlsx）") from exc


def _read_sheet(ws, sheet: Sheet, report: ImportReport) -> list[tuple[int, dict]]:
    rows = ws.iter_rows(values_only=True)
    header = [rules.text_of(v) for v in next(rows, ())]
    where = {}
    for title, key in sheet.columns:
        if title not in header:
            report.errors.append(RowError(sheet.title, 1, (f"缺少“{title}”列",)))
            return []
        where[key] = header.index(title)
    found = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v is None or rules.text_of(v) == "" for v in values):
            continue
        if len(found) == MAX_ROWS:
            report.errors.append(RowError(sheet.title, number,
                                          (f"每张表最多 {MAX_ROWS} 行，请分批导入",)))
            break
        found.append((number, {key: values[i] if i < len(values) else None
                               for key, i in where.items()}))
    return found


def _natural_key(kind: str, clean: dict) -> tuple:
    return tuple(clean[c] for c in KINDS[kind][1])


def _existing(kind: str, village_id: int, keys: list[tuple]) -> dict[tuple, dict]:
    """Existing rows of ``kind`` for ``keys`` as comparable dicts, in batches."""
    model, key_columns, _ = KINDS[kind]
    found: dict[tuple, dict] = {}
    for start in range(0, len(keys), BATCH):
        part = keys[start:start + BATCH]
        query = model.select().where(model.village == village_id)
        if len(key_columns) == 1:
            query = query.where(getattr(model, key_columns[0]).in_([k[0] for k in part]))
        else:
            query = query.where(model.period.in_({k[0] for k in part})
                                & model.voucher_no.in_({k[1] for k in part}))
        for row in query:
            data = _comparable(kind, row)
            found[_natural_key(kind, data)] = data
    return found


def _comparable(kind: str, row) -> dict:
    data = {column: getattr(row, column) for column in COLUMNS[kind]}
    if "area_mu" in data and data["area_mu"] is not None:
        data["area_mu"] = rules.parse_area(data["area_mu"])
    return data


def import_workbook(actor: Actor | None, *, village_id: int, data: bytes,
                    dry_run: bool = True) -> ImportReport:
    """Validate a workbook and, unless ``dry_run``, import it into the village's books.

    Cadres and town admins in scope. Returns the report: per sheet how many rows are new,
    changed or unchanged, and every bad row with its reasons; ``imported`` is true only when
    the rows were written (no bad row and not a dry run). Raises region.not_found,
    ledger.bad_village, Forbidden, ledger.bad_file. A real import writes every row in one
    transaction and audits ledger.import with the counts.
    """
    village = get_village(village_id, "ledger.bad_village")
    grant = authorize(actor, policies.WRITE, village.path)
    workbook = _open(data)
    report = ImportReport(dry_run=dry_run)
    parsed: dict[str, list[dict]] = {}
    try:
        present = [s for s in SHEETS if s.title in workbook.sheetnames]
        if not present:
            raise InvalidInput("ledger.no_known_sheet", "文件中没有“资金收支”“资金期间”“资产”"
                                                        "或“资源”工作表")
        for sheet in present:
            try:
                rows = _read_sheet(workbook[sheet.title], sheet, report)
            except Exception as exc:  # read-only sheets parse lazily: a broken sheet's XML
                raise InvalidInput("ledger.bad_file", "无法读取该文件，请上传 Excel 文件（.xlsx）"
                                   ) from exc
            parsed[sheet.kind] = _validate(sheet, rows, report)
    finally:
        workbook.close()
    for kind, cleans in parsed.items():
        existing = _existing(kind, village.id, [_natural_key(kind, c) for c in cleans])
        counts = {"new": 0, "changed": 0, "unchanged": 0}
        for clean in cleans:
            before = existing.get(_natural_key(kind, clean))
            counts["new" if before is None else "unchanged" if before == clean
                   else "changed"] += 1
        report.counts[kind] = counts
    if report.errors or dry_run:
        return report
    now = utcnow()
    with database.atomic():
        for kind, cleans in parsed.items():
            for clean in cleans:
                upsert(kind, village, clean, now)
        record(actor=actor, grant=grant, action="ledger.import", object_type="village",
               object_id=village.id, region_path=village.path, region_id=village.id,
               summary=report.counts)
    report.imported = True
    return report


def _validate(sheet: Sheet, rows: list[tuple[int, dict]], report: ImportReport) -> list[dict]:
    cleans, seen = [], {}
    for number, raw in rows:
        clean, errors = KINDS[sheet.kind][2](raw)
        if clean is not None:
            key = _natural_key(sheet.kind, clean)
            if key in seen:
                errors = [f"与第 {seen[key]} 行重复（{'、'.join(str(k) for k in key)}）"]
                clean = None
            else:
                seen[key] = number
        if errors:
            report.errors.append(RowError(sheet.title, number, tuple(errors)))
        else:
            cleans.append(clean)
    return cleans


def export_workbook(actor: Actor | None, *, village_id: int) -> bytes:
    """The village's books as a workbook in the import format.

    Supervising staff in scope. Raises region.not_found, ledger.bad_village, Forbidden.
    Reads the rows in keyset batches; audits ledger.export (no content).
    """
    from openpyxl import Workbook

    village = get_village(village_id, "ledger.bad_village")
    grant = authorize(actor, policies.READ, village.path)
    workbook = Workbook(write_only=True)
    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet.title)
        ws.append([title for title, _ in sheet.columns])
        for row in _rows_of(sheet.kind, village.id):
            ws.append(_cells(sheet.kind, row))
    out = io.BytesIO()
    workbook.save(out)
    with database.atomic():
        record(actor=actor, grant=grant, action="ledger.export", object_type="village",
               object_id=village.id, region_path=village.path, region_id=village.id)
    return out.getvalue()


def _rows_of(kind: str, village_id: int):
    model = {"fund_entry": FundEntry, "fund_period": FundPeriod, "asset": Asset,
             "resource": Resource}[kind]
    last = 0
    while True:
        batch = list(model.select().where((model.village == village_id) & (model.id > last))
                     .order_by(model.id).limit(BATCH))
        if not batch:
            return
        yield from batch
        last = batch[-1].id


def _cells(kind: str, row) -> list:
    y = rules.yuan
    if kind == "fund_entry":
        return [row.period, row.voucher_no, row.entry_date,
                rules.FUND_DIRECTIONS[row.direction],
                rules.label(rules.FUND_CATEGORIES[row.direction], row.category), row.summary,
                y(row.amount_fen)]
    if kind == "fund_period":
        return [row.period, y(row.opening_fen), y(row.closing_fen)]
    if kind == "asset":
        return [row.code, row.name, rules.label(rules.ASSET_CATEGORIES, row.category),
                y(row.value_fen), row.acquired_on, row.location,
                rules.label(rules.ASSET_STATUSES, row.status), row.lease_holder or None,
                row.lease_start, row.lease_end, y(row.lease_rent_fen)]
    return [row.code, row.name, rules.label(rules.RESOURCE_KINDS, row.kind),
            _area(row.area_mu), row.location, row.holder or None, row.term_start,
            row.term_end, y(row.rent_fen)]


def _area(value):
    from decimal import Decimal

    return Decimal(rules.parse_area(value))


def export_filename(village_code: str, now: dt.datetime | None = None) -> str:
    """An ASCII file name: the village code and the date (no personal data)."""
    from app.clock import to_local

    return f"ledger-{village_code}-{to_local(now or utcnow()):%Y%m%d}.xlsx"
