"""Seal log pages over HTTP: the anomalies tab and a use's detail with its anomalies named,
the home-page list for those who supervise the keepers, and the 403/404 pages."""

from __future__ import annotations

import datetime as dt

import pytest

from app.clock import frozen
from app.seals import services as seals
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user

# Tuesday 2026-12-01 10:00 Shanghai: a working day, inside office hours.
TUESDAY_10AM = dt.datetime(2026, 12, 1, 2, 0)


def _use(town: Town, village=None, keeper=None, manager=None):
    """A use with no approver and no power-list item: two anomalies."""
    village = village or town.tree.village_a1
    keeper = keeper or town.cadre
    with frozen(TUESDAY_10AM):
        seal = seals.register_seal(town.actor(manager or town.town_admin),
                                   village_id=village.id, name=f"{village.name}公章",
                                   kind="official", keeper_user_id=keeper.id)
        return seals.record_seal_use(town.actor(keeper), seal.id, document="证明材料",
                                     purpose="开具居住证明", applicant_name="李会计",
                                     used_at=TUESDAY_10AM)


@pytest.fixture
def use(staff_town):
    return _use(staff_town)


def test_the_officer_sees_the_anomaly_on_home_list_and_detail(console, staff_town, use):
    web = console("discipline")
    home = web.get("/console/").text
    assert 'data-list="seal_anomalies"' in home and f"/console/seal-uses/{use.id}" in home
    listing = web.get("/console/seal-uses").text
    assert "证明材料" in listing and "无审批人" in listing and "未关联权力清单事项" in listing
    detail = web.get(f"/console/seal-uses/{use.id}")
    assert detail.status_code == 200
    assert "无审批人" in detail.text and "未关联权力清单事项" in detail.text
    assert "开具居住证明" in detail.text and "东星社区公章" in detail.text


def test_the_all_tab_lists_every_use(console, staff_town, use):
    assert "证明材料" in console("townadmin").get("/console/seal-uses?tab=all").text


def test_the_keeper_reads_the_log_but_has_no_anomaly_work_list(console, staff_town, use):
    web = console("cadre")
    assert web.get(f"/console/seal-uses/{use.id}").status_code == 200
    assert 'data-list="seal_anomalies"' not in web.get("/console/").text


def test_a_grid_worker_gets_the_403_page(console, staff_town, use):
    web = console("grid")
    for url in ("/console/seal-uses", f"/console/seal-uses/{use.id}"):
        res = web.get(url)
        assert res.status_code == 403 and "没有权限" in res.text and "证明材料" not in res.text


def test_a_use_in_another_town_is_the_404_page(console, staff_town):
    keeper = make_user(name="外村干部")
    grant(keeper, "cadre", staff_town.tree.village_b1)
    admin_b = make_user(name="外街道管理员")
    grant(admin_b, "town_admin", staff_town.tree.town_b)
    other = _use(staff_town, staff_town.tree.village_b1, keeper, admin_b)
    res = console("discipline").get(f"/console/seal-uses/{other.id}")
    assert res.status_code == 404 and "证明材料" not in res.text
