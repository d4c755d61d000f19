"""公开频次 (the disclosure cadence) of a village: how often each kind must be published, the
grace days after a period ends and the days a major matter may wait — read by those who watch
the cadence, set by town admins.

The calls are the ones ``/admin/api/v1/villages/<id>/disclosure-cadence`` makes
(``app.disclosures.cadence.village_cadence`` and ``set_cadence``); the overdue list it drives
is :func:`miniprogram_api.console.disclosures_pages.disclosure_dues`.
"""

from __future__ import annotations

from flask import request as http
from flask import url_for

from app.disclosures import cadence, cadence_rules, policies, rules
from app.errors import Forbidden
from app.policy import Actor, can
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, perform, render
from miniprogram_api.console.region_choices import places_in_scope
from miniprogram_api.console.session import page


@bp.route("/disclosures/cadence")
@page
def disclosure_cadence(actor: Actor):
    villages = places_in_scope(actor, policies.CADENCE_READ, ("village",))
    if not villages:
        raise Forbidden()
    chosen = http.args.get("village_id", type=int) or villages[0].id
    rhythms = cadence.village_cadence(actor, chosen)  # Forbidden / 404 from the service
    village = next((v for v in villages if v.id == chosen), None)
    return render("console/disclosures/cadence.html", villages=villages, village=village,
                  village_id=chosen, rhythms=rhythms, kind_names=rules.KIND_NAMES,
                  rhythm_names=cadence_rules.RHYTHM_NAMES, max_days=cadence_rules.MAX_DAYS,
                  may_configure=bool(village and can(actor, policies.CADENCE_CONFIGURE,
                                                     village.path)))


@bp.route("/disclosures/cadence", methods=["POST"])
@page
def disclosure_cadence_set(actor: Actor):
    village_id = form_int("village_id") or 0
    days = {name: form_int(name) for name in ("grace_days", "major_days")}
    return perform(lambda: cadence.set_cadence(
        actor, village_id=village_id, kind=form_text("kind"), rhythm=form_text("rhythm"),
        grace_days=-1 if days["grace_days"] is None else days["grace_days"],
        major_days=-1 if days["major_days"] is None else days["major_days"]),
        back=url_for("console.disclosure_cadence", village_id=village_id),
        done="公开频次已保存，从下一个期间起按新频次计算")
