"""用户与角色 pages over HTTP: the people in scope with masked phones and the exact phone
lookup, granting and revoking a role (sysadmins only, audited, refusals in Chinese), and the
403/404 pages for roles and people the account services do not admit."""

from __future__ import annotations

import pytest

from app import crypto
from app.accounts import phone as phones
from app.accounts.models import RoleGrant, User
from app.audit.models import AuditEntry
from tests.app.requests.conftest import Town
from tests.miniprogram_api.console.helpers import csrf_of

PHONE = "13812341234"


def _give_phone(user: User, number: str = PHONE) -> None:
    User.update(phone_hash=crypto.keyed_hash(phones.LOOKUP_PURPOSE, number),
                phone_cipher=crypto.encrypt(phones.CIPHER_PURPOSE, number),
                phone_masked=phones.mask(number)).where(User.id == user.id).execute()


def _post(web, url: str, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=True)


def _live(user: User, role: str) -> RoleGrant | None:
    return RoleGrant.get_or_none((RoleGrant.user == user.id) & (RoleGrant.role == role)
                                 & RoleGrant.revoked_at.is_null())


def test_the_town_admin_lists_people_with_masked_phones_only(console, staff_town: Town):
    _give_phone(staff_town.resident)
    web = console("townadmin")
    assert 'href="/console/users"' in web.get("/console/").text
    res = web.get("/console/users")
    assert res.status_code == 200
    assert "张阿姨" in res.text and "138****1234" in res.text and PHONE not in res.text
    assert "王先生" not in res.text  # household in another town
    found = web.get(f"/console/users?phone={PHONE}").text
    assert "张阿姨" in found and "李大爷" not in found
    detail = web.get(f"/console/users/{staff_town.resident.id}").text
    assert "138****1234" in detail and PHONE not in detail
    assert 'data-action="grant"' not in detail and "由系统管理员办理" in detail


def test_a_malformed_phone_is_explained_on_the_list(console, staff_town):
    res = console("townadmin").get("/console/users?phone=12ab")
    assert res.status_code == 200 and "手机号码格式不正确" in res.text


def test_the_sysadmin_grants_a_role_and_it_is_audited(console, staff_town: Town):
    web = console("sysadmin")
    user = staff_town.neighbour
    page = web.get(f"/console/users/{user.id}").text
    assert 'data-action="grant"' in page
    res = _post(web, f"/console/users/{user.id}/grants", role="grid_worker",
                region_id=staff_town.tree.grid_a1.id)
    assert "已授予角色" in res.text and "网格员 · " in res.text
    new = _live(user, "grid_worker")
    assert new is not None and new.region_id == staff_town.tree.grid_a1.id
    assert AuditEntry.get(AuditEntry.action == "grant.create").object_id == str(new.id)
    again = _post(web, f"/console/users/{user.id}/grants", role="grid_worker",
                  region_id=staff_town.tree.grid_a1.id)
    assert "该用户在这个区域已有这个角色" in again.text
    resident = _post(web, f"/console/users/{user.id}/grants", role="resident",
                     region_id=staff_town.tree.grid_a1.id)
    assert "居民身份只能通过住户绑定获得" in resident.text


def test_the_sysadmin_revokes_a_grant_but_not_their_own(console, staff_town: Town):
    web = console("sysadmin")
    cadre_grant = _live(staff_town.cadre, "cadre")
    page = web.get(f"/console/users/{staff_town.cadre.id}").text
    assert f'data-grant="{cadre_grant.id}"' in page and 'data-action="revoke"' in page
    res = _post(web, f"/console/grants/{cadre_grant.id}/revoke")
    assert "已撤销授权" in res.text and _live(staff_town.cadre, "cadre") is None
    assert AuditEntry.get(AuditEntry.action == "grant.revoke").object_id == str(cadre_grant.id)
    own = _live(staff_town.sysadmin, "sysadmin")
    res = _post(web, f"/console/grants/{own.id}/revoke")
    assert "不能撤销自己的授权" in res.text and _live(staff_town.sysadmin, "sysadmin")


@pytest.mark.parametrize("username", ["townadmin", "cadre", "grid"])
def test_staff_other_than_sysadmins_may_not_grant_or_revoke(console, staff_town: Town,
                                                            username):
    web = console(username)
    target = staff_town.neighbour
    res = _post(web, f"/console/users/{target.id}/grants", role="cadre",
                region_id=staff_town.tree.village_a1.id)
    assert res.status_code == 403 and "没有权限" in res.text
    assert _live(target, "cadre") is None
    grid_grant = _live(staff_town.grid_worker, "grid_worker")
    res = _post(web, f"/console/grants/{grid_grant.id}/revoke")
    assert res.status_code == 403 and _live(staff_town.grid_worker, "grid_worker")


def test_a_discipline_officer_gets_the_403_page(console, staff_town: Town):
    web = console("discipline")
    assert 'href="/console/users"' not in web.get("/console/").text
    for url in ("/console/users", f"/console/users/{staff_town.resident.id}"):
        res = web.get(url)
        assert res.status_code == 403 and "张阿姨" not in res.text


def test_a_person_outside_the_scope_is_the_404_page(console, staff_town: Town):
    res = console("townadmin").get(f"/console/users/{staff_town.outsider.id}")
    assert res.status_code == 404 and "王先生" not in res.text


def test_the_grid_worker_marks_a_resident_as_a_volunteer(console, staff_town: Town):
    web = console("grid")
    assert 'data-action="flags"' in web.get(f"/console/users/{staff_town.resident.id}").text
    res = _post(web, f"/console/users/{staff_town.resident.id}/flags", is_volunteer="yes",
                is_party_member="no")
    assert "身份已更新" in res.text
    user = User.get_by_id(staff_town.resident.id)
    assert user.is_volunteer and not user.is_party_member
    assert AuditEntry.get(AuditEntry.action == "user.set_flags").object_id == str(user.id)


def test_the_town_admin_is_not_offered_the_flags_and_is_refused(console, staff_town: Town):
    web = console("townadmin")
    assert 'data-action="flags"' not in web.get(f"/console/users/{staff_town.resident.id}").text
    res = _post(web, f"/console/users/{staff_town.resident.id}/flags", is_volunteer="yes")
    assert res.status_code == 403 and not User.get_by_id(staff_town.resident.id).is_volunteer
