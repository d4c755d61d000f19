"""The ``consultations.advance`` job: scheduled topics open and open topics close on time,
exactly once, and topics staff changed meanwhile are left alone."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.clock import frozen
from app.consultations import jobs, topics
from app.jobs import JOBS
from tests.app.consultations.conftest import DAY, MONDAY_9AM, fresh, opened


def audited(consultation) -> list[str]:
    return [e.action for e in AuditEntry.select().where(
        (AuditEntry.object_type == "consultation")
        & (AuditEntry.object_id == str(consultation.id))).order_by(AuditEntry.id)]


def test_the_job_is_in_the_schedule_table():
    [job] = [job for job in JOBS if job.id == "consultations.advance"]
    assert job.resolve() is jobs.advance


def test_a_topic_with_a_later_opening_time_is_scheduled_and_the_job_opens_it(town):
    consultation = opened(town, opens_at=MONDAY_9AM + DAY)
    assert fresh(consultation).status == "scheduled"
    assert jobs.advance(MONDAY_9AM + DAY / 2) == {"opened": 0, "closed": 0}
    assert jobs.advance(MONDAY_9AM + DAY) == {"opened": 1, "closed": 0}
    assert jobs.advance(MONDAY_9AM + DAY) == {"opened": 0, "closed": 0}
    assert (fresh(consultation).status, fresh(consultation).opened_at) == (
        "open", MONDAY_9AM + DAY)
    assert audited(consultation)[-1] == "consultation.auto_open"


def test_the_job_closes_an_open_topic_at_its_closing_time_exactly_once(town):
    consultation = opened(town, closes_at=MONDAY_9AM + 3 * DAY)
    assert jobs.advance(MONDAY_9AM + 2 * DAY)["closed"] == 0
    assert jobs.advance(MONDAY_9AM + 3 * DAY)["closed"] == 1
    assert jobs.advance(MONDAY_9AM + 4 * DAY)["closed"] == 0
    assert fresh(consultation).status == "closed"


def test_a_scheduled_topic_withdrawn_before_its_opening_stays_withdrawn(town):
    consultation = opened(town, opens_at=MONDAY_9AM + DAY)
    with frozen(MONDAY_9AM):
        topics.withdraw_consultation(town.staff(town.cadre), consultation.id, reason="改期")
    assert jobs.advance(MONDAY_9AM + 2 * DAY) == {"opened": 0, "closed": 0}
    assert fresh(consultation).status == "withdrawn"


def test_a_topic_closed_early_by_staff_is_not_closed_again(town):
    consultation = opened(town, closes_at=MONDAY_9AM + 3 * DAY)
    with frozen(MONDAY_9AM + DAY):
        topics.close_consultation(town.staff(town.cadre), consultation.id)
    assert jobs.advance(MONDAY_9AM + 4 * DAY)["closed"] == 0
    assert fresh(consultation).closed_at == MONDAY_9AM + DAY


def test_publishing_a_scheduled_topic_again_opens_it_at_once(town):
    consultation = opened(town, opens_at=MONDAY_9AM + DAY)
    with frozen(MONDAY_9AM + DAY / 2):
        topics.publish_consultation(town.staff(town.cadre), consultation.id)
    assert (fresh(consultation).status, fresh(consultation).opened_at) == (
        "open", MONDAY_9AM + DAY / 2)
    assert jobs.advance(MONDAY_9AM + DAY)["opened"] == 0
