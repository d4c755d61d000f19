"""Report pages added for officers: revealing a confidential reporter (request with a reason,
a SECOND officer approves, the requester reveals), recusal, and attachments viewed only with
the key unlocked. The accused cadre and every non-officer get, for each new route, the very
403 page a nonexistent id gets, and nothing is written."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from app.accounts.models import StaffCredential
from app.audit.models import AuditEntry
from app.reports import attachments, keys, services
from app.reports.models import Report, ReportRecipient, RevealRequest
from tests.app.reports.world import BODY, KEY_PASSWORD, light_kdf  # noqa: F401
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401

MISSING = 999_999
REASON = "需当面核实举报所述低保评定会议的细节"


@pytest.fixture
def second_officer(staff_town, password_hash):
    """Another discipline officer of town A (username ``officer2``), with a key."""
    officer = make_user(name="纪检委员乙")
    grant(officer, "discipline_officer", staff_town.tree.town_a)
    StaffCredential.create(user=officer, username="officer2", password_hash=password_hash)
    return officer


@pytest.fixture
def report(staff_town, second_officer, light_kdf):  # noqa: F811
    """A confidential report by the resident accusing the village's cadre, with one image;
    both officers of the town have keys and receive it."""
    for officer in (staff_town.discipline, second_officer):
        keys.set_up_key(staff_town.actor(officer), KEY_PASSWORD)
    made = services.submit_confidential(
        staff_town.actor(staff_town.resident, "miniprogram"),
        village_id=staff_town.tree.village_a1.id, text=BODY, client="console-test",
        accused_user_id=staff_town.cadre.id)
    png = io.BytesIO()
    Image.new("RGB", (20, 10), (10, 120, 10)).save(png, "PNG")
    attachments.reporter_attach(made.receipt, png.getvalue(), client="console-test")
    return Report.get_by_id(made.report_id)


def _post(web, url: str, back: str, **data):
    return web.post(url, data={"csrf_token": csrf_of(web.get(back).text), **data})


def _unlocked(console, username: str = "discipline"):
    web = console(username)
    _post(web, "/console/reports/key/unlock", "/console/reports",
          key_password=KEY_PASSWORD, next="/console/reports")
    return web


def _after(web, res) -> str:
    assert res.status_code == 303, res.text
    return web.get(res.headers["Location"]).text


def _same_page(html: str, url: str) -> str:
    return html.replace(url, "URL")


def test_a_reveal_needs_a_second_officer_and_the_requester_then_sees_the_identity(
        console, staff_town, report):
    url = f"/console/reports/{report.id}"
    first = _unlocked(console)
    assert "申请理由（10 字以上" in first.get(url).text
    assert "请写明申请理由" in _after(first, _post(first, url + "/reveal-requests", url,
                                              reason="太短"))
    assert RevealRequest.select().count() == 0
    page = _after(first, _post(first, url + "/reveal-requests", url, reason=REASON))
    assert "申请已提交，须由另一名纪检监察干部审批" in page and "等待另一名纪检监察干部审批" in page
    row = RevealRequest.get()
    assert f"/reveal-requests/{row.id}/approve" not in page  # never offered to the requester
    page = _after(first, _post(first, f"{url}/reveal-requests/{row.id}/approve", url))
    assert "不能审批自己提出的申请" in page
    assert RevealRequest.get_by_id(row.id).status == "pending"
    assert _post(first, url + "/reveal", url).status_code == 403  # not approved yet

    second = _unlocked(console, "officer2")
    page = second.get(url).text
    assert REASON in page and f"/reveal-requests/{row.id}/approve" in page
    assert "已批准查看举报人身份的申请" in _after(
        second, _post(second, f"{url}/reveal-requests/{row.id}/approve", url))
    assert RevealRequest.get_by_id(row.id).status == "approved"
    assert _post(second, url + "/reveal", url).status_code == 403  # only the requester

    first = _unlocked(console)  # one test client: log the requester in again
    shown = _post(first, url + "/reveal", url)
    assert shown.status_code == 200 and "张阿姨" in shown.text
    assert shown.headers["Cache-Control"] == "no-store"
    assert AuditEntry.select().where((AuditEntry.action == "report.reveal")
                                     & (AuditEntry.actor_id == staff_town.discipline.id)
                                     ).count() == 1


def test_the_second_officer_may_refuse_a_reveal(console, report):
    url = f"/console/reports/{report.id}"
    first = _unlocked(console)
    _post(first, url + "/reveal-requests", url, reason=REASON)
    row = RevealRequest.get()
    second = _unlocked(console, "officer2")
    page = _after(second, _post(second, f"{url}/reveal-requests/{row.id}/refuse", url))
    assert "已驳回查看举报人身份的申请" in page and "已驳回" in page
    assert RevealRequest.get_by_id(row.id).status == "refused"
    first = _unlocked(console)
    assert _post(first, url + "/reveal", url).status_code == 403


def test_an_officer_recuses_and_then_meets_the_page_of_a_missing_id(console, staff_town,
                                                                    second_officer, report):
    web = _unlocked(console, "officer2")
    url = f"/console/reports/{report.id}"
    assert 'data-action="recuse"' in web.get(url).text
    res = _post(web, url + "/recuse", url, confirm="1")
    assert res.headers["Location"] == "/console/reports"
    assert "您已回避该举报" in web.get("/console/reports").text
    row = ReportRecipient.get((ReportRecipient.report == report.id)
                              & (ReportRecipient.user == second_officer.id))
    assert row.recused_at is not None and row.sealed_key is None
    seen, missing = web.get(url), web.get(f"/console/reports/{MISSING}")
    assert seen.status_code == missing.status_code == 404
    assert (_same_page(seen.text, url)
            == _same_page(missing.text, f"/console/reports/{MISSING}"))
    assert console("discipline").get(url).status_code == 200  # the other officer stays


def test_attachments_are_listed_and_open_only_with_the_key_unlocked(console, report):
    url = f"/console/reports/{report.id}"
    web = _unlocked(console)
    attachment_id = re.search(r'data-attachment="(\d+)"', web.get(url).text)
    assert attachment_id is not None
    image_url = f"{url}/attachments/{attachment_id.group(1)}"
    shown = web.get(image_url)
    assert shown.status_code == 200 and shown.mimetype == "image/png"
    assert shown.headers["Cache-Control"] == "no-store"
    assert "Content-Disposition" not in shown.headers
    download = web.get(image_url + "/download")
    assert download.headers["Content-Disposition"] == (
        f'attachment; filename="report-{report.id}-attachment-{attachment_id.group(1)}.png"')
    assert AuditEntry.select().where(AuditEntry.action == "report.read_attachment").count() == 2
    _post(web, "/console/reports/key/lock", "/console/reports")
    locked = web.get(image_url)
    assert locked.status_code == 303 and locked.headers["Location"] == url
    assert AuditEntry.select().where(AuditEntry.action == "report.read_attachment").count() == 2


NEW_POSTS = ("reveal-requests", "reveal-requests/1/approve", "reveal-requests/1/refuse",
             "reveal", "recuse")
NEW_GETS = ("attachments/1", "attachments/1/download")


def _new_routes_look_alike(web, report_id: int) -> None:
    """Every new route answers the report's id as it answers a missing one, writing nothing
    (no reveal request, no audit entry, no recusal)."""
    before = (RevealRequest.select().count(), AuditEntry.select().count())
    back = "/console/"
    for tail in NEW_POSTS:
        seen = _post(web, f"/console/reports/{report_id}/{tail}", back, reason=REASON,
                     confirm="1")
        missing = _post(web, f"/console/reports/{MISSING}/{tail}", back, reason=REASON,
                        confirm="1")
        assert seen.status_code == missing.status_code == 403, tail
        assert "没有权限" in seen.text and BODY[:10] not in seen.text
    for tail in NEW_GETS:
        seen_url, missing_url = (f"/console/reports/{report_id}/{tail}",
                                 f"/console/reports/{MISSING}/{tail}")
        seen, missing = web.get(seen_url), web.get(missing_url)
        assert seen.status_code == missing.status_code == 403, tail
        assert _same_page(seen.text, seen_url) == _same_page(missing.text, missing_url)
    assert (RevealRequest.select().count(), AuditEntry.select().count()) == before
    assert not ReportRecipient.select().where(ReportRecipient.recused_at.is_null(False)).exists()


def test_the_accused_cadre_gets_the_403_of_a_missing_id_on_every_new_route(console,
                                                                          staff_town, report):
    _new_routes_look_alike(console("cadre"), report.id)


@pytest.mark.parametrize("username", ["townadmin", "grid", "sysadmin", "finance"])
def test_every_other_non_officer_gets_the_same_403_on_the_new_routes(console, desk,  # noqa: F811
                                                                     report, username):
    _new_routes_look_alike(console(username), report.id)


def test_the_new_report_routes_leave_nothing_in_the_logs(console, report, caplog):
    import logging

    url = f"/console/reports/{report.id}"
    web = _unlocked(console)
    with caplog.at_level(logging.DEBUG):
        _post(web, url + "/reveal-requests", url, reason=REASON)
        web.get(f"{url}/attachments/{MISSING}")
        _post(web, url + "/recuse", url, confirm="1")
    text = " ".join(f"{r.name} {r.getMessage()} {getattr(r, 'route', '')}"
                    for r in caplog.records)
    assert "/console/reports" not in text and REASON not in text and BODY[:10] not in text
