"""Open311 GeoReport v2 services: mapping, public reads, API clients and submission."""

from __future__ import annotations

import datetime as dt
import json

import jsonschema
import pytest

from app.audit.models import AuditEntry
from app.clock import frozen
from app.content import WordListChecker
from app.errors import Forbidden, InvalidInput, NotFound
from app.requests import handling, open311, rules, setup
from app.requests.models import Request, TimelineEntry
from tests.app.requests import georeport_v2_schemas as schemas
from tests.app.requests.conftest import MONDAY_9AM
from tests.app.requests.lifecycle import dispatched_at, rated, resolved_at, submit_at

LATER = MONDAY_9AM + dt.timedelta(days=1)


@pytest.fixture
def client_key(town):
    with frozen(MONDAY_9AM):
        client, key = open311.create_client(town.actor(town.sysadmin), name="随手拍",
                                            region_id=town.tree.town_a.id)
    return client, key


def post(key, town, **kw):
    values = {"jurisdiction_id": town.tree.village_a1.code, "service_code": "help.environment",
              "description": "小区东门路灯不亮已经三天", "address_string": "东门"}
    values.update(kw)
    with frozen(LATER):
        return open311.submit(key, **values)


@pytest.mark.parametrize("state", rules.STATES)
def test_only_finished_states_are_closed(state):
    closed = {"resolved", "closed", "merged_duplicate", "cancelled"}
    assert open311.public_status(state) == ("closed" if state in closed else "open")


def test_service_codes_pair_a_type_with_a_category():
    assert open311.parse_service_code("complaint.roads") == ("complaint", "roads")
    assert open311.parse_service_code("emergency.roads") == ("emergency", "roads")  # listed
    for bad in ("roads", "help.", "nope.roads"):
        with pytest.raises(NotFound):
            open311.parse_service_code(bad)


def test_w3_times_become_naive_utc():
    assert open311.parse_w3("2026-11-01T00:00:00Z") == dt.datetime(2026, 11, 1)
    assert open311.parse_w3("2026-11-01T08:00:00+08:00") == dt.datetime(2026, 11, 1)
    assert open311.parse_w3("2026-11-01") == dt.datetime(2026, 10, 31, 16)  # Shanghai date
    with pytest.raises(InvalidInput):
        open311.parse_w3("yesterday")


def test_numbers_are_masked():
    text = "请联系13812345678或0595-22345678，身份证35050019900101123X，3号楼201"
    assert open311.mask_numbers(text) == "请联系138****5678或0595-****，身份证****，3号楼201"


def test_the_window_is_ninety_days_at_most():
    now = dt.datetime(2026, 11, 30)
    assert open311.time_window(None, None, now) == (now - open311.WINDOW, now)
    start = dt.datetime(2026, 9, 1)
    assert open311.time_window(start, None, now) == (start, start + open311.WINDOW)
    with pytest.raises(InvalidInput) as info:
        open311.time_window(start, start + dt.timedelta(days=91), now)
    assert info.value.code == "open311.window_too_long"
    with pytest.raises(InvalidInput):
        open311.time_window(now, start, now)


def test_services_are_types_times_categories(town):
    setup.save_category(town.actor(town.town_admin), town_id=town.tree.town_a.id,
                        code="roads", name="道路与停车", resolve_days=5)
    services = open311.list_services(town.tree.village_a1.code)
    jsonschema.validate(services, schemas.SERVICES)
    assert len(services) == len(open311.TYPES) * len(setup.DEFAULT_CATEGORIES)
    by_code = {s["service_code"]: s for s in services}
    assert by_code["complaint.roads"]["service_name"] == "道路与停车（投诉）"
    assert by_code["complaint.roads"]["group"] == "投诉"
    assert "5 个工作日" in by_code["complaint.roads"]["description"]
    assert "13 个工作日" in by_code["complaint.environment"]["description"]
    assert not any(code.startswith("emergency.") for code in by_code)
    defaults = {s["service_name"] for s in open311.list_services()}
    assert "道路交通（投诉）" in defaults


def test_a_household_cannot_be_named_as_a_jurisdiction(town):
    with pytest.raises(InvalidInput):
        open311.find_requests(jurisdiction_id=town.tree.household_a1.code)
    with pytest.raises(NotFound):
        open311.list_services("no-such-code")


def test_requests_show_public_fields_only(town):
    request = dispatched_at(town, MONDAY_9AM, address_text="3号楼东侧", type="complaint",
                            text="路灯不亮了，电话13812345678")
    with frozen(MONDAY_9AM + dt.timedelta(hours=2)):
        handling.flag_hard(town.actor(town.town_admin), request.id, reason="反复投诉")
    with frozen(LATER):
        [item] = open311.find_requests()
    jsonschema.validate([item], schemas.SERVICE_REQUESTS)
    assert item == {
        "service_request_id": request.tracking_no, "status": "open",
        "status_notes": "已分派给承办单位",  # the internal flag note is not shown
        "service_name": "环境卫生（投诉）", "service_code": "complaint.environment",
        "description": "路灯不亮了，电话138****5678",
        "agency_responsible": "东星社区第一网格",
        "requested_datetime": "2026-11-23T09:00:00+08:00",
        "updated_datetime": "2026-11-23T09:00:00+08:00",
        "expected_datetime": "2026-12-11T00:00:00+08:00",  # end of 10 December
        "address": "3号楼东侧, 东星社区, 东海街道"}
    text = json.dumps(item, ensure_ascii=False)
    assert "101室" not in text and "张阿姨" not in text


def test_closed_requests_carry_the_closing_note(town):
    request = dispatched_at(town, MONDAY_9AM)
    rated(town, resolved_at(town, request, LATER), "satisfied", LATER + dt.timedelta(hours=1))
    with frozen(LATER + dt.timedelta(hours=2)):
        [item] = open311.find_requests(status="closed")
        assert open311.find_requests(status="open") == []
    assert item["status"] == "closed"
    assert item["status_notes"] == "居民评价：满意，诉求销号"
    assert item["updated_datetime"] == "2026-11-24T10:00:00+08:00"


def test_held_and_dispute_texts_are_not_published(town):
    held = submit_at(town, MONDAY_9AM, checker=WordListChecker(review=("聚集",)),
                     text="楼下有人聚集吵闹")
    dispute = submit_at(town, MONDAY_9AM, type="mediation", category="neighbour",
                        text="和楼上王家因为漏水吵架")
    long_text = submit_at(town, MONDAY_9AM, text="路" * 500)
    with frozen(LATER):
        items = {i["service_request_id"]: i for i in open311.find_requests()}
    assert items[held.tracking_no]["description"] is None
    assert items[dispute.tracking_no]["description"] is None
    assert len(items[long_text.tracking_no]["description"]) == open311.SUMMARY_CHARS


def test_filters_window_and_limit(town, monkeypatch):
    old = submit_at(town, MONDAY_9AM - dt.timedelta(days=100))
    help_ = submit_at(town, MONDAY_9AM)
    roads = submit_at(town, MONDAY_9AM, category="roads", type="complaint", text="路面坑洼积水")
    with frozen(LATER):
        assert [i["service_request_id"] for i in open311.find_requests()] == [
            roads.tracking_no, help_.tracking_no]  # newest first; the old one is outside
        found = open311.find_requests(service_code="complaint.roads,consultation.other")
        assert [i["service_request_id"] for i in found] == [roads.tracking_no]
        found = open311.find_requests(start_date="2026-08-01T00:00:00+08:00",
                                      end_date="2026-08-31T00:00:00+08:00")
        assert [i["service_request_id"] for i in found] == [old.tracking_no]
        found = open311.find_requests(service_request_id=f"{old.tracking_no},{roads.tracking_no}",
                                      status="closed")  # ids override every other filter
        assert {i["service_request_id"] for i in found} == {old.tracking_no, roads.tracking_no}
        assert open311.find_requests(jurisdiction_id=town.tree.village_b1.code) == []
        monkeypatch.setattr(open311, "MAX_RESULTS", 1)
        assert len(open311.find_requests()) == 1
        with pytest.raises(InvalidInput):
            open311.find_requests(status="pending")


def test_one_request_by_tracking_number(town):
    request = submit_at(town, MONDAY_9AM)
    assert open311.get_request(request.tracking_no)["status"] == "open"
    with pytest.raises(NotFound):
        open311.get_request(request.tracking_no, town.tree.village_b1.code)
    with pytest.raises(NotFound):
        open311.get_request("R20000101-0001")


def test_a_client_key_is_shown_once_and_only_its_hash_is_kept(town, client_key):
    client, key = client_key
    assert key.startswith(open311.KEY_PREFIX) and key not in client.key_hash
    assert open311.authenticate(key).id == client.id
    assert AuditEntry.select().where(
        AuditEntry.action == "request.open311_client_create").exists()
    with pytest.raises(Forbidden):
        open311.create_client(town.actor(town.town_admin), name="x",
                              region_id=town.tree.town_a.id)


def test_a_submission_is_filed_under_the_client_with_channel_open311(town, client_key):
    client, key = client_key
    created = post(key, town)
    jsonschema.validate([created], schemas.CREATED)
    request = Request.get(Request.tracking_no == created["service_request_id"])
    assert (request.channel, request.submitter_id, request.type) == (
        "open311", client.user_id, "help")
    assert (request.region_id, request.address_text) == (town.tree.village_a1.id, "东门")
    note = TimelineEntry.get((TimelineEntry.request == request.id)
                             & (TimelineEntry.action == "note"))
    assert not note.public and json.loads(note.details)["client"] == "随手拍"
    assert AuditEntry.get(AuditEntry.action == "request.open311_submit").object_id == str(
        request.id)
    assert created["account_id"] is None


@pytest.mark.parametrize("changes,error,code", [
    ({"jurisdiction_id": ""}, InvalidInput, "open311.jurisdiction_required"),
    ({"jurisdiction_id": "nowhere"}, NotFound, "open311.jurisdiction_not_found"),
    ({"service_code": "emergency.environment"}, NotFound, "open311.service_not_found"),
    ({"service_code": "help.parking"}, NotFound, "open311.service_not_found"),
    ({"address_string": " "}, InvalidInput, "open311.location_required"),
    ({"description": "灯"}, InvalidInput, "request.text_too_short"),
    ({"description": "楼下有人聚众赌博"}, InvalidInput, "content.risky"),
])
def test_bad_submissions_are_refused_and_write_nothing(town, client_key, changes, error, code):
    with pytest.raises(error) as info:
        post(client_key[1], town, **changes)
    assert info.value.code == code
    assert Request.select().count() == 0


def test_keys_must_be_valid_active_and_in_scope(town, client_key):
    client, key = client_key
    for bad in (None, "", "o311_wrong", key + "x"):
        with pytest.raises(Forbidden):
            post(bad, town)
    with pytest.raises(Forbidden) as info:
        post(key, town, jurisdiction_id=town.tree.village_b1.code)
    assert info.value.code == "open311.out_of_scope"
    open311.deactivate_client(town.actor(town.sysadmin), client.id)
    with pytest.raises(Forbidden):
        post(key, town)
    assert Request.select().count() == 0
