"""代居民登记诉求 over HTTP: a grid worker enters a phoned-in request inside their grid; the
form offers only places in scope; bad input keeps what was typed and writes nothing; roles
without the entry permission, and places outside the scope, get the Chinese 403 page."""

from __future__ import annotations

from app.accounts.models import User
from app.requests.models import Request
from tests.miniprogram_api.console.helpers import csrf_of

PHONE = "13987654321"


def _entry(web, **data):
    page = web.get("/console/requests/new")
    assert page.status_code == 200
    return web.post("/console/requests/new", data={"csrf_token": csrf_of(page.text), **data})


def _good(town, **changes):
    return {"channel": "phone", "type": "help", "category_code": "environment",
            "region_id": str(town.tree.building_a1.id), "name": "赵奶奶", "phone": PHONE,
            "address_text": "1号楼2单元", "text": "楼道扶手松动，老人上下楼不安全", **changes}


def test_the_queue_offers_entry_to_frontline_staff_only(console, staff_town):
    assert "代居民登记诉求" in console("grid").get("/console/requests").text
    assert "代居民登记诉求" not in console("discipline").get("/console/requests").text


def test_a_grid_worker_enters_a_phoned_in_request_for_a_resident(console, staff_town):
    web = console("grid")
    form = web.get("/console/requests/new").text
    assert f'<option value="{staff_town.tree.building_a1.id}"' in form
    assert f'<option value="{staff_town.tree.grid_a2.id}"' not in form  # another village
    res = _entry(web, **_good(staff_town))
    assert res.status_code == 303
    request = Request.get()
    assert res.headers["Location"] == f"/console/requests/{request.id}"
    assert PHONE not in res.headers["Location"]
    assert (request.channel, request.entered_by_id) == ("phone", staff_town.grid_worker.id)
    assert request.region_id == staff_town.tree.building_a1.id
    page = web.get(res.headers["Location"]).text
    assert f"已代居民登记诉求，编号 {request.tracking_no}" in page
    assert "139****4321" in page and PHONE not in page and "工作人员代为登记" in page
    resident = User.get_by_id(request.submitter_id)
    assert resident.display_name == "赵奶奶" and resident.phone_masked == "139****4321"


def test_bad_input_keeps_the_form_and_writes_nothing(console, staff_town):
    web = console("grid")
    users = User.select().count()
    cases = [({"text": "太短"}, "请至少用 5 个字描述您的诉求"),
             ({"phone": "12345"}, "手机号码格式不正确"),
             ({"channel": ""}, "请选择登记方式（电话或来访）"),
             ({"category_code": "nope"}, "请选择有效的诉求类别")]
    for change, message in cases:
        res = _entry(web, **_good(staff_town, **change))
        assert res.status_code == 422 and message in res.text
        typed = _good(staff_town, **change)["text"]
        assert 'data-field="error"' in res.text and f">{typed}</textarea>" in res.text
    assert Request.select().count() == 0 and User.select().count() == users


def test_a_role_without_the_entry_permission_gets_the_403_page(console, staff_town):
    web = console("discipline")
    form = web.get("/console/requests/new")
    assert form.status_code == 403 and "没有权限" in form.text
    res = web.post("/console/requests/new", data={"csrf_token": csrf_of(
        web.get("/console/").text), **_good(staff_town)})
    assert res.status_code == 403 and "没有权限" in res.text
    assert Request.select().count() == 0


def test_a_grid_worker_cannot_enter_a_request_in_another_village(console, staff_town):
    web = console("grid")
    res = _entry(web, **_good(staff_town, region_id=str(staff_town.tree.grid_a2.id)))
    assert res.status_code == 403 and "没有权限" in res.text
    assert Request.select().count() == 0
