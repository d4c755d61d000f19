"""Outbox writes happen in the caller's transaction; quotas count acceptances; inboxes are own."""

from __future__ import annotations

import pytest

from app.db import database
from app.errors import InvalidInput, NotFound, Unauthorized
from app.notifications import services
from app.notifications.models import Notification, SubscriptionQuota
from app.policy import Actor
from tests.app.notifications.helpers import T0, notify, subscribe
from tests.factories import make_user


def test_a_subscribe_notice_is_pending_and_due_at_once():
    row = notify(make_user())
    assert row.status == "pending" and row.channel == "subscribe"
    assert row.next_attempt_at == T0 and row.attempts == 0
    assert row.data == {"character_string1": "Q0001", "phrase2": "已受理",
                        "thing3": "路灯已经修好"}


def test_an_in_app_notice_is_delivered_when_written():
    row = notify(make_user(), channel="in_app", template_key=None, data=None)
    assert row.status == "sent" and row.sent_at == T0 and row.next_attempt_at is None


def test_the_same_dedupe_key_enqueues_once():
    user = make_user()
    first = notify(user)
    again = notify(user, body="重复调用")
    assert again.id == first.id and again.body == "您的诉求已受理"
    assert Notification.select().count() == 1


def test_a_notice_disappears_with_the_transaction_that_caused_it():
    user = make_user()
    with pytest.raises(RuntimeError), database.atomic():
        services.enqueue(channel="in_app", recipient_user_id=user.id, kind="request.accepted",
                         title="诉求", dedupe_key="rolled-back")
        raise RuntimeError("the causing change failed")
    assert Notification.select().count() == 0


def test_a_group_notice_needs_a_group_and_no_recipient():
    row = notify(make_user(), channel="group", recipient_user_id=None, group_key="building:7",
                 template_key=None, data=None)
    assert row.status == "pending" and row.group_key == "building:7"
    with pytest.raises(ValueError):
        notify(make_user(), 2, channel="group", template_key=None, data=None)


@pytest.mark.parametrize("changes", [
    {"channel": "sms"},
    {"template_key": "no_such_template"},
    {"data": {"thing3": "缺少其他字段"}},
    {"recipient_user_id": None},
])
def test_malformed_notices_are_programming_errors(changes):
    with pytest.raises(ValueError):
        notify(make_user(), **changes)


def test_a_long_title_is_cut_to_the_column():
    row = notify(make_user(), title="长" * 150)
    assert len(row.title) == 100 and row.title.endswith("…")


def test_each_accepted_subscription_adds_one_message():
    user = make_user()
    services.record_subscriptions(Actor(user.id), ["request_progress"])
    quotas = services.record_subscriptions(Actor(user.id),
                                           ["request_progress", "community_notice"])
    remaining = {q.template_key: q.remaining for q in quotas}
    assert remaining == {"request_progress": 2, "community_notice": 1}


def test_a_template_repeated_in_one_report_counts_once():
    user = make_user()
    services.record_subscriptions(Actor(user.id), ["request_progress"] * 3)
    assert SubscriptionQuota.get(SubscriptionQuota.user == user.id).remaining == 1


def test_an_unknown_template_records_nothing():
    user = make_user()
    with pytest.raises(InvalidInput) as info:
        services.record_subscriptions(Actor(user.id), ["request_progress", "bogus"])
    assert info.value.code == "notification.unknown_template"
    assert SubscriptionQuota.select().count() == 0


def test_quotas_are_per_user():
    alice, bob = make_user(), make_user()
    subscribe(alice, 2)
    assert {q.template_key: q.remaining for q in services.list_quotas(Actor(bob.id))} == {
        "request_progress": 0, "community_notice": 0}


def test_the_inbox_lists_only_my_notices_newest_first():
    me, other = make_user(), make_user()
    for n in range(1, 4):
        notify(me, n)
    notify(other, 9)
    inbox = services.list_inbox(Actor(me.id))
    assert [item.title for item in inbox.items] == ["诉求 Q0003", "诉求 Q0002", "诉求 Q0001"]
    assert inbox.next_cursor is None


def test_the_inbox_pages_with_a_cursor():
    me = make_user()
    for n in range(1, 6):
        notify(me, n)
    first = services.list_inbox(Actor(me.id), limit=2)
    second = services.list_inbox(Actor(me.id), first.next_cursor, 2)
    third = services.list_inbox(Actor(me.id), second.next_cursor, 2)
    titles = [i.title for page in (first, second, third) for i in page.items]
    assert titles == [f"诉求 Q000{n}" for n in (5, 4, 3, 2, 1)]
    assert third.next_cursor is None


def test_a_notice_wechat_could_not_deliver_is_still_in_the_inbox_with_a_note():
    me = make_user()
    row = notify(me)
    Notification.update(status="no_quota").where(Notification.id == row.id).execute()
    [item] = services.list_inbox(Actor(me.id)).items
    assert item.delivery == "wechat_not_subscribed"
    assert "微信提醒未送达" in item.delivery_note and "订阅" in item.delivery_note


def test_in_app_notices_carry_no_wechat_note():
    me = make_user()
    notify(me, channel="in_app", template_key=None, data=None)
    [item] = services.list_inbox(Actor(me.id)).items
    assert item.delivery == "in_app" and item.delivery_note is None


def test_the_inbox_needs_a_caller_and_a_sane_limit():
    with pytest.raises(Unauthorized):
        services.list_inbox(None)
    with pytest.raises(InvalidInput):
        services.list_inbox(Actor(make_user().id), limit=0)


def test_marking_my_notice_read_sets_read_at_once():
    me = make_user()
    row = notify(me)
    first = services.mark_read(Actor(me.id), row.id, now=T0)
    again = services.mark_read(Actor(me.id), row.id)
    assert first.read_at == T0 and again.read_at == T0


def test_marking_someone_elses_notice_is_not_found():
    owner, intruder = make_user(), make_user()
    row = notify(owner)
    with pytest.raises(NotFound) as info:
        services.mark_read(Actor(intruder.id), row.id)
    assert info.value.code == "notification.not_found"
    assert Notification.get_by_id(row.id).read_at is None
