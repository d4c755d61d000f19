"""Online backup of a SQLite database (small installs), with the SQLite backup API.

The backup API copies pages under SQLite's own locking, so web workers and the scheduler keep
writing while it runs (in WAL mode readers and the copy never block writers for long). The copy
goes to a temporary file beside the target, is checked with ``PRAGMA integrity_check`` and only
then renamed over the target, so a crash never leaves a half-written backup under the final
name. PostgreSQL installs use ``deploy/backup/pg_backup.sh`` (pg_dump) instead.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

PAGES_PER_STEP = 1024  # copy in steps so writers get the lock between them


class BackupError(RuntimeError):
    """The backup could not be made or did not verify."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    size_bytes: int
    tables: int


def sqlite_path(database_url: str) -> Path:
    """The file of a ``sqlite:///`` URL (raises BackupError for other engines or memory)."""
    if not database_url.startswith("sqlite:///"):
        raise BackupError("online backup is for SQLite; use deploy/backup/pg_backup.sh")
    path = database_url[len("sqlite:///"):]
    if path == ":memory:":
        raise BackupError("an in-memory database cannot be backed up")
    return Path(path)


def backup_sqlite(source: Path, target: Path) -> BackupResult:
    """Copy the live database ``source`` to ``target`` and verify the copy.

    Raises BackupError when the source is missing, the target is the source, or the copy fails
    its integrity check (the partial copy is removed). Changes nothing in the source.
    """
    source, target = Path(source), Path(target)
    if not source.exists():
        raise BackupError(f"no database at {source}")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupError("the backup target is the database itself")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(partial)
    try:
        src.backup(dst, pages=PAGES_PER_STEP)
        dst.execute("PRAGMA journal_mode=DELETE")  # a single self-contained file
        check = dst.execute("PRAGMA integrity_check").fetchone()[0]
        tables = dst.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0]
    except sqlite3.Error as exc:
        dst.close()
        partial.unlink(missing_ok=True)
        raise BackupError(f"backup failed: {exc}") from exc
    finally:
        src.close()
    dst.close()
    if check != "ok":
        partial.unlink(missing_ok=True)
        raise BackupError(f"the copy failed its integrity check: {check}")
    os.replace(partial, target)
    return BackupResult(target, target.stat().st_size, tables)
