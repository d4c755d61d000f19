"""Submitting a report in both modes, the receipt, and following up with it."""

from __future__ import annotations

import pytest

from app.errors import InvalidInput, NotFound, RateLimited, Unauthorized
from app.notifications.models import Notification
from app.reports import rules, services, throttle
from app.reports.models import Report, ReportMessage, ReportRecipient
from tests.app.reports.world import BODY, RESIDENT_PHONE


def test_an_anonymous_report_keeps_no_identity_and_routes_to_the_town(world):
    result = world.submit("anonymous")
    report = Report.get_by_id(result.report_id)
    assert report.mode == "anonymous" and report.identity_cipher is None
    assert report.handling_region_id == world.tree.town_a.id
    assert report.supervising_region_id == world.tree.district.id
    assert not report.elevated
    levels = {r.user_id: r.level for r in ReportRecipient.select()
              .where(ReportRecipient.report == report.id)}
    assert levels == {world.officer.id: "handler", world.officer2.id: "handler",
                      world.district_officer.id: "supervisor"}


def test_a_confidential_report_encrypts_the_reporters_identity(world):
    result = world.submit("confidential")
    report = Report.get_by_id(result.report_id)
    assert report.mode == "confidential" and report.identity_cipher
    columns = " ".join(str(v) for v in report.__data__.values())
    assert "举报的村民" not in columns and RESIDENT_PHONE not in columns
    assert "o-reporter-xyz" not in columns


def test_a_confidential_report_needs_a_logged_in_user(world):
    with pytest.raises(Unauthorized):
        services.submit_confidential(None, village_id=world.tree.village_a1.id, text=BODY,
                                     client="c", accused_user_id=world.accused.id)


def test_the_receipt_is_sixteen_digits_stored_only_as_an_argon2id_verifier(world):
    result = world.submit()
    assert len(result.receipt) == 16 and result.receipt.isdigit()
    report = Report.get_by_id(result.report_id)
    stored = " ".join(str(v) for v in report.__data__.values())
    assert result.receipt not in stored
    assert len(report.receipt_verifier) == 64 and len(report.receipt_tag) == services.TAG_HEX


def test_receipts_differ_between_reports(world):
    receipts = {world.submit(client=f"c{i}").receipt for i in range(4)}
    assert len(receipts) == 4


def test_the_receipt_opens_status_and_messages_without_logging_in(world):
    result = world.submit()
    status = services.reporter_status(result.receipt, client="c")
    assert status["status"] == "received" and status["messages"] == []
    assert status["retention_days"] == rules.DEFAULT_RETENTION_DAYS
    services.reporter_write(rules.format_receipt(result.receipt), "补充：时间是今年三月",
                            kind="information", client="c")
    status = services.reporter_status(result.receipt, client="c")
    assert [(m["kind"], m["side"], m["text"]) for m in status["messages"]] == [
        ("information", "reporter", "补充：时间是今年三月")]


def test_reporter_messages_are_stored_encrypted(world):
    result = world.submit()
    services.reporter_write(result.receipt, "我还有录音可以提供", kind="message", client="c")
    row = ReportMessage.get(ReportMessage.report == result.report_id)
    assert "录音" not in row.body_cipher and row.author_id is None


def test_a_wrong_receipt_is_no_such_report(world):
    world.submit()
    with pytest.raises(NotFound) as err:
        services.reporter_status("1234567812345678", client="c")
    assert err.value.code == "report.not_found"


def test_a_malformed_receipt_counts_as_a_wrong_one(world):
    with pytest.raises(NotFound):
        services.reporter_status("12ab", client="c")
    assert throttle._load("receipt", "c")["n"] == 1


def test_wrong_receipts_from_one_client_are_refused_after_a_few_tries(world):
    result = world.submit()
    for _ in range(throttle.FREE_FAILURES):
        with pytest.raises(NotFound):
            services.reporter_status("0000000000000000", client="guesser")
    with pytest.raises(NotFound):  # the first failure past the free ones locks the client
        services.reporter_status("0000000000000001", client="guesser")
    with pytest.raises(RateLimited) as err:  # locked: even the right receipt is not checked
        services.reporter_status(result.receipt, client="guesser")
    assert err.value.code == "report.too_many_attempts"
    assert err.value.details["retry_after"] > 0
    assert services.reporter_status(result.receipt, client="someone-else")["status"]


def test_locks_grow_with_each_further_failure(world):
    locks = [throttle.record_failure("receipt", "x") for _ in range(7)]
    assert locks[:3] == [0, 0, 0]
    assert locks[3:] == [30, 60, 120, 240]


def test_submission_counts_leave_no_trace_in_the_database(world):
    from app.kvstore import KeyValue

    world.submit(client="someone")
    assert KeyValue.select().where(KeyValue.key.contains("someone")).count() == 0
    assert KeyValue.select().where(KeyValue.key.startswith("reports.throttle")).count() == 0


def test_submissions_per_client_are_capped(world):
    for _ in range(throttle.SUBMISSIONS_PER_WINDOW):
        world.submit(client="spammer")
    with pytest.raises(RateLimited) as err:
        world.submit(client="spammer")
    assert err.value.code == "report.too_many_submissions"


def test_officers_are_told_only_that_there_is_something_new(world):
    world.submit()
    notices = list(Notification.select())
    assert {n.recipient_user_id for n in notices} == {
        world.officer.id, world.officer2.id, world.district_officer.id}
    for notice in notices:
        assert (notice.channel, notice.title, notice.body, notice.page) == (
            "staff", "您有新的事项", "", None)
        assert str(notice.id) and "report" not in notice.kind and "report" not in notice.dedupe_key


@pytest.mark.parametrize("field, value, code", [
    ("text", "太短", "report.text_length"),
    ("accused_role", "mayor", "report.bad_accused_role"),
])
def test_bad_submissions_are_refused(world, field, value, code):
    kwargs = {"text": BODY, "role": "cadre"}
    kwargs["role" if field == "accused_role" else field] = value
    with pytest.raises(InvalidInput) as err:
        world.submit(**kwargs)
    assert err.value.code == code


def test_the_accused_must_be_named_somehow(world):
    with pytest.raises(InvalidInput) as err:
        services.submit_anonymous(village_id=world.tree.village_a1.id, text=BODY, client="c")
    assert err.value.code == "report.accused_required"
    result = services.submit_anonymous(village_id=world.tree.village_a1.id, text=BODY,
                                       client="c", accused_office="村集体经济合作社")
    assert Report.get_by_id(result.report_id).status == "received"


def test_a_named_accused_must_be_staff_of_that_village_or_its_town(world):
    with pytest.raises(InvalidInput) as err:
        world.submit(accused=world.resident)
    assert err.value.code == "report.bad_accused"


def test_a_place_below_the_village_is_taken_as_its_village(world):
    result = world.submit(village=world.tree.household_a1)
    assert Report.get_by_id(result.report_id).village_id == world.tree.village_a1.id
