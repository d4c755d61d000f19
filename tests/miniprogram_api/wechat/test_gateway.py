"""The WeChat gateway against the fake WeChat over HTTP: tokens shared, refreshed, errors mapped."""

from __future__ import annotations

import os

import pytest
import redis as redis_lib

from app.errors import ServiceUnavailable, Unauthorized
from miniprogram_api.wechat.gateway import build_gateway
from miniprogram_api.wechat.token_store import DatabaseStorage, build_storage

REDIS_URL = "redis://127.0.0.1:6379/15"


def test_two_processes_share_one_access_token_through_the_database(settings, fake_wechat):
    first, second = build_gateway(settings), build_gateway(settings)
    assert first.client.access_token == second.client.access_token
    assert fake_wechat.token_fetches == 1
    assert fake_wechat.calls[0] == ("POST", "cgi-bin/stable_token")


def test_token_errors_refresh_once_with_force_refresh(settings, fake_wechat):
    gateway = build_gateway(settings)
    code = fake_wechat.issue_phone_code("13600001234")
    gateway.client.access_token  # noqa: B018 - warm the cache
    fake_wechat.tokens.clear()  # WeChat forgets the token: next call answers 40001
    assert gateway.phone_number(code) == "13600001234"
    assert fake_wechat.token_fetches == 2


def test_a_second_token_error_is_not_retried_forever(settings, fake_wechat):
    gateway = build_gateway(settings)
    fake_wechat.inject_error("wxa/business/getuserphonenumber", 40001, times=2)
    with pytest.raises(ServiceUnavailable) as info:
        gateway.phone_number(fake_wechat.issue_phone_code("13600001234"))
    assert info.value.details["wechat_errcode"] == 40001
    assert fake_wechat.token_fetches == 2


def test_invalid_phone_code_maps_to_invalid_code(settings, fake_wechat):
    with pytest.raises(Unauthorized) as info:
        build_gateway(settings).phone_number("bogus")
    assert info.value.code == "auth.invalid_code"


def test_network_failure_is_retryable_unavailable(settings):
    import requests
    import responses

    gateway = build_gateway(settings)
    with responses.RequestsMock() as rsps:
        rsps.add("GET", "https://api.weixin.qq.com/sns/jscode2session",
                 body=requests.ConnectionError("down"))
        with pytest.raises(ServiceUnavailable) as info:
            gateway.code_to_session("abc")
    assert info.value.code == "wechat.unreachable"
    assert info.value.details["retryable"] is True


def test_fake_mode_serves_test_codes_without_network(settings):
    gateway = build_gateway(settings.with_overrides(wechat_mode="fake"))
    assert gateway.code_to_session("test:demo-resident-1").openid == "demo-resident-1"


def test_database_storage_expires_values():
    storage = DatabaseStorage()
    storage.set("k", {"a": 1}, ttl=60)
    assert storage.get("k") == {"a": 1}
    storage.set("gone", "v", ttl=-1)
    assert storage.get("gone", "default") == "default"
    storage.delete("k")
    assert storage.get("k") is None


def test_redis_storage_is_used_when_redis_url_is_set():
    client = redis_lib.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis_lib.ConnectionError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    storage = build_storage(REDIS_URL)
    key = f"wx_access_token_{os.getpid()}"  # the SQLite and PostgreSQL passes run at once
    storage.set(key, "tok", ttl=30)
    assert storage.get(key) == "tok"
    assert 0 < client.ttl(f"linli:wechat:{key}") <= 30
    storage.delete(key)
    assert storage.get(key) is None
