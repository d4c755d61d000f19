"""Structured logs: every line is one JSON object with the request id and the route pattern,
and a session full of personal data (login, phone binding, a request quoting a phone number, a
report and its receipt, a staff login, a query string) leaves none of it in any line."""

from __future__ import annotations

import io
import json
import logging
import re

import pytest

from app.accounts.staff import create_staff_account
from app.requests import setup as request_setup
from miniprogram_api.logs import JsonFormatter
from tests.app.reports.world import (
    BODY,
    RESIDENT_PHONE,
    build_world,
    light_kdf,  # noqa: F401
)
from tests.factories import grant

PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
STAFF_PASSWORD = "Ops-staff-pass-2026"
REQUEST_TEXT = "楼道灯坏了，请回电13987654321联系我"
NEW_PHONE = "13812345678"
OPENID = "o-privacy-openid-77"
QUERY_VALUE = "zz-query-secret-cursor"


@pytest.fixture
def captured():
    """Every record any logger writes, formatted as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def lines_of(stream) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def data_of(res) -> dict:
    body = res.get_json()
    assert body["ok"] is True, body
    return body["data"]


def drive_private_session(client, fake_wechat, world) -> list[str]:
    """Make the requests that carry personal data; returns what must never be logged."""
    request_setup.ensure_default_categories()
    staff = create_staff_account(username="ops-wang", password=STAFF_PASSWORD,
                                 display_name="王干部")
    grant(staff, "cadre", world.tree.village_a1)

    login = data_of(client.post("/api/v1/auth/wx-login",
                                json={"code": fake_wechat.issue_login_code(OPENID)}))
    resident_headers = {"Authorization": f"Bearer {world.token(world.resident, 'miniprogram')}"}
    new_user = {"Authorization": f"Bearer {login['token']}"}
    client.post("/api/v1/auth/phone", headers=new_user,
                json={"code": fake_wechat.issue_phone_code(NEW_PHONE)})
    client.get("/api/v1/me", headers=resident_headers)
    submitted = client.post("/api/v1/requests", headers=resident_headers,
                            json={"type": "help", "category_code": "environment",
                                  "text": REQUEST_TEXT})
    assert submitted.status_code == 201, submitted.get_json()
    client.get(f"/api/v1/requests?limit=5&cursor={QUERY_VALUE}", headers=resident_headers)
    report = data_of(client.post("/api/v1/reports/anonymous", json={
        "village_id": world.tree.village_a1.id, "text": BODY,
        "accused_user_id": world.accused.id}))
    client.post("/api/v1/reports/status", json={"receipt": report["receipt"]})
    staff_login = data_of(client.post("/admin/api/v1/auth/login", json={
        "username": "ops-wang", "password": STAFF_PASSWORD}))
    client.get("/admin/api/v1/me", headers={"Authorization": f"Bearer {staff_login['token']}"})
    client.post("/admin/api/v1/auth/login", json={"username": "ops-wang",
                                                  "password": "Wrong-pass-13700001111"})
    return [OPENID, world.resident.openid, NEW_PHONE, RESIDENT_PHONE, "13987654321",
            REQUEST_TEXT, REQUEST_TEXT[:6], BODY, BODY[:10], report["receipt"],
            report["receipt"].replace("-", ""), login["token"], staff_login["token"],
            resident_headers["Authorization"][7:], STAFF_PASSWORD, QUERY_VALUE, "cursor="]


def test_a_session_with_personal_data_leaves_none_of_it_in_the_logs(
        client, fake_wechat, light_kdf, captured):  # noqa: F811
    world = build_world()
    forbidden = drive_private_session(client, fake_wechat, world)
    raw = captured.getvalue().splitlines()
    assert len(raw) >= 8, "every request should have written at least its access line"
    for line in raw:
        assert not PHONE.search(line), line[:300]
        for secret in forbidden:
            assert secret not in line, (secret, line[:300])


def test_every_line_is_json_and_access_lines_name_the_route_pattern(
        client, fake_wechat, light_kdf, captured):  # noqa: F811
    world = build_world()
    drive_private_session(client, fake_wechat, world)
    entries = lines_of(captured)
    for entry in entries:
        assert {"time", "level", "logger", "message"} <= set(entry)
    access = [e for e in entries if e["logger"] == "linli.access"]
    routes = {e["route"] for e in access}
    assert "/api/v1/requests" in routes and "/admin/api/v1/auth/login" in routes
    assert all("?" not in e["route"] for e in access)
    for entry in access:
        assert {"request_id", "method", "route", "status", "duration_ms"} <= set(entry)
        assert isinstance(entry["status"], int) and entry["duration_ms"] >= 0


def test_report_routes_write_no_access_line(client, light_kdf, captured):  # noqa: F811
    client.get("/api/v1/reports/notice")
    client.get("/healthz")
    routes = [e.get("route") for e in lines_of(captured) if e["logger"] == "linli.access"]
    assert routes == ["/healthz"]


def test_a_request_id_from_the_proxy_is_kept_and_echoed(client, captured):
    res = client.get("/healthz", headers={"X-Request-Id": "f3a9c2d1e0b84a7c"})
    assert res.headers["X-Request-Id"] == "f3a9c2d1e0b84a7c"
    access = [e for e in lines_of(captured) if e["logger"] == "linli.access"]
    assert access[-1]["request_id"] == "f3a9c2d1e0b84a7c"


def test_a_request_id_that_is_not_a_short_token_is_replaced(client, captured):
    res = client.get("/healthz", headers={"X-Request-Id": "call 13812345678 now"})
    assert re.fullmatch(r"[0-9a-f]{16}", res.headers["X-Request-Id"])
    assert "13812345678" not in captured.getvalue()


def test_an_exception_is_logged_by_type_and_place_without_its_message():
    try:
        raise ValueError("phone 13812345678 not found")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), None)
        import sys

        record.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(record))
    assert entry["exc_type"] == "ValueError"
    assert "test_logs.py" in entry["exc"] and "13812345678" not in entry["exc"]
