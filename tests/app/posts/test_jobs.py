"""Scheduled publishing, driven by the scheduler's job function with an injected clock: a due
draft is published exactly once, even by two runs at once."""

from __future__ import annotations

import threading

from app.audit.models import AuditEntry
from app.clock import frozen
from app.db import database
from app.jobs import DEPENDENCIES, JOBS
from app.posts import jobs, reading
from app.posts import services as posts
from miniprogram_api.scheduler import JobRunner
from tests.app.posts.conftest import HOUR, MONDAY_9AM, draft, fresh

SECOND = HOUR / 3600


def scheduled(town, at=MONDAY_9AM + 2 * HOUR):
    post = draft(town, town.tree.village_a1)
    with frozen(MONDAY_9AM):
        return posts.publish_post(town.staff(town.cadre), post.id, publish_at=at)


def published_audits(post):
    return AuditEntry.select().where((AuditEntry.action == "post.publish_scheduled")
                                     & (AuditEntry.object_id == str(post.id))).count()


def test_a_scheduled_draft_waits_for_its_time(town):
    post = scheduled(town)
    assert jobs.publish_scheduled(now=MONDAY_9AM + 2 * HOUR - SECOND) == {
        "due": 0, "published": 0}
    assert fresh(post).status == "draft"


def test_the_scheduler_publishes_a_due_draft_once_under_a_frozen_clock(town):
    post = scheduled(town)
    runner = JobRunner(JOBS, {name: object() for name in DEPENDENCIES})
    with frozen(MONDAY_9AM + 3 * HOUR):
        assert runner.run_once("posts.publish_scheduled") is True
        assert runner.run_once("posts.publish_scheduled") is True
    post = fresh(post)
    assert (post.status, post.published_at, post.publish_at) == (
        "published", MONDAY_9AM + 3 * HOUR, None)
    assert published_audits(post) == 1
    assert [p.id for p in reading.list_posts(town.actor(town.resident)).items] == [post.id]


def test_a_cancelled_or_withdrawn_schedule_is_not_published(town):
    cancelled, withdrawn = scheduled(town), scheduled(town)
    posts.unschedule_post(town.staff(town.cadre), cancelled.id)
    posts.withdraw_post(town.staff(town.cadre), withdrawn.id, reason="不再发布")
    assert jobs.publish_scheduled(now=MONDAY_9AM + 5 * HOUR)["published"] == 0
    assert (fresh(cancelled).status, fresh(withdrawn).status) == ("draft", "withdrawn")


def test_two_runs_at_once_publish_each_post_exactly_once(town, monkeypatch):
    made = [scheduled(town) for _ in range(3)]
    barrier = threading.Barrier(2, timeout=20)
    waited = threading.local()
    original = jobs._publish

    def together(post_id, now):
        if not getattr(waited, "done", False):
            waited.done = True
            barrier.wait()  # both runs have listed the due drafts before either publishes
        return original(post_id, now)

    monkeypatch.setattr(jobs, "_publish", together)
    results, errors = [], []

    def run():
        try:
            with database.connection_context():
                results.append(jobs.publish_scheduled(now=MONDAY_9AM + 3 * HOUR))
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)

    if not database.is_closed():
        database.close()
    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sum(r["published"] for r in results) == 3
    assert sum(r["due"] for r in results) == 6
    for post in made:
        assert fresh(post).status == "published"
        assert published_audits(post) == 1
