"""事前公示 pages: the notices in scope, a new draft, and one notice with its objections.
Reads and the draft go through ``app.notices.services`` and ``app.notices.objections``, the
calls behind ``/admin/api/v1/notices``; the POST forms of a notice are in
``notice_actions``. A published or decided notice links its print page
(``public_pages.print_notice``)."""

from __future__ import annotations

from flask import redirect, url_for
from flask import request as http

from app.accounts.models import User
from app.clock import utcnow
from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from app.notices import objections, policies, rules
from app.notices import services as notices
from app.notices.models import Notice, NoticeObjection
from app.policy import Actor, can, require_any_scope
from app.regions.models import Region
from app.supervision.places import scope_condition
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, render, tab_arg
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"all": "全部", "draft": "草稿", "published": "公示中", "decided": "结果已公开"}


@bp.app_template_filter("notice_status")
def _status_name(status: str) -> str:
    return rules.STATE_NAMES.get(status, status)


@bp.app_template_filter("notice_matter_type")
def _matter_type_name(matter_type: str) -> str:
    return rules.MATTER_TYPES.get(matter_type, matter_type)


def _managed_villages(actor: Actor) -> list[Region]:
    """Villages where the actor may draft (``policies.MANAGE``), for the form."""
    try:
        paths = require_any_scope(actor, policies.MANAGE)
    except (Forbidden, Unauthorized):
        return []
    return list(Region.select().where((Region.level == "village")
                                      & scope_condition(paths, Region.path))
                .order_by(Region.path).limit(500))


@bp.route("/notices")
@page
def notice_list(actor: Actor):
    tab = tab_arg(TABS, "all")
    query = notices.staff_notices_query(actor, status=None if tab == "all" else tab)
    rows, next_url = keyset_page(query, Notice.id, "console.notice_list", limit=PAGE_SIZE,
                                 tab=tab)
    return render("console/notices/list.html", tab=tab, tabs=TABS, rows=rows,
                  next_url=next_url, may_draft=bool(_managed_villages(actor)))


@bp.route("/notices/new", methods=["GET", "POST"])
@page
def notice_new(actor: Actor):
    villages = _managed_villages(actor)
    if not villages:
        raise Forbidden()
    values = {"village_id": form_text("village_id"), "matter_type": form_text("matter_type"),
              "matter": form_text("matter", 200), "proposal": form_text("proposal", 20000),
              "objection_days": form_text("objection_days") or str(rules.MIN_DAYS)}
    error = None
    if http.method == "POST":
        try:
            created = notices.create_notice(
                actor, village_id=form_int("village_id") or 0,
                matter_type=values["matter_type"], matter=values["matter"],
                proposal=values["proposal"], objection_days=form_int("objection_days") or 0)
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(url_for("console.notice_detail", notice_id=created.id), code=303)
    return render("console/notices/new.html", villages=villages, values=values, error=error,
                  matter_types=rules.MATTER_TYPES, min_days=rules.MIN_DAYS,
                  max_days=rules.MAX_DAYS), (422 if error else 200)


@bp.route("/notices/<int:notice_id>")
@page
def notice_detail(actor: Actor, notice_id: int):
    notice = notices.load_for_staff(actor, notice_id)
    rows = list(objections.staff_objections_query(actor, notice_id=notice.id)
                .order_by(NoticeObjection.id).limit(500))
    people = {notice.author_id, notice.published_by_id, notice.decided_by_id}
    people |= {o.objector_id for o in rows} | {o.answered_by_id for o in rows}
    names = dict(User.select(User.id, User.display_name)
                 .where(User.id.in_([u for u in people if u] or [0])).tuples())
    manage = can(actor, policies.MANAGE, notice.village_path)
    moves = rules.allowed_actions(notice.status) if manage else []
    return render("console/notices/detail.html", n=notice,
                  village=Region.get_by_id(notice.village_id), objections=rows, names=names,
                  manage=manage, moves=moves, results=rules.RESULTS,
                  period_open=rules.period_open(notice.period_ends_at, utcnow()),
                  printable=notice.status in ("published", "decided"))
