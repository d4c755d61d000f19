"""The staff calendar endpoints: read a year, set and delete a day, and who may do which."""

from __future__ import annotations

import datetime as dt

import pytest

from app.calendar import services
from tests.factories import bearer, build_tree, grant, make_user

URL = "/admin/api/v1/calendar/days"


@pytest.fixture(autouse=True)
def fresh_cache():
    services.clear_cache()
    yield
    services.clear_cache()


@pytest.fixture
def tree():
    return build_tree()


def staff_headers(role, region):
    user = make_user()
    grant(user, role, region)
    return bearer(user, "staff")


def test_staff_read_a_year_with_package_and_table_days(client, tree):
    admin = staff_headers("town_admin", tree.town_a)
    client.put(f"{URL}/2025-02-08", json={"kind": "holiday", "name": "临时调整"}, headers=admin)
    res = client.get(f"{URL}?year=2025", headers=staff_headers("grid_worker", tree.grid_a1))
    assert res.status_code == 200
    data = res.get_json()["data"]
    by_day = {d["day"]: d for d in data["days"]}
    assert by_day["2025-01-29"] == {**by_day["2025-01-29"], "kind": "holiday", "name": "春节",
                                    "source": "package", "weekday": "周三"}
    assert by_day["2025-02-08"]["source"] == "table"
    assert by_day["2025-02-08"]["overrides_package"] is True
    assert by_day["2025-02-08"]["updated_at"].endswith("+08:00")
    assert data["known"] is True and data["warnings"] == []


def test_an_unknown_year_is_listed_with_a_warning(client, tree):
    res = client.get(f"{URL}?year=2031", headers=staff_headers("cadre", tree.village_a1))
    data = res.get_json()["data"]
    assert data["known"] is False and data["days"] == []
    assert data["warnings"][0]["code"] == "calendar.year_unknown"
    assert "2031" in data["warnings"][0]["message"]


def test_the_year_is_required_and_bounded(client, tree):
    headers = staff_headers("cadre", tree.village_a1)
    assert client.get(URL, headers=headers).status_code == 422
    assert client.get(f"{URL}?year=1900", headers=headers).status_code == 422


def test_a_town_admin_sets_and_deletes_a_day(client, tree):
    admin = staff_headers("town_admin", tree.town_a)
    res = client.put(f"{URL}/2031-01-01", json={"kind": "holiday", "name": "元旦"},
                     headers=admin)
    assert res.status_code == 200
    assert res.get_json()["data"]["kind"] == "holiday"
    assert not services.load_calendar().is_working_day(dt.date(2031, 1, 1))
    assert client.delete(f"{URL}/2031-01-01", headers=admin).status_code == 200
    again = client.delete(f"{URL}/2031-01-01", headers=admin)
    assert again.status_code == 404
    assert again.get_json()["error"]["code"] == "calendar.day_not_found"


@pytest.mark.parametrize("role", ["grid_worker", "cadre", "discipline_officer"])
def test_other_staff_may_not_change_a_day(client, tree, role):
    region = tree.grid_a1 if role == "grid_worker" else tree.village_a1
    res = client.put(f"{URL}/2031-01-01", json={"kind": "holiday", "name": "元旦"},
                     headers=staff_headers(role, region))
    assert res.status_code == 403
    assert res.get_json()["error"]["code"] == "permission.denied"


def test_a_mini_program_token_or_none_is_refused(client, tree):
    resident = bearer(make_user(household=tree.household_a1))
    assert client.get(f"{URL}?year=2025", headers=resident).status_code == 403
    assert client.get(f"{URL}?year=2025").status_code == 401


def test_a_malformed_date_or_kind_is_422(client, tree):
    admin = staff_headers("sysadmin", tree.district)
    bad_date = client.put(f"{URL}/2031-13-01", json={"kind": "holiday", "name": "x"},
                          headers=admin)
    assert bad_date.status_code == 422
    assert bad_date.get_json()["error"]["code"] == "calendar.bad_date"
    bad_kind = client.put(f"{URL}/2031-01-01", json={"kind": "rest", "name": "x"},
                          headers=admin)
    assert bad_kind.status_code == 422
    assert bad_kind.get_json()["error"]["code"] == "validation.failed"
