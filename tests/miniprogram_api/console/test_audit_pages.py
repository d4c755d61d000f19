"""The audit log page: town admins read their town's entries (filtered by action), entries of
reports stay hidden from them, and every other staff role gets the 403 page."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.reports import services as reports
from tests.app.reports.world import BODY, light_kdf  # noqa: F401
from tests.miniprogram_api.console.supervision import desk as desk  # noqa: F401
from tests.miniprogram_api.console.supervision import finance_draft


def test_a_town_admin_reads_and_filters_the_town_entries(console, desk):  # noqa: F811
    d = finance_draft(desk)
    web = console("townadmin")
    page = web.get("/console/audit").text
    assert "disclosure.create" in page and "disclosure.submit" in page
    assert "社区干部" in page  # who did it
    only = web.get("/console/audit?action=disclosure.submit").text
    assert "disclosure.submit" in only and "disclosure.create" not in only
    assert f"disclosure {d.id}" in only


def test_entries_of_reports_are_not_shown_to_a_town_admin(console, staff_town, light_kdf):  # noqa: F811
    result = reports.submit_anonymous(village_id=staff_town.tree.village_a1.id, text=BODY,
                                      client="audit-test", accused_user_id=staff_town.cadre.id)
    assert AuditEntry.select().where(AuditEntry.object_type == "report").exists()
    page = console("townadmin").get("/console/audit?object_type=report").text
    assert f"report {result.report_id}" not in page and "没有符合条件的记录" in page


@pytest.mark.parametrize("username", ["cadre", "discipline", "grid"])
def test_other_staff_get_the_403_page(console, staff_town, username):
    res = console(username).get("/console/audit")
    assert res.status_code == 403 and "没有权限" in res.text
