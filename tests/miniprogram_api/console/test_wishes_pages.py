"""微心愿 review pages over HTTP: the queue and a wish's page, approve / reject / take down
with the reason the wisher reads, refusals on the page, and the 403/404 pages for roles and
places the wish services do not admit."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.wishes import describe, review
from app.wishes import services as wishes
from app.wishes.models import Wish
from tests.app.requests.conftest import Town
from tests.miniprogram_api.console.helpers import csrf_of

TEXT = "想请人帮忙修一下家里的水龙头"


def _wish(town: Town, user=None) -> Wish:
    return wishes.create_wish(town.actor(user or town.resident, "miniprogram"),
                              category="repair", text=TEXT)


@pytest.fixture
def wish(staff_town):
    return _wish(staff_town)


def _post(web, wish_id: int, action: str, **data):
    page = web.get(f"/console/wishes/{wish_id}")
    return web.post(f"/console/wishes/{wish_id}/{action}",
                    data={"csrf_token": csrf_of(page.text), **data}, follow_redirects=True)


def test_the_grid_worker_finds_the_wish_in_the_queue_and_approves_it(console, staff_town,
                                                                      wish):
    web = console("grid")
    home = web.get("/console/").text
    assert 'data-list="wishes_review"' in home and f"/console/wishes/{wish.id}" in home
    assert 'href="/console/wishes"' in home  # the header menu
    listing = web.get("/console/wishes")
    assert listing.status_code == 200 and TEXT in listing.text and "维修帮忙" in listing.text
    res = _post(web, wish.id, "approve")
    assert res.status_code == 200 and "已通过审核" in res.text
    assert Wish.get_by_id(wish.id).status == "approved"
    assert AuditEntry.get(AuditEntry.action == "wish.approve").object_id == str(wish.id)
    assert TEXT not in web.get("/console/wishes").text  # no longer waiting for review
    assert TEXT in web.get("/console/wishes?tab=all").text


def test_the_cadre_rejects_with_a_reason_the_wisher_reads(console, staff_town, wish):
    web = console("cadre")
    res = _post(web, wish.id, "reject", reason="请写清楚需要帮忙的时间")
    assert "已退回" in res.text and "请写清楚需要帮忙的时间" in res.text
    stored = Wish.get_by_id(wish.id)
    assert stored.status == "rejected"
    seen = describe.summary(staff_town.actor(staff_town.resident, "miniprogram"), stored)
    assert seen["review_reason"] == "请写清楚需要帮忙的时间"


def test_a_reject_without_a_reason_is_refused_on_the_page(console, staff_town, wish):
    res = _post(console("grid"), wish.id, "reject", reason="  ")
    assert res.status_code == 200 and "请说明未通过审核的理由" in res.text
    assert Wish.get_by_id(wish.id).status == "submitted"


def test_the_town_admin_takes_an_approved_wish_down_but_may_not_review(console, staff_town,
                                                                       wish):
    web = console("townadmin")
    page = web.get(f"/console/wishes/{wish.id}").text
    assert 'data-action="approve"' not in page and 'data-action="reject"' not in page
    assert TEXT in web.get("/console/wishes").text  # starts on the full list
    assert web.get("/console/wishes?tab=review").status_code == 403
    denied = web.post(f"/console/wishes/{wish.id}/approve", data={"csrf_token": csrf_of(page)})
    assert denied.status_code == 403 and Wish.get_by_id(wish.id).status == "submitted"
    review.approve_wish(staff_town.actor(staff_town.grid_worker), wish.id)
    assert 'data-action="take_down"' in web.get(f"/console/wishes/{wish.id}").text
    res = _post(web, wish.id, "take_down", reason="内容涉及商业广告")
    assert "心愿已下架" in res.text and "内容涉及商业广告" in res.text
    assert Wish.get_by_id(wish.id).closed_reason == "内容涉及商业广告"


@pytest.mark.parametrize("username", ["discipline", "sysadmin"])
def test_roles_without_wish_rights_get_the_403_page(console, staff_town, wish, username):
    web = console(username)
    assert 'href="/console/wishes"' not in web.get("/console/").text
    queue = web.get("/console/wishes")
    assert queue.status_code == 403 and "没有权限" in queue.text
    detail = web.get(f"/console/wishes/{wish.id}")  # out of reach: existence not revealed
    assert detail.status_code == 404 and TEXT not in detail.text
    page = web.get("/console/").text
    denied = web.post(f"/console/wishes/{wish.id}/approve", data={"csrf_token": csrf_of(page)})
    assert denied.status_code == 404 and Wish.get_by_id(wish.id).status == "submitted"


def test_a_wish_in_another_town_is_the_404_page(console, staff_town):
    other = _wish(staff_town, staff_town.outsider)
    res = console("grid").get(f"/console/wishes/{other.id}")
    assert res.status_code == 404 and TEXT not in res.text
