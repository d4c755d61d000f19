"""The outbox sender job: quota, WeChat errors, retries, leases, concurrency and restarts."""

from __future__ import annotations

import datetime as dt
import threading

import pytest

from app.db import database
from app.errors import ServiceUnavailable
from app.notifications import rules, services
from app.notifications.jobs import send_due_notifications
from app.notifications.models import Notification, SubscriptionQuota
from app.policy import Actor
from miniprogram_api.wechat.gateway import build_gateway
from miniprogram_api.wechat.sender import WeChatSender
from tests.app.notifications.helpers import T0, TEMPLATE_IDS, RecordingSender, notify, subscribe
from tests.factories import make_user

LONG_THING = "小区东门的路灯已经修好了请您晚上出行注意安全谢谢支持"  # 26 characters


def run(sender, now=T0, **kwargs):
    return send_due_notifications(sender, template_ids=TEMPLATE_IDS, now=now, **kwargs)


def reload(row) -> Notification:
    return Notification.get_by_id(row.id)


def remaining(user, key="request_progress") -> int:
    quota = SubscriptionQuota.get_or_none((SubscriptionQuota.user == user.id)
                                          & (SubscriptionQuota.template_key == key))
    return quota.remaining if quota else 0


def busy():
    return ServiceUnavailable("wechat.busy", details={"wechat_errcode": -1}, retryable=True)


@pytest.fixture
def resident():
    return make_user(openid="oResident")


def test_a_subscribed_resident_gets_the_message_and_one_quota_is_used(resident):
    subscribe(resident, 2)
    row = notify(resident)
    sender = RecordingSender()
    assert run(sender) == {"claimed": 1, "sent": 1}
    assert sender.sent == [{"openid": "oResident", "template_id": "tmpl-progress",
                            "data": row.data, "page": "pages/requests/detail?id=1"}]
    row = reload(row)
    assert row.status == "sent" and row.sent_at == T0 and row.lease_until is None
    assert remaining(resident) == 1


def test_without_quota_nothing_goes_to_wechat_and_the_inbox_says_so(resident):
    row = notify(resident)
    sender = RecordingSender()
    assert run(sender) == {"claimed": 1, "no_quota": 1}
    assert sender.sent == []
    assert reload(row).status == "no_quota"
    [item] = services.list_inbox(Actor(resident.id)).items
    assert item.delivery == "wechat_not_subscribed" and "微信提醒未送达" in item.delivery_note


def test_the_real_sender_posts_wechats_subscribe_format(settings, fake_wechat, resident):
    subscribe(resident)
    notify(resident)
    run(WeChatSender(build_gateway(settings), settings))
    [message] = fake_wechat.sent_messages
    assert message == {
        "touser": "oResident", "template_id": "tmpl-progress",
        "page": "pages/requests/detail?id=1",
        "data": {"character_string1": {"value": "Q0001"}, "phrase2": {"value": "已受理"},
                 "thing3": {"value": "路灯已经修好"}},
        "miniprogram_state": "developer", "lang": "zh_CN"}


def test_wechat_43101_marks_no_quota_visible_in_the_inbox(settings, fake_wechat, resident):
    subscribe(resident)
    row = notify(resident)
    fake_wechat.inject_error("cgi-bin/message/subscribe/send", 43101)
    assert run(WeChatSender(build_gateway(settings), settings)) == {"claimed": 1, "no_quota": 1}
    row = reload(row)
    assert row.status == "no_quota" and row.last_error == "wechat.43101"
    assert remaining(resident) == 0  # nothing given back: WeChat used nothing, we count one
    assert fake_wechat.sent_messages == []
    [item] = services.list_inbox(Actor(resident.id)).items
    assert item.delivery == "wechat_not_subscribed"


def test_wechat_47003_truncates_the_fields_and_sends_once(settings, fake_wechat, resident):
    subscribe(resident)
    row = notify(resident, thing=LONG_THING)
    assert run(WeChatSender(build_gateway(settings), settings)) == {"claimed": 1, "sent": 1}
    [message] = fake_wechat.sent_messages
    assert message["data"]["thing3"]["value"] == LONG_THING[:19] + "…"
    assert fake_wechat.calls.count(("POST", "cgi-bin/message/subscribe/send")) == 2
    assert reload(row).data["thing3"] == LONG_THING[:19] + "…"
    assert remaining(resident) == 0


def test_a_second_47003_after_truncation_fails_the_notice(resident):
    subscribe(resident)
    too_long = ServiceUnavailable("wechat.error", details={"wechat_errcode": 47003},
                                  retryable=False)
    row = notify(resident, thing=LONG_THING)
    assert run(RecordingSender([too_long, too_long])) == {"claimed": 1, "failed": 1}
    assert reload(row).last_error == "wechat.47003"


def test_retryable_errors_back_off_1_2_4_8_16_minutes_then_die(resident):
    subscribe(resident)
    row = notify(resident)
    sender = RecordingSender([busy() for _ in range(rules.MAX_ATTEMPTS)])
    now, waits = T0, []
    for _ in range(rules.MAX_ATTEMPTS - 1):
        assert run(sender, now) == {"claimed": 1, "retry": 1}
        current = reload(row)
        assert current.status == "pending" and current.last_error == "wechat.-1"
        waits.append(current.next_attempt_at - now)
        assert run(sender, current.next_attempt_at - dt.timedelta(seconds=1)) == {}
        now = current.next_attempt_at
    assert [w.total_seconds() / 60 for w in waits] == [1, 2, 4, 8, 16]
    assert run(sender, now) == {"claimed": 1, "dead": 1}
    assert reload(row).status == "dead" and reload(row).attempts == rules.MAX_ATTEMPTS
    assert run(sender, now + dt.timedelta(days=1)) == {}


def test_backoff_is_capped_at_an_hour():
    assert rules.backoff(1) == dt.timedelta(minutes=1)
    assert rules.backoff(30) == dt.timedelta(hours=1)


def test_a_retried_notice_uses_the_quota_once(resident):
    subscribe(resident, 2)
    row = notify(resident)
    sender = RecordingSender([busy()])
    run(sender)
    run(sender, reload(row).next_attempt_at)
    assert reload(row).status == "sent" and len(sender.sent) == 1
    assert remaining(resident) == 1


def test_a_non_retryable_error_fails_at_once(resident):
    subscribe(resident)
    row = notify(resident)
    invalid = ServiceUnavailable("wechat.error", details={"wechat_errcode": 40003},
                                 retryable=False)
    assert run(RecordingSender([invalid])) == {"claimed": 1, "failed": 1}
    assert reload(row).last_error == "wechat.40003"


def test_an_unconfigured_template_fails_without_using_quota(resident):
    subscribe(resident)
    row = notify(resident)
    assert send_due_notifications(RecordingSender(), template_ids={}, now=T0) == {
        "claimed": 1, "failed": 1}
    assert reload(row).last_error == "notification.template_unconfigured"
    assert remaining(resident) == 1


def test_a_user_without_openid_fails_cleanly():
    staff_only = make_user()
    staff_only.openid = None
    staff_only.save()
    row = notify(staff_only)
    run(RecordingSender())
    assert reload(row).last_error == "notification.no_openid"


def test_staff_notices_are_marked_sent_and_group_notices_left_for_the_bot(resident):
    staff = notify(resident, 1, channel="staff", template_key=None, data=None)
    group = notify(resident, 2, channel="group", recipient_user_id=None, group_key="b:1",
                   template_key=None, data=None)
    assert run(RecordingSender()) == {"claimed": 1, "sent": 1}
    assert reload(staff).status == "sent"
    assert reload(group).status == "pending" and reload(group).attempts == 0


def test_only_due_rows_are_looked_at_and_batches_are_bounded(resident):
    subscribe(resident, 5)
    for n in range(1, 4):
        notify(resident, n)
    later = notify(resident, 4, now=T0 + dt.timedelta(hours=1))
    sender = RecordingSender()
    assert run(sender, batch=2) == {"claimed": 2, "sent": 2}
    assert run(sender) == {"claimed": 1, "sent": 1}
    assert reload(later).status == "pending"


def test_the_due_query_has_its_index():
    indexes = {tuple(i.columns) for i in database.get_indexes("notification")}
    assert ("status", "next_attempt_at") in indexes


def test_a_notice_committed_before_a_crash_is_sent_once_after_restart(resident):
    subscribe(resident, 3)
    notify(resident)  # committed; then the process dies before any send
    database.close()
    if hasattr(database.obj, "close_all"):
        database.obj.close_all()
    after_restart = RecordingSender()
    assert run(after_restart) == {"claimed": 1, "sent": 1}
    assert run(after_restart, T0 + dt.timedelta(hours=1)) == {}
    assert run(RecordingSender(), T0 + dt.timedelta(days=1)) == {}
    assert len(after_restart.sent) == 1 and remaining(resident) == 2


class DiesMidSend(RecordingSender):
    def send_subscribe(self, openid, template_id, data, page):
        raise SystemExit("killed")  # not an Exception: the job cannot record anything


def test_a_row_whose_lease_expired_mid_send_is_retried(resident):
    subscribe(resident, 2)
    row = notify(resident)
    with pytest.raises(SystemExit):
        run(DiesMidSend())
    assert reload(row).status == "sending"
    sender = RecordingSender()
    assert run(sender, T0 + rules.LEASE - dt.timedelta(seconds=1)) == {}
    assert run(sender, T0 + rules.LEASE) == {"claimed": 1, "sent": 1}
    assert reload(row).attempts == 2 and len(sender.sent) == 1
    assert remaining(resident) == 1  # the quota taken before the crash is reused


def test_a_row_that_keeps_dying_mid_send_is_abandoned(resident):
    subscribe(resident)
    row = notify(resident)
    Notification.update(status="sending", attempts=rules.MAX_ATTEMPTS, next_attempt_at=T0,
                        lease_until=T0).where(Notification.id == row.id).execute()
    assert run(RecordingSender()) == {"claimed": 1, "dead": 1}
    assert reload(row).last_error == "notification.abandoned"


def test_two_concurrent_runs_send_each_row_exactly_once(resident):
    users = [resident] + [make_user() for _ in range(3)]
    for user in users:
        subscribe(user, 10)
    for n in range(1, 41):
        notify(users[n % 4], n)
    database.close()
    sender = RecordingSender(delay=0.002)
    start = threading.Barrier(2)
    results, errors = [], []

    def worker():
        try:
            with database.connection_context():
                start.wait()
                results.append(run(sender))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(r.get("claimed", 0) for r in results) == 40
    assert len(results) == 2 and all(r.get("claimed") for r in results)  # they did overlap
    sent_ids = [m["data"]["character_string1"] for m in sender.sent]
    assert sorted(sent_ids) == sorted(f"Q{n:04d}" for n in range(1, 41))
    assert Notification.select().where(Notification.status == "sent").count() == 40
    assert [remaining(u) for u in users] == [0, 0, 0, 0]
