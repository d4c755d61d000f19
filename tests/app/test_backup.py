"""SQLite online backup: a consistent, verified copy while the database is open, and the
``flask db backup PATH`` command that makes it."""

from __future__ import annotations

import sqlite3

import pytest

from app.backup import BackupError, backup_sqlite, sqlite_path
from app.db import database
from tests.factories import make_user


def test_the_backup_holds_what_was_committed_while_the_database_stays_open(tmp_path):
    source = tmp_path / "live.db"
    live = sqlite3.connect(source)
    live.execute("PRAGMA journal_mode=WAL")
    live.execute("CREATE TABLE note (id INTEGER PRIMARY KEY, text TEXT)")
    live.executemany("INSERT INTO note (text) VALUES (?)", [("一",), ("二",)])
    live.commit()
    result = backup_sqlite(source, tmp_path / "out" / "copy.db")
    live.execute("INSERT INTO note (text) VALUES ('三')")  # the source is still writable
    live.commit()
    live.close()
    copy = sqlite3.connect(result.path)
    assert copy.execute("SELECT COUNT(*) FROM note").fetchone()[0] == 2
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    assert result.tables == 1 and result.size_bytes > 0
    assert not (tmp_path / "out" / "copy.db.partial").exists()


def test_backing_up_onto_the_database_itself_is_refused(tmp_path):
    source = tmp_path / "live.db"
    sqlite3.connect(source).close()
    with pytest.raises(BackupError, match="itself"):
        backup_sqlite(source, source)


def test_a_missing_database_is_refused(tmp_path):
    with pytest.raises(BackupError, match="no database"):
        backup_sqlite(tmp_path / "absent.db", tmp_path / "copy.db")


def test_postgres_urls_point_to_pg_dump():
    with pytest.raises(BackupError, match="pg_backup.sh"):
        sqlite_path("postgresql://linli@127.0.0.1/linli")


def test_the_cli_command_backs_up_the_configured_database(app, tmp_path, is_postgres):
    make_user(name="备份里的人")
    database.close()
    target = tmp_path / "linli-backup.db"
    result = app.test_cli_runner().invoke(args=["db", "backup", str(target)])
    if is_postgres:
        assert result.exit_code != 0 and "pg_backup.sh" in result.output
        return
    assert result.exit_code == 0, result.output
    assert "backed up" in result.output
    copy = sqlite3.connect(target)
    assert copy.execute("SELECT COUNT(*) FROM user").fetchone()[0] == 1
