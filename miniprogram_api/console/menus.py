"""The header's menus: the staff work pages (微心愿 review, 事前公示, 用户与角色) and the
supervision pages (disclosures, 三资, seal log, reports, audit). Each link is shown only to
roles whose service would open it — the policies' own actions decide (``scope_paths``) — so the
menu never offers a page that answers 403."""

from __future__ import annotations

from flask import url_for

from app.accounts.policies import AUDIT_READ, USER_READ
from app.actions import policies as action_policies
from app.assets_ledger import policies as ledger_policies
from app.bot import policies as bot_policies
from app.consultations import policies as consultation_policies
from app.disclosures import policies as disclosure_policies
from app.errors import DomainError
from app.livestreams import policies as livestream_policies
from app.notices import policies as notice_policies
from app.points import policies as points_policies
from app.policy import Actor, scope_paths
from app.powers import policies as power_policies
from app.projects import policies as project_policies
from app.reports import policies as report_policies
from app.seals import policies as seal_policies
from app.wishes import policies as wish_policies
from miniprogram_api.console.blueprint import bp

# template variable -> ((policy action, endpoint, label), …)
MENUS = {
    "work_menu": (
        (wish_policies.READ, "console.wish_queue", "微心愿"),
        (action_policies.READ, "console.action_list", "微行动"),
        (points_policies.READ, "console.points_accounts", "微星光"),
        (project_policies.READ, "console.project_round_list", "微实事"),
        (consultation_policies.READ, "console.consultation_list", "议事协商"),
        (notice_policies.READ, "console.notice_list", "事前公示"),
        (livestream_policies.READ, "console.livestream_list", "直播通知"),
        (bot_policies.MANAGE_GROUPS, "console.bot_groups", "群绑定"),
        (USER_READ, "console.user_list", "用户与角色"),
    ),
    "supervision_menu": (
        (disclosure_policies.READ, "console.disclosure_queue", "公开事项"),
        (power_policies.READ, "console.power_items", "权力清单"),
        (ledger_policies.READ, "console.ledger_import_page", "三资账目"),
        (seal_policies.READ, "console.seal_uses", "用印记录"),
        (report_policies.HANDLE, "console.report_queue", "举报办理"),
        (AUDIT_READ, "console.audit_log", "审计日志"),
    ),
}


def links(actor: Actor | None, menu) -> list[tuple[str, str]]:
    """(url, label) of the entries of ``menu`` the actor's grants open."""
    if actor is None:
        return []
    return [(url_for(endpoint), label) for action, endpoint, label in menu
            if scope_paths(actor, action)]


@bp.context_processor
def _menus() -> dict:
    from miniprogram_api.console.session import console_actor

    try:
        actor = console_actor()
    except DomainError:
        actor = None
    return {name: links(actor, menu) for name, menu in MENUS.items()}
