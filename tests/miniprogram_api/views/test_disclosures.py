"""HTTP: residents' disclosures (``/api/v1/disclosures``) and the staff console
(``/admin/api/v1/disclosures``), including immutability through the API."""

from __future__ import annotations

from app.disclosures.models import Disclosure
from app.requests.models import Request
from tests.app.disclosures.conftest import draft, published
from tests.app.supervision import fixtures
from tests.factories import bearer

API = "/api/v1/disclosures"
ADMIN = "/admin/api/v1/disclosures"
place = fixtures.place


def staff(user):
    return bearer(user, "staff")


def code_of(res):
    return res.get_json()["error"]["code"]


def test_staff_draft_review_and_publish_through_the_console(client, place):
    res = client.post(ADMIN, headers=staff(place.user("cadre")), json={
        "region_id": place.tree.village_a1.id, "kind": "finance", "category": "income_expense",
        "period": "2026-10", "title": "2026年10月财务收支公开", "body": "本月收入……支出……"})
    assert res.status_code == 201
    item = res.get_json()["data"]
    assert (item["status"], item["allowed_actions"]) == (
        "draft", ["update", "submit", "discard"])
    url = f"{ADMIN}/{item['id']}"
    assert client.post(f"{url}/submit", headers=staff(place.user("cadre"))).status_code == 200
    own = client.post(f"{url}/approve", headers=staff(place.user("town_admin")), json={})
    assert own.status_code == 403
    ok = client.post(f"{url}/approve", headers=staff(place.user("finance_panel")),
                     json={"note": "已核对凭证"})
    assert ok.get_json()["data"]["status"] == "reviewed"
    done = client.post(f"{url}/publish", headers=staff(place.user("cadre")))
    assert done.get_json()["data"]["status"] == "published"
    assert done.get_json()["data"]["allowed_actions"] == ["correct"]


def test_a_published_disclosure_cannot_be_changed_through_the_api(client, place):
    item = published(place)
    url = f"{ADMIN}/{item.id}"
    res = client.put(url, headers=staff(place.user("cadre")), json={
        "category": "other", "period": "2026-Q4", "title": "改标题", "body": "改正文"})
    assert (res.status_code, code_of(res)) == (409, "disclosure.published_immutable")
    for action, body in (("submit", None), ("approve", {}), ("return", {"reason": "改"}),
                         ("publish", None), ("discard", {"reason": "删"})):
        user = place.user("supervision_committee" if action in ("approve", "return")
                          else "cadre")
        res = client.post(f"{url}/{action}", headers=staff(user), json=body)
        assert (res.status_code, code_of(res)) == (409, "disclosure.published_immutable")
    assert Disclosure.get_by_id(item.id).title == item.title


def test_a_correction_through_the_api_shows_the_chain_to_residents(client, place):
    original = published(place)
    res = client.post(f"{ADMIN}/{original.id}/corrections", headers=staff(place.user("cadre")),
                      json={"title": "更正", "body": "更正后的正文", "reason": "数字有误"})
    assert res.status_code == 201
    correction = res.get_json()["data"]
    assert correction["corrects"]["id"] == original.id
    detail = client.get(f"{API}/{original.id}", headers=bearer(place.resident)).get_json()
    assert detail["data"]["corrections"] == []  # the correction is not published yet
    assert detail["data"]["title"] == original.title


def test_residents_list_read_ask_and_request_disclosure(client, place, fake_wechat):
    item = published(place)
    draft(place)
    listing = client.get(API, headers=bearer(place.resident)).get_json()["data"]
    assert [d["id"] for d in listing["items"]] == [item.id]
    assert listing["items"][0]["category_name"] == "村民会议、村民代表会议决定事项及实施情况"
    other = client.get(API, headers=bearer(place.visitor))
    assert (other.status_code, code_of(other)) == (403, "disclosure.residents_only")
    hidden = client.get(f"{API}/{item.id}", headers=bearer(place.resident_b))
    assert hidden.status_code == 404
    asked = client.post(f"{API}/{item.id}/questions", headers=bearer(place.resident),
                        json={"kind": "objection", "text": "会议到会人数不对"})
    assert asked.status_code == 201
    mine = client.get(f"{API}/questions/mine", headers=bearer(place.resident)).get_json()
    assert [q["status"] for q in mine["data"]["items"]] == ["open"]
    answered = client.post(f"/admin/api/v1/disclosure-questions/{asked.get_json()['data']['id']}"
                           "/answer", headers=staff(place.user("cadre")),
                           json={"answer": "到会 32 人，有签到表。"})
    assert answered.status_code == 200
    detail = client.get(f"{API}/{item.id}", headers=bearer(place.resident)).get_json()["data"]
    assert [(a["question"], a["answer"]) for a in detail["answers"]] == [
        ("会议到会人数不对", "到会 32 人，有签到表。")]
    filed = client.post(f"{API}/requests", headers=bearer(place.resident),
                        json={"kind": "party", "text": "党费使用情况很久没公开了"})
    assert filed.status_code == 201
    assert Request.get_by_id(filed.get_json()["data"]["request_id"]).category_code == "disclosure"


def test_a_resident_token_cannot_use_the_console(client, place):
    res = client.get(ADMIN, headers=bearer(place.resident))
    assert res.status_code == 403
    listed = client.get(ADMIN, headers=staff(place.user("grid_worker")))
    assert listed.status_code == 403


def test_the_cadence_is_set_by_the_town_and_overdue_items_are_listed(client, place):
    url = f"/admin/api/v1/villages/{place.tree.village_a1.id}/disclosure-cadence"
    refused = client.put(f"{url}/finance", headers=staff(place.user("cadre")),
                         json={"rhythm": "monthly"})
    assert refused.status_code == 403
    res = client.put(f"{url}/finance", headers=staff(place.user("town_admin")),
                     json={"rhythm": "monthly", "grace_days": 5})
    assert res.get_json()["data"]["rhythm"] == "monthly"
    table = client.get(url, headers=staff(place.user("discipline_officer"))).get_json()["data"]
    assert [r["rhythm"] for r in table] == ["quarterly", "quarterly", "monthly"]
    dues = client.get("/admin/api/v1/disclosure-dues?status=overdue",
                      headers=staff(place.user("discipline_officer")))
    assert dues.get_json()["data"]["items"] == []
