"""Settings come from the environment and refuse unsafe production configurations."""

from __future__ import annotations

import pytest

from config.settings import DEV_SECRET, ConfigError, load_settings


def test_defaults_are_development_on_sqlite():
    settings = load_settings({})
    assert settings.env == "development"
    assert settings.database_url.startswith("sqlite:///")
    assert settings.database_url.endswith("instance/linli.db")
    assert settings.wechat_mode == "fake"


def test_environment_overrides_every_setting():
    settings = load_settings({
        "DATABASE_URL": "postgresql://u:p@db:5432/linli", "REDIS_URL": "redis://r:6379/0",
        "SECRET_KEY": "s" * 40, "WECHAT_APPID": "wx1", "WECHAT_SECRET": "sec",
        "WECHAT_MODE": "live", "LOGIN_MAX_FAILURES": "3",
    })
    assert settings.database_url == "postgresql://u:p@db:5432/linli"
    assert settings.redis_url == "redis://r:6379/0"
    assert (settings.wechat_appid, settings.wechat_secret) == ("wx1", "sec")
    assert settings.wechat_mode == "live" and settings.login_max_failures == 3


def test_production_refuses_the_default_secret():
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings({"LINLI_ENV": "production", "WECHAT_MODE": "live"})
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_settings({"LINLI_ENV": "production", "WECHAT_MODE": "live",
                       "SECRET_KEY": DEV_SECRET})


def test_production_refuses_the_fake_wechat():
    with pytest.raises(ConfigError, match="WECHAT_MODE"):
        load_settings({"LINLI_ENV": "production", "SECRET_KEY": "k" * 40})


def test_production_starts_with_a_real_secret():
    settings = load_settings({"LINLI_ENV": "production", "SECRET_KEY": "k" * 40,
                              "WECHAT_MODE": "live"})
    assert settings.is_production


@pytest.mark.parametrize("env", [{"WECHAT_MODE": "sandbox"}, {"DATABASE_URL": "mysql://x"},
                                 {"LINLI_ENV": "staging"}, {"DB_POOL_SIZE": "many"}])
def test_meaningless_values_are_refused(env):
    with pytest.raises(ConfigError):
        load_settings(env)
