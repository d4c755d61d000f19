"""HTTP: request statistics and the CSV / Excel downloads of the staff queues."""

from __future__ import annotations

import csv
import datetime as dt
import io

from openpyxl import load_workbook

from app.audit.models import AuditEntry
from tests.app.requests import conftest as requests_conftest
from tests.app.requests.conftest import MONDAY_9AM
from tests.app.requests.lifecycle import dispatched_at, rated, resolved_at, submit_at
from tests.factories import bearer

API = "/admin/api/v1/requests"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
town = requests_conftest.town  # the service tests' small town, shared


def staff(user):
    return bearer(user, "staff")


def test_csv_download_streams_a_bom_file_with_the_queue_rows(client, town):
    made = [submit_at(town, MONDAY_9AM) for _ in range(3)]
    res = client.get(f"{API}/export.csv?queue=to_accept", headers=staff(town.cadre))
    assert res.status_code == 200
    assert res.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert res.headers["Content-Disposition"].startswith('attachment; filename="requests-')
    assert res.headers["Cache-Control"] == "no-store"
    assert res.is_streamed
    rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
    assert res.data.startswith("\ufeff".encode())
    assert rows[0][0] == "编号" and [r[0] for r in rows[1:]] == [r.tracking_no for r in made]
    assert AuditEntry.select().where(AuditEntry.action == "request.export").count() == 1


def test_xlsx_download_opens_in_openpyxl(client, town):
    request = dispatched_at(town, MONDAY_9AM)
    rated(town, resolved_at(town, request, MONDAY_9AM + dt.timedelta(hours=5)), "satisfied",
          MONDAY_9AM + dt.timedelta(hours=6))
    res = client.get(f"{API}/export.xlsx?status=closed", headers=staff(town.town_admin))
    assert res.status_code == 200 and res.mimetype == XLSX
    assert res.headers["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(res.data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("编号", "类型", "类别", "状态")
    assert rows[1][0] == request.tracking_no and rows[1][10] == "满意"


def test_local_times_without_an_offset_are_shanghai_times(client, town):
    submit_at(town, dt.datetime(2026, 10, 31, 15, 0))  # 23:00 on 31 October in Shanghai
    late = submit_at(town, dt.datetime(2026, 10, 31, 17, 0))  # 01:00 on 1 November
    for since in ("2026-11-01T00:00:00", "2026-11-01T00:00:00%2B08:00",
                  "2026-10-31T16:00:00Z"):
        res = client.get(f"{API}/export.csv?created_from={since}", headers=staff(town.cadre))
        rows = list(csv.reader(io.StringIO(res.data.decode("utf-8-sig"))))
        assert [r[0] for r in rows[1:]] == [late.tracking_no], since


def test_export_errors_come_in_the_envelope_before_any_file(client, town):
    res = client.get(f"{API}/export.csv", headers=bearer(town.resident))
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "auth.staff_only"
    res = client.get(f"{API}/export.xlsx", headers=staff(town.handler))
    assert res.status_code == 403 and res.get_json()["error"]["code"] == "permission.denied"
    res = client.get(f"{API}/export.csv?queue=nope", headers=staff(town.cadre))
    assert res.status_code == 422 and res.get_json()["error"]["code"] == "request.bad_queue"
    res = client.get(f"{API}/export.csv?limit=5", headers=staff(town.cadre))
    assert res.status_code == 422  # exports are not paged
    assert not AuditEntry.select().where(AuditEntry.action == "request.export").exists()


def test_statistics_come_in_the_envelope(client, town):
    request = dispatched_at(town, MONDAY_9AM)
    rated(town, resolved_at(town, request, MONDAY_9AM + dt.timedelta(hours=5)), "satisfied",
          MONDAY_9AM + dt.timedelta(hours=6))
    res = client.get(f"{API}/stats?group_by=month", headers=staff(town.discipline))
    assert res.status_code == 200
    [row] = res.get_json()["data"]
    assert row["key"] == "2026-11" and row["label"] == "2026年11月"
    assert (row["total"], row["on_time_rate"], row["avg_handling_hours"]) == (1, 1.0, 5.0)
    assert row["ratings"] == {"satisfied": 1, "basically": 0, "unsatisfied": 0, "none": 0}
    res = client.get(f"{API}/stats?group_by=village", headers=staff(town.grid_worker))
    assert res.status_code == 403
    res = client.get(f"{API}/stats?group_by=street", headers=staff(town.cadre))
    assert res.status_code == 422


def test_openapi_documents_the_downloads_and_statistics(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    csv_op = spec["paths"][f"{API}/export.csv"]["get"]
    assert set(csv_op["responses"]["200"]["content"]) == {"text/csv"}
    xlsx_op = spec["paths"][f"{API}/export.xlsx"]["get"]
    assert set(xlsx_op["responses"]["200"]["content"]) == {XLSX}
    names = {p["name"] for p in csv_op["parameters"]}
    assert {"queue", "status", "created_from"} <= names and "cursor" not in names
    assert "group_by" in {p["name"] for p in spec["paths"][f"{API}/stats"]["get"]["parameters"]}
