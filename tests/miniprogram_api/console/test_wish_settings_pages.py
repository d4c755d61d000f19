"""微心愿 settings over HTTP: the town's time limits (read by the wish staff, changed by the
town admin only, bad numbers refused with nothing stored) and the wish's photos on its page,
served only to those who may see the wish."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.media import services as media
from app.media.storage import FileSystemStorage
from app.wishes import services as wishes
from app.wishes.models import WishSettings
from tests.app.media import samples
from tests.miniprogram_api.console.helpers import csrf_of


def _save(web, **data):
    page = web.get("/console/wishes/settings")
    return web.post("/console/wishes/settings",
                    data={"csrf_token": csrf_of(page.text), **data}, follow_redirects=True)


def test_the_town_admin_changes_the_limits(console, staff_town):
    web = console("townadmin")
    page = web.get("/console/wishes/settings").text
    assert "东海街道的心愿时限" in page and "7 天" in page and "系统默认" in page
    res = _save(web, town_id=staff_town.tree.town_a.id, claim_days="10", auto_confirm_days="3")
    assert "已保存本街道的心愿时限" in res.text and "10 天" in res.text
    row = WishSettings.get(WishSettings.town == staff_town.tree.town_a.id)
    assert (row.claim_days, row.auto_confirm_days) == (10, 3)
    assert AuditEntry.get(AuditEntry.action == "wish.configure").object_id == str(
        staff_town.tree.town_a.id)


def test_a_limit_out_of_range_is_refused_and_nothing_is_stored(console, staff_town):
    res = _save(console("townadmin"), town_id=staff_town.tree.town_a.id, claim_days="0",
                auto_confirm_days="3")
    assert "认领完成期限应在 1 到 60 天之间" in res.text
    assert WishSettings.select().count() == 0


def test_a_cadre_reads_the_limits_but_may_not_change_them(console, staff_town):
    web = console("cadre")
    assert 'href="/console/wishes/settings"' in web.get("/console/wishes").text
    page = web.get("/console/wishes/settings")
    assert page.status_code == 200 and "东海街道的心愿时限" in page.text
    assert 'data-action="configure"' not in page.text
    res = web.post("/console/wishes/settings", data={
        "csrf_token": csrf_of(page.text), "town_id": staff_town.tree.town_a.id,
        "claim_days": "30", "auto_confirm_days": "30"})
    assert res.status_code == 403 and "没有权限" in res.text
    assert WishSettings.select().count() == 0


@pytest.mark.parametrize("username", ["discipline", "sysadmin"])
def test_roles_without_wish_rights_get_the_403_page(console, staff_town, username):
    res = console(username).get("/console/wishes/settings")
    assert res.status_code == 403 and "心愿时限" not in res.text


@pytest.fixture
def photo_wish(app, staff_town):
    actor = staff_town.actor(staff_town.resident, "miniprogram")
    photo = media.store_image(actor, samples.jpeg_bytes(),
                              storage=FileSystemStorage(app.config["MEDIA_ROOT"]))
    wish = wishes.create_wish(actor, category="repair", text="想请人帮忙修一下家里的水龙头",
                              photo_ids=(photo.id,))
    return wish, photo


def test_the_reviewer_sees_the_wishs_photo(console, staff_town, photo_wish):
    wish, photo = photo_wish
    web = console("grid")
    page = web.get(f"/console/wishes/{wish.id}").text
    assert f'src="/console/wishes/photos/{photo.id}"' in page and 'alt="心愿照片 1"' in page
    image = web.get(f"/console/wishes/photos/{photo.id}")
    assert image.status_code == 200 and image.mimetype == photo.mime
    assert image.headers["X-Content-Type-Options"] == "nosniff"


def test_a_photo_is_the_404_page_for_staff_who_may_not_see_the_wish(console, staff_town,
                                                                    photo_wish):
    _, photo = photo_wish
    res = console("discipline").get(f"/console/wishes/photos/{photo.id}")
    assert res.status_code == 404 and res.mimetype == "text/html"
