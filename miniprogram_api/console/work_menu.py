"""The header links to the staff work pages (微心愿 review, 事前公示, 用户与角色), each shown
only to roles whose service would open it: the policies' own actions decide (``scope_paths``),
as in ``supervision_menu``, so the menu never offers a page that answers 403."""

from __future__ import annotations

from flask import url_for

from app.accounts.policies import USER_READ
from app.errors import DomainError
from app.notices import policies as notice_policies
from app.policy import scope_paths
from app.wishes import policies as wish_policies
from miniprogram_api.console.blueprint import bp

MENU = (
    (wish_policies.READ, "console.wish_queue", "微心愿"),
    (notice_policies.READ, "console.notice_list", "事前公示"),
    (USER_READ, "console.user_list", "用户与角色"),
)


@bp.context_processor
def _work_menu() -> dict:
    from miniprogram_api.console.session import console_actor

    try:
        actor = console_actor()
    except DomainError:
        actor = None
    links = [] if actor is None else [
        (url_for(endpoint), label) for action, endpoint, label in MENU
        if scope_paths(actor, action)]
    return {"work_menu": links}
