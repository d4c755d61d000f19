"""Operations settings: the metrics token, proxy count and rate limits from the environment."""

from __future__ import annotations

import pytest

from config.settings import ConfigError, load_settings


def test_rate_limits_are_on_by_default_outside_the_test_environment():
    settings = load_settings({})
    assert settings.rate_limits_enabled is True
    assert settings.rate_limit_staff_login == "10 per minute"
    assert settings.metrics_token is None and settings.trusted_proxy_count == 0


def test_the_test_environment_turns_rate_limits_off_unless_asked():
    assert load_settings({"LINLI_ENV": "test"}).rate_limits_enabled is False
    on = load_settings({"LINLI_ENV": "test", "RATE_LIMITS_ENABLED": "1"})
    assert on.rate_limits_enabled is True


def test_operations_variables_are_read():
    settings = load_settings({"METRICS_TOKEN": "t0k", "TRUSTED_PROXY_COUNT": "1",
                              "RATE_LIMIT_RECEIPT_CHECK": "5 per hour"})
    assert settings.metrics_token == "t0k" and settings.trusted_proxy_count == 1
    assert settings.rate_limit_receipt_check == "5 per hour"


def test_a_rate_limit_that_does_not_parse_is_refused_at_boot():
    with pytest.raises(ConfigError, match="RATE_LIMIT_STAFF_LOGIN"):
        load_settings({"RATE_LIMIT_STAFF_LOGIN": "lots"})
