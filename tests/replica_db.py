"""Fixtures for read-replica tests: a second database holding *different* data, set as the
app's ``replica`` for one test (SQLite: another file copied from the migrated template;
PostgreSQL: the database ``<test db>_replica`` on the same server, created and migrated once
per session, emptied before each test). Import the fixtures into a test module.

The replica here is a writable copy, not a hot standby, so a test can seed it (through
``app.db.using``) with rows the primary does not have, and then tell by the answer which
database a route read. The handle the app reads through is the read-only one.
"""

from __future__ import annotations

import os
import shutil
import socket

import pytest

from app.db import database, make_database, replica, using
from app.regions.services import create_region
from tests.pg_databases import ensure_database, sibling_url

REPLICA_DISTRICT = "副本区"
REPLICA_VILLAGE = "副本村"


def _is_pg(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://"))


def dead_url(database_url: str) -> str:
    """A replica URL nothing answers: a closed loopback port, or a file that cannot exist."""
    if not _is_pg(database_url):
        return "sqlite:////nonexistent-linli-replica-dir/replica.db"
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://postgres@127.0.0.1:{port}/linli_replica"


def _create_pg_replica(url: str) -> str:
    replica_url = ensure_database(sibling_url(url, "replica"))
    import migrations

    db = make_database(replica_url, pool_size=1)
    with db.connection_context():
        db.execute_sql("DROP SCHEMA public CASCADE")
        db.execute_sql("CREATE SCHEMA public")
    migrations.upgrade(db)
    db.close_all()
    return replica_url


@pytest.fixture(scope="session")
def replica_url(app, database_url, tmp_path_factory):
    if _is_pg(database_url):
        return _create_pg_replica(database_url)
    return f"sqlite:///{tmp_path_factory.mktemp('replica') / 'replica.db'}"


@pytest.fixture
def replica_writer(replica_url, database_url):
    """A writable handle on the replica database, emptied to the migrated state."""
    if _is_pg(database_url):
        from tests.conftest import _reset_postgres

        writer = make_database(replica_url, pool_size=1)
        with writer.connection_context(), using(writer):
            _reset_postgres()
    else:
        path = replica_url[len("sqlite:///"):]
        for suffix in ("-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        shutil.copyfile(database_url[len("sqlite:///"):] + ".template", path)
        writer = make_database(replica_url, pool_size=1)
    yield writer
    writer.close_all()


def seed_replica(writer) -> dict:
    """Regions only the replica has: 副本区 → 副本街道 → 副本村."""
    with writer.connection_context(), using(writer):
        district = create_region(code="990000", name=REPLICA_DISTRICT, level="district")
        town = create_region(code="990000001", name="副本街道", level="town", parent=district)
        village = create_region(code="990000001001", name=REPLICA_VILLAGE, level="village",
                                parent=town)
    return {"district": district, "town": town, "village": village}


@pytest.fixture
def use_replica():
    """Point ``app.db.replica`` at a URL for one test (read-only handle), then back."""
    handles = []

    def point_at(url: str):
        handle = make_database(url, pool_size=2, read_only=True)
        handles.append(handle)
        replica.initialize(handle)
        return handle

    yield point_at
    replica.initialize(database.obj)
    for handle in handles:
        handle.close_all()


@pytest.fixture
def on_replica(replica_writer, replica_url, use_replica):
    """The replica configured, holding the regions of :func:`seed_replica`."""
    seeded = seed_replica(replica_writer)
    use_replica(replica_url)
    return seeded
