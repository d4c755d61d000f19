"""Reads on the replica (app.replica): a function's queries go to the replica, other threads
stay on the primary, the replica handle refuses writes, and an unreachable or failing replica
falls back to the primary with one warning."""

from __future__ import annotations

import logging
import threading

import peewee
import pytest

from app import replica as replica_reads
from app.db import database, replica, using
from app.errors import NotFound
from app.regions.models import Region
from app.regions.services import create_region
from tests import replica_db
from tests.replica_db import REPLICA_DISTRICT, dead_url

replica_url = replica_db.replica_url
replica_writer = replica_db.replica_writer
use_replica = replica_db.use_replica
on_replica = replica_db.on_replica


def district_names() -> list[str]:
    return [r.name for r in Region.select().where(Region.level == "district")]


@pytest.fixture
def primary_district():
    create_region(code="350500", name="丰泽区", level="district")


def test_without_a_replica_url_the_replica_is_the_primary(primary_district):
    assert replica.obj is database.obj
    assert not replica_reads.has_replica()
    assert replica_reads.read_on_replica(district_names) == ["丰泽区"]
    assert replica_reads.replica_state() == "none"


def test_a_function_read_on_the_replica_sees_the_replica_data(primary_district, on_replica):
    assert replica_reads.read_on_replica(district_names) == [REPLICA_DISTRICT]
    assert district_names() == ["丰泽区"]  # outside the call: the primary again
    assert replica_reads.replica_state() == "ok"


def test_other_threads_stay_on_the_primary_while_one_reads_the_replica(primary_district,
                                                                       on_replica):
    seen = {}

    def in_other_thread():
        with database.connection_context():
            seen["other"] = district_names()

    def while_routed():
        worker = threading.Thread(target=in_other_thread)
        worker.start()
        worker.join()
        return district_names()

    assert replica_reads.read_on_replica(while_routed) == [REPLICA_DISTRICT]
    assert seen["other"] == ["丰泽区"]


def test_the_replica_handle_refuses_writes(on_replica):
    target = replica.obj
    with target.connection_context(), using(target), pytest.raises(peewee.DatabaseError):
        create_region(code="990001", name="不应写入", level="district")


def test_a_domain_error_on_the_replica_propagates_and_keeps_the_replica(on_replica):
    def missing():
        raise NotFound("region.not_found", "找不到该区域")

    with pytest.raises(NotFound):
        replica_reads.read_on_replica(missing)
    assert replica_reads.replica_state() == "ok"


def test_an_unreachable_replica_falls_back_to_the_primary_with_one_warning(
        primary_district, use_replica, database_url, caplog):
    use_replica(dead_url(database_url))
    with caplog.at_level(logging.WARNING, logger="linli.db.replica"):
        first = replica_reads.read_on_replica(district_names)
        second = replica_reads.read_on_replica(district_names)
    assert first == second == ["丰泽区"]
    warnings = [r for r in caplog.records if r.name == "linli.db.replica"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert "replica" in warnings[0].getMessage()
    assert "127.0.0.1" not in warnings[0].getMessage()
    assert replica_reads.replica_state() == "unavailable"


def test_a_resting_replica_is_not_tried_until_the_retry_time(primary_district, use_replica,
                                                             database_url, monkeypatch):
    target = use_replica(dead_url(database_url))
    attempts = []
    real_connect = target.connect
    monkeypatch.setattr(target, "connect",
                        lambda **kw: attempts.append(1) or real_connect(**kw))
    replica_reads.read_on_replica(district_names)
    replica_reads.read_on_replica(district_names)
    assert len(attempts) == 1
    monkeypatch.setattr(replica_reads, "RETRY_SECONDS", 0)
    replica_reads._health.failed(target, peewee.OperationalError())  # rest ends at once
    replica_reads.read_on_replica(district_names)
    assert len(attempts) == 2


def test_a_replica_failing_mid_request_reruns_the_function_on_the_primary(primary_district,
                                                                          on_replica, caplog):
    calls = []

    def flaky():
        calls.append(database.obj is not replica.obj and district_names())
        if len(calls) == 1:
            raise peewee.OperationalError("canceling statement due to conflict with recovery")
        return district_names()

    with caplog.at_level(logging.WARNING, logger="linli.db.replica"):
        assert replica_reads.read_on_replica(flaky) == ["丰泽区"]
    assert calls == [[REPLICA_DISTRICT], ["丰泽区"]]
    assert "conflict" not in caplog.text  # the driver's message is not logged
