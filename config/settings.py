"""One frozen Settings object built from environment variables.

Defaults suit development on SQLite (``instance/linli.db``). Production (``LINLI_ENV=production``)
refuses to start with the development secret, so a forgotten variable fails loudly at boot rather
than signing tokens with a key published in this repository.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEV_SECRET = "dev-only-secret-change-me"
ENVIRONMENTS = ("development", "test", "production")


class ConfigError(RuntimeError):
    """Raised when the environment describes a configuration that must not run."""


def _bool(value: str | None, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "on")


def _int(env: dict, name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be an integer, got {raw!r}") from exc


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with development defaults."""

    env: str = "development"
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'instance' / 'linli.db'}"
    # Anonymous public reads (/p pages, region picker, transparency log, Open311 lists) go
    # here when set; empty: everything reads the primary. Same engine as DATABASE_URL.
    database_replica_url: str = ""
    redis_url: str | None = None
    secret_key: str = DEV_SECRET
    wechat_appid: str = "wx-fake-appid"
    wechat_secret: str = "fake-secret"
    wechat_mode: str = "fake"
    wechat_api_base: str = "https://api.weixin.qq.com/"
    media_root: str = str(PROJECT_ROOT / "instance" / "media")
    max_content_length: int = 16 * 1024 * 1024
    token_ttl_seconds: int = 30 * 24 * 3600
    staff_token_ttl_seconds: int = 12 * 3600
    staff_idle_timeout_seconds: int = 30 * 60
    login_max_failures: int = 5
    login_lockout_seconds: int = 15 * 60
    db_pool_size: int = 8
    sqlite_busy_timeout_ms: int = 5000
    log_level: str = "INFO"
    # Operations (/metrics, rate limits, proxies in front of gunicorn).
    metrics_token: str | None = None
    trusted_proxy_count: int = 0
    rate_limits_enabled: bool = True
    rate_limit_staff_login: str = "10 per minute"
    rate_limit_request_submit: str = "20 per hour"
    rate_limit_receipt_check: str = "30 per hour"
    extra: dict = field(default_factory=dict)

    @property
    def is_production(self) -> bool:
        return self.env == "production"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def with_overrides(self, **changes) -> Settings:
        """A copy with some fields changed (tests and CLI use this)."""
        return replace(self, **changes)


def load_settings(environ: dict | None = None) -> Settings:
    """Build Settings from ``environ`` (default: ``os.environ``) and validate them."""
    env = dict(os.environ if environ is None else environ)
    name = env.get("LINLI_ENV", "development")
    if name not in ENVIRONMENTS:
        raise ConfigError(f"LINLI_ENV must be one of {ENVIRONMENTS}, got {name!r}")
    defaults = Settings()
    settings = Settings(
        env=name,
        database_url=env.get("DATABASE_URL") or defaults.database_url,
        database_replica_url=(env.get("DATABASE_REPLICA_URL") or "").strip(),
        redis_url=env.get("REDIS_URL") or None,
        secret_key=env.get("SECRET_KEY") or DEV_SECRET,
        wechat_appid=env.get("WECHAT_APPID") or defaults.wechat_appid,
        wechat_secret=env.get("WECHAT_SECRET") or defaults.wechat_secret,
        wechat_mode=env.get("WECHAT_MODE") or defaults.wechat_mode,
        wechat_api_base=env.get("WECHAT_API_BASE") or defaults.wechat_api_base,
        media_root=env.get("MEDIA_ROOT") or defaults.media_root,
        max_content_length=_int(env, "MAX_CONTENT_LENGTH", defaults.max_content_length),
        token_ttl_seconds=_int(env, "TOKEN_TTL_SECONDS", defaults.token_ttl_seconds),
        staff_token_ttl_seconds=_int(
            env, "STAFF_TOKEN_TTL_SECONDS", defaults.staff_token_ttl_seconds
        ),
        staff_idle_timeout_seconds=_int(
            env, "STAFF_IDLE_TIMEOUT_SECONDS", defaults.staff_idle_timeout_seconds
        ),
        login_max_failures=_int(env, "LOGIN_MAX_FAILURES", defaults.login_max_failures),
        login_lockout_seconds=_int(env, "LOGIN_LOCKOUT_SECONDS", defaults.login_lockout_seconds),
        db_pool_size=_int(env, "DB_POOL_SIZE", defaults.db_pool_size),
        sqlite_busy_timeout_ms=_int(env, "SQLITE_BUSY_TIMEOUT_MS", defaults.sqlite_busy_timeout_ms),
        log_level=env.get("LOG_LEVEL") or defaults.log_level,
        metrics_token=env.get("METRICS_TOKEN") or None,
        trusted_proxy_count=_int(env, "TRUSTED_PROXY_COUNT", defaults.trusted_proxy_count),
        # Off by default under test: the suite logs in and submits from one address far
        # faster than any person; the rate-limit tests switch them on.
        rate_limits_enabled=_bool(env.get("RATE_LIMITS_ENABLED"), name != "test"),
        rate_limit_staff_login=env.get("RATE_LIMIT_STAFF_LOGIN")
        or defaults.rate_limit_staff_login,
        rate_limit_request_submit=env.get("RATE_LIMIT_REQUEST_SUBMIT")
        or defaults.rate_limit_request_submit,
        rate_limit_receipt_check=env.get("RATE_LIMIT_RECEIPT_CHECK")
        or defaults.rate_limit_receipt_check,
    )
    validate(settings)
    return settings


def validate(settings: Settings) -> None:
    """Refuse configurations that are unsafe or meaningless."""
    if settings.wechat_mode not in ("fake", "live"):
        raise ConfigError("WECHAT_MODE must be 'fake' or 'live'")
    if _engine(settings.database_url) is None:
        raise ConfigError("DATABASE_URL must start with sqlite:/// or postgresql://")
    if settings.database_replica_url:
        engine = _engine(settings.database_replica_url)
        if engine is None:
            raise ConfigError("DATABASE_REPLICA_URL must start with sqlite:/// or postgresql://")
        if engine != _engine(settings.database_url):
            raise ConfigError("DATABASE_REPLICA_URL must use the same engine as DATABASE_URL")
    for name in ("rate_limit_staff_login", "rate_limit_request_submit",
                 "rate_limit_receipt_check"):
        _check_rate(name, getattr(settings, name))
    if settings.is_production:
        if settings.secret_key == DEV_SECRET or len(settings.secret_key) < 32:
            raise ConfigError("production needs SECRET_KEY set to 32+ random characters")
        if settings.wechat_mode == "fake":
            raise ConfigError("production must not run with WECHAT_MODE=fake")


def _engine(url: str) -> str | None:
    if url.startswith("sqlite:///"):
        return "sqlite"
    if url.startswith(("postgresql://", "postgres://")):
        return "postgresql"
    return None


def _check_rate(name: str, value: str) -> None:
    from limits import parse_many

    try:
        parse_many(value)
    except ValueError as exc:
        raise ConfigError(f"{name.upper()} must read like '10 per minute', got {value!r}") from exc
