"""A short run of the crash test (``bench/crash_test.py``) on the engine the suite runs on.

Three cycles: gunicorn and the jobs process are SIGKILLed at random moments while the client
writes; every restart must find each acknowledged write exactly once and every invariant
holding. The harness runs in its own process (it points the database proxy at its own database);
on PostgreSQL that database is a sibling of the test database, created and dropped here.
Deselect with ``-m "not crash"``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.pg_databases import drop_database, ensure_database, sibling_url

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def sibling_database(url: str, suffix: str = "crash_smoke"):
    """A fresh PostgreSQL database next to ``url``'s, dropped afterwards."""
    target = sibling_url(url, suffix)
    drop_database(target)
    try:
        yield ensure_database(target)
    finally:
        drop_database(target)


@contextmanager
def target_database(database_url: str):
    if database_url.startswith(("postgresql://", "postgres://")):
        with sibling_database(database_url) as url:
            yield ["--database-url", url, "--reset"]
    else:
        yield []  # the harness makes a fresh SQLite file


@pytest.mark.crash
def test_nothing_acknowledged_is_lost_or_doubled_across_three_sigkills(database_url, tmp_path):
    figures_path = tmp_path / "figures.json"
    with target_database(database_url) as target:
        done = subprocess.run(
            [sys.executable, "bench/crash_test.py", *target, "--cycles", "3",
             "--seconds-per-cycle", "1.5", "--seed", "7", "--json", str(figures_path)],
            cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), capture_output=True,
            text=True, timeout=180)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    figures = json.loads(figures_path.read_text())
    assert figures["cycles"] == 3
    assert (figures["lost"], figures["duplicated"], figures["invariant_failures"]) == (0, 0, 0)
    assert sum(figures["acked"].values()) > 0
    assert figures["escalation"]["steps"] >= 3 * 60  # the seeded requests climbed their ladders
    assert figures["escalation"]["below_top"] == 0
    assert figures["log"]["tree_size"] >= figures["acked"]["seal_use"]
