"""The points jobs: verifying balances and tallies against the transfers (alerting on any
difference), and crediting waiting events."""

from __future__ import annotations

import logging

from app.jobs import JOBS
from app.notifications.models import Notification
from app.points import jobs, ledger
from app.points.models import PointsAccount, PointsTally
from app.points.services import record_points_event


def test_both_jobs_are_scheduled():
    ids = {job.id for job in JOBS}
    assert {"points.verify_balances", "points.credit_pending"} <= ids


def test_a_consistent_ledger_verifies_without_alerts(village):
    for n in range(5):
        record_points_event("wish.fulfilled", f"wish:{n}", village.resident.id,
                            village.tree.village_a1.id)
    result = jobs.verify_balances(batch=2)
    assert result["mismatches"] == 0 and result["total"] == 0 and result["accounts"] >= 4
    assert Notification.select().where(Notification.kind == "points.mismatch").count() == 0


def test_a_tampered_balance_is_logged_and_sent_to_town_admins_and_sysadmins(village, caplog):
    record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                        village.tree.village_a1.id)
    account = ledger.find_account("person", village.resident.id)
    PointsAccount.update(balance=99).where(PointsAccount.id == account.id).execute()
    with caplog.at_level(logging.ERROR, logger="linli.jobs.points"):
        result = jobs.verify_balances()
    assert result["mismatches"] >= 1
    assert f"account_id={account.id}" in caplog.text and "张" not in caplog.text
    recipients = {n.recipient_user_id for n in Notification.select().where(
        Notification.kind == "points.mismatch")}
    assert recipients == {village.town_admin.id, village.sysadmin.id}
    jobs.verify_balances()  # a second run the same day does not repeat the notices
    assert Notification.select().where(Notification.kind == "points.mismatch").count() == 2


def test_a_tampered_tally_is_found(village):
    record_points_event("wish.fulfilled", "wish:1", village.resident.id,
                        village.tree.village_a1.id)
    account = ledger.find_account("person", village.resident.id)
    PointsTally.update(points=1).where((PointsTally.account == account.id)
                                       & (PointsTally.period == "all")).execute()
    assert jobs.verify_balances()["mismatches"] == 1


def test_credit_pending_credits_events_once_their_beneficiary_is_bound(village):
    from app.accounts.models import User

    event = record_points_event("wish.fulfilled", "wish:1", village.visitor.id,
                                village.tree.village_a1.id)
    assert jobs.credit_pending() == {"checked": 1, "credited": 0, "waiting": 1}
    User.update(household=village.tree.household_a1).where(
        User.id == village.visitor.id).execute()
    assert jobs.credit_pending()["credited"] == 1
    assert jobs.credit_pending()["checked"] == 0
    assert ledger.find_account("person", village.visitor.id).balance == 5
    assert event.source_ref == "wish:1"
