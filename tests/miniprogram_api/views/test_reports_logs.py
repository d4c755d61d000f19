"""No leak through logs: a whole report exchange at DEBUG writes no openid, phone, receipt,
token or report text to any log line; access lines of report paths are not written at all."""

from __future__ import annotations

import http.client
import logging
import threading

import pytest
from werkzeug.serving import make_server

from app.reports import handling
from miniprogram_api.views.reports import DropReportAccessLines
from tests.app.reports.world import (
    BODY,
    KEY_PASSWORD,
    RESIDENT_PHONE,
    build_world,
    light_kdf,  # noqa: F401
)

R = "/api/v1/reports"
A = "/admin/api/v1/reports"
SECRETS = ("补充：会计也参与了分钱", "请提供转账截图", "核实举报人身份以便当面询问情况",
           "经核实问题属实予以处分")


@pytest.fixture
def world(light_kdf):  # noqa: F811
    return build_world()


def _lines(caplog) -> list[str]:
    lines = []
    for record in caplog.records:
        text = f"{record.name} {record.levelname} {record.getMessage()}"
        if record.exc_info:
            text += logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            text += record.exc_text
        lines.append(text)
    return lines


def test_a_whole_report_exchange_logs_nothing_sensitive(client, world, caplog, monkeypatch):
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="werkzeug")
    caplog.set_level(logging.DEBUG, logger="peewee")
    resident_token = world.token(world.resident, "miniprogram")
    officer = {"Authorization": f"Bearer {world.token(world.officer)}"}
    officer2 = {"Authorization": f"Bearer {world.token(world.officer2)}"}
    caplog.clear()

    body = {"village_id": world.tree.village_a1.id, "text": BODY,
            "accused_user_id": world.accused.id}
    anonymous = client.post(f"{R}/anonymous", json=body).get_json()["data"]
    confidential = client.post(R, json=body, headers={
        "Authorization": f"Bearer {resident_token}"}).get_json()["data"]
    receipt = confidential["receipt"]
    client.post(f"{R}/information", json={"receipt": receipt, "text": SECRETS[0]})
    client.post(f"{R}/status", json={"receipt": "0000-0000-0000-0000"})
    for headers in (officer, officer2):
        client.post(f"{A}/keys/unlock", json={"key_password": KEY_PASSWORD}, headers=headers)
    client.post(f"{A}/keys/unlock", json={"key_password": "wrong-password-1"}, headers=officer2)
    report_id = confidential["report_id"]
    client.get(f"{A}/{report_id}", headers=officer)
    client.post(f"{A}/{report_id}/messages", json={"text": SECRETS[1]}, headers=officer)
    res = client.post(f"{A}/{report_id}/reveal-requests", json={"reason": SECRETS[2]},
                      headers=officer)
    reveal_id = res.get_json()["data"]["reveal_requests"][0]["id"]
    client.post(f"{A}/{report_id}/reveal-requests/{reveal_id}/approve", headers=officer2)
    client.post(f"{A}/{report_id}/reveal", headers=officer)
    client.post(f"{A}/{anonymous['report_id']}/transition",
                json={"to": "not_accepted", "text": SECRETS[3]}, headers=officer)
    client.post(f"{R}/status", headers={"X-Report-Receipt": receipt}, json={})

    def explode(*args, **kwargs):
        raise RuntimeError(f"boom {BODY} {receipt}")

    monkeypatch.setattr(handling, "read_report", explode)
    crashed = client.get(f"{A}/{report_id}", headers=officer)
    assert crashed.status_code == 500 and crashed.headers["Cache-Control"] == "no-store"

    lines = _lines(caplog)
    assert lines, "the exchange was expected to log something (SQL at DEBUG, the crash)"
    assert any("RuntimeError" in line for line in lines)  # operators still learn the kind
    forbidden = [BODY, BODY[:10], RESIDENT_PHONE, world.resident.openid, receipt,
                 receipt.replace("-", ""), anonymous["receipt"],
                 anonymous["receipt"].replace("-", ""), resident_token, KEY_PASSWORD,
                 "举报的村民", officer["Authorization"][7:], *SECRETS]
    for line in lines:
        for secret in forbidden:
            assert secret not in line, (secret, line[:200])


def test_the_access_filter_drops_report_paths_only():
    keep = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                             '%s - - "%s" %s', ("127.0.0.1", "GET /api/v1/me HTTP/1.1", 200),
                             None)
    drop = logging.LogRecord("werkzeug", logging.INFO, __file__, 1,
                             '%s - - "%s" %s',
                             ("127.0.0.1", "POST /api/v1/reports/status HTTP/1.1", 200), None)
    admin = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1,
                              "GET /admin/api/v1/reports/3 200", (), None)
    guard = DropReportAccessLines()
    assert guard.filter(keep) and not guard.filter(drop) and not guard.filter(admin)


def test_a_real_werkzeug_server_writes_no_access_line_for_report_paths(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        for path in (f"{R}/notice", "/api/v1/openapi.json"):
            conn = http.client.HTTPConnection("127.0.0.1", server.server_port, timeout=10)
            conn.request("GET", path)
            assert conn.getresponse().status == 200
            conn.close()
    finally:
        server.shutdown()
        thread.join(timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "werkzeug"]
    assert any("/api/v1/openapi.json" in line for line in lines)
    assert not any("/reports" in line for line in lines)
