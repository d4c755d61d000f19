"""Revealing a confidential reporter: a written request and a second officer's approval."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.reports import handling, reveal
from app.reports.models import RevealRequest
from tests.app.reports.world import RESIDENT_PHONE

REASON = "举报涉及的转账时间需与举报人当面核实，申请查看举报人联系方式"


def _requested(world):
    result = world.submit("confidential")
    actor, token = world.session(world.officer)
    detail = reveal.request_reveal(actor, result.report_id, REASON, session_token=token)
    return result, actor, token, detail["reveal_requests"][0]["id"]


def test_the_identity_is_revealed_only_after_a_second_officer_approves(world):
    result, actor, token, reveal_id = _requested(world)
    with pytest.raises(Forbidden) as err:
        reveal.reveal_identity(actor, result.report_id, session_token=token)
    assert err.value.code == "report.reveal_not_approved"
    reveal.decide_reveal(world.actor(world.officer2), result.report_id, reveal_id, approve=True)
    identity = reveal.reveal_identity(actor, result.report_id, session_token=token)
    assert (identity["user_id"], identity["name"], identity["phone"]) == (
        world.resident.id, "举报的村民", RESIDENT_PHONE)


def test_self_approval_is_refused(world):
    result, actor, _, reveal_id = _requested(world)
    with pytest.raises(Forbidden) as err:
        reveal.decide_reveal(actor, result.report_id, reveal_id, approve=True)
    assert err.value.code == "report.self_approval"
    assert RevealRequest.get_by_id(reveal_id).status == "pending"


def test_the_level_above_may_approve(world):
    result, actor, token, reveal_id = _requested(world)
    decided = reveal.decide_reveal(world.actor(world.district_officer), result.report_id,
                                   reveal_id, approve=True)
    assert decided["status"] == "approved"
    assert reveal.reveal_identity(actor, result.report_id, session_token=token)["name"]


def test_nobody_else_may_decide(world):
    result, _, _, reveal_id = _requested(world)
    for who in ("other_town_officer", "town_admin", "sysadmin", "accused", "other_cadre"):
        with pytest.raises((NotFound, Forbidden)):
            reveal.decide_reveal(world.actor(getattr(world, who)), result.report_id,
                                 reveal_id, approve=True)
    assert RevealRequest.get_by_id(reveal_id).status == "pending"


def test_a_refused_request_reveals_nothing_and_is_decided_once(world):
    result, actor, token, reveal_id = _requested(world)
    reveal.decide_reveal(world.actor(world.officer2), result.report_id, reveal_id,
                         approve=False)
    with pytest.raises(Conflict):
        reveal.decide_reveal(world.actor(world.district_officer), result.report_id,
                             reveal_id, approve=True)
    with pytest.raises(Forbidden):
        reveal.reveal_identity(actor, result.report_id, session_token=token)


def test_only_the_requester_may_use_an_approval(world):
    result, _, _, reveal_id = _requested(world)
    reveal.decide_reveal(world.actor(world.district_officer), result.report_id, reveal_id,
                         approve=True)
    other, other_token = world.session(world.officer2)
    with pytest.raises(Forbidden):
        reveal.reveal_identity(other, result.report_id, session_token=other_token)


def test_anonymous_reports_have_no_identity_to_reveal(world):
    result = world.submit("anonymous")
    actor, token = world.session(world.officer)
    with pytest.raises(Conflict) as err:
        reveal.request_reveal(actor, result.report_id, REASON, session_token=token)
    assert err.value.code == "report.anonymous"


def test_a_request_needs_a_written_reason(world):
    result = world.submit("confidential")
    actor, token = world.session(world.officer)
    with pytest.raises(InvalidInput):
        reveal.request_reveal(actor, result.report_id, "看看", session_token=token)


def test_every_step_and_every_reveal_is_audited_and_visible_above(world):
    result, actor, token, reveal_id = _requested(world)
    reveal.decide_reveal(world.actor(world.officer2), result.report_id, reveal_id, approve=True)
    reveal.reveal_identity(actor, result.report_id, session_token=token)
    reveal.reveal_identity(actor, result.report_id, session_token=token)
    trail = [e.action for e in handling.audit_trail(world.actor(world.district_officer),
                                                     result.report_id).order_by(AuditEntry.id)]
    assert trail == ["report.submit", "report.reveal_request", "report.reveal_approve",
                     "report.reveal", "report.reveal"]
    for entry in AuditEntry.select():
        assert RESIDENT_PHONE not in entry.summary and "举报的村民" not in entry.summary


def test_the_reason_is_stored_encrypted_and_shown_to_the_officers(world):
    result, actor, token, reveal_id = _requested(world)
    assert "转账" not in RevealRequest.get_by_id(reveal_id).reason_cipher
    other, other_token = world.session(world.officer2)
    detail = handling.read_report(other, result.report_id, session_token=other_token)
    assert detail["reveal_requests"][0]["reason"] == REASON
