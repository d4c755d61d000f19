"""HTTP: the power list in the console and for residents."""

from __future__ import annotations

from tests.app.supervision import fixtures
from tests.factories import bearer

place = fixtures.place


def test_a_town_template_is_kept_and_copied_into_a_village(client, place):
    admin = bearer(place.user("town_admin"), "staff")
    res = client.put("/admin/api/v1/power-items", headers=admin, json={
        "region_id": place.tree.town_a.id, "code": "ZC-01", "name": "集体资产出租",
        "category": "assets_resources", "legal_basis": "《村民委员会组织法》第二十四条",
        "requires_notice": True,
        "steps": [{"name": "村民代表会议决议", "requires_evidence": True,
                   "evidence_hint": "会议记录"}, {"name": "签订合同"}]})
    assert res.status_code == 200
    assert [s["seq"] for s in res.get_json()["data"]["steps"]] == [1, 2]
    refused = client.put("/admin/api/v1/power-items",
                         headers=bearer(place.user("cadre"), "staff"),
                         json={"region_id": place.tree.village_a1.id, "code": "X", "name": "X",
                               "category": "other", "legal_basis": "X",
                               "steps": [{"name": "办理"}]})
    assert refused.status_code == 403
    url = f"/admin/api/v1/villages/{place.tree.village_a1.id}/power-items/import-template"
    assert client.post(url, headers=admin).get_json()["data"] == {"added": ["ZC-01"],
                                                                  "skipped": []}
    listed = client.get("/api/v1/power-items", headers=bearer(place.resident)).get_json()
    item = listed["data"]["items"][0]
    assert (item["code"], item["requires_notice"]) == ("ZC-01", True)
    detail = client.get(f"/api/v1/power-items/{item['id']}", headers=bearer(place.resident))
    assert detail.get_json()["data"]["steps"][0]["evidence_hint"] == "会议记录"
    assert client.get(f"/api/v1/power-items/{item['id']}",
                      headers=bearer(place.resident_b)).status_code == 404
