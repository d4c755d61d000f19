"""A disclosure from draft to publication: the review rule, publication to the transparency log,
immutability of what was published, and corrections as new records."""

from __future__ import annotations

import json

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.disclosures import reading
from app.disclosures import services as disclosures
from app.errors import Conflict, Forbidden, InvalidInput
from app.transparency import services as log
from tests.app.disclosures.conftest import draft, fresh, published
from tests.app.supervision.fixtures import HOUR, MONDAY_9AM


def audits(item):
    return [e.action for e in AuditEntry.select().where(
        (AuditEntry.object_type == "disclosure") & (AuditEntry.object_id == str(item.id)))
        .order_by(AuditEntry.id)]


def test_a_disclosure_goes_draft_submitted_reviewed_published(place):
    item = draft(place)
    assert (item.status, item.village_id, item.town_id) == (
        "draft", place.tree.village_a1.id, place.tree.town_a.id)
    disclosures.submit_disclosure(place.staff("cadre"), item.id)
    disclosures.approve_disclosure(place.staff("supervision_committee"), item.id, note="属实")
    assert (fresh(item).status, fresh(item).reviewed_by_id) == (
        "reviewed", place.user("supervision_committee").id)
    disclosures.publish_disclosure(place.staff("cadre"), item.id)
    assert fresh(item).status == "published"
    assert audits(item) == ["disclosure.create", "disclosure.submit", "disclosure.approve",
                            "disclosure.publish"]


def test_the_author_can_never_approve_their_own_disclosure(place):
    item = draft(place, by="town_admin", region=place.tree.town_a)
    disclosures.submit_disclosure(place.staff("town_admin"), item.id)
    with pytest.raises(Forbidden) as info:
        disclosures.approve_disclosure(place.staff("town_admin"), item.id)
    assert info.value.code == "disclosure.own_review"
    assert fresh(item).status == "submitted"


def test_an_author_who_sits_on_the_finance_panel_still_cannot_approve_their_own(place):
    from tests.factories import grant

    grant(place.user("cadre"), "finance_panel", place.tree.village_a1)
    item = draft(place, kind="finance", period="2026-10")
    disclosures.submit_disclosure(place.staff("cadre"), item.id)
    with pytest.raises(Forbidden) as info:
        disclosures.approve_disclosure(place.staff("cadre"), item.id)
    assert info.value.code == "disclosure.own_review"


@pytest.mark.parametrize("reviewer", ["finance_panel", "supervision_committee"])
def test_a_finance_disclosure_is_signed_off_by_the_panel_or_the_committee(place, reviewer):
    item = draft(place, kind="finance", period="2026-10")
    disclosures.submit_disclosure(place.staff("cadre"), item.id)
    disclosures.approve_disclosure(place.staff(reviewer), item.id)
    assert fresh(item).status == "reviewed"


@pytest.mark.parametrize("reviewer", ["town_admin", "cadre2", "discipline_officer"])
def test_a_finance_disclosure_is_not_signed_off_by_anyone_else(place, reviewer):
    item = draft(place, kind="finance", period="2026-10")
    disclosures.submit_disclosure(place.staff("cadre"), item.id)
    actor = place.staff(place.cadre2) if reviewer == "cadre2" else place.staff(reviewer)
    with pytest.raises(Forbidden):
        disclosures.approve_disclosure(actor, item.id)
    assert fresh(item).status == "submitted"


def test_the_finance_panel_does_not_review_village_affairs(place):
    item = draft(place)
    disclosures.submit_disclosure(place.staff("cadre"), item.id)
    with pytest.raises(Forbidden):
        disclosures.approve_disclosure(place.staff("finance_panel"), item.id)


def test_a_reviewer_returns_a_disclosure_with_a_reason_and_the_author_hears(place):
    from app.notifications.models import Notification

    item = draft(place)
    disclosures.submit_disclosure(place.staff("cadre"), item.id)
    with pytest.raises(InvalidInput):
        disclosures.return_disclosure(place.staff("supervision_committee"), item.id, reason="")
    disclosures.return_disclosure(place.staff("supervision_committee"), item.id,
                                  reason="缺少会议记录")
    assert (fresh(item).status, fresh(item).review_note) == ("draft", "缺少会议记录")
    told = Notification.get(Notification.kind == "disclosure.returned")
    assert told.recipient_user_id == place.user("cadre").id


def test_publishing_before_review_is_refused(place):
    item = draft(place)
    with pytest.raises(Conflict) as info:
        disclosures.publish_disclosure(place.staff("cadre"), item.id)
    assert info.value.code == "disclosure.illegal_transition"


def test_publication_appends_the_published_fields_to_the_towns_log(place):
    item = published(place, kind="finance", period="2026-10")
    leaf = log.leaf_for_record(place.tree.town_a.id, "disclosure", item.id)
    record = json.loads(leaf.record)
    body = record["body"]
    assert (body["kind"], body["period"], body["title"], body["place"]["code"]) == (
        "finance", "2026-10", item.title, place.tree.village_a1.code)
    assert "张" not in leaf.record and "author" not in leaf.record
    assert body["published_at"].endswith("+08:00")


def test_every_service_refuses_to_change_a_published_disclosure(place):
    item = published(place)
    cadre, committee = place.staff("cadre"), place.staff("supervision_committee")
    attempts = [
        lambda: disclosures.update_disclosure(cadre, item.id, category="other", title="改",
                                              body="改过的正文", period="2026-Q4"),
        lambda: disclosures.submit_disclosure(cadre, item.id),
        lambda: disclosures.approve_disclosure(committee, item.id),
        lambda: disclosures.return_disclosure(committee, item.id, reason="再改改"),
        lambda: disclosures.publish_disclosure(cadre, item.id),
        lambda: disclosures.discard_disclosure(cadre, item.id, reason="作废"),
    ]
    for attempt in attempts:
        with pytest.raises(Conflict) as info:
            attempt()
        assert info.value.code == "disclosure.published_immutable"
    after = fresh(item)
    assert (after.title, after.body, after.status, after.version) == (
        item.title, item.body, "published", item.version)


def test_a_correction_is_a_new_record_pointing_at_the_original_and_both_stay_visible(place):
    original = published(place)
    with frozen(MONDAY_9AM + HOUR):
        correction = disclosures.correct_disclosure(
            place.staff("cadre"), original.id, title="更正：2026年第四季度村务公开",
            body="会议次数应为三次……", reason="会议次数有误")
        assert (correction.corrects_id, correction.status, correction.kind) == (
            original.id, "draft", original.kind)
        disclosures.submit_disclosure(place.staff("cadre"), correction.id)
        disclosures.approve_disclosure(place.staff("supervision_committee"), correction.id)
        disclosures.publish_disclosure(place.staff("cadre"), correction.id)
    resident = place.actor(place.resident)
    listed = [d.id for d in reading.list_disclosures(resident).items]
    assert listed == [correction.id, original.id]
    assert [c.id for c in reading.corrections_of(original)] == [correction.id]
    assert fresh(original).body == original.body
    body = json.loads(log.leaf_for_record(place.tree.town_a.id, "disclosure",
                                          correction.id).record)["body"]
    assert (body["corrects"], body["correction_reason"]) == (original.id, "会议次数有误")


def test_a_correction_of_a_correction_extends_the_chain(place):
    first = published(place)
    second = disclosures.correct_disclosure(place.staff("cadre"), first.id, title="更正一",
                                            body="正文一", reason="第一次更正")
    for actor, step in ((place.staff("cadre"), disclosures.submit_disclosure),
                        (place.staff("supervision_committee"), disclosures.approve_disclosure),
                        (place.staff("cadre"), disclosures.publish_disclosure)):
        step(actor, second.id)
    third = disclosures.correct_disclosure(place.staff("cadre"), second.id, title="更正二",
                                           body="正文二", reason="第二次更正")
    assert (third.corrects_id, fresh(second).corrects_id) == (second.id, first.id)


def test_only_published_disclosures_can_be_corrected_and_a_reason_is_required(place):
    item = draft(place)
    with pytest.raises(Conflict) as info:
        disclosures.correct_disclosure(place.staff("cadre"), item.id, title="更正",
                                       body="正文", reason="原因")
    assert info.value.code == "disclosure.correct_unpublished"
    done = published(place)
    with pytest.raises(InvalidInput) as info:
        disclosures.correct_disclosure(place.staff("cadre"), done.id, title="更正", body="正文",
                                       reason=" ")
    assert info.value.code == "disclosure.reason_required"


def test_finance_disclosures_belong_to_villages_and_categories_follow_the_rules(place):
    with pytest.raises(InvalidInput) as info:
        draft(place, kind="finance", region=place.tree.town_a, period="2026-10", by="town_admin")
    assert info.value.code == "disclosure.finance_needs_village"
    with pytest.raises(InvalidInput) as info:
        draft(place, kind="finance", category="decisions", period="2026-10")
    assert info.value.code == "disclosure.bad_category"
    with pytest.raises(InvalidInput) as info:
        draft(place, period="2026-13")
    assert info.value.code == "disclosure.bad_period"


def test_a_discarded_draft_stays_on_record_but_is_never_published(place):
    item = draft(place)
    disclosures.discard_disclosure(place.staff("cadre"), item.id, reason="重复录入")
    assert fresh(item).status == "discarded"
    with pytest.raises(Conflict):
        disclosures.submit_disclosure(place.staff("cadre"), item.id)
