"""微行动 management in the console: the actions in scope (keyset pages), publishing a new
action, an action's page with its sign-ups and waitlist, editing and cancelling it.

Every call is one the ``/admin/api/v1/actions`` views make (``app.actions.services`` and
``attendance.signups_of``). The attendance decisions on the action's page post to
``action_attendance_pages``; the check-in screen, QR poster and certificates are in
``actions_pages``. Times are typed in Asia/Shanghai and stored in UTC.
"""

from __future__ import annotations

import datetime as dt
import json

from flask import flash, redirect, url_for
from flask import request as http

from app.accounts.models import User
from app.actions import attendance, policies, signups
from app.actions import services as actions
from app.actions.models import Action, ActionSignup
from app.clock import SHANGHAI, to_local, utcnow
from app.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthorized
from app.points import rules as points_rules
from app.points.services import find_rule
from app.policy import Actor
from app.regions.models import Region
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.region_choices import labels, places_in_scope
from miniprogram_api.console.session import page
from miniprogram_api.pagination import page_of

PAGE_SIZE = 20
ROSTER_SIZE = 50
TABS = {"upcoming": "未结束", "all": "全部", "cancelled": "已取消"}
STATUS_NAMES = {"open": "报名中", "cancelled": "已取消"}
SIGNUP_NAMES = {"confirmed": "已报名", "waitlisted": "候补", "cancelled": "已取消"}
ATTENDANCE_NAMES = {"none": "未签退", "pending": "待确认", "confirmed": "已确认",
                    "rejected": "不予确认"}
FIELDS = ("region_id", "title", "place", "starts_at", "ends_at", "capacity", "description",
          "skills", "cancel_close_minutes")
# Per-hour event types an action may pay by (the service refuses any other).
HOUR_TYPES = {code: name for code, (name, unit) in points_rules.EVENT_TYPES.items()
              if unit == "hour"}


def local_input(value: dt.datetime | None) -> str:
    """A stored UTC time as a ``datetime-local`` field value in Asia/Shanghai."""
    return to_local(value).strftime("%Y-%m-%dT%H:%M") if value else ""


def parse_local(raw: str) -> dt.datetime:
    """A ``datetime-local`` value typed in Asia/Shanghai, as naive UTC."""
    try:
        local = dt.datetime.strptime(raw.strip(), "%Y-%m-%dT%H:%M")
    except ValueError:
        raise InvalidInput("action.bad_time", "请按“年-月-日 时:分”填写开始和结束时间") from None
    return local.replace(tzinfo=SHANGHAI).astimezone(dt.UTC).replace(tzinfo=None)


def _creatable_places(actor: Actor) -> list[Region]:
    return places_in_scope(actor, policies.MANAGE, actions.ACTION_LEVELS)


@bp.route("/actions")
@page
def action_list(actor: Actor):
    tab = tab_arg(TABS, "upcoming")
    query = actions.staff_actions(actor, status="cancelled" if tab == "cancelled" else (
        "open" if tab == "upcoming" else None), upcoming=tab == "upcoming")
    rows, next_url = keyset_page(query, Action.id, "console.action_list", limit=PAGE_SIZE,
                                 tab=tab)
    regions = list(Region.select().where(Region.id.in_({a.region_id for a in rows} or {0})))
    return render("console/actions/list.html", tab=tab, tabs=TABS, rows=rows,
                  places=labels(regions), next_url=next_url, status_names=STATUS_NAMES,
                  may_create=bool(_creatable_places(actor)))


def _form_values(action: Action | None = None) -> dict:
    if http.method == "POST":
        return {name: form_text(name, 5000) for name in FIELDS}
    if action is None:
        return {"capacity": "20", "cancel_close_minutes": "120"}
    return {"title": action.title, "place": action.place, "description": action.description,
            "capacity": str(action.capacity)}


@bp.route("/actions/new", methods=["GET", "POST"])
@page
def action_new(actor: Actor):
    places = _creatable_places(actor)
    if not places:
        raise Forbidden(details={"action": policies.MANAGE})
    values, error = _form_values(), None
    if http.method == "POST":
        try:
            created = actions.create_action(
                actor, region_id=form_int("region_id") or 0, title=values["title"],
                place=values["place"], starts_at=parse_local(values["starts_at"]),
                ends_at=parse_local(values["ends_at"]), capacity=form_int("capacity") or 0,
                description=values["description"],
                skills=values["skills"].replace("，", ",").split(","),
                points_event_type=form_text("points_event_type", 48) or "action.attended",
                cancel_close_minutes=form_int("cancel_close_minutes") or 0)
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(url_for("console.action_detail", action_id=created.id), code=303)
    return render("console/actions/form.html", action=None, places=places,
                  place_names=labels(places), values=values, error=error,
                  hour_types=HOUR_TYPES), (422 if error else 200)


@bp.route("/actions/<int:action_id>")
@page
def action_detail(actor: Actor, action_id: int):
    action = actions.get_action(actor, action_id)
    try:  # the roster is the organiser's (and staff over it); readers see the action only
        roster = page_of(attendance.signups_of(actor, action_id), ActionSignup.id,
                         cursor=http.args.get("cursor"), limit=ROSTER_SIZE)
    except Forbidden:
        roster = None
    rows = roster.items if roster else []
    names = dict(User.select(User.id, User.display_name)
                 .where(User.id.in_({s.user_id for s in rows} or {0})).tuples())
    region = Region.get_by_id(action.region_id)
    next_url = (url_for("console.action_detail", action_id=action.id, cursor=roster.next_cursor)
                if roster and roster.next_cursor else None)
    return render("console/actions/detail.html", action=action, roster=roster, rows=rows,
                  names=names, place=labels([region])[region.id],
                  positions={s.id: signups.waitlist_position(s) for s in rows},
                  suggested={s.id: attendance.suggested_minutes(s, action) for s in rows},
                  rule=find_rule(action.points_event_type, action.region_path,
                                 action.starts_at),
                  skills=json.loads(action.skills or "[]"), next_url=next_url,
                  started=utcnow() >= action.starts_at,
                  status_names=STATUS_NAMES, signup_names=SIGNUP_NAMES,
                  attendance_names=ATTENDANCE_NAMES)


@bp.route("/actions/<int:action_id>/edit", methods=["GET", "POST"])
@page
def action_edit(actor: Actor, action_id: int):
    action = policies.load_action(actor, action_id, manage=True)  # 403 unless organising it
    values, error = _form_values(action), None
    if http.method == "POST":
        try:
            actions.update_action(actor, action_id, title=values["title"],
                                  place=values["place"], description=values["description"],
                                  capacity=form_int("capacity") or 0)
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            flash("已保存；如增加了名额，候补者已依次递补", "info")
            return redirect(url_for("console.action_detail", action_id=action_id), code=303)
    return render("console/actions/form.html", action=action, values=values, error=error,
                  hour_types=HOUR_TYPES), (422 if error else 200)


@bp.route("/actions/<int:action_id>/cancel", methods=["POST"])
@page
def action_cancel(actor: Actor, action_id: int):
    return perform(lambda: actions.cancel_action(actor, action_id,
                                                 reason=form_text("reason", 200)),
                   back=url_for("console.action_detail", action_id=action_id),
                   done="活动已取消，已通知报名的居民")
