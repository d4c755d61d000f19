"""Migrations apply in order, record themselves, are idempotent, and upgrade populated data."""

from __future__ import annotations

import peewee
import pytest

import migrations
from app.db import make_database

FIRST = "0001_foundation"


@pytest.fixture
def scratch_db(tmp_path, database_url):
    """An empty database of the engine under test (a private schema on PostgreSQL)."""
    if database_url.startswith("postgres"):
        db = make_database(database_url, pool_size=2)
        with db.connection_context():
            db.execute_sql("DROP SCHEMA IF EXISTS migration_test CASCADE")
            db.execute_sql("CREATE SCHEMA migration_test")
        db.close_all()
        db = make_database(database_url, pool_size=2)
        db.connect_params["options"] = "-c search_path=migration_test"
        yield db
        db.close_all()
        cleanup = make_database(database_url, pool_size=1)
        with cleanup.connection_context():
            cleanup.execute_sql("DROP SCHEMA migration_test CASCADE")
        cleanup.close_all()
    else:
        db = make_database(f"sqlite:///{tmp_path / 'scratch.db'}")
        yield db
        db.close()


def test_upgrade_applies_every_migration_then_nothing(scratch_db):
    names = [name for name, _ in migrations.status(scratch_db)]
    assert names[0] == FIRST
    assert migrations.upgrade(scratch_db) == names
    assert migrations.upgrade(scratch_db) == []
    assert migrations.pending(scratch_db) == []


def test_applied_versions_are_recorded(scratch_db):
    migrations.upgrade(scratch_db)
    with scratch_db.connection_context():
        rows = scratch_db.execute_sql("SELECT name FROM schema_migration").fetchall()
    assert (FIRST,) in [tuple(r) for r in rows]


def _populate_foundation(db: peewee.Database) -> None:
    """Rows as version 0001 knew them, written in raw SQL (no current models)."""
    sql = [
        "INSERT INTO region (id, code, name, level, parent_id, path, depth, created_at) VALUES "
        "(1, '350500', '丰泽区', 'district', NULL, '/1/', 0, '2026-01-01 00:00:00')",
        "INSERT INTO region (id, code, name, level, parent_id, path, depth, created_at) VALUES "
        "(2, '350500001', '东海街道', 'town', 1, '/1/2/', 1, '2026-01-01 00:00:00')",
        "INSERT INTO \"user\" (id, openid, display_name, is_volunteer, is_party_member, status,"
        " created_at) VALUES (1, 'o-old', '老用户', TRUE, FALSE, 'active', '2026-01-01 00:00:00')",
        "INSERT INTO role_grant (id, user_id, role, region_id, created_at) VALUES "
        "(1, 1, 'town_admin', 2, '2026-01-01 00:00:00')",
        "INSERT INTO audit_entry (at, actor_id, actor_role, action, object_type, object_id,"
        " region_path, summary) VALUES ('2026-01-01 00:00:00', 1, 'town_admin', 'x', 'y', '1',"
        " '/1/2/', '')",
    ]
    with db.connection_context():
        for statement in sql:
            db.execute_sql(statement)
        if isinstance(db, peewee.PostgresqlDatabase):
            for table in ("region", "user", "role_grant"):
                db.execute_sql(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'),"
                               f" (SELECT MAX(id) FROM \"{table}\"))")


def test_upgrade_of_a_populated_database_keeps_its_data(scratch_db):
    migrations.upgrade(scratch_db, target=FIRST)
    _populate_foundation(scratch_db)
    migrations.upgrade(scratch_db)
    assert migrations.pending(scratch_db) == []
    with scratch_db.connection_context():
        assert scratch_db.execute_sql(
            "SELECT display_name, is_volunteer FROM \"user\" WHERE openid = 'o-old'"
        ).fetchone() == ("老用户", True)
        assert scratch_db.execute_sql(
            "SELECT r.path FROM role_grant g JOIN region r ON r.id = g.region_id"
        ).fetchone() == ("/1/2/",)
        count = scratch_db.execute_sql("SELECT COUNT(*) FROM audit_entry").fetchone()[0]
    assert count == 1


def test_audit_entries_cannot_be_changed_or_deleted(scratch_db):
    migrations.upgrade(scratch_db)
    _populate_foundation(scratch_db)
    for statement in ("UPDATE audit_entry SET action = 'forged'", "DELETE FROM audit_entry"):
        with scratch_db.connection_context(), pytest.raises(peewee.DatabaseError):
            with scratch_db.atomic():
                scratch_db.execute_sql(statement)
