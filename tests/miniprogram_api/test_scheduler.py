"""One scheduler per database: a second one stays idle; a failing job never stops the others."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from app.jobs import DEPENDENCIES, JOBS, Every, Job
from app.notifications.models import Notification
from miniprogram_api import scheduler as sched
from tests.app.notifications.helpers import TEMPLATE_IDS, RecordingSender, notify, subscribe
from tests.factories import make_user

CALLS: list[str] = []


def failing_job():
    raise ValueError("居民 张三 13800001234 的诉求")  # personal data must not reach the log


def counting_job():
    CALLS.append("ran")
    return {"done": 1}


def needs_a_sender(sender):
    return None


@pytest.fixture
def locks(database_url):
    made = []

    def make():
        lock = sched.lock_for(database_url)
        made.append(lock)
        return lock

    yield make
    for lock in made:
        lock.release()


def test_job_ids_are_unique_and_stable_looking():
    ids = [job.id for job in JOBS]
    assert len(ids) == len(set(ids))
    assert "notifications.send" in ids
    assert all(job.id == job.id.strip().lower() and "." in job.id for job in JOBS)


def test_every_job_resolves_and_asks_only_for_known_dependencies():
    runner = sched.JobRunner(JOBS, {name: object() for name in DEPENDENCIES})
    assert set(runner.jobs) == {job.id for job in JOBS}


def test_duplicate_job_ids_are_refused():
    job = Job("x.run", counting_job, Every(5), "计数")
    with pytest.raises(ValueError, match="duplicate"):
        sched.JobRunner((job, job))


def test_a_job_missing_a_dependency_is_refused_at_startup():
    with pytest.raises(ValueError, match="sender"):
        sched.JobRunner((Job("x.send", needs_a_sender, Every(5), "发送"),), {})


def test_a_failing_job_is_logged_without_its_message_and_the_next_job_still_runs(caplog):
    CALLS.clear()
    runner = sched.JobRunner((Job("x.fail", failing_job, Every(5), "总是失败"),
                              Job("x.count", counting_job, Every(5), "计数")))
    with caplog.at_level(logging.INFO, logger="linli.scheduler"):
        assert runner.run_all() == {"x.fail": False, "x.count": True}
        assert runner.run_once("x.count") is True
    assert CALLS == ["ran", "ran"]
    assert "job x.fail failed: ValueError" in caplog.text
    assert "13800001234" not in caplog.text and "张三" not in caplog.text


def test_the_notifications_job_runs_through_the_runner_with_injected_dependencies(tmp_path):
    from app.media.storage import FileSystemStorage

    resident = make_user()
    subscribe(resident)
    row = notify(resident)
    sender = RecordingSender()
    runner = sched.JobRunner(JOBS, {"sender": sender, "template_ids": TEMPLATE_IDS,
                                    "storage": FileSystemStorage(str(tmp_path))})
    assert runner.run_once("notifications.send") is True
    assert Notification.get_by_id(row.id).status == "sent" and len(sender.sent) == 1


def test_a_second_lock_holder_is_refused_until_the_first_releases(locks):
    first, second = locks(), locks()
    assert first.acquire() is True and first.check() is True
    assert second.acquire() is False and second.held is False
    first.release()
    assert second.acquire() is True


def test_the_lock_works_as_a_context_manager(locks):
    with locks() as held:
        assert held.held
        assert locks().acquire() is False
    assert not held.held


def test_the_lock_matches_the_engine(database_url, is_postgres):
    lock = sched.lock_for(database_url)
    kind = sched.PostgresSchedulerLock if is_postgres else sched.FileSchedulerLock
    assert isinstance(lock, kind)


def test_a_second_scheduler_stays_idle_and_retries(locks, caplog):
    first, second = locks(), locks()
    assert first.acquire()
    stop = threading.Event()
    outcome = []
    with caplog.at_level(logging.DEBUG, logger="linli.scheduler"):
        waiter = threading.Thread(
            target=lambda: outcome.append(sched.wait_for_lock(second, stop, 0.01)))
        waiter.start()
        _wait_until(lambda: caplog.text.count(sched.IDLE_MESSAGE) >= 2)
        assert not second.held
        stop.set()
        waiter.join(timeout=5)
    assert outcome == [False]


def test_an_idle_scheduler_takes_over_when_the_first_one_stops(locks):
    first, second = locks(), locks()
    assert first.acquire()
    stop = threading.Event()
    outcome = []
    waiter = threading.Thread(target=lambda: outcome.append(sched.wait_for_lock(second, stop,
                                                                                0.01)))
    waiter.start()
    first.release()
    waiter.join(timeout=5)
    assert outcome == [True] and second.held


def test_serve_stays_idle_while_another_scheduler_holds_the_lock(settings, locks, caplog):
    holder = locks()
    assert holder.acquire()
    stop = threading.Event()
    with caplog.at_level(logging.WARNING, logger="linli.scheduler"):
        thread = threading.Thread(target=sched.serve, args=(settings, object()),
                                  kwargs={"stop": stop, "retry_seconds": 0.01})
        thread.start()
        _wait_until(lambda: sched.IDLE_MESSAGE in caplog.text)
        stop.set()
        thread.join(timeout=5)
    assert not thread.is_alive()


def test_the_scheduler_has_one_entry_per_job_and_watches_its_lock(locks):
    runner = sched.JobRunner(JOBS, {name: object() for name in DEPENDENCIES})
    scheduler = sched.build_scheduler(runner, lock=locks())
    ids = {job.id for job in scheduler.get_jobs()}
    assert ids == {job.id for job in JOBS} | {"scheduler.lock_watch"}


def test_fake_mode_configures_every_template(settings):
    deps = sched.build_dependencies(settings.with_overrides(wechat_mode="fake"), object())
    assert set(deps["template_ids"]) == {"request_progress", "community_notice"}


def test_the_cli_has_a_scheduler_command(app):
    assert "scheduler" in app.cli.commands


def _wait_until(condition, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not reached"
        time.sleep(0.005)


def test_every_declared_job_binds_to_the_dependencies_the_scheduler_builds(settings):
    from miniprogram_api.wechat import build_gateway

    gateway = build_gateway(settings.with_overrides(wechat_mode="fake"))
    runner = sched.JobRunner(JOBS, sched.build_dependencies(settings, gateway))
    assert {"notifications.send", "requests.escalate", "media.purge_unattached"} <= set(
        runner.jobs)
    assert runner.run_once("requests.escalate") is True
