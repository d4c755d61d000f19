"""The header links to the supervision pages (disclosures, 三资, seal log, reports, audit),
each shown only to roles whose service would open it: the policies' own actions decide
(``scope_paths``), so the menu never offers a page that answers 403."""

from __future__ import annotations

from flask import url_for

from app.accounts.policies import AUDIT_READ
from app.assets_ledger import policies as ledger_policies
from app.disclosures import policies as disclosure_policies
from app.errors import DomainError
from app.policy import scope_paths
from app.reports import policies as report_policies
from app.seals import policies as seal_policies
from miniprogram_api.console.blueprint import bp

MENU = (
    (disclosure_policies.READ, "console.disclosure_queue", "公开事项"),
    (ledger_policies.READ, "console.ledger_import_page", "三资账目"),
    (seal_policies.READ, "console.seal_uses", "用印记录"),
    (report_policies.HANDLE, "console.report_queue", "举报办理"),
    (AUDIT_READ, "console.audit_log", "审计日志"),
)


@bp.context_processor
def _supervision_menu() -> dict:
    from miniprogram_api.console.session import console_actor

    try:
        actor = console_actor()
    except DomainError:
        actor = None
    links = [] if actor is None else [
        (url_for(endpoint), label) for action, endpoint, label in MENU
        if scope_paths(actor, action)]
    return {"supervision_menu": links}
