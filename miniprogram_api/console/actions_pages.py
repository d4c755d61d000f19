"""微行动 in the console: the organiser's check-in screen and volunteers' certificates.

The check-in code is a signed token that changes every minute (``app.actions.rules``: a
photographed or printed code is useless a minute later), so the "poster" is a screen page —
a projector or a phone held up at the door — whose QR image (an SVG made here with segno)
is fetched again before each minute ends. The page lists who signed up, with a link to each
volunteer's service certificate (``app.actions.records.write_pdf``, the PDF the admin API
serves; the read is audited by the service).
"""

from __future__ import annotations

import segno
from flask import Response, request

from app.accounts.models import User
from app.actions import attendance, records
from app.actions import services as actions
from app.actions.models import ActionSignup
from app.clock import utcnow
from app.errors import InvalidInput
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import render
from miniprogram_api.console.session import page

PHASE_NAMES = {"in": "签到", "out": "签退"}


def _phase() -> str:
    phase = request.args.get("phase", "in")
    if phase not in PHASE_NAMES:
        raise InvalidInput("action.bad_phase", "请选择签到或签退")
    return phase


@bp.route("/actions/<int:action_id>/check-in")
@page
def action_check_in(actor, action_id: int):
    phase = _phase()
    code = attendance.qr_code(actor, action_id, phase)  # organiser or staff over it
    action = actions.get_action(actor, action_id)
    signups = list(attendance.signups_of(actor, action_id).order_by(ActionSignup.id))
    names = dict(User.select(User.id, User.display_name)
                 .where(User.id.in_([s.user_id for s in signups] or [0])).tuples())
    return render("console/actions/check_in.html", action=action, phase=phase,
                  phase_name=PHASE_NAMES[phase], phases=PHASE_NAMES, signups=signups,
                  names=names, expires_at=code.expires_at,
                  refresh_seconds=max(5, int((code.expires_at - utcnow()).total_seconds())))


@bp.route("/actions/<int:action_id>/qr-<phase>.svg")
@page
def action_qr(actor, action_id: int, phase: str):
    """The current check-in or check-out code as an SVG image (never cached)."""
    code = attendance.qr_code(actor, action_id, phase)
    svg = segno.make(code.token, error="m").svg_inline(border=4, omitsize=True,
                                                       title=f"{PHASE_NAMES[phase]}码")
    body = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    response = Response(body, content_type="image/svg+xml")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/volunteers/<int:user_id>/certificate.pdf")
@page
def volunteer_certificate(actor, user_id: int):
    """A volunteer's service certificate issued by a village (``?issuer=<region id>``)."""
    try:
        issuer = int(request.args.get("issuer", ""))
    except ValueError:
        raise InvalidInput("action.bad_issuer", "请指定出具证明的社区(村)") from None
    service = records.volunteer_service_record(actor, user_id, issuer_region_id=issuer)
    response = Response(records.write_pdf(service), content_type=records.FORMATS["pdf"])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{records.filename("certificate", "pdf", utcnow())}"')
    response.headers["Cache-Control"] = "no-store"
    return response
