"""Comments: content-checked writing, masked names, staff hiding with a reason, and the rule
that three reports from distinct residents hide a comment pending review."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.consultations import comments, reading, topics
from app.consultations.models import ConsultationComment, ConsultationReport
from app.content import WordListChecker
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.notifications.models import Notification
from tests.app.consultations.conftest import DAY, MONDAY_9AM, closed, commented, opened
from tests.factories import make_user


def fresh(comment) -> ConsultationComment:
    return ConsultationComment.get_by_id(comment.id)


def seen_by(town, user, consultation) -> list[int]:
    return [c.id for c in comments.public_comments_query(town.actor(user), consultation.id)]


def report(town, user, comment):
    return comments.report_comment(town.actor(user), comment.id, reason="人身攻击")


def test_a_resident_comments_under_a_masked_name(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    assert (comment.status, comment.author_name) == ("visible", "张**")
    [shown] = reading.comment_views(town.actor(town.neighbours[0]), [comment])
    assert shown["author_name"] == "张**"
    assert "张阿姨" not in str(shown)
    assert not {"author_user_id", "hidden_reason", "report_count"} & set(shown)
    assert seen_by(town, town.neighbours[0], consultation) == [comment.id]


def test_risky_text_is_refused_and_nothing_is_stored(town):
    consultation = opened(town)
    with pytest.raises(InvalidInput) as caught:
        commented(town, consultation, content="谁想一起去赌博")
    assert caught.value.code == "content.risky"
    assert ConsultationComment.select().count() == 0


def test_text_held_by_the_content_check_waits_for_staff(town):
    consultation = opened(town)
    held = commented(town, consultation, content="听说要拆迁了",
                     checker=WordListChecker(review=("拆迁",)))
    assert held.status == "held"
    assert seen_by(town, town.author, consultation) == [held.id]
    assert seen_by(town, town.neighbours[0], consultation) == []
    comments.restore_comment(town.staff(town.cadre), held.id)
    assert seen_by(town, town.neighbours[0], consultation) == [held.id]


def test_nobody_comments_before_the_topic_opens_or_after_it_closes(town):
    done = closed(town)
    with frozen(MONDAY_9AM + 2 * DAY), pytest.raises(Conflict) as caught:
        comments.create_comment(town.actor(town.author), done.id, content="我来晚了")
    assert caught.value.code == "consultation.not_open"
    live = opened(town, closes_at=MONDAY_9AM + DAY)
    with frozen(MONDAY_9AM + DAY), pytest.raises(Conflict):
        comments.create_comment(town.actor(town.author), live.id, content="刚好截止")


def test_staff_hide_a_comment_with_a_reason_the_author_sees(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    comments.hide_comment(town.staff(town.cadre), comment.id, reason="含有他人电话号码")
    row = fresh(comment)
    assert (row.status, row.hidden_reason, row.moderated_by_id) == (
        "hidden", "含有他人电话号码", town.cadre.id)
    assert seen_by(town, town.neighbours[0], consultation) == []
    [own] = reading.comment_views(town.actor(town.author), [row])
    assert (own["status"], own["hidden_reason"]) == ("hidden", "含有他人电话号码")
    entry = AuditEntry.get(AuditEntry.action == "consultation.comment_hide")
    assert (entry.actor_id, entry.object_id) == (town.cadre.id, str(comment.id))
    assert "电话" not in entry.summary
    told = Notification.get(Notification.kind == "consultation.comment_hidden")
    assert told.recipient_user_id == town.author.id and "含有他人电话号码" in told.body


def test_hiding_without_a_reason_is_refused(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    with pytest.raises(InvalidInput) as caught:
        comments.hide_comment(town.staff(town.cadre), comment.id, reason="  ")
    assert caught.value.code == "consultation.reason_required"
    assert fresh(comment).status == "visible"
    assert AuditEntry.select().where(AuditEntry.action == "consultation.comment_hide").count() \
        == 0


def test_a_hidden_comment_cannot_be_hidden_twice(town):
    comment = commented(town, opened(town))
    comments.hide_comment(town.staff(town.cadre), comment.id, reason="广告")
    with pytest.raises(Conflict) as caught:
        comments.hide_comment(town.staff(town.cadre), comment.id, reason="广告")
    assert caught.value.code == "consultation.comment_illegal_transition"


def test_two_reports_do_not_hide_a_comment(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    report(town, town.neighbours[0], comment)
    report(town, town.neighbours[1], comment)
    assert (fresh(comment).status, fresh(comment).report_count) == ("visible", 2)
    assert seen_by(town, town.neighbours[2], consultation) == [comment.id]


def test_three_distinct_residents_hide_it_pending_review_and_staff_are_told(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    for neighbour in town.neighbours:
        report(town, neighbour, comment)
    assert (fresh(comment).status, fresh(comment).report_count) == ("pending_review", 3)
    assert seen_by(town, town.neighbours[0], consultation) == []
    assert seen_by(town, town.author, consultation) == [comment.id]
    queue = comments.moderation_queue(town.staff(town.cadre))
    assert [c.id for c in queue] == [comment.id]
    assert AuditEntry.get(AuditEntry.action == "consultation.comment_auto_hide").actor_role \
        == "system"
    told = {n.recipient_user_id for n in Notification.select().where(
        Notification.kind == "consultation.comment_reported")}
    assert told == {town.cadre.id, town.town_admin.id}


def test_the_same_resident_reporting_twice_counts_once(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    report(town, town.neighbours[0], comment)
    with pytest.raises(Conflict) as caught:
        report(town, town.neighbours[0], comment)
    assert caught.value.code == "consultation.already_reported"
    report(town, town.neighbours[1], comment)
    assert (fresh(comment).status, fresh(comment).report_count) == ("visible", 2)
    assert ConsultationReport.select().count() == 2


def test_nobody_reports_their_own_comment(town):
    comment = commented(town, opened(town))
    with pytest.raises(Forbidden) as caught:
        report(town, town.author, comment)
    assert caught.value.code == "consultation.own_comment"


def test_residents_of_another_village_cannot_report(town):
    comment = commented(town, opened(town))
    with pytest.raises(NotFound) as caught:
        report(town, town.other_village, comment)
    assert caught.value.code == "consultation.comment_not_found"


def test_staff_restore_a_reported_comment_and_the_same_reports_do_not_hide_it_again(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    fourth = make_user(household=town.household_next_door, name="孙四")
    for neighbour in town.neighbours:
        report(town, neighbour, comment)
    comments.restore_comment(town.staff(town.cadre), comment.id)
    assert (fresh(comment).status, fresh(comment).reviewed) == ("visible", True)
    report(town, fourth, comment)
    assert (fresh(comment).status, fresh(comment).report_count) == ("visible", 4)
    assert AuditEntry.select().where(
        AuditEntry.action == "consultation.comment_restore").count() == 1


def test_staff_keep_a_reported_comment_hidden_with_a_reason(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    for neighbour in town.neighbours:
        report(town, neighbour, comment)
    comments.hide_comment(town.staff(town.town_admin), comment.id, reason="经核实属于人身攻击")
    row = fresh(comment)
    assert (row.status, row.hidden_reason, row.reviewed) == ("hidden", "经核实属于人身攻击", True)
    assert list(comments.moderation_queue(town.staff(town.cadre))) == []


def test_comments_stay_readable_after_the_outcome(town):
    consultation = opened(town)
    comment = commented(town, consultation)
    with frozen(MONDAY_9AM + DAY):
        topics.close_consultation(town.staff(town.cadre), consultation.id)
        topics.publish_outcome(town.staff(town.cadre), consultation.id, outcome="排号分配",
                               reason="多数同意")
    assert seen_by(town, town.neighbours[0], consultation) == [comment.id]
