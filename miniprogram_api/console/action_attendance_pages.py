"""微行动 attendance in the console: the organiser's decision on one volunteer's attendance —
confirm the scanned time, correct it (minutes and a reason: a forgotten check-out, someone
who could not scan) or reject it with a reason — the one call
``/admin/api/v1/actions/signups/<id>/attendance`` makes (``attendance.decide_attendance``).
Confirmed minutes become points through the ledger inside that service; refusals (too early,
already decided, no reason) come back as a message on the action's page.
"""

from __future__ import annotations

from flask import url_for

from app.actions import attendance
from app.policy import Actor
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, perform
from miniprogram_api.console.session import page

DONE = {"confirm": "已确认服务时长，积分已计入", "correct": "已更正服务时长，积分已计入",
        "reject": "已记录为不予确认"}


@bp.route("/actions/<int:action_id>/signups/<int:signup_id>/attendance", methods=["POST"])
@page
def action_attendance(actor: Actor, action_id: int, signup_id: int):
    """``action_id`` only names the page to return to; the service loads the sign-up's own
    action and checks the caller organises it."""
    decision = form_text("decision", 16)
    return perform(lambda: attendance.decide_attendance(
        actor, signup_id, decision=decision, minutes=form_int("minutes"),
        reason=form_text("reason", 200)),
        back=url_for("console.action_detail", action_id=action_id),
        done=DONE.get(decision, "已记录"))
