"""The crash test's checks pass on a consistent town and catch each kind of damage they exist
for: a lost or doubled write, a ledger out of balance, a log that rewrote a signed checkpoint,
an escalation step taken twice or recorded without its entry."""

from __future__ import annotations

import datetime as dt

from app.accounts.tokens import load_actor
from app.clock import utcnow
from app.content import WordListChecker
from app.db import database
from app.points.awards import award_points
from app.points.models import PointsAccount
from app.requests.jobs import escalate_due
from app.requests.models import Request, TimelineEntry
from app.requests.services import submit_request
from app.transparency import merkle, note, services
from app.transparency.models import LogCheckpoint
from bench import crash_checks
from bench.crash_client import Journal, Write


def submit(town, marker: str) -> Request:
    return submit_request(load_actor(town.resident), type="help", category_code="environment",
                          text=f"楼道的灯坏了，请尽快修理。[{marker}]", checker=WordListChecker())


def award(town, marker: str, points: int = 5):
    return award_points(load_actor(town.cadre, "staff"), points=points, reason="清理楼道",
                        request_key=marker, user_id=town.resident.id)


def acked(kind: str, marker: str, object_id: int, **fields) -> Write:
    return Write(kind, marker, 1, status="acked", object_id=object_id, **fields)


def publish(town, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        with database.atomic():
            services.append_record(town.log_id, "disclosure", n, {"title": f"第{n}期财务公开"})


def test_the_checks_pass_on_a_consistent_town(town):
    journal = Journal()
    request = submit(town, "ck1-c1-t0-n1")
    event = award(town, "ck1-c1-t0-n2", 7)
    journal.add(acked("request", "ck1-c1-t0-n1", request.id))
    journal.add(acked("award", "ck1-c1-t0-n2", event.id, user_id=town.resident.id, points=7))
    journal.add(Write("request", "ck1-c1-t0-n3", 1))  # in doubt, never reached the database
    publish(town, 3)
    services.sign_checkpoint(town.log_id, signer=town.signer)
    publish(town, 2, start=3)
    later = utcnow() + dt.timedelta(days=40)
    assert crash_checks.drain_escalations(later) == 3

    figures, failures, lost, duplicated = crash_checks.check_writes(journal, town.cadre.id)
    log_figures, log_failures = crash_checks.check_log(town.log_id)
    escalation, escalation_failures = crash_checks.check_escalations()

    assert (failures, lost, duplicated) == ([], set(), set())
    assert figures["request"] == {"acked": 1, "in_doubt": 1}
    assert crash_checks.check_ledger(journal, town.cadre.id) == []
    assert log_failures == []
    assert log_figures == {"tree_size": 5, "checkpoints": 1, "last_signed_size": 3}
    assert escalation_failures == []
    assert escalation == {"steps": 3, "below_top": 0}


def test_an_acknowledged_write_that_is_missing_counts_as_lost(town):
    journal = Journal()
    journal.add(acked("request", "ck1-c1-t0-n1", 99))

    _, failures, lost, _ = crash_checks.check_writes(journal, town.cadre.id)

    assert lost == {"ck1-c1-t0-n1"}
    assert failures == ["acknowledged request ck1-c1-t0-n1 is lost"]


def test_a_write_stored_twice_counts_as_duplicated_even_when_it_was_in_doubt(town):
    journal = Journal()
    submit(town, "ck1-c1-t0-n1")
    submit(town, "ck1-c1-t0-n1")
    journal.add(Write("request", "ck1-c1-t0-n1", 1))

    _, failures, _, duplicated = crash_checks.check_writes(journal, town.cadre.id)

    assert duplicated == {"ck1-c1-t0-n1"}
    assert failures == ["request ck1-c1-t0-n1 exists 2 times"]


def test_a_write_in_doubt_may_exist_once(town):
    journal = Journal()
    submit(town, "ck1-c1-t0-n1")
    journal.add(Write("request", "ck1-c1-t0-n1", 1))

    figures, failures, lost, duplicated = crash_checks.check_writes(journal, town.cadre.id)

    assert (failures, lost, duplicated) == ([], set(), set())
    assert figures["request"] == {"in_doubt": 1, "in_doubt_present": 1}


def test_a_balance_that_disagrees_with_its_transfers_fails_the_ledger(town):
    journal = Journal()
    event = award(town, "ck1-c1-t0-n1", 5)
    journal.add(acked("award", "ck1-c1-t0-n1", event.id, user_id=town.resident.id, points=5))
    (PointsAccount.update(balance=PointsAccount.balance + 1)
     .where((PointsAccount.kind == "person") & (PointsAccount.owner_id == town.resident.id))
     .execute())

    failures = crash_checks.check_ledger(journal, town.cadre.id)

    assert failures[0].startswith("verify_balances: 2 mismatches")  # the balance and the sum
    assert f"resident {town.resident.id} holds 6, awards add up to 5" in failures


def test_a_checkpoint_the_log_does_not_extend_fails(town):
    publish(town, 4)
    forged_root = merkle.leaf_hash(b"a record that was never published")
    body = note.checkpoint_body(services._origin(town.log_id), 2, forged_root)
    services.sign_checkpoint(town.log_id, signer=town.signer)  # records the key
    LogCheckpoint.create(log_id=town.log_id, tree_size=2, root_hash=forged_root.hex(),
                         signature="x", key_id=town.signer.key_id,
                         note=town.signer.sign_note(body))

    _, failures = crash_checks.check_log(town.log_id)

    assert failures == ["checkpoint 2 is not the root of the first leaves"]


def test_an_escalation_step_taken_twice_fails(town):
    request = submit(town, "ck1-c1-t0-n1")
    escalate_due(utcnow() + dt.timedelta(days=40))
    step = TimelineEntry.get((TimelineEntry.request == request.id)
                             & (TimelineEntry.actor_role == "system"))
    TimelineEntry.create(request=request.id, actor_role="system", action="note",
                         label=step.label, details=step.details)

    _, failures = crash_checks.check_escalations()

    assert failures == [f"request {request.id} reached level 1 2 times"]


def test_a_level_recorded_without_its_step_or_schedule_fails(town):
    request = submit(town, "ck1-c1-t0-n1")
    Request.update(escalation_level=1, next_due_at=None).where(Request.id == request.id).execute()

    escalation, failures = crash_checks.check_escalations()

    assert escalation == {"steps": 0, "below_top": 1}
    assert failures == [f"request {request.id} is at level 1 without step 1",
                        f"request {request.id} step 1 sent no notice",
                        f"request {request.id} at level 1 is no longer scheduled"]
