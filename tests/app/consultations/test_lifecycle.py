"""A topic's lifecycle through the services: draft, edit, open or schedule, close (by staff or
on time), publish the outcome, withdraw; and every step refused where the workflow forbids it."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.consultations import poll, reading, topics
from app.consultations.models import ConsultationOption
from app.errors import Conflict, InvalidInput
from app.notifications.models import Notification
from tests.app.consultations.conftest import (
    DAY,
    MONDAY_9AM,
    closed,
    commented,
    draft_of,
    drafted,
    fresh,
    opened,
)


def audited(consultation) -> list[str]:
    return [e.action for e in AuditEntry.select().where(
        (AuditEntry.object_type == "consultation")
        & (AuditEntry.object_id == str(consultation.id))).order_by(AuditEntry.id)]


def test_a_cadre_drafts_a_topic_with_background_and_a_poll(town):
    consultation = drafted(town)
    assert (consultation.status, consultation.region_id) == ("draft", town.tree.village_a1.id)
    assert [o.label for o in poll.options_of(consultation.id)] == ["同意", "不同意", "弃权"]
    assert fresh(consultation).poll_mode == "single"
    assert audited(consultation) == ["consultation.create"]


def test_a_draft_can_be_edited_and_its_poll_replaced_or_removed(town):
    consultation = drafted(town)
    with frozen(MONDAY_9AM):
        topics.update_consultation(town.staff(town.cadre), consultation.id, draft=draft_of(
            title="车位分配方案", poll={"mode": "multiple", "options": ["甲", "乙", "丙"],
                                  "max_choices": 2, "results": "live"}))
    row = fresh(consultation)
    assert (row.title, row.poll_mode, row.poll_max_choices, row.poll_results) == (
        "车位分配方案", "multiple", 2, "live")
    with frozen(MONDAY_9AM):
        topics.update_consultation(town.staff(town.cadre), consultation.id,
                                   draft=draft_of(poll=None))
    assert fresh(consultation).poll_mode == ""
    assert ConsultationOption.select().where(
        ConsultationOption.consultation == consultation.id).count() == 0
    assert audited(consultation) == ["consultation.create", "consultation.update",
                                     "consultation.update"]


def test_publishing_opens_the_discussion_now_and_tells_the_groups(town):
    consultation = opened(town)
    assert (consultation.status, consultation.opened_at) == ("open", MONDAY_9AM)
    assert audited(consultation) == ["consultation.create", "consultation.open"]
    assert Notification.select().where(
        Notification.group_key == f"region:{town.tree.village_a1.id}").count() == 1


def test_staff_may_close_the_discussion_early(town):
    consultation = closed(town)
    assert (consultation.status, consultation.closed_at) == ("closed", MONDAY_9AM + DAY)
    assert audited(consultation)[-1] == "consultation.close"


def test_the_outcome_says_what_was_decided_and_why_and_reaches_the_participants(town):
    consultation = opened(town)
    commented(town, consultation)
    with frozen(MONDAY_9AM):
        poll.answer_poll(town.actor(town.neighbours[0]), consultation.id,
                         option_ids=[poll.options_of(consultation.id)[0].id])
    with frozen(MONDAY_9AM + DAY):
        topics.close_consultation(town.staff(town.cadre), consultation.id)
        topics.publish_outcome(town.staff(town.cadre), consultation.id,
                               outcome="按登记先后排号分配", reason="多数居民同意，且最公平")
    row = fresh(consultation)
    assert (row.status, row.outcome, row.outcome_reason) == (
        "decided", "按登记先后排号分配", "多数居民同意，且最公平")
    shown = reading.detail(town.actor(town.author), row)
    assert shown["poll"].results_visible and shown["poll"].voters == 1
    assert [o.count for o in shown["poll"].options] == [1, 0, 0]
    told = {n.recipient_user_id for n in Notification.select().where(
        Notification.kind == "consultation.decided")}
    assert told == {town.author.id, town.neighbours[0].id}
    assert audited(consultation)[-1] == "consultation.decide"


@pytest.mark.parametrize(("outcome", "reason", "code"), [
    ("", "理由", "consultation.outcome_required"),
    ("按排号分配", "  ", "consultation.reason_required"),
])
def test_an_outcome_without_its_decision_or_reason_is_refused(town, outcome, reason, code):
    consultation = closed(town)
    with pytest.raises(InvalidInput) as caught:
        topics.publish_outcome(town.staff(town.cadre), consultation.id, outcome=outcome,
                               reason=reason)
    assert caught.value.code == code
    assert fresh(consultation).status == "closed"


def test_a_withdrawal_needs_a_reason_and_keeps_it_for_residents(town):
    consultation = opened(town)
    with frozen(MONDAY_9AM), pytest.raises(InvalidInput) as caught:
        topics.withdraw_consultation(town.staff(town.cadre), consultation.id, reason="")
    assert caught.value.code == "consultation.reason_required"
    topics.withdraw_consultation(town.staff(town.cadre), consultation.id, reason="方案需重新测算")
    row = fresh(consultation)
    assert (row.status, row.withdraw_reason) == ("withdrawn", "方案需重新测算")
    assert reading.summary(town.actor(town.author), row)["withdraw_reason"] == "方案需重新测算"
    assert audited(consultation)[-1] == "consultation.withdraw"


def illegal(call) -> str:
    with frozen(MONDAY_9AM + DAY), pytest.raises(Conflict) as caught:
        call()
    return caught.value.code


def test_steps_out_of_order_are_illegal_transitions(town):
    staff = town.staff(town.cadre)
    draft = drafted(town)
    assert illegal(lambda: topics.close_consultation(staff, draft.id)) == \
        "consultation.illegal_transition"
    assert illegal(lambda: topics.publish_outcome(staff, draft.id, outcome="甲", reason="乙")) \
        == "consultation.illegal_transition"
    live = opened(town)
    assert illegal(lambda: topics.publish_consultation(staff, live.id)) == \
        "consultation.illegal_transition"
    assert illegal(lambda: topics.update_consultation(staff, live.id, draft=draft_of())) == \
        "consultation.illegal_transition"
    assert illegal(lambda: topics.publish_outcome(staff, live.id, outcome="甲", reason="乙")) \
        == "consultation.illegal_transition"


def test_a_decided_or_withdrawn_topic_is_final(town):
    staff = town.staff(town.cadre)
    decided = closed(town)
    with frozen(MONDAY_9AM + DAY):
        topics.publish_outcome(staff, decided.id, outcome="甲", reason="乙")
    assert illegal(lambda: topics.withdraw_consultation(staff, decided.id, reason="x")) == \
        "consultation.illegal_transition"
    gone = drafted(town)
    topics.withdraw_consultation(staff, gone.id, reason="重复的议题")
    assert illegal(lambda: topics.publish_consultation(staff, gone.id)) == \
        "consultation.illegal_transition"


def test_publishing_after_the_closing_time_has_passed_is_refused(town):
    consultation = drafted(town, closes_at=MONDAY_9AM + DAY)
    with frozen(MONDAY_9AM + 2 * DAY), pytest.raises(InvalidInput) as caught:
        topics.publish_consultation(town.staff(town.cadre), consultation.id)
    assert caught.value.code == "consultation.closes_in_past"


def test_a_stale_edit_loses_to_the_one_that_came_first(town):
    consultation = drafted(town)
    stale = fresh(consultation)
    with frozen(MONDAY_9AM):
        topics.publish_consultation(town.staff(town.cadre), consultation.id)
        with pytest.raises(Conflict) as caught:
            topics.apply(stale, "withdraw", {}, MONDAY_9AM)
    assert caught.value.code == "consultation.changed"


@pytest.mark.parametrize(("field", "code"), [
    ({"title": " "}, "consultation.bad_title"),
    ({"background": ""}, "consultation.bad_background"),
    ({"closes_at": MONDAY_9AM - DAY}, "consultation.closes_in_past"),
    ({"poll": {"mode": "single", "options": ["只有一个"]}}, "consultation.bad_poll"),
])
def test_a_malformed_draft_is_refused(town, field, code):
    with frozen(MONDAY_9AM), pytest.raises(InvalidInput) as caught:
        topics.create_consultation(town.staff(town.cadre), region_id=town.tree.village_a1.id,
                                   draft=draft_of(**field))
    assert caught.value.code == code


def test_a_topic_is_for_a_village_or_a_town_only(town):
    with frozen(MONDAY_9AM), pytest.raises(InvalidInput) as caught:
        topics.create_consultation(town.staff(town.cadre), region_id=town.tree.grid_a1.id,
                                   draft=draft_of())
    assert caught.value.code == "consultation.bad_region"
    town_topic = drafted(town, region=town.tree.town_a, by=town.town_admin)
    assert town_topic.region_path == town.tree.town_a.path
