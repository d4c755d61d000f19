"""Outbound delivery against a fake WeCom: throttled, in order, never dropped."""

from __future__ import annotations

import datetime as dt

import pytest
import responses

from app.bot import config
from app.bot.groups import set_group_robot
from app.bot.models import BotGroup, BotOutbound, BotRobot
from app.bot.outbound import enqueue_app_message, remember_response_url
from app.clock import frozen
from app.db import database
from app.notifications.models import Notification
from app.notifications.services import enqueue
from bot import jobs
from bot.transport import HttpWeComSender
from tests.bot.fake_wecom import FakeWeCom

KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
START = dt.datetime(2026, 11, 23, 1, 0)


@pytest.fixture
def wecom():
    fake = FakeWeCom()
    fake.valid_keys.add(KEY)
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        fake.install(rsps)
        yield fake


@pytest.fixture
def group_with_robot(bot_town):
    chat = bot_town.bound_chat()
    admin = bot_town.actor(bot_town.town_admin)
    robot = config.create_robot(admin, name="1号楼群机器人", region_id=bot_town.tree.town_a.id,
                                webhook_key=KEY)
    group = set_group_robot(admin, BotGroup.get().id, robot.id)
    return chat, group, robot


def notice(group, n: int, body: str = "") -> None:
    with database.atomic():
        enqueue(channel="group", kind="test.notice", group_key=f"group:{group.id}",
                title=f"通知 {n:03d}", body=body, dedupe_key=f"test:{n}", now=START)


def run(wecom, at: dt.datetime) -> dict:
    wecom.clock = at
    with frozen(at):
        return jobs.deliver(now=at, wecom_sender=HttpWeComSender())


def test_a_hundred_notices_are_all_delivered_at_most_20_a_minute_in_order(
        bot_town, group_with_robot, wecom):
    _, group, _ = group_with_robot
    for n in range(100):
        notice(group, n)
    at = START
    while at < START + dt.timedelta(minutes=10):
        run(wecom, at)
        at += dt.timedelta(seconds=5)
    sent = [(when, text) for _, when, text in wecom.robot_messages]
    assert [text for _, text in sent] == [f"通知 {n:03d}" for n in range(100)]
    assert wecom.rejected_for_rate == 0
    for when, _ in sent:
        in_minute = [w for w, _ in sent if when <= w < when + dt.timedelta(seconds=60)]
        assert len(in_minute) <= 20
    assert BotOutbound.select().where(BotOutbound.status != "sent").count() == 0
    assert Notification.select().where(Notification.status != "sent").count() == 0


def test_two_processes_running_at_once_share_the_robots_limit(bot_town, group_with_robot,
                                                              wecom):
    _, group, _ = group_with_robot
    for n in range(30):
        notice(group, n)
    run(wecom, START)
    run(wecom, START)  # a second scheduler process at the same moment
    assert len(wecom.robot_messages) == 20
    assert wecom.rejected_for_rate == 0


def test_wecoms_frequency_error_pauses_the_robot_and_loses_nothing(bot_town, group_with_robot,
                                                                   wecom):
    _, group, robot = group_with_robot
    for n in range(3):
        notice(group, n)
    wecom.fail_next.append({"errcode": 45009, "errmsg": "api freq out of limit"})
    assert run(wecom, START)["retry"] == 1
    assert BotRobot.get_by_id(robot.id).blocked_until == START + dt.timedelta(minutes=1)
    run(wecom, START + dt.timedelta(seconds=30))
    assert wecom.robot_messages == []
    run(wecom, START + dt.timedelta(seconds=61))
    assert [text for _, _, text in wecom.robot_messages] == ["通知 000", "通知 001", "通知 002"]


def test_a_broken_webhook_key_holds_the_queue_and_tells_staff(bot_town, group_with_robot,
                                                              wecom):
    _, group, robot = group_with_robot
    wecom.valid_keys.clear()
    notice(group, 1)
    run(wecom, START)
    robot = BotRobot.get_by_id(robot.id)
    assert robot.last_error == "wecom.93000"
    row = BotOutbound.get()
    assert (row.status, row.last_error) == ("pending", "wecom.93000")
    wecom.valid_keys.add(KEY)
    config.update_robot(bot_town.actor(bot_town.town_admin), robot.id, webhook_key=KEY)
    BotRobot.update(blocked_until=None).where(BotRobot.id == robot.id).execute()
    run(wecom, START + dt.timedelta(hours=2))
    assert [text for _, _, text in wecom.robot_messages] == ["通知 001"]


def test_long_text_is_split_on_utf8_boundaries_and_sent_in_order(bot_town, group_with_robot,
                                                                 wecom):
    _, group, _ = group_with_robot
    notice(group, 1, body="诉求进展" * 400)  # 4,800 bytes of body
    run(wecom, START)
    pieces = [text for _, _, text in wecom.robot_messages]
    assert len(pieces) == 3
    assert all(len(p.encode()) <= 2048 for p in pieces)
    assert "".join(pieces) == "【通知 001】\n" + "诉求进展" * 400


def test_a_notice_to_a_region_goes_to_every_bound_group_under_it(bot_town, wecom):
    bot_town.bound_chat("wecom:chat-1")
    bot_town.bound_chat("wecom:chat-2", region=bot_town.tree.grid_a1)
    admin = bot_town.actor(bot_town.town_admin)
    robot = config.create_robot(admin, name="r", region_id=bot_town.tree.town_a.id,
                                webhook_key=KEY)
    for group in BotGroup.select():
        set_group_robot(admin, group.id, robot.id)
    with database.atomic():
        enqueue(channel="group", kind="transparency.checkpoint",
                group_key=f"village:{bot_town.tree.village_a1.id}", title="检查点",
                dedupe_key="cp:1", now=START)
    run(wecom, START)
    assert len(wecom.robot_messages) == 2


def test_a_notice_with_no_route_fails_visibly(bot_town, wecom):
    bot_town.bound_chat()
    notice(BotGroup.get(), 1)
    run(wecom, START)
    row = Notification.get()
    assert (row.status, row.last_error) == ("failed", "bot.no_route")


def test_a_response_url_is_used_once_within_its_hour(bot_town, wecom):
    bot_town.bound_chat()
    group = BotGroup.get()
    url = "https://qyapi.weixin.qq.com/cgi-bin/aibot/response?code=once"
    remember_response_url(group.channel, group.chat_id, url, START + dt.timedelta(hours=1))
    notice(group, 1)
    notice(group, 2)
    run(wecom, START)
    assert wecom.response_url_messages == ["通知 001"]
    assert Notification.get(Notification.dedupe_key == "test:2").last_error == "bot.no_route"


def test_an_expired_response_url_is_not_used(bot_town, wecom):
    bot_town.bound_chat()
    group = BotGroup.get()
    remember_response_url(group.channel, group.chat_id, "https://qyapi.weixin.qq.com/cgi-bin/"
                          "aibot/response?code=old", START + dt.timedelta(minutes=5))
    notice(group, 1)
    run(wecom, START + dt.timedelta(minutes=10))
    assert wecom.response_url_messages == []


def test_wecom_app_messages_go_through_the_app_api(bot_town, wecom):
    endpoint = config.create_endpoint(bot_town.actor(bot_town.town_admin), kind="wecom_app",
                                      name="应用", region_id=bot_town.tree.town_a.id,
                                      token="abc123", receive_id="wwCorp",
                                      encoding_aes_key="a" * 43, secret="app-secret",
                                      agent_id="1000002")
    enqueue_app_message(endpoint.id, "zhangsan", "您反映的诉求已办结", "app:1", now=START)
    run(wecom, START)
    (message,) = wecom.app_messages
    assert (message["touser"], message["msgtype"], str(message["agentid"])) == (
        "zhangsan", "text", "1000002")
    assert message["text"]["content"] == "您反映的诉求已办结"
    assert BotOutbound.get().status == "sent"
    assert "zhangsan" not in BotOutbound.get().target_cipher
