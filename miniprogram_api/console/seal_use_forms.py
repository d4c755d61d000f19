"""Recording a seal use (登记用印), reached from the seal log page: choose the seal, then one
form citing the village's power-list item and, where one applies, its 事前公示.

The POST is the call ``POST /admin/api/v1/seals/<id>/uses`` makes:
``app.seals.services.record_seal_use``, which checks what is cited, flags anomalies (and tells
the discipline officers), and appends the use to the transparency log. The form's choices are
read through the features' own scoped queries (seals, power items, notices); the service checks
every one again.
"""

from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask import request as http

from app.accounts.models import User
from app.clock import utcnow
from app.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthorized
from app.notices import services as notices
from app.notices.models import Notice
from app.policy import Actor, can
from app.powers import services as powers
from app.powers.models import PowerItem
from app.seals import policies, rules
from app.seals import services as seals
from app.seals.models import Seal
from app.supervision.places import staff_with_roles
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.form_values import form_local_time, local_input_value
from miniprogram_api.console.pages import form_int, form_text, render
from miniprogram_api.console.session import page

CHOICES = 200  # items / notices / people offered in a select
SIGNERS = {"cadre", "town_admin"}  # who may apply for or approve a use, offered by name


def _recordable_seals(actor: Actor) -> list[Seal]:
    rows = seals.seals_query(actor).where(Seal.active).order_by(Seal.village_path, Seal.name)
    return [s for s in rows.limit(CHOICES) if can(actor, policies.RECORD, s.village_path)]


def _choices(actor: Actor, seal: Seal) -> dict:
    """The village's active power items, its notices and its staff, for the selects."""
    items = list(powers.items_query(actor, region_id=seal.village_id, templates=False)
                 .where((PowerItem.region == seal.village_id) & PowerItem.active)
                 .order_by(PowerItem.code).limit(CHOICES))
    try:
        notice_rows = list(notices.staff_notices_query(actor, region_id=seal.village_id)
                           .order_by(Notice.id.desc()).limit(CHOICES))
    except Forbidden:
        notice_rows = []
    people = list(User.select(User.id, User.display_name)
                  .where(User.id.in_(staff_with_roles(seal.village_path, SIGNERS) or [0]))
                  .order_by(User.id).limit(CHOICES))
    return {"items": items, "notices": notice_rows, "people": people}


@bp.route("/seal-uses/new", methods=["GET", "POST"])
@page
def seal_use_new(actor: Actor):
    seal_id = form_int("seal_id") if http.method == "POST" else http.args.get("seal_id",
                                                                               type=int)
    available = _recordable_seals(actor)
    if not available:
        raise Forbidden()
    if seal_id is None and len(available) == 1:
        seal_id = available[0].id
    if seal_id is None:
        return render("console/seals/choose.html", seals=available)
    seal = next((s for s in available if s.id == seal_id), None)
    if seal is None:
        abort(404)
    values = {name: form_text(name, 300) for name in (
        "document", "purpose", "applicant_name", "decision_ref", "copies",
        "applicant_user_id", "approver_user_id", "power_item_id", "notice_id", "used_at")}
    values["copies"] = values["copies"] or "1"
    values["used_at"] = values["used_at"] or local_input_value(utcnow())
    error = None
    if http.method == "POST":
        try:
            used_at = form_local_time("used_at")
            if used_at is None:
                raise InvalidInput("seal.bad_time", "请填写用印时间")
            use = seals.record_seal_use(
                actor, seal.id, document=values["document"], purpose=values["purpose"],
                applicant_name=values["applicant_name"], used_at=used_at,
                copies=form_int("copies") or 0,
                applicant_user_id=form_int("applicant_user_id"),
                approver_user_id=form_int("approver_user_id"),
                power_item_id=form_int("power_item_id"), notice_id=form_int("notice_id"),
                decision_ref=values["decision_ref"])
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            flagged = "；发现异常，已通知纪检" if use.flagged else ""
            flash(f"用印已登记，并已写入透明日志{flagged}", "error" if use.flagged else "info")
            return redirect(url_for("console.seal_use_detail", use_id=use.id), code=303)
    return render("console/seals/new.html", seal=seal, village=seal.village, values=values,
                  error=error, max_copies=rules.MAX_COPIES, **_choices(actor, seal)
                  ), (422 if error else 200)
