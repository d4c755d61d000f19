"""The message-archive pull: a seq cursor over decrypted records, through a fake SDK."""

from __future__ import annotations

import pytest

from app.bot import config
from app.bot.models import BotCursor, BotGroup, BotOutbound
from app.requests.models import Request
from bot import jobs
from tests.bot.fake_archive import FakeArchiveSdk, private_key_pem, record


@pytest.fixture
def archive(bot_town):
    pem, public_key = private_key_pem()
    endpoint = config.create_endpoint(bot_town.actor(bot_town.town_admin), kind="wecom_archive",
                                      name="会话存档", region_id=bot_town.tree.town_a.id,
                                      receive_id="wwCorp", secret="archive-secret",
                                      private_key=pem)
    return endpoint, public_key


def run(sdk) -> dict:
    return jobs.pull_archive(sdk_factory=lambda endpoint, secret: sdk)


def test_the_job_does_nothing_unless_the_sdk_is_configured(archive, monkeypatch):
    monkeypatch.delenv("WECOM_FINANCE_SDK", raising=False)
    assert jobs.pull_archive() == {}


def test_records_become_messages_and_a_complaint_becomes_a_request(bot_town, archive,
                                                                   binding_code):
    endpoint, public_key = archive
    sdk = FakeArchiveSdk(public_key, [
        record(1, f"绑定 {binding_code()}", sender="gw_userid"),
        record(2, "", msgtype="image"),
        record(3, "投诉 楼道里堆满了杂物，消防通道都堵了"),
        record(4, "recalled", action="recall"),
    ])
    assert run(sdk) == {"records": 4, "messages": 2}
    assert BotGroup.get().chat_id == f"{endpoint.id}:wrRoom1"
    assert Request.get().channel == "group_bot"
    assert BotCursor.get(BotCursor.name == f"archive:{endpoint.id}").value == 4


def test_the_cursor_moves_on_and_a_second_pull_creates_nothing(bot_town, archive, binding_code):
    _, public_key = archive
    sdk = FakeArchiveSdk(public_key, [record(1, f"绑定 {binding_code()}", sender="gw_userid"),
                                      record(2, "投诉 楼道里堆满了杂物，消防通道都堵了")])
    run(sdk)
    assert run(sdk) == {"records": 0, "messages": 0}
    assert sdk.calls == [0, 2]
    assert Request.select().count() == 1


def test_answers_go_to_the_groups_robot(bot_town, archive, binding_code):
    _, public_key = archive
    admin = bot_town.actor(bot_town.town_admin)
    robot = config.create_robot(admin, name="1号楼群机器人", region_id=bot_town.tree.town_a.id,
                                webhook_key="693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa")
    run(FakeArchiveSdk(public_key, [record(1, f"绑定 {binding_code()}", sender="gw_userid")]))
    from app.bot.groups import set_group_robot

    set_group_robot(admin, BotGroup.get().id, robot.id)
    sdk = FakeArchiveSdk(public_key, [record(1, "x"),
                                      record(2, "投诉 垃圾桶好几天没人清了，臭气熏天")])
    run(sdk)
    queued = BotOutbound.get()
    assert (queued.lane, queued.kind) == (f"robot:{robot.id}", "robot")
    assert Request.get().tracking_no in queued.text
