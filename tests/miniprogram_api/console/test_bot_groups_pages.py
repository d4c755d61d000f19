"""群绑定 pages over HTTP: the grid worker issues a binding code for a building (shown once,
with the ``绑定 <code>`` instruction; only its hash is stored) which then binds a group;
the groups list names the building; unbinding; a place outside the grid worker's grid is the
403 page with no code made; a group elsewhere is the 404 page; the discipline officer, who has
no part in the bot, gets the 403 page."""

from __future__ import annotations

import re

from app.bot import groups
from app.bot.messages import InboundMessage, Sender
from app.bot.models import BindingCode, BotGroup
from app.clock import utcnow
from app.crypto import sha256_hex
from app.db import database
from tests.app.requests.conftest import Town
from tests.factories import grant, make_user
from tests.miniprogram_api.console.helpers import csrf_of


def bind_group(town: Town, region, issuer=None, chat: str = "chat-1") -> BotGroup:
    """A group bound to ``region`` the way the bot does it: a code, then ``绑定 <code>``."""
    issued = groups.issue_binding_code(town.actor(issuer or town.grid_worker), region.id)
    msg = InboundMessage(channel="wecom_bot", msg_id=f"m-{chat}", chat_id=chat,
                         sender=Sender("wecom_user", "zhang", "corp"),
                         text=f"绑定 {issued.code}", created_at=utcnow())
    with database.atomic():
        return groups.redeem_binding_code(msg, issued.code, utcnow())


def _post(web, url: str, follow: bool = True, **data):
    page = web.get("/console/")
    return web.post(url, data={"csrf_token": csrf_of(page.text), **data},
                    follow_redirects=follow)


def test_the_grid_worker_issues_a_code_shown_once_with_how_to_use_it(console, staff_town):
    web = console("grid")
    page = web.get("/console/groups").text
    assert '<label for="region_id">' in page and "东星社区 第一网格 1号楼" in page
    res = _post(web, "/console/groups/binding-code", region_id=staff_town.tree.building_a1.id)
    assert res.status_code == 201
    code = re.search(r'data-field="code">([A-Z0-9]{8})<', res.text).group(1)
    assert f"绑定 {code}" in res.text and "只显示这一次" in res.text
    row = BindingCode.get()
    assert row.code_hash == sha256_hex(code) and row.region_id == staff_town.tree.building_a1.id
    assert code not in web.get("/console/groups").text  # not shown again


def test_a_bound_group_is_listed_with_its_building_and_can_be_unbound(console, staff_town):
    group = bind_group(staff_town, staff_town.tree.building_a1)
    web = console("grid")
    listing = web.get("/console/groups").text
    assert f'data-group="{group.id}"' in listing and "东星社区 第一网格 1号楼" in listing
    assert "企业微信群机器人" in listing
    res = _post(web, f"/console/groups/{group.id}/unbind")
    assert "已解绑：该群不再登记诉求，也不再接收通知" in res.text
    assert BotGroup.get_by_id(group.id).status == "unbound"
    assert "东星社区 第一网格 1号楼" in web.get("/console/groups?tab=unbound").text


def test_a_household_cannot_be_bound_and_the_reason_is_shown(console, staff_town):
    res = _post(console("grid"), "/console/groups/binding-code",
                region_id=staff_town.tree.household_a1.id)
    assert res.status_code == 422 and "群只能绑定到社区(村)、网格、小区或楼栋" in res.text
    assert BindingCode.select().count() == 0


def test_a_building_outside_the_grid_is_the_403_page_and_no_code_is_made(console, staff_town):
    web = console("grid")
    assert "后埔村" not in web.get("/console/groups").text
    res = _post(web, "/console/groups/binding-code", region_id=staff_town.tree.building_a2.id)
    assert res.status_code == 403 and "没有权限" in res.text
    assert BindingCode.select().count() == 0


def test_a_group_of_another_village_is_the_404_page_and_stays_bound(console, staff_town):
    other = make_user(name="后埔村网格员")
    grant(other, "grid_worker", staff_town.tree.grid_a2)
    group = bind_group(staff_town, staff_town.tree.building_a2, issuer=other, chat="chat-a2")
    web = console("grid")
    assert f'data-group="{group.id}"' not in web.get("/console/groups?tab=all").text
    res = _post(web, f"/console/groups/{group.id}/unbind")
    assert res.status_code == 404 and BotGroup.get_by_id(group.id).status == "active"


def test_the_discipline_officer_gets_the_403_page(console, staff_town):
    group = bind_group(staff_town, staff_town.tree.building_a1)
    web = console("discipline")
    res = web.get("/console/groups")
    assert res.status_code == 403 and "没有权限" in res.text
    assert _post(web, "/console/groups/binding-code",
                 region_id=staff_town.tree.building_a1.id).status_code == 403
    assert _post(web, f"/console/groups/{group.id}/unbind").status_code == 403
    assert BotGroup.get_by_id(group.id).status == "active"
    assert BindingCode.select().count() == 1  # only the one the group was bound with
