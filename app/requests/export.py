"""CSV and Excel export of the staff queues, streamed in keyset batches.

The rows are those of ``queries.queue_query`` (same queues, filters and scope as the console
list), read ``BATCH`` at a time by ascending id, so memory holds one batch whatever the size.

Personal data minimisation: the export carries no resident names, phone numbers or request
text. The address is the place (village → building) and the free address text with long
numbers masked; a household is shown as its building, since a spreadsheet that leaves the
system does not need the door. Cells a spreadsheet would run as a formula (``=``, ``+``,
``-``, ``@``) are defused. 退单次数 is the request's hop count (returns and transfers).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass

from app.audit.services import record
from app.clock import to_local
from app.db import database
from app.policy import Actor, find_grant, scope_paths
from app.regions.models import Region
from app.regions.rules import path_ids
from app.regions.services import path_of
from app.requests import policies, queries, rules
from app.requests.models import HandlingUnit, Request
from app.requests.open311 import mask_numbers
from app.requests.setup import category_names, town_of

BATCH = 500
HEADERS = ("编号", "类型", "类别", "状态", "提交时间", "受理时限", "办理时限", "办结时间",
           "承办单位", "退单次数", "评价", "地址")
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_ADDRESS_LEVELS = ("village", "grid", "estate", "building")


@dataclass
class Export:
    """A started export: its audited row count and the query its rows come from."""

    queue: str
    filters: dict
    rows: int
    query: object
    batch: int = BATCH

    def iter_rows(self) -> Iterator[tuple]:
        """The data rows (without headers), one batch query at a time. Opens its own
        connection when the caller's is closed, so it can run inside a streamed response."""
        opened = database.is_closed()
        if opened:
            database.connect()
        try:
            last_id = 0
            while True:
                batch = list(self.query.where(Request.id > last_id)
                             .order_by(Request.id).limit(self.batch))
                if not batch:
                    return
                yield from _present(batch)
                last_id = batch[-1].id
        finally:
            if opened:
                database.close()


def start_export(actor: Actor, *, fmt: str, queue: str = "all", batch: int = BATCH,
                 **filters) -> Export:
    """Check access, count the rows and audit the export (``request.export``: format, queue,
    filters and row count — no personal data). Any staff member who may list ``queue``.

    Raises what ``queue_query`` raises (Forbidden, request.bad_queue, region.not_found) and
    ValueError for an unknown format. Writes one audit entry.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    query = queries.queue_query(actor, queue, **filters)
    count = query.count()
    grant, place = _audit_place(actor, filters.get("region_id"))
    summary = {"format": fmt, "queue": queue, "rows": count,
               "filters": {k: (v.isoformat() if isinstance(v, dt.datetime) else v)
                           for k, v in filters.items() if v is not None}}
    with database.atomic():
        record(actor=actor, grant=grant, action="request.export", object_type="request",
               object_id="export", region_path=place, summary=summary)
    return Export(queue, filters, count, query, batch)


def _audit_place(actor: Actor, region_id: int | None):
    if region_id:
        path = path_of(region_id)
        return find_grant(actor, policies.READ, path), path
    paths = scope_paths(actor, policies.READ)
    if len(paths) == 1:
        return find_grant(actor, policies.READ, paths[0]), paths[0]
    return None, "/"


def _present(batch: list[Request]) -> Iterator[tuple]:
    units = dict(HandlingUnit.select(HandlingUnit.id, HandlingUnit.name).where(
        HandlingUnit.id.in_({r.lead_unit_id for r in batch if r.lead_unit_id} or {0})).tuples())
    places = _place_names(batch)
    categories = category_names({(town_of(r.region_path), r.category_code) for r in batch})
    for r in batch:
        address = " ".join(p for p in (places.get(r.region_path, ""),
                                       mask_numbers(r.address_text)) if p)
        yield (r.tracking_no, rules.TYPE_NAMES.get(r.type, r.type),
               categories[(town_of(r.region_path), r.category_code)],
               rules.STATE_NAMES.get(r.status, r.status), _local(r.created_at),
               _local(r.accept_deadline), _local(r.resolve_deadline), _local(r.resolved_at),
               units.get(r.lead_unit_id, ""), r.hop_count,
               rules.RATING_NAMES.get(r.rating, "") if r.rating else "", address)


def _place_names(batch: list[Request]) -> dict[str, str]:
    """Region path → names from the village down to the building (households left out)."""
    ids = {i for r in batch for i in path_ids(r.region_path)}
    nodes = {n.id: n for n in Region.select(Region.id, Region.name, Region.level)
             .where(Region.id.in_(ids or {0}))}
    names = {}
    for path in {r.region_path for r in batch}:
        parts = [nodes[i].name for i in path_ids(path)
                 if i in nodes and nodes[i].level in _ADDRESS_LEVELS]
        names[path] = "".join(parts)
    return names


def _local(value: dt.datetime | None) -> dt.datetime | None:
    """A stored naive-UTC time as a naive Asia/Shanghai time (spreadsheets have no zones)."""
    return to_local(value).replace(tzinfo=None) if value else None


def defuse(value):
    """Text a spreadsheet would treat as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_chunks(export: Export) -> Iterator[bytes]:
    """UTF-8 CSV with a byte-order mark (so Excel reads the Chinese right), one chunk per
    batch of rows."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(HEADERS)
    count = 0
    for row in export.iter_rows():
        writer.writerow([_csv_cell(v) for v in row])
        count += 1
        if count % export.batch == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _csv_cell(value):
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return "" if value is None else defuse(value)


def write_xlsx(export: Export, fileobj) -> None:
    """Write the workbook to ``fileobj`` with openpyxl's write-only mode: rows go to a
    temporary file as they come, not into memory."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("诉求")
    sheet.append(HEADERS)
    for row in export.iter_rows():
        cells = []
        for value in row:
            cell = WriteOnlyCell(sheet, value=defuse(value))
            if isinstance(value, dt.datetime):
                cell.number_format = "yyyy-mm-dd hh:mm"
            cells.append(cell)
        sheet.append(cells)
    workbook.save(fileobj)


def filename(fmt: str, now: dt.datetime) -> str:
    """An ASCII file name such as ``requests-20261123-0900.csv``."""
    return f"requests-{to_local(now):%Y%m%d-%H%M}.{fmt}"
