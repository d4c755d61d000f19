"""直播通知 pages over HTTP: a cadre schedules a livestream through the form (the group gets
its announcement), cancels one, records the result of one that has started (a draft
disclosure); a bad address or a start too soon is refused in Chinese with nothing saved; the
discipline officer reads but may not act, a grid worker gets the 403 page, another town the
404 page."""

from __future__ import annotations

import datetime as dt

from app.clock import frozen, to_local, utcnow
from app.disclosures.models import Disclosure
from app.livestreams import services as livestreams
from app.livestreams.models import Livestream
from app.notifications.models import Notification
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of

TITLE = "村集体店面公开招租直播"


def _local_input(at: dt.datetime) -> str:
    return to_local(at).strftime("%Y-%m-%dT%H:%M")


def _scheduled(town: Town, village=None, actor=None) -> Livestream:
    return livestreams.schedule_livestream(
        actor or town.actor(town.cadre), village_id=(village or town.tree.village_a1).id,
        matter_type="asset_lease", title=TITLE, link="https://channels.weixin.qq.com/live/1",
        starts_at=utcnow() + dt.timedelta(days=1))


def _post(web, url: str, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=True)


def test_a_cadre_schedules_a_livestream_and_the_groups_are_told(console, staff_town):
    web = console("cadre")
    assert 'href="/console/livestreams/new"' in web.get("/console/livestreams").text
    starts = utcnow() + dt.timedelta(days=2)
    res = _post(web, "/console/livestreams/new", village_id=staff_town.tree.village_a1.id,
                matter_type="tender", title=TITLE, link="https://live.example.cn/room/8",
                starts_at=_local_input(starts))
    ls = Livestream.get(Livestream.title == TITLE)
    assert res.status_code == 200 and "直播已安排，预告已发到本村(社区)的群" in res.text
    assert ls.status == "scheduled" and abs(ls.starts_at - starts) < dt.timedelta(minutes=1)
    assert "https://live.example.cn/room/8" in res.text
    told = Notification.get(Notification.kind == "livestream.announce")
    assert told.group_key == f"village:{staff_town.tree.village_a1.id}"
    assert TITLE in web.get("/console/livestreams").text


def test_a_link_that_is_not_https_is_refused_and_nothing_is_saved(console, staff_town):
    res = _post(console("cadre"), "/console/livestreams/new",
                village_id=staff_town.tree.village_a1.id, matter_type="tender", title=TITLE,
                link="http://live.example.cn/room/8",
                starts_at=_local_input(utcnow() + dt.timedelta(days=2)))
    assert res.status_code == 422 and "请填写以 https:// 开头的直播地址" in res.text
    assert f'value="{TITLE}"' in res.text
    assert Livestream.select().count() == 0 and Notification.select().count() == 0


def test_a_start_too_soon_or_missing_is_refused_in_chinese(console, staff_town):
    web = console("cadre")
    base = {"village_id": staff_town.tree.village_a1.id, "matter_type": "tender",
            "title": TITLE, "link": "https://live.example.cn/room/8"}
    soon = _post(web, "/console/livestreams/new", **base,
                 starts_at=_local_input(utcnow() + dt.timedelta(minutes=10)))
    assert soon.status_code == 422 and "直播须至少提前 30 分钟预告" in soon.text
    missing = _post(web, "/console/livestreams/new", **base, starts_at="明天上午")
    assert missing.status_code == 422 and "请填写直播开始时间" in missing.text
    assert Livestream.select().count() == 0


def test_a_cadre_cancels_a_livestream_with_a_reason(console, staff_town):
    ls = _scheduled(staff_town)
    web = console("cadre")
    page = web.get(f"/console/livestreams/{ls.id}").text
    assert 'data-action="cancel"' in page and 'data-action="result"' not in page
    empty = _post(web, f"/console/livestreams/{ls.id}/cancel", reason="")
    assert "不能为空" in empty.text and Livestream.get_by_id(ls.id).status == "scheduled"
    res = _post(web, f"/console/livestreams/{ls.id}/cancel", reason="招租方案需重新公示")
    assert "直播已取消" in res.text and Livestream.get_by_id(ls.id).status == "cancelled"
    assert "招租方案需重新公示" in res.text
    assert Notification.select().where(Notification.kind == "livestream.cancel").count() == 1


def test_after_the_start_the_result_becomes_a_draft_disclosure(console, staff_town):
    with frozen(utcnow() - dt.timedelta(days=1, hours=2)):  # it started two hours ago
        ls = _scheduled(staff_town)
    web = console("cadre")
    page = web.get(f"/console/livestreams/{ls.id}").text
    assert 'data-action="result"' in page
    res = _post(web, f"/console/livestreams/{ls.id}/result", result="以每年 4 万元成交",
                minutes="三家竞价，最高价者得")
    disclosure = Disclosure.get(Disclosure.matter_key == f"livestream:{ls.id}")
    assert res.status_code == 200 and disclosure.status == "draft"
    assert "以每年 4 万元成交" in res.text and "直播结果已生成村务公开草稿" in res.text
    assert Livestream.get_by_id(ls.id).status == "held"


def test_the_result_before_the_start_is_refused_with_the_reason(console, staff_town):
    ls = _scheduled(staff_town)
    res = _post(console("cadre"), f"/console/livestreams/{ls.id}/result", result="成交",
                minutes="纪要")
    assert "直播尚未开始，不能登记结果" in res.text
    assert Livestream.get_by_id(ls.id).status == "scheduled"
    assert Disclosure.select().count() == 0


def test_the_discipline_officer_reads_but_may_not_schedule_or_cancel(console, staff_town):
    ls = _scheduled(staff_town)
    web = console("discipline")
    listing = web.get("/console/livestreams").text
    assert TITLE in listing and "/console/livestreams/new" not in listing
    detail = web.get(f"/console/livestreams/{ls.id}").text
    assert "当前没有您可以进行的操作" in detail
    assert web.get("/console/livestreams/new").status_code == 403
    res = _post(web, f"/console/livestreams/{ls.id}/cancel", reason="我想取消")
    assert res.status_code == 403 and "没有权限" in res.text
    assert Livestream.get_by_id(ls.id).status == "scheduled"


def test_a_grid_worker_gets_the_403_page(console, staff_town):
    ls = _scheduled(staff_town)
    web = console("grid")
    for url in ("/console/livestreams", f"/console/livestreams/{ls.id}",
                "/console/livestreams/new"):
        res = web.get(url)
        assert res.status_code == 403 and "没有权限" in res.text and TITLE not in res.text
    res = _post(web, "/console/livestreams/new", village_id=staff_town.tree.village_a1.id,
                matter_type="tender", title="网格员的直播", link="https://live.example.cn/1",
                starts_at=_local_input(utcnow() + dt.timedelta(days=2)))
    assert res.status_code == 403 and Livestream.select().count() == 1


def test_a_cadre_of_another_village_gets_the_404_page(console, staff_town):
    other = make_user(name="后埔村干部")
    grant(other, "cadre", staff_town.tree.village_a2)
    ls = _scheduled(staff_town, staff_town.tree.village_a2, staff_town.actor(other))
    web = console("cadre")
    assert web.get(f"/console/livestreams/{ls.id}").status_code == 404
    res = _post(web, f"/console/livestreams/{ls.id}/cancel", reason="不是我村的")
    assert res.status_code == 404 and Livestream.get_by_id(ls.id).status == "scheduled"
