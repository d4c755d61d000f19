"""The officers' workflow: read, decide, check, handle, conclude; notes, messages, recusal."""

from __future__ import annotations

import datetime as dt

import pytest

from app.audit.models import AuditEntry
from app.audit.services import audit_query
from app.calendar.services import load_calendar
from app.clock import frozen
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.reports import handling, keys, rules, services
from app.reports.models import Report, ReportRecipient
from tests.app.reports.conftest import MONDAY_9AM
from tests.app.reports.world import BODY, KEY_PASSWORD
from tests.factories import grant, make_user


def test_an_officer_reads_the_decrypted_report_and_the_read_is_audited(world):
    result = world.submit()
    actor, token = world.session(world.officer)
    detail = handling.read_report(actor, result.report_id, session_token=token)
    assert detail["text"] == BODY
    assert detail["accused"]["user_id"] == world.accused.id
    assert detail["my_level"] == "handler"
    assert detail["allowed_transitions"] == ["accepted", "not_accepted"]
    entry = AuditEntry.get(AuditEntry.action == "report.read")
    assert (entry.actor_id, entry.object_id) == (world.officer.id, str(result.report_id))
    assert BODY not in entry.summary


def test_reading_needs_an_unlocked_key(world):
    result = world.submit()
    with pytest.raises(Forbidden) as err:
        handling.read_report(world.actor(world.officer), result.report_id,
                             session_token=world.token(world.officer))
    assert err.value.code == "report.key_locked"


def test_the_full_workflow_with_deadlines_in_working_days(world):
    with frozen(MONDAY_9AM):
        result = world.submit()
    report = Report.get_by_id(result.report_id)
    cal = load_calendar()
    assert report.stage_deadline == cal.deadline_after(MONDAY_9AM, 15)
    with frozen(MONDAY_9AM):
        actor, token = world.session(world.officer)
    steps = [("accepted", 5), ("preliminary_check", 30), ("handling", 90)]
    for to, days in steps:
        with frozen(MONDAY_9AM):
            detail = handling.transition_report(actor, report.id, to=to, session_token=token)
        assert detail["status"] == to
        assert Report.get_by_id(report.id).stage_deadline == cal.deadline_after(MONDAY_9AM, days)
    with frozen(MONDAY_9AM):
        handling.transition_report(actor, report.id, to="concluded",
                                   text="经核实，反映问题属实，已给予党内警告处分",
                                   session_token=token)
    done = Report.get_by_id(report.id)
    assert done.status == "concluded" and done.stage_deadline is None and done.next_due_at is None
    assert done.purge_after == MONDAY_9AM + dt.timedelta(days=done.retention_days)
    status = services.reporter_status(result.receipt, client="c")
    assert status["status"] == "concluded"
    assert [(m["kind"], m["text"]) for m in status["messages"]] == [
        ("conclusion", "经核实，反映问题属实，已给予党内警告处分")]


def test_not_accepting_needs_a_reason_that_the_reporter_reads(world):
    result = world.submit()
    actor, token = world.session(world.officer)
    with pytest.raises(InvalidInput) as err:
        handling.transition_report(actor, result.report_id, to="not_accepted",
                                   session_token=token)
    assert err.value.code == "report.text_required"
    handling.transition_report(actor, result.report_id, to="not_accepted",
                               text="不属于本级受理范围，请向区住建局反映", session_token=token)
    status = services.reporter_status(result.receipt, client="c")
    assert status["status_name"] == "不予受理"
    assert status["messages"][0]["kind"] == "decision"


def test_illegal_transitions_are_refused(world):
    result = world.submit()
    actor, token = world.session(world.officer)
    with pytest.raises(Conflict) as err:
        handling.transition_report(actor, result.report_id, to="handling", session_token=token)
    assert err.value.code == "report.illegal_transition"


def test_supervisors_read_but_do_not_move_the_report(world):
    result = world.submit()
    actor, token = world.session(world.district_officer)
    assert handling.read_report(actor, result.report_id, session_token=token)["my_level"] == (
        "supervisor")
    with pytest.raises(NotFound):
        handling.transition_report(actor, result.report_id, to="accepted", session_token=token)


def test_notes_stay_internal_and_messages_reach_the_reporter(world):
    result = world.submit()
    actor, token = world.session(world.officer)
    handling.add_note(actor, result.report_id, "先调取低保评议会议记录", session_token=token)
    handling.send_message(actor, result.report_id, "请问您是否保留了转账记录？",
                          session_token=token)
    services.reporter_write(result.receipt, "有，微信转账截图", kind="message", client="c")
    reporter = services.reporter_status(result.receipt, client="c")["messages"]
    assert [(m["side"], m["text"]) for m in reporter] == [
        ("officer", "请问您是否保留了转账记录？"), ("reporter", "有，微信转账截图")]
    officer = handling.read_report(actor, result.report_id, session_token=token)["messages"]
    assert [m["kind"] for m in officer] == ["note", "message", "message"]
    assert officer[0]["author_name"] == "纪检委员甲" and officer[2]["author_name"] is None


def test_recusal_deletes_the_key_copy_and_excludes_the_officer(world):
    result = world.submit()
    actor, token = world.session(world.officer)
    handling.recuse(actor, result.report_id)
    row = ReportRecipient.get((ReportRecipient.report == result.report_id)
                              & (ReportRecipient.user == world.officer.id))
    assert row.sealed_key is None and row.recused_at is not None
    with pytest.raises(NotFound):
        handling.read_report(actor, result.report_id, session_token=token)
    assert list(handling.queue_query(actor, "all")) == []


def test_an_officer_without_a_key_gets_the_report_sealed_once_someone_holds_it(world):
    newcomer = make_user(name="新任纪检委员")
    grant(newcomer, "discipline_officer", world.tree.town_a)
    result = world.submit()
    pending = ReportRecipient.get((ReportRecipient.report == result.report_id)
                                  & (ReportRecipient.user == newcomer.id))
    assert pending.sealed_key is None
    actor = world.actor(newcomer)
    keys.set_up_key(actor, KEY_PASSWORD)
    token = world.token(newcomer)
    keys.unlock_key(actor, KEY_PASSWORD, session_token=token)
    with pytest.raises(Conflict) as err:
        handling.read_report(actor, result.report_id, session_token=token)
    assert err.value.code == "report.key_pending"
    services.reporter_status(result.receipt, client="c")  # the reporter's visit seals it
    assert handling.read_report(actor, result.report_id, session_token=token)["text"] == BODY


def test_an_officer_posted_later_becomes_a_recipient_when_the_report_is_opened(world):
    result = world.submit()
    later = make_user(name="后到纪检委员")
    grant(later, "discipline_officer", world.tree.town_a)
    keys.set_up_key(world.actor(later), KEY_PASSWORD)
    actor, token = world.session(world.officer)
    handling.read_report(actor, result.report_id, session_token=token)
    later_actor, later_token = world.session(later)
    assert handling.read_report(later_actor, result.report_id,
                                session_token=later_token)["text"] == BODY


def test_the_report_audit_trail_is_visible_to_the_level_above(world):
    result = world.submit()
    actor, token = world.session(world.officer)
    handling.read_report(actor, result.report_id, session_token=token)
    trail = [e.action for e in handling.audit_trail(world.actor(world.district_officer),
                                                     result.report_id).order_by(AuditEntry.id)]
    assert trail == ["report.submit", "report.read"]


def test_the_general_audit_log_hides_report_entries_from_non_recipients(world):
    readers = (world.town_admin, world.sysadmin)
    before = [[e.id for e in audit_query(world.actor(who))] for who in readers]
    result = world.submit()
    actor, token = world.session(world.officer)
    handling.read_report(actor, result.report_id, session_token=token)
    assert before == [[e.id for e in audit_query(world.actor(who))] for who in readers]
    assert AuditEntry.select().where(AuditEntry.object_type == "report").count() == 2


def test_an_officer_who_is_also_town_admin_sees_report_entries_in_the_audit_log(world):
    grant(world.officer, "town_admin", world.tree.town_a)
    result = world.submit()
    actions = {e.action for e in audit_query(world.actor(world.officer))
               .where(AuditEntry.object_id == str(result.report_id))}
    assert "report.submit" in actions


def test_queues_list_metadata_of_open_and_overdue_reports(world):
    with frozen(MONDAY_9AM):
        result = world.submit()
    actor = world.actor(world.officer)
    rows = list(handling.queue_query(actor, "open"))
    assert [r.id for r in rows] == [result.report_id]
    item = handling.present_queue(actor, rows, MONDAY_9AM)[0]
    assert item["village_name"] == "东星社区" and item["key_ready"] and not item["overdue"]
    late = MONDAY_9AM + dt.timedelta(days=40)
    assert [r.id for r in handling.queue_query(actor, "overdue", late)] == [result.report_id]
    assert list(handling.queue_query(actor, "closed")) == []
    assert rules.STATE_NAMES[item["status"]] == "已收到"
