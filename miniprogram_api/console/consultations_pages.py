"""议事 pages: the topics in scope, drafting or changing a topic (with an optional poll and links to
a 事前公示 or a 微实事 project), one topic with its poll counts, outcome and comments, and the
comment moderation queue (comments hidden by residents' reports, or held by the content
check). Reads and the draft go through ``app.consultations`` (``topics``, ``comments``,
``reading``), the calls behind ``/admin/api/v1/consultations``; the POST forms are in
``consultation_actions``."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask import request as http

from app.consultations import comments, policies, poll, reading, rules, topics
from app.consultations.models import Consultation, ConsultationComment
from app.errors import DomainError, Forbidden, InvalidInput, NotFound, Unauthorized
from app.policy import Actor, can
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, render, tab_arg
from miniprogram_api.console.participation_forms import (
    LEVEL_NAMES,
    form_local_datetime,
    local_input_time,
    places_for,
)
from miniprogram_api.console.session import page

PAGE_SIZE = 20
TABS = {"all": "全部"} | rules.STATE_NAMES
QUEUE_TABS = {"pending_review": "居民标记待复核", "held": "内容待审核", "hidden": "已隐藏"}
FIELDS = ("region_id", "title", "background", "opens_at", "closes_at", "poll", "poll_mode",
          "poll_options", "poll_max_choices", "poll_results", "notice_id", "project_id")


def _draft_of_form() -> topics.Draft:
    """The topic as typed: times in Asia/Shanghai, one poll option per line."""
    asked = None
    if http.form.get("poll") == "yes":
        asked = {"mode": form_text("poll_mode", 20),
                "options": [line for line in form_text("poll_options", 3000).splitlines()
                            if line.strip()],
                "max_choices": form_int("poll_max_choices"),
                "results": form_text("poll_results", 20)}
    return topics.Draft(title=form_text("title", 200), background=form_text("background", 12000),
                        closes_at=form_local_datetime("closes_at"),
                        opens_at=form_local_datetime("opens_at"), poll=asked,
                        notice_id=form_int("notice_id"), project_id=form_int("project_id"))


@bp.route("/consultations")
@page
def consultation_list(actor: Actor):
    tab = tab_arg(TABS, "all")
    query = topics.staff_query(actor, status=None if tab == "all" else tab)
    rows, next_url = keyset_page(query, Consultation.id, "console.consultation_list",
                                 limit=PAGE_SIZE, tab=tab)
    return render("console/consultations/list.html", tab=tab, tabs=TABS,
                  rows=reading.summaries(actor, rows), next_url=next_url,
                  may_draft=bool(places_for(actor, policies.MANAGE)))


@bp.route("/consultations/new", methods=["GET", "POST"])
@page
def consultation_new(actor: Actor):
    places = places_for(actor, policies.MANAGE)
    if not places:
        raise Forbidden()
    values = {name: form_text(name, 12000) for name in FIELDS}
    error = None
    if http.method == "POST":
        try:
            if form_local_datetime("closes_at") is None:
                raise InvalidInput("console.bad_date", "请填写截止时间")
            created = topics.create_consultation(actor, region_id=form_int("region_id") or 0,
                                                 draft=_draft_of_form())
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(url_for("console.consultation_detail",
                                    consultation_id=created.id), code=303)
    return _form_page(values, error, places=places)


def _form_page(values: dict, error: str | None, *, places=(), consultation=None):
    return render("console/consultations/new.html", places=places, values=values,
                  error=error, levels=LEVEL_NAMES, consultation=consultation,
                  modes={"single": "单选", "multiple": "多选"},
                  visibility={"after_close": "截止后公开（避免影响后来的人）",
                              "live": "实时公开"}), (422 if error else 200)


def _values_of(consultation: Consultation) -> dict:
    """A draft as the form shows it (times in Asia/Shanghai, one poll option per line)."""
    options = [o.label for o in poll.options_of(consultation.id)]
    return {"title": consultation.title, "background": consultation.background,
            "opens_at": local_input_time(consultation.opens_at),
            "closes_at": local_input_time(consultation.closes_at),
            "poll": "yes" if consultation.poll_mode else "",
            "poll_mode": consultation.poll_mode, "poll_options": "\n".join(options),
            "poll_max_choices": str(consultation.poll_max_choices or ""),
            "poll_results": consultation.poll_results,
            "notice_id": str(consultation.notice_id or ""),
            "project_id": str(consultation.project_id or "")}


@bp.route("/consultations/<int:consultation_id>/edit", methods=["GET", "POST"])
@page
def consultation_edit(actor: Actor, consultation_id: int):
    """Change a draft (text, times, poll, links); the service refuses anything but a draft."""
    consultation = topics.load_for_staff(actor, consultation_id)
    values, error = _values_of(consultation), None
    if http.method == "POST":
        values = {name: form_text(name, 12000) for name in FIELDS}
        try:
            if form_local_datetime("closes_at") is None:
                raise InvalidInput("console.bad_date", "请填写截止时间")
            topics.update_consultation(actor, consultation.id, draft=_draft_of_form())
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            flash("草稿已保存", "info")
            return redirect(url_for("console.consultation_detail",
                                    consultation_id=consultation.id), code=303)
    return _form_page(values, error, consultation=consultation)


@bp.route("/consultations/<int:consultation_id>")
@page
def consultation_detail(actor: Actor, consultation_id: int):
    consultation = topics.load_for_staff(actor, consultation_id)
    data = reading.detail(actor, consultation)
    rows, next_url = keyset_page(comments.staff_comments_query(actor, consultation.id),
                                 ConsultationComment.id, "console.consultation_detail",
                                 limit=PAGE_SIZE, consultation_id=consultation.id)
    return render("console/consultations/detail.html", c=data,
                  comments=reading.comment_views(actor, rows), next_url=next_url,
                  moves=data["allowed_actions"],
                  moderate=can(actor, policies.MODERATE, consultation.region_path))


@bp.route("/consultation-comments")
@page
def consultation_moderation(actor: Actor):
    """Comments waiting for a decision across the person's scope (default: hidden by three
    residents' reports). Roles that moderate nowhere get the service's 403."""
    tab = tab_arg(QUEUE_TABS, "pending_review")
    rows, next_url = keyset_page(comments.moderation_queue(actor, status=tab),
                                 ConsultationComment.id, "console.consultation_moderation",
                                 limit=PAGE_SIZE, tab=tab)
    titles = dict(Consultation.select(Consultation.id, Consultation.title)
                  .where(Consultation.id.in_({c.consultation_id for c in rows} or {0}))
                  .tuples())
    return render("console/consultations/moderation.html", tab=tab, tabs=QUEUE_TABS,
                  comments=reading.comment_views(actor, rows), titles=titles,
                  next_url=next_url)
