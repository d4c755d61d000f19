"""HTTP: 议事 consultations for residents (``/api/v1/consultations``), comments content-checked
through the fake WeChat."""

from __future__ import annotations

import pytest

from app.clock import frozen
from app.consultations import poll
from tests.app.consultations import conftest as consultations_conftest
from tests.app.consultations.conftest import MONDAY_9AM, commented, drafted, opened
from tests.factories import bearer

town = consultations_conftest.town
API = "/api/v1/consultations"
STAFF_KEYS = {"author_user_id", "report_count", "reviewed", "version"}


@pytest.fixture(autouse=True)
def wechat(fake_wechat):
    """Residents' comments go through msgSecCheck on the fake WeChat."""
    return fake_wechat


@pytest.fixture(autouse=True)
def monday():
    with frozen(MONDAY_9AM):
        yield


def code_of(res):
    return res.get_json()["error"]["code"]


def test_residents_list_the_open_topics_of_their_village_page_by_page(client, town):
    first, second = opened(town), opened(town, title="垃圾分类投放点选址")
    drafted(town, title="还在起草的议题")
    res = client.get(f"{API}?limit=1", headers=bearer(town.author))
    page = res.get_json()["data"]
    assert [c["id"] for c in page["items"]] == [second.id]
    assert page["items"][0]["status_name"] == "议事中"
    assert not STAFF_KEYS & set(page["items"][0])
    more = client.get(f"{API}?limit=1&cursor={page['next_cursor']}",
                      headers=bearer(town.author)).get_json()["data"]
    assert ([c["id"] for c in more["items"]], more["next_cursor"]) == ([first.id], None)


def test_a_visitor_and_a_resident_of_another_village_see_nothing(client, town):
    consultation = opened(town)
    res = client.get(API, headers=bearer(town.visitor))
    assert res.status_code == 403 and code_of(res) == "consultation.household_required"
    assert client.get(API, headers=bearer(town.other_village)).get_json()["data"]["items"] == []
    other = client.get(f"{API}/{consultation.id}", headers=bearer(town.other_village))
    assert other.status_code == 404 and code_of(other) == "consultation.not_found"
    assert client.get(API).status_code == 401


def test_the_topic_page_shows_background_poll_and_moves(client, town):
    consultation = opened(town)
    data = client.get(f"{API}/{consultation.id}", headers=bearer(town.author)).get_json()["data"]
    assert data["background"].startswith("小区新增车位")
    assert data["allowed_actions"] == ["comment", "answer"]
    assert [o["label"] for o in data["poll"]["options"]] == ["同意", "不同意", "弃权"]
    assert data["poll"]["results_visible"] is False and data["poll"]["voters"] is None
    assert data["closes_at"] == "2026-11-30T09:00:00+08:00"


def test_a_resident_comments_and_the_list_masks_the_name(client, town):
    consultation = opened(town)
    res = client.post(f"{API}/{consultation.id}/comments", headers=bearer(town.author),
                      json={"content": "建议按先来后到排号"})
    assert res.status_code == 201
    assert (res.get_json()["data"]["author_name"], res.get_json()["data"]["is_mine"]) == (
        "张**", True)
    listed = client.get(f"{API}/{consultation.id}/comments", headers=bearer(town.neighbours[0]))
    [item] = listed.get_json()["data"]["items"]
    assert item["author_name"] == "张**" and not STAFF_KEYS & set(item)
    assert "张阿姨" not in listed.get_data(as_text=True)


def test_risky_comments_are_refused_by_the_content_check(client, town):
    consultation = opened(town)
    res = client.post(f"{API}/{consultation.id}/comments", headers=bearer(town.author),
                      json={"content": "谁想一起去赌博"})
    assert res.status_code == 422 and code_of(res) == "content.risky"


def test_three_residents_reporting_hide_a_comment(client, town):
    consultation = opened(town)
    comment = commented(town, consultation)
    url = f"{API}/comments/{comment.id}/report"
    first = client.post(url, headers=bearer(town.neighbours[0]), json={"reason": "人身攻击"})
    assert first.get_json()["data"]["reported_by_me"] is True
    again = client.post(url, headers=bearer(town.neighbours[0]), json={})
    assert again.status_code == 409 and code_of(again) == "consultation.already_reported"
    own = client.post(url, headers=bearer(town.author), json={})
    assert own.status_code == 403 and code_of(own) == "consultation.own_comment"
    client.post(url, headers=bearer(town.neighbours[1]), json={})
    client.post(url, headers=bearer(town.neighbours[2]), json={})
    seen = client.get(f"{API}/{consultation.id}/comments", headers=bearer(town.neighbours[0]))
    assert seen.get_json()["data"]["items"] == []
    mine = client.get(f"{API}/{consultation.id}/comments", headers=bearer(town.author))
    assert mine.get_json()["data"]["items"][0]["status"] == "pending_review"


def test_a_resident_answers_the_poll_and_changes_the_answer(client, town):
    consultation = opened(town)
    yes, no, _ = (o.id for o in poll.options_of(consultation.id))
    url = f"{API}/{consultation.id}/answer"
    first = client.put(url, headers=bearer(town.author), json={"option_ids": [yes]})
    assert first.get_json()["data"]["poll"]["my_choices"] == [yes]
    second = client.put(url, headers=bearer(town.author), json={"option_ids": [no]})
    assert second.get_json()["data"]["poll"]["my_choices"] == [no]
    two = client.put(url, headers=bearer(town.author), json={"option_ids": [yes, no]})
    assert two.status_code == 422 and code_of(two) == "consultation.bad_answer"
    outsider = client.put(url, headers=bearer(town.other_village), json={"option_ids": [yes]})
    assert outsider.status_code == 404
