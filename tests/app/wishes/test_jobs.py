"""The wish clocks, driven by the scheduler's job functions with an injected clock: claims
not fulfilled in time are released, fulfilments left unanswered are confirmed, each exactly once.
"""

from __future__ import annotations

import pytest

from app.clock import frozen
from app.db import database
from app.errors import Conflict
from app.jobs import DEPENDENCIES, JOBS
from app.notifications.models import Notification
from app.wishes import claims, jobs, settings
from app.wishes import services as wishes
from app.wishes.models import WishEvent, WishPointsEvent
from miniprogram_api.scheduler import JobRunner
from tests.app.wishes.conftest import DAY, MONDAY_9AM, claimed, fresh, fulfilled

SECOND = DAY / 86400


def told(user, kind):
    return Notification.select().where((Notification.recipient_user == user.id)
                                       & (Notification.kind == kind)).count()


def runner():
    return JobRunner(JOBS, {name: object() for name in DEPENDENCIES})


def test_the_wish_jobs_are_in_the_scheduler_table():
    ids = {job.id for job in JOBS}
    assert {"wishes.expire_claims", "wishes.auto_confirm", "wishes.deliver_points",
            "posts.publish_scheduled"} <= ids


def test_a_claim_is_kept_until_its_due_time(village):
    wish = claimed(village)
    assert jobs.expire_claims(now=MONDAY_9AM + 7 * DAY - SECOND) == {"due": 0, "done": 0}
    assert fresh(wish).status == "claimed"


def test_an_overdue_claim_is_released_with_a_notice_to_both_exactly_once(village):
    wish = claimed(village)
    due = MONDAY_9AM + 7 * DAY
    assert jobs.expire_claims(now=due) == {"due": 1, "done": 1}
    assert jobs.expire_claims(now=due + DAY) == {"due": 0, "done": 0}
    wish = fresh(wish)
    assert (wish.status, wish.claimant_id, wish.claim_due_at) == ("approved", None, None)
    assert told(village.wisher, "wish.claim_expired") == 1
    assert told(village.volunteer, "wish.claim_expired") == 1
    event = WishEvent.select().where(WishEvent.wish == wish.id).order_by(
        WishEvent.id.desc()).first()
    assert (event.action, event.actor_role, event.at) == ("expire_claim", "system", due)


def test_the_scheduler_runs_claim_expiry_under_a_frozen_clock(village):
    wish = claimed(village)
    with frozen(MONDAY_9AM + 8 * DAY):
        assert runner().run_once("wishes.expire_claims") is True
    assert fresh(wish).status == "approved"


def test_a_second_claim_round_expires_and_is_notified_again(village):
    wish = claimed(village)
    jobs.expire_claims(now=MONDAY_9AM + 7 * DAY)
    with frozen(MONDAY_9AM + 8 * DAY):
        claims.claim_wish(village.actor(village.volunteer), wish.id)
    jobs.expire_claims(now=MONDAY_9AM + 15 * DAY)
    assert told(village.volunteer, "wish.claim_expired") == 2


def test_the_town_setting_shortens_the_claim(village):
    settings.configure_limits(village.staff(village.town_admin), village.tree.town_a.id,
                              claim_days=2, auto_confirm_days=3)
    wish = claimed(village)
    assert jobs.expire_claims(now=MONDAY_9AM + 2 * DAY)["done"] == 1
    assert fresh(wish).status == "approved"


def test_a_fulfilled_claim_is_never_released(village):
    wish = fulfilled(village)
    assert jobs.expire_claims(now=MONDAY_9AM + 30 * DAY)["due"] == 0
    assert fresh(wish).status in ("fulfilled", "confirmed")


def test_an_unanswered_fulfilment_is_confirmed_after_the_set_days_exactly_once(village):
    wish = fulfilled(village)
    assert jobs.auto_confirm(now=MONDAY_9AM + 7 * DAY - SECOND)["done"] == 0
    with frozen(MONDAY_9AM + 7 * DAY):
        assert runner().run_once("wishes.auto_confirm") is True
        assert runner().run_once("wishes.auto_confirm") is True
    wish = fresh(wish)
    assert (wish.status, wish.auto_confirmed, wish.confirmed_at) == (
        "confirmed", True, MONDAY_9AM + 7 * DAY)
    assert WishPointsEvent.select().where(
        WishPointsEvent.beneficiary_user_id == village.volunteer.id).count() == 1
    assert told(village.wisher, "wish.auto_confirmed") == 1
    assert told(village.volunteer, "wish.auto_confirmed") == 1
    with pytest.raises(Conflict) as info:
        wishes.confirm_wish(village.actor(village.wisher), wish.id)
    assert info.value.code == "wish.illegal_transition"


def test_auto_confirmation_uses_the_town_setting_read_at_fulfilment(village):
    settings.configure_limits(village.staff(village.town_admin), village.tree.town_a.id,
                              claim_days=7, auto_confirm_days=2)
    wish = fulfilled(village)
    settings.configure_limits(village.staff(village.town_admin), village.tree.town_a.id,
                              claim_days=7, auto_confirm_days=20)
    assert jobs.auto_confirm(now=MONDAY_9AM + 2 * DAY)["done"] == 1
    assert fresh(wish).status == "confirmed"


def test_a_wish_the_wisher_confirmed_is_left_alone_by_the_job(village):
    wish = fulfilled(village)
    wishes.confirm_wish(village.actor(village.wisher), wish.id)
    assert jobs.auto_confirm(now=MONDAY_9AM + 30 * DAY) == {"due": 0, "done": 0}
    assert WishPointsEvent.select().count() == 1


def test_a_confirmation_racing_the_job_counts_once(village, monkeypatch):
    """The job has read the wish as fulfilled; the wisher confirms before the job writes."""
    wish = fulfilled(village)

    class WisherFirst:
        def atomic(self):
            wishes.confirm_wish(village.actor(village.wisher), wish.id)
            return database.atomic()

    monkeypatch.setattr(jobs, "database", WisherFirst())
    assert jobs.auto_confirm(now=MONDAY_9AM + 7 * DAY) == {"due": 1, "done": 0}
    wish = fresh(wish)
    assert (wish.status, wish.auto_confirmed) == ("confirmed", False)
    assert WishPointsEvent.select().count() == 1
    assert told(village.volunteer, "wish.auto_confirmed") == 0
