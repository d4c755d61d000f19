"""The bot's staff console API: codes, groups, dictionary, endpoints, robots, announcements."""

from __future__ import annotations

import json

import pytest

from app.bot.models import BotEndpoint, BotRobot
from tests.app.bot.conftest import bot_town  # noqa: F401  (the fixture)
from tests.app.bot.harness import Chat
from tests.bot import wire
from tests.factories import bearer, make_user

BASE = "/admin/api/v1/bot"
KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"


def staff(user):
    return bearer(user, "staff")


def test_a_grid_worker_issues_a_code_that_binds_a_group(client, bot_town):  # noqa: F811
    res = client.post(f"{BASE}/binding-codes", headers=staff(bot_town.grid_worker),
                      json={"region_id": bot_town.tree.building_a1.id})
    assert res.status_code == 201
    data = res.get_json()["data"]
    assert data["region_name"] == "1号楼" and len(data["code"]) == 8
    assert Chat().send("gw", f"绑定 {data['code']}").startswith("绑定成功")
    listed = client.get(f"{BASE}/groups", headers=staff(bot_town.grid_worker)).get_json()
    assert [g["region_name"] for g in listed["data"]["items"]] == ["1号楼"]


def test_codes_outside_the_scope_are_forbidden(client, bot_town):  # noqa: F811
    res = client.post(f"{BASE}/binding-codes", headers=staff(bot_town.other_grid_worker),
                      json={"region_id": bot_town.tree.building_a1.id})
    assert res.status_code == 403


def test_residents_cannot_use_the_console(client, bot_town):  # noqa: F811
    resident = make_user(household=bot_town.tree.household_a1)
    assert client.get(f"{BASE}/groups", headers=bearer(resident)).status_code == 403
    assert client.get(f"{BASE}/groups").status_code == 401


def test_groups_of_another_grid_are_neither_listed_nor_unbindable(client, bot_town):  # noqa: F811
    bot_town.bound_chat()
    group_id = client.get(f"{BASE}/groups", headers=staff(bot_town.grid_worker)) \
        .get_json()["data"]["items"][0]["id"]
    other = staff(bot_town.other_grid_worker)
    assert client.get(f"{BASE}/groups", headers=other).get_json()["data"]["items"] == []
    assert client.post(f"{BASE}/groups/{group_id}/unbind", headers=other).status_code == 404
    res = client.post(f"{BASE}/groups/{group_id}/unbind", headers=staff(bot_town.cadre))
    assert res.get_json()["data"]["status"] == "unbound"


def test_endpoint_secrets_are_write_only(client, bot_town):  # noqa: F811
    res = client.post(f"{BASE}/endpoints", headers=staff(bot_town.town_admin), json={
        "kind": "wecom_bot", "name": "智能机器人", "region_id": bot_town.tree.town_a.id,
        "token": wire.DOC_TOKEN, "encoding_aes_key": wire.DOC_AES_KEY})
    assert res.status_code == 201
    body = json.dumps(res.get_json(), ensure_ascii=False)
    assert wire.DOC_TOKEN not in body and wire.DOC_AES_KEY not in body
    data = res.get_json()["data"]
    assert data["callback_path"] == f"/bot/wecom-bot/{data['id']}"
    assert data["has_token"] and data["has_aes_key"] and not data["has_secret"]
    assert wire.DOC_AES_KEY not in BotEndpoint.get().aes_key_cipher
    listed = client.get(f"{BASE}/endpoints", headers=staff(bot_town.town_admin))
    assert wire.DOC_AES_KEY not in listed.get_data(as_text=True)


def test_an_incomplete_endpoint_is_refused(client, bot_town):  # noqa: F811
    res = client.post(f"{BASE}/endpoints", headers=staff(bot_town.town_admin), json={
        "kind": "wecom_app", "name": "应用", "region_id": bot_town.tree.town_a.id,
        "token": "abc123"})
    assert res.status_code == 422
    assert res.get_json()["error"]["code"] == "bot.endpoint_incomplete"


@pytest.mark.parametrize("role", ["grid_worker", "cadre"])
def test_frontline_staff_cannot_configure_channels_or_robots(client, bot_town, role):  # noqa: F811
    user = getattr(bot_town, role)
    res = client.post(f"{BASE}/robots", headers=staff(user), json={
        "name": "r", "region_id": bot_town.tree.town_a.id, "webhook_key": KEY})
    assert res.status_code == 403
    assert client.get(f"{BASE}/endpoints", headers=staff(user)).status_code == 403
    assert BotRobot.select().count() == 0


def test_robots_are_configured_and_attached_to_groups(client, bot_town):  # noqa: F811
    bot_town.bound_chat()
    admin = staff(bot_town.town_admin)
    robot = client.post(f"{BASE}/robots", headers=admin, json={
        "name": "1号楼群机器人", "region_id": bot_town.tree.town_a.id, "webhook_key": KEY})
    assert robot.status_code == 201 and KEY not in robot.get_data(as_text=True)
    robot_id = robot.get_json()["data"]["id"]
    group_id = client.get(f"{BASE}/groups", headers=admin).get_json()["data"]["items"][0]["id"]
    res = client.put(f"{BASE}/groups/{group_id}/robot", headers=staff(bot_town.grid_worker),
                     json={"robot_id": robot_id})
    assert res.get_json()["data"]["robot_id"] == robot_id
    changed = client.put(f"{BASE}/robots/{robot_id}", headers=admin, json={"active": False})
    assert changed.get_json()["data"]["active"] is False


def test_the_dictionary_is_edited_through_the_console(client, bot_town):  # noqa: F811
    admin = staff(bot_town.town_admin)
    town = bot_town.tree.town_a.id
    res = client.post(f"{BASE}/keywords", headers=admin, json={
        "town_id": town, "bucket": "safety", "word": "流浪猫", "weight": 2.5})
    assert res.status_code == 201
    keyword = res.get_json()["data"]
    assert (keyword["town_id"], keyword["bucket"]) == (town, "safety")
    listed = client.get(f"{BASE}/keywords", headers=admin, query_string={"town_id": town})
    assert [k["word"] for k in listed.get_json()["data"]["items"]] == ["流浪猫"]
    defaults = client.get(f"{BASE}/keywords", headers=admin, query_string={"limit": 5})
    assert defaults.get_json()["data"]["next_cursor"]
    gone = client.delete(f"{BASE}/keywords/{keyword['id']}", headers=admin)
    assert gone.status_code == 200
    assert client.post(f"{BASE}/keywords", headers=staff(bot_town.grid_worker), json={
        "town_id": town, "bucket": "safety", "word": "x", "weight": 1}).status_code == 403


def test_announcements_are_posted_once(client, bot_town):  # noqa: F811
    body = {"region_id": bot_town.tree.village_a1.id, "text": "本周六上午村务公开直播",
            "dedupe_key": "live-42"}
    first = client.post(f"{BASE}/announcements", headers=staff(bot_town.cadre), json=body)
    again = client.post(f"{BASE}/announcements", headers=staff(bot_town.cadre), json=body)
    assert first.status_code == 201
    assert first.get_json()["data"]["notification_id"] == \
        again.get_json()["data"]["notification_id"]
    assert client.post(f"{BASE}/announcements", headers=staff(bot_town.other_grid_worker),
                       json=body).status_code == 403
