"""Back to the group: accepted, resolved and escalated requests of a group are announced there."""

from __future__ import annotations

import datetime as dt

from app.bot.progress import CURSOR, notify_progress, read_cursor
from app.clock import frozen
from app.content import WordListChecker
from app.notifications.models import Notification
from app.requests import services as requests
from app.requests.models import Request
from app.requests.timeline import add_entry
from app.requests.workflow import accept_request
from tests.factories import make_user

T0 = dt.datetime(2026, 11, 23, 1, 0)
LATER = T0 + dt.timedelta(minutes=5)


def group_notices():
    return list(Notification.select().where(Notification.channel == "group")
                .order_by(Notification.id))


def test_acceptance_of_a_group_request_is_announced_once_with_a_masked_name(bot_town):
    with frozen(T0):
        chat = bot_town.bound_chat()
        chat.send("r1", "投诉 小区门口的垃圾桶好几天没人清了")
        request = Request.get()
        accept_request(bot_town.actor(bot_town.grid_worker), request.id)
    assert notify_progress(LATER)["notices"] == 1
    (notice,) = group_notices()
    assert notice.group_key.startswith("group:")
    assert notice.title == f"群友反映的诉求 {request.tracking_no} 已受理，正在安排办理。"
    assert notify_progress(LATER + dt.timedelta(minutes=1)) == {"entries": 0, "notices": 0}
    assert len(group_notices()) == 1


def test_escalation_is_announced_and_other_notes_are_not(bot_town):
    with frozen(T0):
        chat = bot_town.bound_chat()
        chat.send("r1", "投诉 小区门口的垃圾桶好几天没人清了")
        request = Request.get()
        add_entry(request, actor=None, role="system", action="note", from_status=None,
                  to_status=None, label="临期提醒", details={"level": 1})
        add_entry(request, actor=None, role="system", action="note", from_status=None,
                  to_status=None, label="提级督办", details={"level": 3})
    notify_progress(LATER)
    assert [n.title for n in group_notices()] == [
        f"群友反映的诉求 {request.tracking_no} 已提级督办，我们会加快处理。"]


def test_requests_not_from_a_group_make_no_group_notice(bot_town):
    resident = make_user(household=bot_town.tree.household_a1)
    with frozen(T0):
        request = requests.submit_request(bot_town.actor(resident, "miniprogram"),
                                          type="complaint", category_code="environment",
                                          text="小区门口的垃圾桶好几天没人清了",
                                          checker=WordListChecker())
        accept_request(bot_town.actor(bot_town.grid_worker), request.id)
    result = notify_progress(LATER)
    assert result["entries"] >= 2 and result["notices"] == 0
    assert read_cursor(CURSOR) > 0


def test_entries_younger_than_the_grace_period_wait_for_the_next_run(bot_town):
    with frozen(T0):
        chat = bot_town.bound_chat()
        chat.send("r1", "投诉 小区门口的垃圾桶好几天没人清了")
        accept_request(bot_town.actor(bot_town.grid_worker), Request.get().id)
    assert notify_progress(T0 + dt.timedelta(seconds=5)) == {"entries": 0, "notices": 0}
    assert notify_progress(LATER)["notices"] == 1
