"""微行动 management pages over HTTP: the list in scope, publishing with times typed in
Shanghai time, the sign-ups with their waitlist, editing and cancelling, attendance decisions
crediting points, and the 403/404 pages (nothing changed) for staff who do not organise it."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.actions.models import Action, ActionSignup
from app.audit.models import AuditEntry
from app.clock import to_local, utcnow
from app.points.models import PointsTransfer
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.volunteering import (
    attend,
    publish,
    publish_soon,
    sign_up,
)
from tests.miniprogram_api.console.volunteering import stars_village as stars_village  # noqa: F401


def _local(value: dt.datetime) -> str:
    return to_local(value).strftime("%Y-%m-%dT%H:%M")


def _post(web, url: str, page_url: str, **data):
    page = web.get(page_url)
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data}, follow_redirects=True)


@pytest.fixture
def action(stars_village):
    made = publish(stars_village, capacity=1)
    sign_up(stars_village, made, stars_village.resident, stars_village.neighbour)
    return made


def test_a_cadre_publishes_an_action_and_finds_it_in_the_list(console, stars_village):
    web = console("cadre")
    assert 'href="/console/actions"' in web.get("/console/").text  # the header menu
    form = web.get("/console/actions/new")
    assert form.status_code == 200 and "东星社区 第一网格" in form.text
    start = (utcnow() + dt.timedelta(days=3)).replace(second=0, microsecond=0)
    res = web.post("/console/actions/new", data={
        "csrf_token": csrf_of(form.text), "region_id": stars_village.tree.village_a1.id,
        "title": "周末清洁家园", "place": "东星社区广场", "starts_at": _local(start),
        "ends_at": _local(start + dt.timedelta(hours=2)), "capacity": "15",
        "description": "自带手套", "skills": "保洁，搬运", "cancel_close_minutes": "60"},
        follow_redirects=True)
    assert res.status_code == 200 and "微行动：周末清洁家园" in res.text
    created = Action.get(Action.title == "周末清洁家园")
    assert created.starts_at == start and created.capacity == 15
    assert created.region_id == stars_village.tree.village_a1.id
    assert "保洁、搬运" in res.text and "每小时 10 分" in res.text
    assert AuditEntry.get(AuditEntry.action == "action.create").object_id == str(created.id)
    listing = web.get("/console/actions").text
    assert "周末清洁家园" in listing and "0 / 15" in listing


@pytest.mark.parametrize(("starts", "ends", "message"), [
    ("2030-01-02T11:00", "2030-01-02T09:00", "活动须在将来开始，且结束晚于开始"),
    ("明天上午", "2030-01-02T09:00", "请按“年-月-日 时:分”填写开始和结束时间"),
])
def test_bad_times_are_refused_with_a_message_and_nothing_is_published(console, stars_village,
                                                                       starts, ends, message):
    web = console("cadre")
    form = web.get("/console/actions/new")
    res = web.post("/console/actions/new", data={
        "csrf_token": csrf_of(form.text), "region_id": stars_village.tree.village_a1.id,
        "title": "义诊", "place": "卫生室", "starts_at": starts, "ends_at": ends,
        "capacity": "5", "cancel_close_minutes": "120"})
    assert res.status_code == 422 and message in res.text
    assert 'value="义诊"' in res.text  # what was typed is kept
    assert Action.select().count() == 0


def test_a_grid_worker_may_publish_only_in_the_grid(console, stars_village, action):
    web = console("grid")
    assert "清洁家园" not in web.get("/console/actions?tab=all").text
    assert web.get(f"/console/actions/{action.id}").status_code == 404
    form = web.get("/console/actions/new")
    village_option = f'<option value="{stars_village.tree.village_a1.id}"'
    assert "第一网格" in form.text and village_option not in form.text
    start = utcnow() + dt.timedelta(days=2)
    res = web.post("/console/actions/new", data={
        "csrf_token": csrf_of(form.text), "region_id": stars_village.tree.village_a1.id,
        "title": "越权活动", "place": "广场", "starts_at": _local(start),
        "ends_at": _local(start + dt.timedelta(hours=1)), "capacity": "5",
        "cancel_close_minutes": "0"})
    assert res.status_code == 403 and "没有权限" in res.text
    assert not Action.select().where(Action.title == "越权活动").exists()


def _row(page: str, signup_id: int) -> str:
    match = re.search(rf'<tr data-signup="{signup_id}">(.*?)</tr>', page, re.S)
    assert match, f"no row for sign-up {signup_id}"
    return match.group(1)


def test_the_roster_shows_the_waitlist_and_more_places_promote_it(console, stars_village):
    soon = publish_soon(stars_village, capacity=1)
    sign_up(stars_village, soon, stars_village.resident, stars_village.neighbour)
    waiting = ActionSignup.get(ActionSignup.user == stars_village.neighbour.id)
    web = console("cadre")
    url = f"/console/actions/{soon.id}"
    page = web.get(url).text
    assert "张阿姨" in page and "候补（第 1 位）" in _row(page, waiting.id)
    assert f"{url}/check-in?phase=in" in page and f"{url}/check-in?phase=out" in page
    res = _post(web, f"{url}/edit", f"{url}/edit", title="敬老院探访（扩招）",
                place="东星社区敬老院", description="", capacity="2")
    assert "已保存" in res.text and "已报名" in _row(res.text, waiting.id)
    stored = Action.get_by_id(soon.id)
    assert (stored.title, stored.capacity, stored.taken) == ("敬老院探访（扩招）", 2, 2)
    assert ActionSignup.get_by_id(waiting.id).status == "confirmed"


def test_fewer_places_than_taken_are_refused_on_the_form(console, stars_village, action):
    res = _post(console("cadre"), f"/console/actions/{action.id}/edit",
                f"/console/actions/{action.id}/edit", title="清洁家园", place="广场",
                description="", capacity="0")
    assert res.status_code == 422 and "招募人数不能少于已报名的 1 人" in res.text
    assert Action.get_by_id(action.id).capacity == 1


def test_the_cadre_cancels_with_a_reason_and_not_without(console, stars_village, action):
    web = console("cadre")
    url = f"/console/actions/{action.id}"
    refused = _post(web, f"{url}/cancel", url, reason=" ")
    assert "请填写取消原因" in refused.text and Action.get_by_id(action.id).status == "open"
    res = _post(web, f"{url}/cancel", url, reason="台风预警，改期另行通知")
    assert "活动已取消" in res.text and "台风预警，改期另行通知" in res.text
    assert Action.get_by_id(action.id).status == "cancelled"
    assert "清洁家园" in web.get("/console/actions?tab=cancelled").text


def test_attendance_is_confirmed_corrected_or_refused_without_a_reason(console, stars_village):
    held = publish(stars_village, capacity=2)
    sign_up(stars_village, held, stars_village.resident, stars_village.neighbour)
    signup = attend(stars_village, held, stars_village.resident)
    other = ActionSignup.get(ActionSignup.user == stars_village.neighbour.id)
    web = console("cadre")
    url = f"/console/actions/{held.id}"
    assert "扫码 95 分钟" in _row(web.get(url).text, signup.id)
    res = _post(web, f"{url}/signups/{signup.id}/attendance", url, decision="confirm")
    assert "已确认服务时长" in res.text and "服务证明（PDF）" in _row(res.text, signup.id)
    assert ActionSignup.get_by_id(signup.id).minutes == 95
    credit = PointsTransfer.get(PointsTransfer.source_ref == attendance_ref(held, signup))
    assert credit.amount == 15  # 10 points an hour, 95 minutes
    refused = _post(web, f"{url}/signups/{other.id}/attendance", url, decision="reject")
    assert "更正或不予确认须填写理由" in refused.text
    assert ActionSignup.get_by_id(other.id).attendance == "none"
    res = _post(web, f"{url}/signups/{other.id}/attendance", url, decision="correct",
                minutes="60", reason="手机没电，现场签到表为证")
    assert "已更正服务时长" in res.text and "手机没电" in _row(res.text, other.id)
    fixed = ActionSignup.get_by_id(other.id)
    assert (fixed.attendance, fixed.minutes, fixed.corrected) == ("confirmed", 60, True)


def attendance_ref(action, signup) -> str:
    return f"action:{action.id}:checkout:user:{signup.user_id}"


def test_a_reader_who_does_not_organise_sees_the_action_but_changes_nothing(console,
                                                                           stars_village,
                                                                           action):
    signup = attend(stars_village, action, stars_village.resident)
    web = console("supervisor")
    url = f"/console/actions/{action.id}"
    page = web.get(url)
    assert page.status_code == 200 and "不是它的组织者" in page.text and "张阿姨" not in page.text
    assert web.get(f"{url}/edit").status_code == 403
    assert web.get("/console/actions/new").status_code == 403
    token = csrf_of(page.text)
    for target, data in ((f"{url}/cancel", {"reason": "越权取消"}),
                         (f"{url}/signups/{signup.id}/attendance", {"decision": "confirm"})):
        res = web.post(target, data={"csrf_token": token, **data})
        assert res.status_code == 403 and "没有权限" in res.text
    assert Action.get_by_id(action.id).status == "open"
    assert ActionSignup.get_by_id(signup.id).attendance == "pending"


def test_a_cadre_of_another_village_gets_the_404_page(console, stars_village, action):
    web = console("othercadre")
    url = f"/console/actions/{action.id}"
    assert "清洁家园" not in web.get("/console/actions?tab=all").text
    page = web.get(url)
    assert page.status_code == 404 and "清洁家园" not in page.text
    res = web.post(f"{url}/cancel", data={"csrf_token": csrf_of(web.get("/console/").text),
                                          "reason": "外村取消"})
    assert res.status_code == 404 and Action.get_by_id(action.id).status == "open"
