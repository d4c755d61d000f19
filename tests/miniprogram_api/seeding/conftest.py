"""A tiny generated city on the test database, and a way to empty it again mid-test."""

from __future__ import annotations

import datetime as dt
import os
import shutil

import pytest

from app.db import database
from miniprogram_api.seeding import seed_city

NOW = dt.datetime(2026, 11, 20, 0, 0)


@pytest.fixture
def seeded(app):
    with database.connection_context():
        report = seed_city("tiny", seed=7, now=NOW, echo=lambda _line: None)
    return report


@pytest.fixture
def wipe(app, database_url):
    """Empty every table again (what the autouse ``clean_db`` does between tests)."""
    from tests import conftest

    def run():
        database.close_all()
        if database_url.startswith("postgres"):
            with database.connection_context():
                conftest._reset_postgres()
        else:
            path = database_url[len("sqlite:///"):]
            for suffix in ("-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)
            shutil.copyfile(path + ".template", path)

    return run
