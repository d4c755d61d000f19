"""The request forms added to a request's page: resolving with photos (stored through the media
service, shown on the timeline, served only to who may read the request), merging a duplicate
by tracking number, the mediation code and the hard-case flag; each with the roles the page
does not offer it to, who are refused by the service with nothing changed."""

from __future__ import annotations

import io
import re

from PIL import Image

from app.media.models import Media
from app.requests import services as requests
from app.requests import workflow
from app.requests.models import Request, TimelineEntry
from tests.factories import grant
from tests.miniprogram_api.console.helpers import csrf_of, submit


def _forms(html: str) -> set[str]:
    return set(re.findall(r'data-action="([a-z_]+)"', html))


def image_bytes(fmt: str = "JPEG", colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), colour).save(out, fmt)
    return out.getvalue()


def _started(town):
    """A request dispatched to the grid unit (the grid worker handles it) and started."""
    request = submit(town)
    admin = town.actor(town.town_admin)
    workflow.accept_request(admin, request.id)
    workflow.dispatch_request(admin, request.id)
    return workflow.start_request(town.actor(town.grid_worker), request.id)


def _post(web, request_id: int, action: str, data: dict, files: list | None = None):
    page = web.get(f"/console/requests/{request_id}").text
    body = {"csrf_token": csrf_of(page), **data}
    if files is not None:
        body["photos"] = files
    return web.post(f"/console/requests/{request_id}/{action}", data=body,
                    content_type="multipart/form-data" if files is not None else None)


def _followed(web, res):
    assert res.status_code == 303, res.text
    return web.get(res.headers["Location"]).text


def test_the_handler_resolves_with_two_photos_shown_under_the_resolution(console, staff_town):
    request = _started(staff_town)
    web = console("grid")
    page = web.get(f"/console/requests/{request.id}").text
    assert 'enctype="multipart/form-data"' in page and 'id="resolve-photos"' in page
    res = _post(web, request.id, "resolve", {"note": "已更换楼道灯泡，恢复照明"},
                [(io.BytesIO(image_bytes()), "灯.jpg"),
                 (io.BytesIO(image_bytes("PNG")), "灯2.png")])
    html = _followed(web, res)
    assert "已办结，等待居民评价" in html
    assert Request.get_by_id(request.id).status == "resolved"
    photos = list(Media.select().where(Media.attached_to == f"request_resolution:{request.id}")
                  .order_by(Media.id))
    assert [p.mime for p in photos] == ["image/jpeg", "image/png"]
    for photo in photos:
        assert f'src="/console/media/{photo.id}"' in html
        shown = web.get(f"/console/media/{photo.id}")
        assert shown.status_code == 200 and shown.mimetype == photo.mime
        assert shown.headers["X-Content-Type-Options"] == "nosniff"
    assert 'alt="办结照片 1"' in html


def test_a_file_that_is_not_an_image_is_refused_and_nothing_is_resolved(console, staff_town):
    request = _started(staff_town)
    web = console("grid")
    res = _post(web, request.id, "resolve", {"note": "已更换楼道灯泡，恢复照明"},
                [(io.BytesIO(b"<svg onload=alert(1)></svg>"), "x.jpg")])
    assert "只支持上传 JPEG、PNG 或 WebP 格式的图片" in _followed(web, res)
    assert Request.get_by_id(request.id).status == "in_progress"
    assert Media.select().count() == 0
    gif = io.BytesIO()
    Image.new("RGB", (8, 8)).save(gif, "GIF")
    res = _post(web, request.id, "resolve", {"note": "已更换楼道灯泡，恢复照明"},
                [(io.BytesIO(gif.getvalue()), "x.gif")])
    assert "只支持上传" in _followed(web, res)
    assert Media.select().count() == 0
    assert not TimelineEntry.select().where(TimelineEntry.action == "resolve").exists()


def test_someone_outside_the_handling_unit_cannot_resolve_and_leaves_no_upload(console,
                                                                              staff_town):
    request = _started(staff_town)
    web = console("cadre")  # reads the request, but is not in the grid unit
    assert "resolve" not in _forms(web.get(f"/console/requests/{request.id}").text)
    res = _post(web, request.id, "resolve", {"note": "已更换楼道灯泡，恢复照明"},
                [(io.BytesIO(image_bytes()), "灯.jpg")])
    assert res.status_code == 404 and "页面不存在" in res.text
    assert Request.get_by_id(request.id).status == "in_progress"
    assert Media.select().count() == 0


def test_a_photo_is_served_only_to_who_may_read_its_request(console, staff_town):
    request = _started(staff_town)
    web = console("grid")
    _post(web, request.id, "resolve", {"note": "已更换楼道灯泡，恢复照明"},
          [(io.BytesIO(image_bytes()), "灯.jpg")])
    photo = Media.get()
    assert console("cadre").get(f"/console/media/{photo.id}").status_code == 200
    grant(staff_town.handler, "grid_worker", staff_town.tree.grid_a2)  # the next village's
    for outsider in ("discipline", "handler"):
        seen = console(outsider).get(f"/console/media/{photo.id}")
        missing = console(outsider).get("/console/media/999999")
        assert seen.status_code == missing.status_code == 404
        assert seen.mimetype == "text/html" and "页面不存在" in seen.text


def test_a_duplicate_is_merged_by_tracking_number(console, staff_town):
    target = submit(staff_town)
    duplicate = submit(staff_town, "一号楼楼道的灯也坏了好几天")
    web = console("grid")
    assert "请核对合并到的诉求编号" in _followed(
        web, _post(web, duplicate.id, "merge", {"into": "R20000101-0001"}))
    assert Request.get_by_id(duplicate.id).status == "submitted"
    html = _followed(web, _post(web, duplicate.id, "merge",
                                {"into": target.tracking_no, "note": "同一盏灯"}))
    assert "已合并到另一条诉求" in html and f"合并到诉求：{target.tracking_no}" in html
    row = Request.get_by_id(duplicate.id)
    assert row.status == "merged_duplicate" and row.merged_into_id == target.id
    assert "merge" not in _forms(html)


def test_merging_is_refused_to_roles_without_the_merge_permission(console, staff_town):
    target, duplicate = submit(staff_town), submit(staff_town, "一号楼楼道的灯也坏了好几天")
    web = console("discipline")
    res = web.post(f"/console/requests/{duplicate.id}/merge",
                   data={"csrf_token": csrf_of(web.get("/console/").text),
                         "into": target.tracking_no})
    assert res.status_code == 403 and "没有权限" in res.text
    assert target.tracking_no not in res.text
    assert Request.get_by_id(duplicate.id).status == "submitted"


def _mediation(town):
    request = requests.submit_request(town.actor(town.resident, "miniprogram"),
                                      type="mediation", category_code="environment",
                                      text="楼上邻居装修噪音扰民，协商未果")
    workflow.accept_request(town.actor(town.town_admin), request.id)
    return request


def test_the_mediation_code_moves_only_to_the_colours_allowed_next(console, staff_town):
    request = _mediation(staff_town)
    web = console("grid")
    page = web.get(f"/console/requests/{request.id}").text
    assert "mediation" in _forms(page)
    assert 'data-field="mediation-code">黄码·首次受理<' in page
    assert '<option value="orange">' in page and '<option value="blue">' not in page
    assert "调解码不能从" in _followed(web, _post(web, request.id, "mediation", {"code": "red"}))
    assert Request.get_by_id(request.id).mediation_code == "yellow"
    html = _followed(web, _post(web, request.id, "mediation",
                                {"code": "orange", "note": "双方同意再约时间调解"}))
    assert "调解码已更新" in html and "调解码更新为橙码·二次调解" in html
    assert Request.get_by_id(request.id).mediation_code == "orange"


def test_the_mediation_form_is_not_offered_for_other_types_or_to_a_sysadmin(console,
                                                                            staff_town):
    plain = submit(staff_town)
    assert "mediation" not in _forms(console("grid").get(f"/console/requests/{plain.id}").text)
    request = _mediation(staff_town)
    web = console("sysadmin")  # reads every request, mediates none
    assert "mediation" not in _forms(web.get(f"/console/requests/{request.id}").text)
    res = _post(web, request.id, "mediation", {"code": "orange"})
    assert res.status_code == 403 and "没有权限" in res.text
    assert Request.get_by_id(request.id).mediation_code == "yellow"


def test_the_cadre_flags_a_hard_case_with_a_reason(console, staff_town):
    request = _started(staff_town)
    web = console("cadre")
    assert "flag_hard" in _forms(web.get(f"/console/requests/{request.id}").text)
    assert "请说明列为疑难件的理由" in _followed(web, _post(web, request.id, "flag_hard",
                                                         {"reason": " "}))
    assert Request.get_by_id(request.id).flagged_hard is False
    html = _followed(web, _post(web, request.id, "flag_hard", {"reason": "涉及多个部门"}))
    assert "已列为疑难件" in html and "（疑难件）" in html
    assert Request.get_by_id(request.id).flagged_hard is True
    assert "flag_hard" not in _forms(html)


def test_a_grid_worker_is_not_offered_the_hard_case_flag_and_is_refused(console, staff_town):
    request = _started(staff_town)
    web = console("grid")
    assert "flag_hard" not in _forms(web.get(f"/console/requests/{request.id}").text)
    res = _post(web, request.id, "flag_hard", {"reason": "涉及多个部门"})
    assert res.status_code == 403 and "没有权限" in res.text
    assert Request.get_by_id(request.id).flagged_hard is False
