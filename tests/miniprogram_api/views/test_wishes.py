"""HTTP: 微心愿 for residents (``/api/v1/wishes``), content-checked through the fake WeChat."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from tests.app.wishes import conftest as wishes_conftest
from tests.app.wishes.conftest import approved, claimed, fulfilled, submitted
from tests.factories import bearer

village = wishes_conftest.village  # the service tests' village, shared
outbox_only = wishes_conftest.outbox_only
API = "/api/v1/wishes"
PRIVATE_KEYS = {"wisher_user_id", "claimant_user_id", "household_id", "village_id",
                "review_reason", "closed_reason", "held_for_review", "claim_due_at",
                "confirm_due_at"}


@pytest.fixture(autouse=True)
def wechat(fake_wechat):
    """Residents' text goes through msgSecCheck on the fake WeChat."""
    return fake_wechat


def code_of(res):
    return res.get_json()["error"]["code"]


def test_the_categories_are_listed_without_a_login(client):
    res = client.get("/api/v1/wish-categories")
    assert res.status_code == 200
    assert {"code": "repair", "name": "维修帮忙"} in res.get_json()["data"]


def test_a_resident_posts_a_wish_and_sees_it_waiting_for_review(client, village):
    res = client.post(API, headers=bearer(village.wisher), json={
        "category": "elderly_care", "text": "想请人陪我去社区医院量血压",
        "deadline": "2099-01-01T10:00:00"})
    assert res.status_code == 201
    wish = res.get_json()["data"]
    assert (wish["status"], wish["wisher_name"], wish["is_mine"]) == ("submitted", "张**", True)
    assert wish["deadline"] == "2099-01-01T10:00:00+08:00"
    assert wish["allowed_actions"] == ["withdraw"]
    assert [h["action"] for h in wish["history"]] == ["submit"]
    mine = client.get(f"{API}/mine", headers=bearer(village.wisher)).get_json()["data"]
    assert [w["id"] for w in mine["items"]] == [wish["id"]]


def test_risky_text_is_refused_by_the_content_check(client, village):
    res = client.post(API, headers=bearer(village.wisher),
                      json={"category": "other", "text": "想找人一起去赌博"})
    assert res.status_code == 422 and code_of(res) == "content.risky"


def test_a_visitor_is_asked_to_bind_a_household_first(client, village):
    res = client.post(API, headers=bearer(village.visitor_volunteer),
                      json={"category": "other", "text": "想请人帮忙搬家具"})
    assert res.status_code == 403 and code_of(res) == "wish.household_required"
    wall = client.get(f"{API}/wall", headers=bearer(village.visitor_volunteer))
    assert wall.status_code == 403 and code_of(wall) == "wish.household_required"


def test_the_wall_masks_the_name_and_shows_nothing_private(client, village):
    User.update(phone_masked="138****5678").where(User.id == village.wisher.id).execute()
    first = approved(village)
    second = approved(village, text="想找人教我用手机视频通话", category="companionship")
    submitted(village, text="这个心愿还在审核中")
    res = client.get(f"{API}/wall?limit=1", headers=bearer(village.neighbour))
    page = res.get_json()["data"]
    [shown] = page["items"]
    assert (shown["id"], shown["wisher_name"]) == (second.id, "张**")
    assert not PRIVATE_KEYS & set(shown)
    assert "张阿姨" not in res.get_data(as_text=True)
    assert "138****5678" not in res.get_data(as_text=True)
    more = client.get(f"{API}/wall?limit=1&cursor={page['next_cursor']}",
                      headers=bearer(village.neighbour)).get_json()["data"]
    assert [w["id"] for w in more["items"]] == [first.id]


def test_two_volunteers_claim_one_wish_and_the_second_gets_409(client, village):
    wish = approved(village)
    won = client.post(f"{API}/{wish.id}/claim", headers=bearer(village.volunteer))
    assert won.status_code == 200
    assert won.get_json()["data"]["claimed_by_me"] is True
    assert won.get_json()["data"]["allowed_actions"] == ["release", "fulfil"]
    lost = client.post(f"{API}/{wish.id}/claim", headers=bearer(village.party_member))
    assert lost.status_code == 409 and code_of(lost) == "wish.already_claimed"
    claimed_list = client.get(f"{API}/claimed", headers=bearer(village.volunteer))
    assert [w["id"] for w in claimed_list.get_json()["data"]["items"]] == [wish.id]


def test_a_neighbour_who_does_not_volunteer_cannot_claim(client, village):
    wish = approved(village)
    res = client.post(f"{API}/{wish.id}/claim", headers=bearer(village.neighbour))
    assert res.status_code == 403 and code_of(res) == "wish.claim_not_allowed"
    other = client.get(f"{API}/{wish.id}", headers=bearer(village.other_village_volunteer))
    assert other.status_code == 404 and code_of(other) == "wish.not_found"


def test_release_fulfil_confirm_and_thanks(client, village):
    wish = claimed(village)
    helper, wisher = bearer(village.volunteer), bearer(village.wisher)
    released = client.post(f"{API}/{wish.id}/release", headers=helper, json={"reason": "出差"})
    assert released.get_json()["data"]["status"] == "approved"
    client.post(f"{API}/{wish.id}/claim", headers=helper)
    done = client.post(f"{API}/{wish.id}/fulfil", headers=helper,
                       json={"note": "水龙头换好了", "photo_ids": []})
    assert done.get_json()["data"]["status"] == "fulfilled"
    refused = client.post(f"{API}/{wish.id}/confirm", headers=helper)
    assert refused.status_code == 403 and code_of(refused) == "wish.not_wisher"
    confirmed = client.post(f"{API}/{wish.id}/confirm", headers=wisher).get_json()["data"]
    assert (confirmed["status"], confirmed["allowed_actions"]) == ("confirmed", ["thank"])
    thanked = client.post(f"{API}/{wish.id}/thanks", headers=wisher,
                          json={"text": "谢谢小李！"}).get_json()["data"]
    assert (thanked["thanks"], thanked["thanked"]) == ("谢谢小李！", True)
    again = client.post(f"{API}/{wish.id}/thanks", headers=wisher, json={"text": "再谢"})
    assert again.status_code == 409 and code_of(again) == "wish.already_thanked"


def test_a_fulfilled_wish_cannot_be_withdrawn(client, village):
    wish = fulfilled(village)
    res = client.post(f"{API}/{wish.id}/withdraw", headers=bearer(village.wisher), json={})
    assert res.status_code == 409 and code_of(res) == "wish.illegal_transition"


def test_the_wisher_withdraws_an_open_wish(client, village):
    wish = approved(village)
    res = client.post(f"{API}/{wish.id}/withdraw", headers=bearer(village.wisher),
                      json={"reason": "已经解决了"})
    assert res.get_json()["data"]["status"] == "withdrawn"
    gone = client.get(f"{API}/{wish.id}", headers=bearer(village.neighbour))
    assert gone.status_code == 404
