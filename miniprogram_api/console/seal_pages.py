"""Seal log pages (公章监管): the uses in scope (anomalies first by default) and one use with
its anomalies named. Reads go through ``app.seals.services.uses_query`` and ``load_use``, the
calls behind ``/admin/api/v1/seal-uses``; the anomaly codes are the rules' own
(``app.seals.rules.ANOMALIES``), recorded when the use was logged."""

from __future__ import annotations

import json

from app.accounts.models import User
from app.notices.models import Notice
from app.policy import Actor, scope_paths
from app.powers.models import PowerItem
from app.regions.models import Region
from app.seals import policies as seal_policies
from app.seals import rules
from app.seals import services as seals
from app.seals.models import Seal, SealUse
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import keyset_page, render, tab_arg
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"flagged": "异常用印", "all": "全部用印"}


@bp.app_template_filter("seal_anomalies")
def _anomaly_names(raw: str) -> list[str]:
    try:
        codes = json.loads(raw or "[]")
    except ValueError:
        return []
    return [rules.ANOMALIES.get(code, code) for code in codes]


@bp.route("/seal-uses")
@page
def seal_uses(actor: Actor):
    tab = tab_arg(TABS, "flagged")
    query = seals.uses_query(actor, flagged=True if tab == "flagged" else None)
    rows, next_url = keyset_page(query, SealUse.id, "console.seal_uses", limit=PAGE_SIZE,
                                 tab=tab)
    seal_names = dict(Seal.select(Seal.id, Seal.name)
                      .where(Seal.id.in_({u.seal_id for u in rows} or {0})).tuples())
    villages = dict(Region.select(Region.id, Region.name)
                    .where(Region.id.in_({u.village_id for u in rows} or {0})).tuples())
    return render("console/seals/list.html", tab=tab, tabs=TABS, rows=rows,
                  seal_names=seal_names, villages=villages, next_url=next_url,
                  may_record=bool(scope_paths(actor, seal_policies.RECORD)))


@bp.route("/seal-uses/<int:use_id>")
@page
def seal_use_detail(actor: Actor, use_id: int):
    use = seals.load_use(actor, use_id)
    people = dict(User.select(User.id, User.display_name).where(User.id.in_(
        [u for u in (use.approver_user_id, use.applicant_user_id, use.recorded_by_id) if u]
        or [0])).tuples())
    return render("console/seals/detail.html", use=use, seal=Seal.get_by_id(use.seal_id),
                  village=Region.get_by_id(use.village_id), people=people,
                  power_item=PowerItem.get_or_none(PowerItem.id == use.power_item_id),
                  notice=Notice.get_or_none(Notice.id == use.notice_id))
