"""Every response, errors included, uses the one JSON envelope."""

from __future__ import annotations

import pytest

from miniprogram_api import create_app


@pytest.fixture
def strict_app(settings):
    """A second app with a tiny body limit and a route that crashes."""
    application = create_app(settings.with_overrides(max_content_length=1024))

    @application.get("/boom")
    def boom():
        raise RuntimeError("secret internals 13812341234")

    return application


def assert_error(res, status, code):
    assert res.status_code == status
    body = res.get_json()
    assert body["ok"] is False
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert isinstance(body["error"]["details"], dict)
    return body


def test_unknown_url_is_a_404_envelope(client):
    assert_error(client.get("/api/v1/nope"), 404, "not_found")


def test_wrong_method_is_a_405_envelope_with_allow_header(client):
    res = client.get("/api/v1/auth/wx-login")
    assert_error(res, 405, "method_not_allowed")
    assert "POST" in res.headers["Allow"]


def test_oversized_body_is_a_413_envelope(strict_app):
    res = strict_app.test_client().post("/api/v1/auth/wx-login",
                                        data="x" * 5000, content_type="application/json")
    assert_error(res, 413, "request.too_large")


def test_validation_error_is_a_422_with_field_messages(client):
    res = client.post("/api/v1/auth/wx-login", json={"code": ""})
    body = assert_error(res, 422, "validation.failed")
    assert "code" in body["error"]["details"]["fields"]


def test_unknown_field_is_rejected(client):
    res = client.post("/api/v1/auth/wx-login", json={"code": "x", "admin": True})
    body = assert_error(res, 422, "validation.failed")
    assert "admin" in body["error"]["details"]["fields"]


def test_non_json_body_is_a_422(client):
    res = client.post("/api/v1/auth/wx-login", data="code=1",
                      content_type="application/x-www-form-urlencoded")
    assert_error(res, 422, "request.bad_json")


def test_crash_is_a_500_envelope_that_hides_internals(strict_app, caplog):
    res = strict_app.test_client().get("/boom", headers={"X-Request-Id": "req-42"})
    body = assert_error(res, 500, "internal")
    assert body["error"]["details"] == {"request_id": "req-42"}
    assert "secret internals" not in res.get_data(as_text=True)
    assert res.headers["X-Request-Id"] == "req-42"


def test_success_uses_ok_and_data(client):
    res = client.get("/healthz")
    assert res.get_json() == {"ok": True, "data": {"status": "alive"}}


def test_bad_cursor_is_a_clear_422(client):
    from miniprogram_api.pagination import decode_cursor

    with pytest.raises(Exception) as info:
        decode_cursor("!!!not-a-cursor")
    assert info.value.code == "pagination.bad_cursor"
