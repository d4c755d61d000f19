"""Migrations 0013/0014 on a populated database: earlier data stays, and the
published-disclosure trigger is installed (the seal-log trigger is exercised in
tests/app/seals)."""

from __future__ import annotations

import peewee
import pytest

import migrations
from tests.migrations import test_migrations as base

scratch_db = base.scratch_db


def _rows(db, sql):
    with db.connection_context():
        return [tuple(r) for r in db.execute_sql(sql).fetchall()]


def test_upgrading_a_populated_database_keeps_its_data(scratch_db):
    names = [name for name, _ in migrations.status(scratch_db)]
    migrations.upgrade(scratch_db, target=max(n for n in names if n < "0013"))
    base._populate_foundation(scratch_db)
    with scratch_db.connection_context():
        scratch_db.execute_sql("INSERT INTO request_category (town_id, code, name, active) "
                               "VALUES (NULL, 'roads', '道路交通', TRUE)")
    migrations.upgrade(scratch_db)
    assert migrations.pending(scratch_db) == []
    assert _rows(scratch_db, "SELECT code, name FROM request_category ORDER BY id") == [
        ("roads", "道路交通")]
    assert _rows(scratch_db, "SELECT display_name FROM \"user\"") == [("老用户",)]
    assert _rows(scratch_db, "SELECT COUNT(*) FROM disclosure") == [(0,)]


def test_a_published_disclosure_is_protected_by_the_trigger_after_upgrade(scratch_db):
    migrations.upgrade(scratch_db)
    base._populate_foundation(scratch_db)
    with scratch_db.connection_context():
        scratch_db.execute_sql(
            "INSERT INTO disclosure (id, kind, category, title, body, period, extra, region_id,"
            " region_path, town_id, author_id, correction_reason, status, review_note,"
            " published_at, created_at, updated_at, version) VALUES (1, 'affairs', 'other',"
            " '标题', '正文', '2026', '{}', 2, '/1/2/', 2, 1, '', 'published', '',"
            " '2026-01-02 00:00:00', '2026-01-01 00:00:00', '2026-01-01 00:00:00', 1)")
    for statement in ("UPDATE disclosure SET body = 'forged'", "DELETE FROM disclosure"):
        with scratch_db.connection_context(), pytest.raises(peewee.DatabaseError):
            with scratch_db.atomic():
                scratch_db.execute_sql(statement)
    assert _rows(scratch_db, "SELECT body FROM disclosure") == [("正文",)]
