"""QR check-in and check-out, refusals of expired, wrong-action, wrong-phase, reused and forged
codes, and the organiser's decisions crediting service hours as points exactly once."""

from __future__ import annotations

import datetime as dt

import pytest

from app import crypto
from app.actions import attendance, rules, signups
from app.audit.models import AuditEntry
from app.clock import frozen
from app.errors import Conflict, Forbidden, InvalidInput
from app.points import ledger
from app.points.models import PointsTransfer
from tests.app.actions.conftest import END, NOW, START, publish


@pytest.fixture
def action(village):
    made = publish(village)
    with frozen(NOW):
        signups.sign_up(village.resident_actor(village.resident), made.id)
    return made


def code(village, action, phase, at):
    with frozen(at):
        return attendance.qr_code(village.actor(village.cadre), action.id, phase).token


def scan(village, action, phase, token, at, user=None):
    actor = village.resident_actor(user or village.resident)
    call = attendance.check_in if phase == "in" else attendance.check_out
    with frozen(at):
        return call(actor, action.id, token)


def refusal(call) -> str:
    with pytest.raises(InvalidInput) as err:
        call()
    return err.value.code


def test_checking_in_and_out_records_the_times_and_waits_for_the_organiser(village, action):
    t_in, t_out = START + dt.timedelta(minutes=5), START + dt.timedelta(minutes=100)
    scan(village, action, "in", code(village, action, "in", t_in), t_in)
    signup = scan(village, action, "out", code(village, action, "out", t_out), t_out)
    assert signup.checked_in_at == t_in and signup.attendance == "pending"
    assert attendance.suggested_minutes(signup, action) == 95


def test_a_code_scanned_within_its_window_or_the_next_is_accepted(village, action):
    shown = START.replace(second=59)
    token = code(village, action, "in", shown)
    assert scan(village, action, "in", token, shown + dt.timedelta(seconds=30)).checked_in_at


def test_an_expired_code_is_refused(village, action):
    token = code(village, action, "in", START)
    later = START + dt.timedelta(minutes=2, seconds=1)
    assert refusal(lambda: scan(village, action, "in", token, later)) == "action.qr_expired"
    hour_later = START + dt.timedelta(hours=1)
    assert refusal(lambda: scan(village, action, "in", token, hour_later)) == "action.qr_expired"


def test_a_code_of_another_action_is_refused(village, action):
    other = publish(village)
    token = code(village, other, "in", START)
    assert refusal(lambda: scan(village, action, "in", token, START)) == "action.qr_wrong_action"


def test_a_check_out_code_does_not_check_in(village, action):
    token = code(village, action, "out", START)
    assert refusal(lambda: scan(village, action, "in", token, START)) == "action.qr_wrong_phase"


@pytest.mark.parametrize("token", [
    "garbage", "", "1.in.99999999.AAAA", "1.in.x.sig", "1.sideways.1.sig"])
def test_forged_and_malformed_codes_are_refused(village, action, token):
    assert refusal(lambda: scan(village, action, "in", token, START)) == "action.qr_invalid"


def test_a_code_signed_with_another_key_is_refused(village, action):
    forged = rules.make_token(b"k" * 32, action.id, "in", START)
    assert refusal(lambda: scan(village, action, "in", forged, START)) == "action.qr_invalid"
    genuine = rules.make_token(crypto.derive_key(rules.KEY_PURPOSE), action.id, "in", START)
    tampered = genuine.replace(f"{action.id}.in", f"{action.id + 1}.in")
    assert refusal(lambda: scan(village, action, "in", tampered, START)) == "action.qr_invalid"


def test_codes_cannot_be_reused_after_check_out(village, action):
    t_in, t_out = START, START + dt.timedelta(minutes=50)
    token_in = code(village, action, "in", t_in)
    scan(village, action, "in", token_in, t_in)
    token_out = code(village, action, "out", t_out)
    scan(village, action, "out", token_out, t_out)
    with pytest.raises(Conflict) as err:
        scan(village, action, "in", code(village, action, "in", t_out), t_out)
    assert err.value.code == "action.already_checked_in"
    with pytest.raises(Conflict) as err:
        scan(village, action, "out", token_out, t_out + dt.timedelta(seconds=20))
    assert err.value.code == "action.already_checked_out"


def test_a_screenshot_passed_to_someone_not_signed_up_fails(village, action):
    token = code(village, action, "in", START)
    with pytest.raises(Forbidden) as err:
        scan(village, action, "in", token, START, user=village.neighbour)
    assert err.value.code == "action.not_signed_up"


def test_check_in_before_the_window_opens_is_refused(village, action):
    early = START - dt.timedelta(hours=3)
    with pytest.raises(Conflict):
        scan(village, action, "in", code(village, action, "in", early), early)


def test_only_the_organiser_or_staff_over_it_show_codes(village, action):
    with frozen(START), pytest.raises(Forbidden):
        attendance.qr_code(village.resident_actor(village.resident), action.id, "in")
    with frozen(START):
        assert attendance.qr_code(village.actor(village.town_admin), action.id, "out").token


def attended(village, action, minutes=95):
    t_in = START + dt.timedelta(minutes=5)
    t_out = t_in + dt.timedelta(minutes=minutes)
    scan(village, action, "in", code(village, action, "in", t_in), t_in)
    return scan(village, action, "out", code(village, action, "out", t_out), t_out)


def test_confirming_credits_the_hours_as_points_once(village, action):
    signup = attended(village, action)
    with frozen(END):
        done = attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                            decision="confirm")
        with pytest.raises(Conflict):
            attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                         decision="confirm")
    assert done.minutes == 95 and done.points_ref == (
        f"action:{action.id}:checkout:user:{village.resident.id}")
    transfer = PointsTransfer.get(PointsTransfer.source_ref == done.points_ref)
    assert transfer.amount == 15 and transfer.quantity == 95 and transfer.rule_version == 1
    assert ledger.find_account("person", village.resident.id).balance == 15
    assert AuditEntry.select().where(AuditEntry.action == "action.attendance_confirm").count()


def test_a_correction_needs_a_reason_and_sets_the_minutes(village, action):
    signup = attended(village, action, minutes=20)
    with frozen(END), pytest.raises(InvalidInput):
        attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                     decision="correct", minutes=120)
    with frozen(END):
        done = attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                            decision="correct", minutes=120,
                                            reason="忘记签到，组织者核实")
    assert done.corrected and done.minutes == 120
    assert ledger.find_account("person", village.resident.id).balance == 20


def test_someone_who_could_not_scan_is_recorded_by_correction(village, action):
    signup = signups.my_signup(village.resident_actor(village.resident), action.id)
    with frozen(END):
        done = attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                            decision="correct", minutes=60,
                                            reason="老人无智能手机，现场登记")
    assert done.attendance == "confirmed" and done.minutes == 60


def test_a_rejection_earns_nothing(village, action):
    signup = attended(village, action)
    with frozen(END):
        done = attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                            decision="reject", reason="未实际参加")
    assert done.attendance == "rejected"
    assert ledger.find_account("person", village.resident.id) is None


def test_confirming_without_a_check_out_asks_for_a_correction(village, action):
    signup = signups.my_signup(village.resident_actor(village.resident), action.id)
    with frozen(END), pytest.raises(Conflict) as err:
        attendance.decide_attendance(village.actor(village.cadre), signup.id,
                                     decision="confirm")
    assert err.value.code == "action.not_checked_out"


def test_other_villages_staff_cannot_decide(village, action):
    signup = attended(village, action)
    from app.errors import NotFound

    with frozen(END), pytest.raises(NotFound):
        attendance.decide_attendance(village.actor(village.other_cadre), signup.id,
                                     decision="confirm")


def test_minutes_are_capped_at_the_actions_length():
    start = dt.datetime(2026, 1, 1, 1)
    assert rules.served_minutes(start - dt.timedelta(minutes=30),
                                start + dt.timedelta(hours=5), start,
                                start + dt.timedelta(hours=2)) == 120
