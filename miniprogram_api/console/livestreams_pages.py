"""直播通知 pages: the livestreams in scope by state, scheduling one (announced to the village's
groups at once), one livestream with its cancel form and, once it has started, the form that
records its minutes and result as a draft disclosure.

Every call is the one ``/admin/api/v1/livestreams`` makes (``app.livestreams.services``). The
service keeps one address per livestream (``link``, the live room); there is no separate
replay address to record.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask import request as http

from app.clock import utcnow
from app.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthorized
from app.livestreams import policies, rules
from app.livestreams import services as livestreams
from app.livestreams.models import Livestream
from app.notices import services as notices
from app.notices.models import Notice
from app.policy import Actor, can
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.form_values import form_local_time
from miniprogram_api.console.pages import form_int, form_text, keyset_page, perform, render, tab_arg
from miniprogram_api.console.region_choices import places_in_scope
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"scheduled": "待直播", "held": "已直播", "cancelled": "已取消", "all": "全部"}
NOTICES_OFFERED = 100


@bp.app_template_filter("livestream_status")
def _status_name(status: str) -> str:
    return rules.STATE_NAMES.get(status, status)


@bp.app_template_filter("livestream_matter")
def _matter_name(matter_type: str) -> str:
    return rules.MATTER_TYPES.get(matter_type, matter_type)


@bp.route("/livestreams")
@page
def livestream_list(actor: Actor):
    tab = tab_arg(TABS, "scheduled")
    query = livestreams.staff_query(actor, status=None if tab == "all" else tab)
    rows, next_url = keyset_page(query, Livestream.id, "console.livestream_list",
                                 limit=PAGE_SIZE, tab=tab)
    may_schedule = bool(places_in_scope(actor, policies.MANAGE, ("village",)))
    return render("console/livestreams/list.html", tab=tab, tabs=TABS, rows=rows,
                  next_url=next_url, may_schedule=may_schedule)


def _notices(actor: Actor) -> list[Notice]:
    """Recent 事前公示 in scope the livestream may cite (the service checks the village)."""
    try:
        query = notices.staff_notices_query(actor)
    except Forbidden:
        return []
    return list(query.order_by(Notice.id.desc()).limit(NOTICES_OFFERED))


@bp.route("/livestreams/new", methods=["GET", "POST"])
@page
def livestream_new(actor: Actor):
    villages = places_in_scope(actor, policies.MANAGE, ("village",))
    if not villages:
        raise Forbidden()
    values = {"village_id": form_text("village_id"), "matter_type": form_text("matter_type"),
              "title": form_text("title", 200), "link": form_text("link", 600),
              "starts_at": form_text("starts_at", 20), "notice_id": form_text("notice_id")}
    error = None
    if http.method == "POST":
        starts_at = form_local_time("starts_at")
        try:
            if starts_at is None:
                raise InvalidInput("livestream.bad_time", "请填写直播开始时间")
            created = livestreams.schedule_livestream(
                actor, village_id=form_int("village_id") or 0,
                matter_type=values["matter_type"], title=values["title"], link=values["link"],
                starts_at=starts_at, notice_id=form_int("notice_id"))
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            flash("直播已安排，预告已发到本村(社区)的群", "info")
            return redirect(url_for("console.livestream_detail", livestream_id=created.id),
                            code=303)
    return render("console/livestreams/new.html", villages=villages, values=values,
                  matter_types=rules.MATTER_TYPES, notices=_notices(actor),
                  error=error), (422 if error else 200)


@bp.route("/livestreams/<int:livestream_id>")
@page
def livestream_detail(actor: Actor, livestream_id: int):
    livestream = livestreams.load_for_staff(actor, livestream_id)
    manage = can(actor, policies.MANAGE, livestream.village_path)
    scheduled = livestream.status == "scheduled"
    return render("console/livestreams/detail.html", ls=livestream,
                  village=livestream.village,
                  notice=Notice.get_or_none(Notice.id == livestream.notice_id),
                  may_cancel=manage and scheduled,
                  may_record=manage and scheduled and utcnow() >= livestream.starts_at)


@bp.route("/livestreams/<int:livestream_id>/cancel", methods=["POST"])
@page
def livestream_cancel(actor: Actor, livestream_id: int):
    return perform(lambda: livestreams.cancel_livestream(
        actor, livestream_id, reason=form_text("reason", 400)),
        back=url_for("console.livestream_detail", livestream_id=livestream_id),
        done="直播已取消，群里会收到取消通知")


@bp.route("/livestreams/<int:livestream_id>/result", methods=["POST"])
@page
def livestream_result(actor: Actor, livestream_id: int):
    """Minutes and result become a draft disclosure; on success go to that draft."""
    drafted = []
    response = perform(lambda: drafted.append(livestreams.record_result(
        actor, livestream_id, minutes=form_text("minutes", 10000),
        result=form_text("result", 10000))),
        back=url_for("console.livestream_detail", livestream_id=livestream_id),
        done="直播结果已生成村务公开草稿，请提交审核后公开")
    if drafted:
        return redirect(url_for("console.disclosure_detail", disclosure_id=drafted[0].id),
                        code=303)
    return response
