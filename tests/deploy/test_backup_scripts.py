"""deploy/backup: pg_backup.sh writes a verified custom-format dump and pg_restore_drill.sh
restores it into a scratch database, checks it against the live one and drops it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"),
                       reason="the pg_dump scripts need PostgreSQL (set TEST_DATABASE_URL)"),
    pytest.mark.skipif(shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
                       reason="pg_dump / pg_restore are not installed"),
]


def run(script: str, env: dict, *args) -> subprocess.CompletedProcess:
    return subprocess.run(["sh", str(ROOT / "deploy/backup" / script), *args],
                          env={**os.environ, **env}, capture_output=True, text=True,
                          timeout=300)


def test_a_dump_is_restored_and_checked_by_the_drill(database_url, tmp_path):
    make_user(name="备份演练")
    backup = run("pg_backup.sh", {"DATABASE_URL": database_url, "BACKUP_DIR": str(tmp_path)})
    assert backup.returncode == 0, backup.stderr
    dump = Path(backup.stdout.strip())
    assert dump.parent == tmp_path and dump.name.startswith("linli-") and dump.stat().st_size
    assert not list(tmp_path.glob("*.partial"))
    assert oct(dump.stat().st_mode & 0o777) == "0o600"

    server, name = database_url.rsplit("/", 1)
    drill = run("pg_restore_drill.sh", {"ADMIN_URL": f"{server}/postgres",
                                        "BACKUP_DIR": str(tmp_path),
                                        "DRILL_DB": f"{name}_drill",
                                        "COMPARE_URL": database_url})
    assert drill.returncode == 0, drill.stderr
    assert "restore drill OK" in drill.stdout
    assert '"public"."user" 1' in drill.stdout
    gone = subprocess.run(["psql", "-X", "-A", "-t", f"{server}/postgres", "-c",
                           f"SELECT COUNT(*) FROM pg_database WHERE datname = '{name}_drill'"],
                          capture_output=True, text=True, check=True)
    assert gone.stdout.strip() == "0"


def test_the_drill_fails_without_a_dump(tmp_path, database_url):
    server, _ = database_url.rsplit("/", 1)
    drill = run("pg_restore_drill.sh", {"ADMIN_URL": f"{server}/postgres",
                                        "BACKUP_DIR": str(tmp_path)})
    assert drill.returncode == 2 and "no dump found" in drill.stderr
