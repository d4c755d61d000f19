"""HTTP: Open311 GeoReport v2 in its own wire format — JSON arrays, spec errors, form POST."""

from __future__ import annotations

import jsonschema
import pytest

from app.accounts.models import User
from app.clock import frozen
from app.requests import open311
from app.requests.models import Request
from tests.app.requests import conftest as requests_conftest
from tests.app.requests import georeport_v2_schemas as schemas
from tests.app.requests.conftest import MONDAY_9AM
from tests.app.requests.lifecycle import submit_at

V2 = "/open311/v2"
town = requests_conftest.town  # the service tests' small town, shared


@pytest.fixture
def api_key(town):
    return open311.create_client(town.actor(town.sysadmin), name="随手拍",
                                 region_id=town.tree.town_a.id)[1]


def form(town, key, **changes):
    values = {"api_key": key, "jurisdiction_id": town.tree.village_a1.code,
              "service_code": "complaint.roads", "description": "村口道路有个大坑很危险",
              "address_string": "村口公交站旁", "first_name": "三", "last_name": "张",
              "phone": "13900001111", "email": "zhang@example.com", "lat": "24.9",
              "long": "118.6", "attribute[WHISPAWN]": "x"}
    values.update(changes)
    return {k: v for k, v in values.items() if v is not None}


def assert_spec_error(res, status):
    assert res.status_code == status
    assert res.headers["Content-Type"] == "application/json; charset=utf-8"
    body = res.get_json()
    jsonschema.validate(body, schemas.ERRORS)
    assert body[0]["code"] == status
    return body[0]["description"]


def test_services_json_is_a_bare_array(client, town):
    res = client.get(f"{V2}/services.json?jurisdiction_id={town.tree.town_a.code}")
    assert res.status_code == 200
    assert res.headers["Content-Type"] == "application/json; charset=utf-8"
    services = res.get_json()
    jsonschema.validate(services, schemas.SERVICES)
    assert {"service_code": "help.environment", "metadata": False, "type": "realtime",
            "group": "求助"}.items() <= next(
        s for s in services if s["service_code"] == "help.environment").items()


def test_an_empty_argument_counts_as_absent(client, town):
    empty = client.get(f"{V2}/services.json?jurisdiction_id=").get_json()
    assert empty == client.get(f"{V2}/services.json").get_json()


def test_requests_json_lists_public_fields(client, town):
    with frozen(MONDAY_9AM):
        made = submit_at(town, MONDAY_9AM)
        res = client.get(f"{V2}/requests.json?status=open&service_code=help.environment")
    assert res.status_code == 200
    items = res.get_json()
    jsonschema.validate(items, schemas.SERVICE_REQUESTS)
    assert [i["service_request_id"] for i in items] == [made.tracking_no]
    one = client.get(f"{V2}/requests/{made.tracking_no}.json")
    jsonschema.validate(one.get_json(), schemas.SERVICE_REQUESTS)
    assert one.get_json()[0]["service_request_id"] == made.tracking_no


def test_read_errors_follow_the_spec(client, town):
    assert_spec_error(client.get(f"{V2}/requests/R20000101-0001.json"), 404)
    assert_spec_error(client.get(f"{V2}/services.json?jurisdiction_id=nowhere"), 404)
    text = assert_spec_error(client.get(
        f"{V2}/requests.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"), 400)
    assert "90" in text
    assert_spec_error(client.get(f"{V2}/requests.json?start_date=someday"), 400)
    assert_spec_error(client.get(
        f"{V2}/requests.json?jurisdiction_id={town.tree.household_a1.code}"), 400)


def test_a_form_post_files_a_request_and_keeps_no_reporter_data(client, town, api_key):
    users = User.select().count()
    with frozen(MONDAY_9AM):
        res = client.post(f"{V2}/requests.json", data=form(town, api_key))
    assert res.status_code == 201
    body = res.get_json()
    jsonschema.validate(body, schemas.CREATED)
    request = Request.get(Request.tracking_no == body[0]["service_request_id"])
    assert request.channel == "open311" and request.category_code == "roads"
    assert User.select().count() == users  # no account made from the reporter's details
    assert "13900001111" not in request.text and "张三" not in request.text
    listed = client.get(f"{V2}/requests/{request.tracking_no}.json").get_json()[0]
    assert listed["address"] == "村口公交站旁, 东星社区, 东海街道"
    assert "13900001111" not in str(listed) and "zhang@" not in str(listed)


@pytest.mark.parametrize("changes,status", [
    ({"api_key": None}, 403),
    ({"api_key": "o311_not-a-key"}, 403),
    ({"jurisdiction_id": None}, 400),
    ({"jurisdiction_id": "nowhere"}, 404),
    ({"service_code": "help.parking"}, 404),
    ({"service_code": None}, 400),
    ({"address_string": None}, 400),
    ({"description": "楼下有人聚众赌博"}, 400),
])
def test_post_errors_follow_the_spec(client, town, api_key, changes, status):
    res = client.post(f"{V2}/requests.json", data=form(town, api_key, **changes))
    assert_spec_error(res, status)
    assert Request.select().count() == 0


def test_a_key_for_another_town_is_refused(client, town):
    key = open311.create_client(town.actor(town.sysadmin), name="城东通",
                                region_id=town.tree.town_b.id)[1]
    res = client.post(f"{V2}/requests.json", data=form(town, key))
    assert "不能向这个社区" in assert_spec_error(res, 403)


def test_openapi_documents_open311_without_the_envelope(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    post = spec["paths"][f"{V2}/requests.json"]["post"]
    assert "application/x-www-form-urlencoded" in post["requestBody"]["content"]
    created = post["responses"]["201"]["content"]["application/json"]["schema"]
    assert created["type"] == "array"
    error = post["responses"]["403"]["content"]["application/json"]["schema"]
    assert error["items"]["required"] == ["code", "description"]
    listed = spec["paths"][f"{V2}/requests/{{service_request_id}}.json"]["get"]
    assert "ok" not in str(listed["responses"]["200"])
    assert "security" not in listed
