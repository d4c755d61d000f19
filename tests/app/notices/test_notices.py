"""A 事前公示 from draft to result: the period is enforced, objections are answered before the
result, both publications go on the transparency log, the groups are told."""

from __future__ import annotations

import json

import pytest

from app.clock import frozen
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.notices import objections
from app.notices import services as notices
from app.notifications.models import Notification
from app.transparency import services as log
from tests.app.notices.conftest import drafted, fresh, published_notice
from tests.app.supervision.fixtures import DAY, HOUR, MONDAY_9AM

PERIOD_END = MONDAY_9AM + 5 * DAY + 15 * HOUR  # Saturday 2026-11-28 24:00 Shanghai


def test_publishing_starts_the_period_and_announces_it_to_the_village_groups(place):
    notice = published_notice(place)
    assert (notice.status, notice.published_at, notice.period_ends_at) == (
        "published", MONDAY_9AM, PERIOD_END)
    group = Notification.get(Notification.kind == "notice.published")
    assert (group.channel, group.group_key) == ("group", f"village:{place.tree.village_a1.id}")
    assert "2026-11-28 24:00" in group.body
    leaf = json.loads(log.leaf_for_record(place.tree.town_a.id, "notice", notice.id).record)
    assert leaf["body"]["objection_days"] == 5


def test_a_result_before_the_period_ends_is_refused(place):
    notice = published_notice(place)
    with frozen(PERIOD_END - HOUR), pytest.raises(Conflict) as info:
        notices.publish_result(place.staff("cadre"), notice.id, result="adopted",
                               result_text="经村民代表会议表决通过")
    assert info.value.code == "notice.period_not_over"
    assert info.value.details["period_ends_at"] == "2026-11-29T00:00:00+08:00"
    assert fresh(notice).status == "published"


def test_after_the_period_the_result_is_published_with_the_answered_objections(place):
    notice = published_notice(place)
    with frozen(MONDAY_9AM + DAY):
        filed = objections.file_objection(place.actor(place.resident), notice.id,
                                          text="我是张阿姨，租金偏低，建议提高底价")
    with frozen(PERIOD_END), pytest.raises(Conflict) as info:
        notices.publish_result(place.staff("cadre"), notice.id, result="adopted",
                               result_text="通过")
    assert info.value.code == "notice.objections_unanswered"
    objections.answer_objection(place.staff("cadre"), filed.id, answer="底价已参照评估价调整",
                                public_text="租金偏低，建议提高底价")
    with frozen(PERIOD_END):
        decided = notices.publish_result(place.staff("town_admin"), notice.id,
                                         result="amended", result_text="底价调整为每年4万元")
    assert (decided.status, decided.result) == ("decided", "amended")
    record = log.leaf_for_record(place.tree.town_a.id, "notice_result", notice.id).record
    body = json.loads(record)["body"]
    assert body["objections"] == [{"objection": "租金偏低，建议提高底价",
                                   "answer": "底价已参照评估价调整"}]
    assert "张阿姨" not in record


def test_objections_are_accepted_only_during_the_period_from_residents_of_the_village(place):
    notice = published_notice(place)
    with frozen(PERIOD_END - HOUR):
        objections.file_objection(place.actor(place.resident), notice.id, text="请公开评估报告")
    with frozen(PERIOD_END), pytest.raises(Conflict) as info:
        objections.file_objection(place.actor(place.resident), notice.id, text="请公开评估报告")
    assert info.value.code == "notice.period_over"
    for outsider in (place.resident_a2, place.visitor):
        with frozen(MONDAY_9AM + HOUR), pytest.raises(NotFound):
            objections.file_objection(place.actor(outsider), notice.id, text="请公开评估报告")
    draft = drafted(place)
    with pytest.raises(NotFound):
        objections.file_objection(place.actor(place.resident), draft.id, text="请公开评估报告")


def test_residents_never_see_who_objected(place):
    notice = published_notice(place)
    with frozen(MONDAY_9AM + HOUR):
        filed = objections.file_objection(place.actor(place.resident), notice.id,
                                          text="请公开评估报告")
    objections.answer_objection(place.staff("cadre"), filed.id, answer="评估报告已张贴")
    shown = objections.public_objections(fresh(notice))
    assert [(o.public_text, o.answer) for o in shown] == [("请公开评估报告", "评估报告已张贴")]
    staff_view = list(objections.staff_objections_query(place.staff("discipline_officer")))
    assert [o.objector_id for o in staff_view] == [place.resident.id]
    with pytest.raises(Forbidden):
        objections.staff_objections_query(place.actor(place.resident))


def test_a_published_notice_is_never_edited_or_discarded(place):
    notice = published_notice(place)
    with pytest.raises(Conflict):
        notices.update_notice(place.staff("cadre"), notice.id, matter_type="tender",
                              matter="改", proposal="改", objection_days=5)
    with pytest.raises(Conflict):
        notices.discard_notice(place.staff("cadre"), notice.id)


def test_a_period_shorter_than_five_days_is_refused(place):
    with pytest.raises(InvalidInput) as info:
        drafted(place, days=3)
    assert info.value.code == "notice.bad_period"


@pytest.mark.parametrize("role", ["grid_worker", "finance_panel", "supervision_committee",
                                  "discipline_officer"])
def test_only_cadres_and_town_admins_publish_and_decide(place, role):
    notice = drafted(place)
    with pytest.raises(Forbidden):
        notices.publish_notice(place.staff(role), notice.id)
    with pytest.raises(Forbidden):
        notices.create_notice(place.staff(role), village_id=place.tree.village_a1.id,
                              matter_type="tender", matter="道路硬化", proposal="方案")
    assert fresh(notice).status == "draft"


def test_staff_of_another_town_do_not_find_the_notice(place):
    notice = published_notice(place)
    with pytest.raises(NotFound):
        notices.load_for_staff(place.staff(place.town_admin_b), notice.id)
    with frozen(PERIOD_END), pytest.raises(NotFound):
        notices.publish_result(place.staff(place.cadre_b), notice.id, result="adopted",
                               result_text="通过")
