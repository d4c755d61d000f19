"""CSV and Excel exports of the staff queues: they parse back, carry no personal data, batch."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from openpyxl import load_workbook

from app.audit.models import AuditEntry
from app.clock import frozen
from app.errors import Forbidden
from app.requests import export, setup
from app.requests import services as requests
from tests.app.requests.conftest import MONDAY_9AM
from tests.app.requests.lifecycle import dispatched_at, rated, resolved_at, submit_at
from tests.factories import grant, make_user

PHONE = "13812345678"


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def run_csv(actor, **kw) -> bytes:
    return b"".join(export.csv_chunks(export.start_export(actor, fmt="csv", **kw)))


def run_xlsx(actor, **kw) -> list[tuple]:
    buffer = io.BytesIO()
    export.write_xlsx(export.start_export(actor, fmt="xlsx", **kw), buffer)
    buffer.seek(0)
    return list(load_workbook(buffer, read_only=True).active.iter_rows(values_only=True))


@pytest.fixture
def closed_request(town):
    request = dispatched_at(town, MONDAY_9AM, address_text="3号楼东侧路灯")
    resolved = resolved_at(town, request, MONDAY_9AM + dt.timedelta(days=1))
    return rated(town, resolved, "basically", MONDAY_9AM + dt.timedelta(days=1, hours=2))


@pytest.fixture
def phoned_in(town):
    with frozen(MONDAY_9AM + dt.timedelta(hours=1)):
        return requests.submit_request(
            town.actor(town.grid_worker), type="complaint", category_code="roads",
            text="陈先生来电反映路口积水", channel="phone", region_id=town.tree.grid_a1.id,
            address_text=f"路口（回电{PHONE}）", on_behalf={"name": "陈先生", "phone": PHONE})


EXPECTED_CLOSED = ["R20261123-0001", "求助", "环境卫生", "已销号", "2026-11-23 09:00",
                   "2026-11-25 00:00", "2026-11-27 00:00", "2026-11-24 09:00",
                   "东星社区第一网格", "0", "基本满意", "东星社区第一网格1号楼 3号楼东侧路灯"]


def test_csv_parses_back_with_chinese_headers_and_the_rows(town, closed_request, phoned_in):
    rows = csv_rows(run_csv(town.actor(town.town_admin)))
    assert tuple(rows[0]) == export.HEADERS
    assert rows[1] == EXPECTED_CLOSED
    assert rows[2][:4] == ["R20261123-0002", "投诉", "道路交通", "已提交"]
    assert rows[2][6:11] == ["", "", "", "0", ""]
    assert rows[2][11] == "东星社区第一网格 路口（回电138****5678）"
    assert len(rows) == 3


def test_xlsx_parses_back_with_the_same_rows(town, closed_request, phoned_in):
    rows = run_xlsx(town.actor(town.town_admin))
    assert rows[0] == export.HEADERS
    first = rows[1]
    assert first[0] == "R20261123-0001" and first[3] == "已销号"
    assert first[4] == dt.datetime(2026, 11, 23, 9, 0)  # a real date cell, Shanghai time
    assert first[9] == 0 and first[10] == "基本满意"
    assert rows[2][0] == "R20261123-0002" and len(rows) == 3


def test_no_phone_numbers_names_or_request_text_leave_the_system(town, phoned_in):
    data = run_csv(town.actor(town.town_admin)).decode("utf-8-sig")
    rows = run_xlsx(town.actor(town.town_admin))
    cells = " ".join(str(v) for row in rows for v in row if v is not None)
    for text in (data, cells):
        assert PHONE not in text  # typed into the address: masked like everywhere else
        assert "陈先生" not in text and "张阿姨" not in text
        assert "积水" not in text  # the free text stays in the system


def test_households_are_shown_as_their_building(town):
    submit_at(town, MONDAY_9AM)  # placed at the resident's household (101室)
    rows = csv_rows(run_csv(town.actor(town.town_admin)))
    assert rows[1][11] == "东星社区第一网格1号楼"
    assert "101" not in rows[1][11]


def test_more_rows_than_one_batch_come_in_id_order(town, monkeypatch):
    made = [submit_at(town, MONDAY_9AM) for _ in range(5)]
    sizes = []
    present = export._present
    monkeypatch.setattr(export, "_present", lambda batch: (sizes.append(len(batch)),
                                                           present(batch))[1])
    data = b"".join(export.csv_chunks(export.start_export(
        town.actor(town.town_admin), fmt="csv", batch=2)))
    assert sizes == [2, 2, 1]
    assert [r[0] for r in csv_rows(data)[1:]] == [r.tracking_no for r in made]
    sizes.clear()
    buffer = io.BytesIO()
    export.write_xlsx(export.start_export(town.actor(town.town_admin), fmt="xlsx", batch=2),
                      buffer)
    assert sizes == [2, 2, 1]


def test_filters_and_queues_apply_as_in_the_console(town, closed_request, phoned_in):
    admin = town.actor(town.town_admin)
    rows = csv_rows(run_csv(admin, queue="to_accept"))
    assert [r[0] for r in rows[1:]] == [phoned_in.tracking_no]
    rows = csv_rows(run_csv(admin, status="closed"))
    assert [r[0] for r in rows[1:]] == [closed_request.tracking_no]
    rows = csv_rows(run_csv(admin, category_code="roads", channel="phone"))
    assert [r[0] for r in rows[1:]] == [phoned_in.tracking_no]


def test_a_cadre_exports_only_their_village(town):
    mine = submit_at(town, MONDAY_9AM)
    other = make_user(household=town.tree.household_a2)
    grant(other, "resident", town.tree.household_a2)
    submit_at(town, MONDAY_9AM, resident=other, text="村口路灯坏了好几天")
    rows = csv_rows(run_csv(town.actor(town.cadre)))
    assert [r[0] for r in rows[1:]] == [mine.tracking_no]


def test_residents_may_not_export(town):
    with pytest.raises(Forbidden):
        export.start_export(town.actor(town.resident, "miniprogram"), fmt="csv")
    assert not AuditEntry.select().where(AuditEntry.action == "request.export").exists()


def test_each_export_is_audited_with_filters_and_row_count(town, phoned_in):
    export.start_export(town.actor(town.cadre), fmt="xlsx", status="submitted",
                        region_id=town.tree.village_a1.id)
    entry = AuditEntry.get(AuditEntry.action == "request.export")
    summary = json.loads(entry.summary)
    assert summary == {"format": "xlsx", "queue": "all", "rows": 1,
                       "filters": {"status": "submitted", "region_id": town.tree.village_a1.id}}
    assert (entry.actor_id, entry.actor_role) == (town.cadre.id, "cadre")
    assert entry.region_path == town.tree.village_a1.path
    assert PHONE not in entry.summary and "陈" not in entry.summary


def test_formula_like_text_is_defused(town):
    setup.save_category(town.actor(town.town_admin), town_id=town.tree.town_a.id,
                        code="environment", name="=1+1")
    submit_at(town, MONDAY_9AM)
    assert csv_rows(run_csv(town.actor(town.town_admin)))[1][2] == "'=1+1"
    assert run_xlsx(town.actor(town.town_admin))[1][2] == "'=1+1"
    assert export.defuse("-3") == "'-3" and export.defuse("@x") == "'@x"
    assert export.defuse(3) == 3 and export.defuse("东星") == "东星"
