"""Request pages over HTTP: queue paging, the forms each role is offered, transitions through
the forms, and the Chinese 403/404 pages (while the APIs keep their JSON envelope)."""

from __future__ import annotations

import re

from app.requests import workflow
from app.requests.models import Request, TimelineEntry
from tests.miniprogram_api.console.helpers import csrf_of, submit


def _forms(html: str) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def test_the_queue_pages_by_keyset_twenty_at_a_time(console, staff_town):
    ids = [submit(staff_town, f"第{n}号楼道的灯坏了很久了").id for n in range(22)]
    web = console("grid")
    first = web.get("/console/requests?queue=to_accept").text
    assert f'/console/requests/{ids[-1]}"' in first
    assert f'/console/requests/{ids[1]}"' not in first
    next_url = re.search(r'href="([^"]+cursor=[^"]+)"', first).group(1).replace("&amp;", "&")
    second = web.get(next_url).text
    assert f'/console/requests/{ids[0]}"' in second and f'/console/requests/{ids[1]}"' in second
    assert "下一页" not in second


def test_a_grid_worker_is_offered_accept_and_merge_on_a_new_request(console, staff_town):
    request = submit(staff_town)
    assert (_forms(console("grid").get(f"/console/requests/{request.id}").text)
            == {"accept", "merge"})


def test_the_dispatch_form_preselects_the_routing_suggestion(console, staff_town):
    request = submit(staff_town)
    workflow.accept_request(staff_town.actor(staff_town.town_admin), request.id)
    html = console("grid").get(f"/console/requests/{request.id}").text
    assert _forms(html) == {"dispatch", "merge"}
    assert f'data-field="suggested">{staff_town.grid_unit.name}<' in html
    assert f'<option value="{staff_town.grid_unit.id}" selected>' in html


def test_a_handler_is_offered_handling_forms_but_not_dispatch(console, staff_town):
    request = submit(staff_town, "这是关于占道经营的投诉内容")
    admin = staff_town.actor(staff_town.town_admin)
    workflow.accept_request(admin, request.id)
    workflow.dispatch_request(admin, request.id, lead_unit_id=staff_town.dept_unit.id,
                              reason="占道经营归城管")
    from tests.factories import grant

    grant(staff_town.handler, "grid_worker", staff_town.tree.grid_a2)  # staff elsewhere
    forms = _forms(console("handler").get(f"/console/requests/{request.id}").text)
    assert forms == {"start", "return", "extension", "note"}


def test_returning_cites_a_clause_and_counts_the_hop(console, staff_town):
    request = submit(staff_town)
    admin = staff_town.actor(staff_town.town_admin)
    workflow.accept_request(admin, request.id)
    workflow.dispatch_request(admin, request.id)
    web = console("grid")
    page = web.get(f"/console/requests/{request.id}").text
    assert "第 1 条：网格内环境巡查" in page
    res = web.post(f"/console/requests/{request.id}/return",
                   data={"csrf_token": csrf_of(page), "clause": "2", "note": "不属于网格"})
    assert res.status_code == 303
    assert Request.get_by_id(request.id).status == "returned"
    assert Request.get_by_id(request.id).hop_count == 1
    after = web.get(f"/console/requests/{request.id}").text
    assert "引用职责清单第 2 条：邻里矛盾初步调解" in after and "不属于网格" in after


def test_a_refused_transition_is_explained_on_the_detail_page(console, staff_town):
    request = submit(staff_town)
    web = console("grid")
    page = web.get(f"/console/requests/{request.id}").text
    workflow.accept_request(staff_town.actor(staff_town.town_admin), request.id)
    res = web.post(f"/console/requests/{request.id}/accept", data={"csrf_token": csrf_of(page)})
    assert res.status_code == 303
    assert "当前状态（已受理）不能进行此操作" in web.get(res.headers["Location"]).text
    assert TimelineEntry.select().where(TimelineEntry.action == "accept").count() == 1


def test_a_queue_the_role_may_not_see_is_a_chinese_403_without_hints(console, staff_town):
    res = console("grid").get("/console/requests?queue=extensions")
    assert res.status_code == 403
    assert "没有权限" in res.text and "延期" not in res.text
    assert res.mimetype == "text/html"


def test_a_request_outside_the_scope_is_a_404_page(console, staff_town):
    request = submit(staff_town)
    res = console("discipline").get(f"/console/requests/{request.id}")
    assert res.status_code == 404 and "页面不存在" in res.text
    assert request.tracking_no not in res.text


def test_a_form_post_the_role_may_not_make_is_refused_without_a_change(console, staff_town):
    request = submit(staff_town)
    web = console("discipline")
    page = web.get("/console/").text
    res = web.post(f"/console/requests/{request.id}/accept", data={"csrf_token": csrf_of(page)})
    assert res.status_code == 404
    assert Request.get_by_id(request.id).status == "submitted"


def test_unknown_console_urls_are_html_and_api_errors_stay_json(client, staff_town):
    page = client.get("/console/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html" and "页面不存在" in page.text
    api = client.get("/admin/api/v1/no-such-thing")
    assert api.status_code == 404 and api.get_json()["ok"] is False


def test_console_pages_are_not_cached_and_allow_only_their_own_origin(client, staff_town):
    res = client.get("/console/login")
    assert res.headers["Cache-Control"] == "no-store"
    assert "default-src 'self'" in res.headers["Content-Security-Policy"]
    assert client.get("/console/static/console.css").status_code == 200


def _dispatched(town):
    request = submit(town)
    admin = town.actor(town.town_admin)
    workflow.accept_request(admin, request.id)
    return workflow.dispatch_request(admin, request.id)


def _post(web, request_id: int, action: str, **data):
    page = web.get(f"/console/requests/{request_id}").text
    res = web.post(f"/console/requests/{request_id}/{action}",
                   data={"csrf_token": csrf_of(page), **data})
    assert res.status_code == 303, res.text
    return web.get(res.headers["Location"]).text


def test_a_transfer_needs_a_unit_and_moves_the_request_to_it(console, staff_town):
    request = _dispatched(staff_town)
    web = console("grid")
    assert "请选择转办单位" in _post(web, request.id, "transfer", reason="归城管")
    html = _post(web, request.id, "transfer", unit_id=str(staff_town.dept_unit.id),
                 reason="占道经营归城管")
    assert "已转办" in html and f"转给：{staff_town.dept_unit.name}" in html
    assert Request.get_by_id(request.id).lead_unit_id == staff_town.dept_unit.id


def test_an_extension_asked_by_the_handler_is_decided_by_the_cadre(console, staff_town):
    request = _dispatched(staff_town)
    _post(console("grid"), request.id, "extension", days="3", reason="需要等配件到货")
    assert Request.get_by_id(request.id).extension_days_pending == 3
    cadre = console("cadre")
    page = cadre.get(f"/console/requests/{request.id}").text
    assert "extension_decision" in _forms(page)
    html = _post(cadre, request.id, "extension_decision", approve="1", note="同意")
    assert "延期申请已批准" in html
    assert Request.get_by_id(request.id).extension_days_pending is None


def test_a_note_can_stay_internal_and_a_visit_is_logged_after_resolution(console, staff_town):
    from app.requests import handling

    request = _dispatched(staff_town)
    web = console("grid")
    _post(web, request.id, "note", note="已联系物业，明早上门")
    entry = TimelineEntry.get(TimelineEntry.note == "已联系物业，明早上门")
    assert entry.public is False
    me = staff_town.actor(staff_town.grid_worker)
    workflow.start_request(me, request.id)
    handling.resolve_request(me, request.id, note="灯已修好，恢复照明")
    assert "visit" in _forms(web.get(f"/console/requests/{request.id}").text)
    html = _post(web, request.id, "visit", note="电话回访，居民表示满意")
    assert "回访已记录" in html and "电话回访，居民表示满意" in html


def test_an_unexpected_error_is_a_plain_chinese_500_page(console, staff_town, monkeypatch):
    from miniprogram_api.console import home

    web = console("grid")

    def broken(actor):
        raise RuntimeError("boom")

    monkeypatch.setattr(home, "_work_lists", broken)
    res = web.get("/console/")
    assert res.status_code == 500 and "服务器出错" in res.text and "boom" not in res.text


def test_the_menu_opens_the_first_queue_the_role_may_see(console, staff_town):
    web = console("discipline")
    home = web.get("/console/").text
    assert 'href="/console/requests"' in home
    res = web.get("/console/requests")
    assert res.status_code == 200 and "<h1>联合督办</h1>" in res.text


def test_a_role_without_any_request_queue_has_no_menu_link_and_gets_403(console, staff_town):
    from app.accounts.models import StaffCredential
    from tests.factories import grant as give
    from tests.factories import make_user

    panel = make_user(name="理财小组成员")
    give(panel, "finance_panel", staff_town.tree.village_a1)
    StaffCredential.create(user=panel, username="finance",
                           password_hash=StaffCredential.get(
                               StaffCredential.username == "grid").password_hash)
    web = console("finance")
    assert 'href="/console/requests"' not in web.get("/console/").text
    assert web.get("/console/requests").status_code == 403
