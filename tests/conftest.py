"""Test fixtures: one app per session, a clean database per test, a fake WeChat over HTTP.

The suite runs against SQLite by default and against PostgreSQL when ``TEST_DATABASE_URL`` is a
``postgresql://`` URL (``make test`` runs both passes). SQLite tests start from a copy of a
migrated template file; PostgreSQL tests empty the tables the last test wrote to. ``make test``
runs the PostgreSQL pass as two shards side by side; a shard named by ``TEST_DATABASE_SHARD``
uses its own database, ``<name>_<shard>``, created on first use.
"""

from __future__ import annotations

import os
import shutil

import pytest
import responses

from app.calendar import services as calendar_services
from app.db import database, make_database
from app.regions import services as region_services
from config import load_settings
from miniprogram_api.wechat.fake import FakeWeChat, install_responses
from tests.pg_databases import ensure_database, sibling_url

TEST_SECRET = "test-secret-key-that-is-long-enough-0123456789"


def _is_pg(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    url = os.environ.get("TEST_DATABASE_URL", "")
    if _is_pg(url):
        shard = os.environ.get("TEST_DATABASE_SHARD", "")
        return ensure_database(sibling_url(url, shard)) if shard else url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


@pytest.fixture(scope="session")
def settings(database_url, tmp_path_factory):
    return load_settings({
        "LINLI_ENV": "test",
        "DATABASE_URL": database_url,
        "SECRET_KEY": TEST_SECRET,
        "WECHAT_MODE": "live",
        "WECHAT_APPID": "wx-test-appid",
        "WECHAT_SECRET": "wx-test-secret",
        "LOG_LEVEL": "DEBUG",
        "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
    })


def _reset_postgres_schema(url: str) -> None:
    db = make_database(url, pool_size=1)
    with db.connection_context():
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")
    db.close_all()


@pytest.fixture(scope="session")
def app(settings, database_url):
    import migrations
    from miniprogram_api import create_app

    if _is_pg(database_url):
        _reset_postgres_schema(database_url)
    application = create_app(settings)
    application.config["TESTING"] = True
    migrations.upgrade(database.obj)
    if not _is_pg(database_url):
        path = database_url[len("sqlite:///"):]
        with database.connection_context():
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        shutil.copyfile(path, path + ".template")
    yield application
    if not database.is_closed():
        database.close()


_PG_TABLES: dict[str, str | None] = {}


def _pg_tables() -> dict[str, str | None]:
    """Every application table and its id sequence (if any), read once per session."""
    if not _PG_TABLES:
        sequences = {row[0] for row in database.execute_sql(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'")}
        for table in database.get_tables():
            if table != "schema_migration":
                seq = f"{table}_id_seq"
                _PG_TABLES[table] = seq if seq in sequences else None
    return _PG_TABLES


def _reset_postgres() -> None:
    """Empty only the tables the last test wrote to, and restart their id sequences.

    TRUNCATE of every table costs about a second per test with fifty tables (catalog locks);
    deleting the few non-empty ones is two orders of magnitude cheaper. Triggers (append-only
    tables) and foreign keys are suspended for this session only while deleting.
    """
    tables = _pg_tables()
    probe = " UNION ALL ".join(
        f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM \"{t}\")" for t in tables)
    dirty = [row[0] for row in database.execute_sql(probe).fetchall()]
    if not dirty:
        return
    with database.atomic():
        database.execute_sql("SET LOCAL session_replication_role = replica")
        for table in dirty:
            database.execute_sql(f'DELETE FROM "{table}"')
            if tables[table]:
                database.execute_sql(f'ALTER SEQUENCE "{tables[table]}" RESTART')


@pytest.fixture(autouse=True)
def clean_db(app, database_url):
    if not database.is_closed():
        database.close()
    # Pooled connections would keep the old SQLite file open across the copy below.
    database.close_all()
    if _is_pg(database_url):
        with database.connection_context():
            _reset_postgres()
    else:
        path = database_url[len("sqlite:///"):]
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        shutil.copyfile(path + ".template", path)
    region_services.clear_cache()
    calendar_services.clear_cache()
    yield
    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def fake_wechat(app, settings):
    """A FakeWeChat behind ``responses``: the app's real wechatpy client talks HTTP to it."""
    fake = FakeWeChat(settings.wechat_appid, settings.wechat_secret, allow_test_codes=False)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        install_responses(rsps, fake, settings.wechat_api_base)
        yield fake


@pytest.fixture
def is_postgres(database_url):
    return _is_pg(database_url)


def pytest_report_header(config):
    url = os.environ.get("TEST_DATABASE_URL", "")
    return f"linli database: {'postgresql' if _is_pg(url) else 'sqlite'}"

