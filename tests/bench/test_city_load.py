"""A short run of the city load test (``bench/city_load.py``) on a ``tiny`` seed-city database.

The database is generated for the test (a SQLite file, or on PostgreSQL a sibling of the test
database, created and dropped here), prepared, loaded by each mix for a few seconds under the
production gunicorn file, and prepared once more, which must then find nothing to create.
Deselect with ``-m "not load"``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.bench.test_crash_test import sibling_database

ROOT = Path(__file__).resolve().parents[2]
SMALL = ["--staff", "2", "--villages", "2", "--residents", "12", "--fresh", "3",
         "--bot-groups", "2"]


@contextmanager
def seeded_database(database_url: str, tmp_path: Path):
    """A migrated database holding ``seed-city --scale tiny``; yields its URL."""
    if database_url.startswith(("postgresql://", "postgres://")):
        context = sibling_database(database_url, "city_smoke")
    else:
        context = _yield(f"sqlite:///{tmp_path / 'city.db'}")
    with context as url:
        env = dict(os.environ, DATABASE_URL=url, PYTHONPATH=str(ROOT))
        env.pop("LINLI_ENV", None)
        for command in (["db", "upgrade"], ["seed-city", "--scale", "tiny"]):
            done = subprocess.run([sys.executable, "-m", "flask", "--app", "miniprogram_api",
                                   *command], cwd=ROOT, env=env, capture_output=True,
                                  text=True, timeout=120)
            assert done.returncode == 0, done.stderr[-3000:]
        yield url


@contextmanager
def _yield(value):
    yield value


def _harness(*args: str, timeout: int = 240) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "bench/city_load.py", *args], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
                          text=True, timeout=timeout)


@pytest.mark.load
def test_every_mix_runs_without_errors_and_a_second_prepare_creates_nothing(database_url,
                                                                           tmp_path):
    figures_path, plan = tmp_path / "figures.json", tmp_path / "plan.json"
    with seeded_database(database_url, tmp_path) as url:
        done = _harness("--database-url", url, "--prepare", "--plan", str(plan), *SMALL,
                        "--seconds", "3", "--requests", "60", "--clients", "2",
                        "--warm-up", "10", "--json", str(figures_path))
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        again = _harness("--database-url", url, "--prepare", "--no-load", "--plan",
                         str(tmp_path / "again.json"), *SMALL)
        assert again.returncode == 0, again.stderr[-3000:]
    first = json.loads(plan.read_text())
    assert first["did"]["posts"] == 2 * 3 and first["did"]["actions"] == 2
    assert first["bot"]["bound"] == 2
    second = json.loads((tmp_path / "again.json").read_text())
    assert second["did"] == {"posts": 0, "actions": 0, "requests": 0}
    assert second["bot"]["bound"] == 0 and second["bot"]["endpoints_created"] == 0
    figures = json.loads(figures_path.read_text())
    assert set(figures["mixes"]) == {"resident", "staff", "bot"}
    for mix, rows in figures["mixes"].items():
        total = rows[-1]
        assert total["operation"] == "all" and total["requests"] > 0, mix
        assert all(row["errors"] == 0 for row in rows), rows
        assert figures["rss"][mix]["workers_seen"] >= 2
        assert figures["server_errors"][mix] == 0
    staff = {row["operation"]: row["requests"] for row in figures["mixes"]["staff"]}
    assert staff["console login"] == 2 * 3  # two clients, each as three staff members
    assert figures["bare"]["requests"] > 0 and figures["bare"]["errors"] == 0
