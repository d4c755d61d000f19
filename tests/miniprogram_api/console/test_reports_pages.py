"""Report pages over HTTP: the officer's queue, unlocking with the key password, reading and
handling a report; and the guarantee that the accused cadre, and every other non-officer,
gets the very 403 page a nonexistent id gets, with nothing of the report in it."""

from __future__ import annotations

import logging
import re

import pytest

from app.accounts.models import StaffCredential
from app.audit.models import AuditEntry
from app.reports import keys, services
from app.reports.models import Report
from tests.app.reports.world import BODY, KEY_PASSWORD, light_kdf  # noqa: F401
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401

MISSING = 999_999


@pytest.fixture
def report(staff_town, light_kdf):  # noqa: F811
    """An anonymous report of village A1 accusing its cadre; the town's officer has a key."""
    keys.set_up_key(staff_town.actor(staff_town.discipline), KEY_PASSWORD)
    result = services.submit_anonymous(village_id=staff_town.tree.village_a1.id, text=BODY,
                                       client="console-test",
                                       accused_user_id=staff_town.cadre.id)
    return Report.get_by_id(result.report_id)


def _post(web, url: str, back: str, **data):
    return web.post(url, data={"csrf_token": csrf_of(web.get(back).text), **data})


def _unlocked(console):
    web = console("discipline")
    _post(web, "/console/reports/key/unlock", "/console/reports",
          key_password=KEY_PASSWORD, next="/console/reports")
    return web


def _same_page(html: str, url: str) -> str:
    """The page minus the one thing that names the URL asked for (the font toggle's return)."""
    return html.replace(url, "URL")


def test_the_officer_queue_lists_the_report_without_its_content(console, report):
    web = console("discipline")
    page = web.get("/console/reports").text
    assert f"/console/reports/{report.id}\"" in page and "已收到" in page
    assert BODY[:10] not in page
    assert 'id="key-password"' in page  # locked: the unlock form is offered
    home = web.get("/console/").text
    assert 'data-list="reports_open"' in home and f"/console/reports/{report.id}" in home


def test_a_locked_key_asks_for_the_key_password_first(console, report):
    web = console("discipline")
    res = web.get(f"/console/reports/{report.id}")
    assert res.status_code == 200 and 'id="key-password"' in res.text
    assert BODY[:10] not in res.text
    assert not AuditEntry.select().where(AuditEntry.action == "report.read").exists()


def test_a_wrong_key_password_is_refused_and_the_login_stays(console, report):
    web = console("discipline")
    res = _post(web, "/console/reports/key/unlock", "/console/reports",
                key_password="wrong-password-1", next=f"/console/reports/{report.id}")
    assert res.status_code == 303
    page = web.get(res.headers["Location"])
    assert page.status_code == 200 and "密钥口令不正确" in page.text


def test_unlocked_the_officer_reads_and_accepts_the_report(console, report):
    web = _unlocked(console)
    url = f"/console/reports/{report.id}"
    page = web.get(url).text
    assert BODY in page and "被举报人" in page and "社区干部" in page
    assert AuditEntry.select().where((AuditEntry.action == "report.read")
                                     & (AuditEntry.object_id == str(report.id))).exists()
    res = _post(web, url + "/transition", url, to="not_accepted", text="")
    assert "请填写告知举报人的理由或结论" in web.get(res.headers["Location"]).text
    _post(web, url + "/transition", url, to="accepted", text="")
    assert Report.get_by_id(report.id).status == "accepted"
    _post(web, url + "/note", url, text="已调取低保评定会议记录")
    assert "已调取低保评定会议记录" in web.get(url).text


def test_locking_the_key_hides_the_report_again(console, report):
    web = _unlocked(console)
    _post(web, "/console/reports/key/lock", "/console/reports")
    page = web.get(f"/console/reports/{report.id}").text
    assert BODY[:10] not in page and 'id="key-password"' in page


def _without_tokens(html: str) -> str:
    return re.sub(r'name="csrf_token" value="[^"]+"', "", html)


def test_the_accused_cadre_gets_the_page_of_a_nonexistent_id(console, staff_town, report,
                                                              password_hash):
    # A cadre of the same village, named alike, whom nobody accused: the accused's home page
    # must be exactly theirs, and the word 举报 appears nowhere on it (the 议事 moderation
    # queue speaks of comments residents "标记", so 举报 in the console means one thing).
    twin = make_user(name=staff_town.cadre.display_name)
    grant(twin, "cadre", staff_town.tree.village_a1)
    StaffCredential.create(user=twin, username="twincadre", password_hash=password_hash)
    twin_home = console("twincadre").get("/console/").text
    web = console("cadre")  # the accused
    seen = web.get(f"/console/reports/{report.id}")
    missing = web.get(f"/console/reports/{MISSING}")
    assert seen.status_code == missing.status_code == 403
    assert "没有权限" in seen.text
    assert (_same_page(seen.text, f"/console/reports/{report.id}")
            == _same_page(missing.text, f"/console/reports/{MISSING}"))
    assert BODY[:10] not in seen.text and "举报" not in re.sub(r"<[^>]+>", "", seen.text)
    assert web.get("/console/reports").status_code == 403
    home = web.get("/console/").text
    assert "举报" not in home
    assert "/console/reports" not in home and 'data-list="reports' not in home
    assert _without_tokens(home) == _without_tokens(twin_home)
    for action in ("transition", "note", "message"):
        res = _post(web, f"/console/reports/{report.id}/{action}", "/console/",
                    text="x", to="accepted")
        assert res.status_code == 403
    assert not AuditEntry.select().where((AuditEntry.object_type == "report")
                                         & (AuditEntry.actor_id == staff_town.cadre.id)
                                         ).exists()


@pytest.mark.parametrize("username", ["townadmin", "grid", "sysadmin", "finance"])
def test_every_other_non_officer_gets_the_same_403(console, desk, report, username):  # noqa: F811
    web = console(username)
    seen, missing = (web.get(f"/console/reports/{report.id}"),
                     web.get(f"/console/reports/{MISSING}"))
    assert seen.status_code == missing.status_code == 403
    assert (_same_page(seen.text, f"/console/reports/{report.id}")
            == _same_page(missing.text, f"/console/reports/{MISSING}"))
    assert BODY[:10] not in seen.text


def test_an_officer_it_was_not_routed_to_gets_the_404_of_a_missing_id(console, staff_town,
                                                                      report, password_hash):
    other = make_user(name="外街道纪检委员")
    grant(other, "discipline_officer", staff_town.tree.town_b)
    StaffCredential.create(user=other, username="otherofficer", password_hash=password_hash)
    web = console("otherofficer")
    seen, missing = (web.get(f"/console/reports/{report.id}"),
                     web.get(f"/console/reports/{MISSING}"))
    assert seen.status_code == missing.status_code == 404
    assert (_same_page(seen.text, f"/console/reports/{report.id}")
            == _same_page(missing.text, f"/console/reports/{MISSING}"))
    assert f"/console/reports/{report.id}\"" not in web.get("/console/reports").text


def test_an_officer_sets_up_a_key_through_the_form(console, staff_town, light_kdf):  # noqa: F811
    web = console("discipline")
    page = web.get("/console/reports").text
    assert 'id="key-new"' in page
    res = _post(web, "/console/reports/key", "/console/reports", key_password="Abc-12345-xyz",
                key_password_again="different-1", next="/console/reports")
    assert "两次输入的密钥口令不一致" in web.get(res.headers["Location"]).text
    _post(web, "/console/reports/key", "/console/reports", key_password="Abc-12345-xyz",
          key_password_again="Abc-12345-xyz", next="/console/reports")
    assert keys.has_key(staff_town.discipline.id)


def test_report_pages_write_no_access_line(console, report, caplog):
    web = console("discipline")
    with caplog.at_level(logging.INFO, logger="linli.access"):
        web.get(f"/console/reports/{report.id}")
        web.get("/console/")
    routes = [getattr(r, "route", "") for r in caplog.records if r.name == "linli.access"]
    assert "/console/" in routes
    assert not [r for r in routes if "reports" in r]


def test_the_queue_pages_twenty_reports_at_a_time(console, staff_town, light_kdf):  # noqa: F811
    keys.set_up_key(staff_town.actor(staff_town.discipline), KEY_PASSWORD)
    ids = [services.submit_anonymous(village_id=staff_town.tree.village_a1.id, text=BODY,
                                     client=f"console-page-{n}", accused_user_id=staff_town.cadre.id
                                     ).report_id for n in range(21)]
    web = console("discipline")
    first = web.get("/console/reports").text
    pager = re.search(r'<a class="button" href="([^"]+)">下一页</a>', first)
    assert pager is not None and "cursor=" in pager.group(1)
    second = web.get(pager.group(1).replace("&amp;", "&")).text
    listed = {int(i) for i in re.findall(r'/console/reports/(\d+)"', first + second)}
    assert listed == set(ids)
    assert "下一页" not in second


def test_a_short_queue_offers_no_next_page(console, report):
    assert "下一页" not in console("discipline").get("/console/reports").text
