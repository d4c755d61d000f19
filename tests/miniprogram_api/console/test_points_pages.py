"""微星光 pages over HTTP: accounts and their statements, a staff award (once, however often
the form is posted) and a reversal, the rules with their versions, rankings with star levels,
and 爱心超市 hand-over / cancellation; the 403/404 pages (nothing changed) for roles and
villages the points services do not admit."""

from __future__ import annotations

import re

import pytest

from app.audit.models import AuditEntry
from app.points import awards, ledger, store
from app.points.models import PointsRule, PointsTransfer, Redemption
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.volunteering import stars_village as stars_village  # noqa: F401


def _post(web, url: str, page_url: str, **data):
    page = web.get(page_url)
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data}, follow_redirects=True)


def _award(village, points=30, key="k1", user=None):
    return awards.award_points(village.actor(village.cadre), points=points,
                               reason="清理楼道杂物", request_key=key,
                               user_id=(user or village.resident).id)


def _account(village, user=None):
    return ledger.find_account("person", (user or village.resident).id)


def _key(html: str) -> str:
    return re.search(r'name="request_key" value="([0-9a-f]+)"', html).group(1)


def test_a_cadre_finds_the_account_and_awards_points_once(console, stars_village):
    _award(stars_village)
    web = console("cadre")
    assert 'href="/console/points"' in web.get("/console/").text  # the header menu
    listing = web.get("/console/points").text
    assert "张阿姨" in listing and ">30<" in listing
    account = _account(stars_village)
    url = f"/console/points/accounts/{account.id}"
    page = web.get(url).text
    assert "工作人员奖励" in page and "第 1 版：50 分/次" in page and "清理楼道杂物" in page
    data = {"user_id": stars_village.resident.id, "account_id": account.id, "points": "20",
            "reason": "志愿巡逻", "request_key": _key(page), "csrf_token": csrf_of(page)}
    res = web.post("/console/points/awards", data=data, follow_redirects=True)
    assert "已奖励积分" in res.text and "志愿巡逻" in res.text
    web.post("/console/points/awards", data=data)  # a double click: the same request key
    account = _account(stars_village)
    assert account.balance == 50
    assert PointsTransfer.select().where(PointsTransfer.to_account == account.id).count() == 2
    assert AuditEntry.select().where(AuditEntry.action == "points.award").exists()


def test_an_award_over_the_rules_cap_is_refused_on_the_page(console, stars_village):
    _award(stars_village)
    account = _account(stars_village)
    url = f"/console/points/accounts/{account.id}"
    res = _post(console("grid"), "/console/points/awards", url, points="80", reason="超额",
                user_id=stars_village.resident.id, account_id=account.id, request_key="x1")
    assert res.status_code == 200 and "单次奖励不能超过 50 分" in res.text
    assert _account(stars_village).balance == 30


def test_a_cadre_reverses_part_of_a_credit_with_a_reason(console, stars_village):
    event = _award(stars_village)
    account = _account(stars_village)
    url = f"/console/points/accounts/{account.id}"
    web = console("cadre")
    res = _post(web, f"/console/points/transfers/{event.transfer_id}/reverse", url,
                amount="10", reason="重复登记", account_id=account.id, request_key="r1")
    assert "已冲正" in res.text and "冲正" in res.text and "重复登记" in res.text
    assert _account(stars_village).balance == 20
    assert ledger.find_account("household", stars_village.tree.household_a1.id).balance == 20


def test_readers_and_grid_workers_are_not_offered_what_they_may_not_do(console,
                                                                       stars_village):
    event = _award(stars_village)
    account = _account(stars_village)
    url = f"/console/points/accounts/{account.id}"
    grid = console("grid")
    page = grid.get(url).text
    assert 'data-action="award"' in page and 'data-action="reverse"' not in page
    res = grid.post(f"/console/points/transfers/{event.transfer_id}/reverse", data={
        "csrf_token": csrf_of(page), "reason": "网格员冲正", "account_id": account.id})
    assert res.status_code == 403 and "没有权限" in res.text
    reader = console("supervisor")
    page = reader.get(url).text
    assert "张阿姨" in page and 'data-action="award"' not in page
    res = reader.post("/console/points/awards", data={
        "csrf_token": csrf_of(page), "user_id": stars_village.resident.id, "points": "5",
        "reason": "监委奖励", "request_key": "s1"})
    assert res.status_code == 403
    assert _account(stars_village).balance == 30 and PointsTransfer.select().count() == 2


def test_a_cadre_of_another_village_gets_404_and_403_and_nothing_changes(console,
                                                                         stars_village):
    _award(stars_village)
    account = _account(stars_village)
    web = console("othercadre")
    assert "张阿姨" not in web.get("/console/points").text
    page = web.get(f"/console/points/accounts/{account.id}")
    assert page.status_code == 404 and "张阿姨" not in page.text
    res = web.post("/console/points/awards", data={
        "csrf_token": csrf_of(web.get("/console/").text), "user_id": stars_village.resident.id,
        "points": "5", "reason": "外村奖励", "request_key": "o1"})
    assert res.status_code == 403 and _account(stars_village).balance == 30
    ranking = web.get(f"/console/points/rankings?region_id={stars_village.tree.village_a1.id}")
    assert ranking.status_code == 403 and "张阿姨" not in ranking.text


def test_a_cadre_publishes_a_rule_version_for_the_village_and_stops_it(console,
                                                                       stars_village):
    web = console("cadre")
    village = stars_village.tree.village_a1.id
    page = web.get("/console/points/rules").text
    assert "完成微心愿" in page and "全部地区（默认）" in page and "现行" in page
    refused = _post(web, "/console/points/rules", "/console/points/rules", region_id=village,
                    event_type="wish.fulfilled", points="0", unit="event")
    assert "分值应为 1 到 10000 的整数" in refused.text
    assert not PointsRule.select().where(PointsRule.scope_region_id == village).exists()
    res = _post(web, "/console/points/rules", "/console/points/rules", region_id=village,
                event_type="wish.fulfilled", points="8", unit="event", reason="鼓励邻里互助")
    assert "已发布积分规则新版本" in res.text
    rule = PointsRule.get(PointsRule.scope_region_id == village)
    assert (rule.points, rule.version, rule.effective_to) == (8, 1, None)
    assert re.search(rf'<tr data-rule="{rule.id}">.*?东星社区.*?现行', res.text, re.S)
    res = _post(web, f"/console/points/rules/{rule.id}/end", "/console/points/rules",
                region_id=village, reason="试行结束")
    assert "该积分规则已停止" in res.text
    assert PointsRule.get_by_id(rule.id).effective_to is not None


def test_a_grid_worker_reads_the_rules_but_may_not_publish(console, stars_village):
    web = console("grid")
    page = web.get("/console/points/rules")
    assert page.status_code == 200 and "完成微心愿" in page.text
    assert 'data-action="new-rule"' not in page.text
    res = web.post("/console/points/rules", data={
        "csrf_token": csrf_of(page.text), "region_id": stars_village.tree.village_a1.id,
        "event_type": "wish.fulfilled", "points": "8", "unit": "event"})
    assert res.status_code == 403
    assert PointsRule.select().where(PointsRule.scope_region_id.is_null(False)).count() == 0


def test_rankings_show_people_and_households_with_their_stars(console, stars_village):
    _award(stars_village, points=40)
    _award(stars_village, points=10, key="k2", user=stars_village.neighbour)
    web = console("cadre")
    village = stars_village.tree.village_a1.id
    page = web.get(f"/console/points/rankings?region_id={village}&period=all").text
    first, second = (re.search(rf'<tr data-rank="{n}">(.*?)</tr>', page, re.S).group(1)
                     for n in (1, 2))
    assert "张阿姨" in first and ">40<" in first and "李大爷" in second
    refused = _post(web, "/console/points/star-schemes", "/console/points/rankings",
                    region_id=village, account_kind="person", period_kind="all",
                    thresholds="20,10")
    assert "星级门槛应为 1 到 10 个递增的正整数" in refused.text
    res = _post(web, "/console/points/star-schemes", "/console/points/rankings",
                region_id=village, account_kind="person", period_kind="all",
                thresholds="10，30")
    assert "已设置星级标准" in res.text
    page = web.get(f"/console/points/rankings?region_id={village}&period=all").text
    assert "★★" in re.search(r'<tr data-rank="1">(.*?)</tr>', page, re.S).group(1)
    homes = web.get(f"/console/points/rankings?region_id={village}&period=all&kind=household")
    assert "1号楼101室" in homes.text and ">50<" in homes.text


@pytest.fixture
def redemption(stars_village):
    _award(stars_village, points=50)
    item = store.create_item(stars_village.actor(stars_village.cadre),
                             village_id=stars_village.tree.village_a1.id, name="大米一袋",
                             cost=20, stock=5)
    return store.redeem_item(stars_village.resident_actor(stars_village.resident), item.id,
                             request_key="buy-1")


def test_a_cadre_hands_over_a_redemption_waiting_on_the_home_page(console, stars_village,
                                                                  redemption):
    web = console("cadre")
    home = web.get("/console/").text
    assert 'data-list="redemptions_waiting"' in home and "兑换 1 件（20 积分）" in home
    page = web.get("/console/points/redemptions").text
    assert "大米一袋" in page and "张阿姨" in page
    res = _post(web, f"/console/points/redemptions/{redemption.id}/hand-over",
                "/console/points/redemptions")
    assert "已确认交付" in res.text and "大米一袋" not in res.text
    assert Redemption.get_by_id(redemption.id).status == "handed_over"
    assert "大米一袋" in web.get("/console/points/redemptions?tab=handed_over").text


def test_a_cancelled_redemption_refunds_the_points_and_needs_a_reason(console, stars_village,
                                                                      redemption):
    web = console("cadre")
    url = f"/console/points/redemptions/{redemption.id}/cancel"
    refused = _post(web, url, "/console/points/redemptions", reason="")
    assert "工作人员取消兑换须填写理由" in refused.text
    assert Redemption.get_by_id(redemption.id).status == "reserved"
    res = _post(web, url, "/console/points/redemptions", reason="物品受潮，改日再领")
    assert "积分已退回" in res.text
    assert Redemption.get_by_id(redemption.id).status == "cancelled"
    assert _account(stars_village).balance == 50


def test_a_reader_sees_redemptions_but_may_not_hand_them_over(console, stars_village,
                                                             redemption):
    reader = console("supervisor")
    assert 'data-list="redemptions_waiting"' not in reader.get("/console/").text
    page = reader.get("/console/points/redemptions").text
    assert "大米一袋" in page and "确认交付" not in page
    res = reader.post(f"/console/points/redemptions/{redemption.id}/hand-over",
                      data={"csrf_token": csrf_of(page)})
    assert res.status_code == 403 and Redemption.get_by_id(redemption.id).status == "reserved"


def test_the_village_store_is_out_of_a_grid_workers_reach(console, stars_village, redemption):
    web = console("grid")
    page = web.get("/console/points/redemptions").text
    assert "大米一袋" not in page
    res = web.post(f"/console/points/redemptions/{redemption.id}/cancel",
                   data={"csrf_token": csrf_of(page), "reason": "网格员取消"})
    assert res.status_code == 404 and Redemption.get_by_id(redemption.id).status == "reserved"
    assert _account(stars_village).balance == 30
