"""群绑定 pages (一楼栋一微信群): the WeChat groups bound in scope with the place each is bound
to, issuing a one-time binding code, and unbinding a group.

Every call is the one ``/admin/api/v1/bot`` makes (``app.bot.groups``). A binding code is
shown once, in the response to the POST that issued it (never in a URL, never stored in
plain text), with how to use it: a member of the group sends ``绑定 <code>`` in the group.
"""

from __future__ import annotations

from flask import url_for

from app.bot import groups, policies
from app.bot.models import BotGroup
from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from app.policy import Actor, can
from app.regions.models import Region
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, keyset_page, perform, render, tab_arg
from miniprogram_api.console.region_choices import labels, places_in_scope
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"active": "已绑定", "unbound": "已解绑", "all": "全部"}
CHANNEL_NAMES = {"wecom_bot": "企业微信群机器人", "wecom_app": "企业微信应用",
                 "official_account": "公众号", "wecom_archive": "企业微信会话存档",
                 "relay": "转发桥"}


def _bindable(actor: Actor) -> list[Region]:
    return places_in_scope(actor, policies.BIND, groups.BINDABLE_LEVELS)


def _list_page(actor: Actor, *, issued=None, error: str | None = None):
    tab = tab_arg(TABS, "active")
    query = groups.groups_query(actor, status=None if tab == "all" else tab)
    rows, next_url = keyset_page(query, BotGroup.id, "console.bot_groups", limit=PAGE_SIZE,
                                 tab=tab)
    bindable = _bindable(actor)
    return render("console/bot_groups/list.html", tab=tab, tabs=TABS, rows=rows,
                  next_url=next_url, channels=CHANNEL_NAMES,
                  places=labels([g.region for g in rows]),
                  bindable=bindable, bindable_names=labels(bindable),
                  may_unbind={g.id for g in rows
                              if can(actor, policies.MANAGE_GROUPS, g.region_path)},
                  error=error, issued=issued,
                  issued_place=labels([issued.region])[issued.region.id] if issued else None)


@bp.route("/groups")
@page
def bot_groups(actor: Actor):
    return _list_page(actor)


@bp.route("/groups/binding-code", methods=["POST"])
@page
def bot_binding_code(actor: Actor):
    """Issue a code for the chosen place and show it on this response only."""
    try:
        issued = groups.issue_binding_code(actor, form_int("region_id") or 0)
    except (Unauthorized, Forbidden, NotFound):
        raise
    except DomainError as exc:
        return _list_page(actor, error=exc.message), exc.status
    return _list_page(actor, issued=issued), 201


@bp.route("/groups/<int:group_id>/unbind", methods=["POST"])
@page
def bot_group_unbind(actor: Actor, group_id: int):
    return perform(lambda: groups.unbind_group(actor, group_id),
                   back=url_for("console.bot_groups"),
                   done="已解绑：该群不再登记诉求，也不再接收通知")
