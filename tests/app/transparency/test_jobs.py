"""The hourly checkpoint job and the daily post of checkpoints to village groups."""

from __future__ import annotations

import datetime as dt

import pytest

from app.errors import Conflict
from app.jobs import JOBS
from app.notifications.models import Notification
from app.transparency import jobs, keys, merkle, note, services
from app.transparency.models import LogCheckpoint
from tests.app.transparency.conftest import publish
from tests.app.transparency.test_checkpoints import forge_checkpoint

T0 = dt.datetime(2026, 11, 23, 1, 5)


def checkpoint_sizes(log_id: int) -> list[int]:
    return [c.tree_size for c in LogCheckpoint.select().where(LogCheckpoint.log_id == log_id)
            .order_by(LogCheckpoint.tree_size)]


def test_the_job_signs_only_logs_with_new_leaves(tree, signer):
    publish(tree.town_a.id, 3)
    publish(tree.town_b.id, 1)
    assert jobs.sign_checkpoints(now=T0, signer=signer) == "checkpoints signed: 2"
    assert jobs.sign_checkpoints(now=T0, signer=signer) == ""
    publish(tree.town_a.id, 2, start=3)
    assert jobs.sign_checkpoints(now=T0, signer=signer) == "checkpoints signed: 1"
    assert checkpoint_sizes(tree.town_a.id) == [3, 5]
    assert checkpoint_sizes(tree.town_b.id) == [1]


def test_a_refused_log_does_not_stop_the_others_and_fails_the_run(tree, signer):
    forge_checkpoint(tree.town_a.id, 1, merkle.leaf_hash(b"another history"), signer)
    publish(tree.town_a.id, 2)
    publish(tree.town_b.id, 2)
    with pytest.raises(Conflict, match="transparency.not_an_extension"):
        jobs.sign_checkpoints(now=T0, signer=signer)
    assert checkpoint_sizes(tree.town_a.id) == [1]
    assert checkpoint_sizes(tree.town_b.id) == [2]


def test_the_scheduler_runs_both_jobs_with_the_key_derived_from_the_secret(tree):
    from miniprogram_api.scheduler import JobRunner

    publish(tree.town_a.id, 2)
    runner = JobRunner(tuple(job for job in JOBS if job.id.startswith("transparency.")), {})
    assert runner.run_once("transparency.checkpoint") is True
    assert runner.run_once("transparency.post_checkpoints") is True
    latest = services.latest_checkpoint(tree.town_a.id)
    assert latest.vkey == keys.default_signer().vkey
    assert Notification.select().where(Notification.channel == "group").count() == 2


def group_notices() -> list[Notification]:
    return list(Notification.select().where(Notification.channel == "group")
                .order_by(Notification.group_key))


def test_each_checkpoint_is_posted_once_to_every_village_group_of_its_town(tree, signer):
    publish(tree.town_a.id, 4)
    jobs.sign_checkpoints(now=T0, signer=signer)
    assert jobs.post_checkpoints(now=T0) == "checkpoint messages posted: 2"
    notices = group_notices()
    assert [n.group_key for n in notices] == [f"village:{tree.village_a1.id}",
                                              f"village:{tree.village_a2.id}"]
    signed = services.latest_checkpoint(tree.town_a.id).checkpoint
    assert all(signed in n.body and n.status == "pending" for n in notices)
    assert "共 4 条" in notices[0].title
    assert note.open_checkpoint(signed, note.parse_vkey(signer.vkey)).size == 4

    assert jobs.post_checkpoints(now=T0 + dt.timedelta(days=1)) == ""
    publish(tree.town_a.id, 1, start=4)
    jobs.sign_checkpoints(now=T0, signer=signer)
    assert jobs.post_checkpoints(now=T0 + dt.timedelta(days=1)) == "checkpoint messages posted: 2"
    assert len(group_notices()) == 4


def test_towns_without_a_checkpoint_post_nothing(tree):
    publish(tree.town_b.id, 1)
    assert jobs.post_checkpoints(now=T0) == ""
    assert group_notices() == []
