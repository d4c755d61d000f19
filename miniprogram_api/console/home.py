"""Home = my work: what waits for this person, as counts and the newest items of each list.

Every list is one query of an existing service (the same ones the /admin/api/v1 queues use);
a list the role may not see raises Forbidden in that service and is simply left out, so the
page shows exactly what the person's grants allow. Add a list by adding a ``WorkList`` to
``_work_lists`` (see the package docstring).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for

from app.disclosures import policies as disclosure_policies
from app.disclosures import rules as disclosure_rules
from app.disclosures import services as disclosures
from app.disclosures.models import Disclosure
from app.errors import Forbidden
from app.policy import Actor, scope_paths
from app.requests import policies as request_policies
from app.requests import queries as request_queries
from app.requests import rules as request_rules
from app.requests.models import Request
from app.seals import services as seals
from app.seals.models import SealUse
from app.supervision.places import scope_condition
from app.wishes import review as wish_review
from app.wishes import rules as wish_rules
from app.wishes.models import Wish
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import link_for, local_time, render
from miniprogram_api.console.session import page
from miniprogram_api.pagination import page_of

SHOWN = 5  # newest items per list on the home page; the list page has the rest
# Seal anomalies are work for those who supervise the seal keepers, not for the keepers.
SEAL_SUPERVISORS = frozenset({"discipline_officer", "supervision_committee", "town_admin"})
REQUEST_QUEUES = (
    ("to_accept", "待受理的诉求"), ("to_dispatch", "待分办的诉求"), ("mine", "本单位待办理"),
    ("extensions", "待审批的延期"), ("overdue", "超期的诉求"), ("escalated", "提级督办"),
    ("joint", "联合督办"),
)


@dataclass
class Item:
    title: str
    meta: str
    url: str | None


@dataclass
class WorkList:
    key: str
    title: str
    count: int
    items: list[Item] = field(default_factory=list)
    more_url: str | None = None


def _newest(query, id_field) -> list:
    return page_of(query, id_field, cursor=None, limit=SHOWN).items


def _request_lists(actor: Actor) -> list[WorkList]:
    lists = []
    for queue, title in REQUEST_QUEUES:
        if queue == "mine" and not request_policies.unit_ids_of(actor):
            continue  # not a member of any handling unit: nothing can be dispatched to them
        try:
            query = request_queries.queue_query(actor, queue)
        except Forbidden:
            continue
        items = [Item(f"{r.tracking_no} {request_rules.TYPE_NAMES.get(r.type, r.type)}",
                      f"{request_rules.STATE_NAMES.get(r.status, r.status)} · "
                      f"{local_time(r.created_at)}",
                      url_for("console.request_detail", request_id=r.id))
                 for r in _newest(query, Request.id)]
        lists.append(WorkList(f"requests_{queue}", title, query.count(), items,
                              url_for("console.request_queue", queue=queue)))
    return lists


def _wish_list(actor: Actor) -> list[WorkList]:
    try:
        query = wish_review.staff_wishes_query(actor, queue="review")
    except Forbidden:
        return []
    items = [Item(wish_rules.CATEGORY_NAMES.get(w.category, w.category) + "：" + w.text[:30],
                  local_time(w.created_at), link_for("console.wish_detail", wish_id=w.id))
             for w in _newest(query, Wish.id)]
    return [WorkList("wishes_review", "待审核的微心愿", query.count(), items,
                     link_for("console.wish_queue"))]


def _disclosure_list(actor: Actor) -> list[WorkList]:
    """Submitted disclosures of the kinds and places this person may approve."""
    cond = None
    for kind in disclosure_rules.KINDS:
        paths = scope_paths(actor, disclosure_policies.review_action(kind))
        if paths:
            part = (Disclosure.kind == kind) & scope_condition(paths, Disclosure.region_path)
            cond = part if cond is None else (cond | part)
    if cond is None:
        return []
    query = disclosures.staff_disclosures_query(actor, status="submitted").where(cond)
    items = [Item(d.title, f"{disclosure_rules.KIND_NAMES.get(d.kind, d.kind)} · {d.period}",
                  link_for("console.disclosure_detail", disclosure_id=d.id))
             for d in _newest(query, Disclosure.id)]
    return [WorkList("disclosures_review", "待审核的公开事项", query.count(), items,
                     link_for("console.disclosure_queue"))]


def _seal_list(actor: Actor) -> list[WorkList]:
    if not actor.roles & SEAL_SUPERVISORS:
        return []
    try:
        query = seals.uses_query(actor, flagged=True)
    except Forbidden:
        return []
    items = [Item(f"{u.document}（{u.purpose[:20]}）", local_time(u.used_at),
                  link_for("console.seal_use_detail", use_id=u.id))
             for u in _newest(query, SealUse.id)]
    return [WorkList("seal_anomalies", "用印异常", query.count(), items,
                     link_for("console.seal_uses"))]


def _overdue_disclosure_list(actor: Actor) -> list[WorkList]:
    """Required disclosures past their date (the cadence's overdue list)."""
    from app.disclosures import cadence
    from app.disclosures.models import DisclosureDue

    try:
        query = cadence.dues_query(actor, status="overdue")
    except Forbidden:
        return []
    items = [Item(f"{d.village.name} {disclosure_rules.KIND_NAMES.get(d.kind, d.kind)} "
                  f"{d.period}", f"应于 {local_time(d.due_at, '%Y-%m-%d')} 前公开",
                  link_for("console.disclosure_dues", status="overdue"))
             for d in _newest(query, DisclosureDue.id)]
    return [WorkList("disclosures_overdue", "逾期未公开", query.count(), items,
                     link_for("console.disclosure_dues", status="overdue"))]


def _report_list(actor: Actor) -> list[WorkList]:
    """Open reports routed to this discipline officer (metadata only; others get nothing)."""
    from app.reports import handling
    from app.reports.models import Report

    try:
        query = handling.queue_query(actor, "open")
    except Forbidden:
        return []
    items = [Item(f"举报 {r['id']}（{r['village_name'] or ''}）",
                  f"{r['status_name']}{' · 已超期' if r['overdue'] else ''}",
                  link_for("console.report_detail", report_id=r["id"]))
             for r in handling.present_queue(actor, _newest(query, Report.id))]
    return [WorkList("reports_open", "待办理的举报", query.count(), items,
                     link_for("console.report_queue"))]


def _objection_list(actor: Actor) -> list[WorkList]:
    """Residents' objections to 事前公示 still unanswered, where this person may answer."""
    from app.notices import objections, policies
    from app.notices.models import NoticeObjection

    paths = scope_paths(actor, policies.MANAGE)
    if not paths:
        return []
    query = (objections.staff_objections_query(actor, status="open")
             .where(scope_condition(paths, NoticeObjection.village_path)))
    items = [Item(o.text[:30], local_time(o.created_at),
                  link_for("console.notice_detail", notice_id=o.notice_id))
             for o in _newest(query, NoticeObjection.id)]
    return [WorkList("notice_objections", "待答复的公示异议", query.count(), items,
                     link_for("console.notice_list", tab="published"))]


def _disclosure_question_list(actor: Actor) -> list[WorkList]:
    """Residents' questions on disclosures still unanswered, where this person may answer."""
    from app.disclosures import questions
    from app.disclosures.models import DisclosureQuestion

    paths = scope_paths(actor, disclosure_policies.ANSWER)
    if not paths:
        return []
    query = (questions.staff_questions_query(actor, status="open")
             .where(scope_condition(paths, DisclosureQuestion.region_path)))
    items = [Item(f"{disclosure_rules.QUESTION_KIND_NAMES.get(q.kind, q.kind)}：{q.text[:30]}",
                  local_time(q.created_at),
                  link_for("console.disclosure_question_detail", question_id=q.id))
             for q in _newest(query, DisclosureQuestion.id)]
    return [WorkList("disclosure_questions", "待答复的居民提问", query.count(), items,
                     link_for("console.disclosure_questions"))]


def _project_list(actor: Actor) -> list[WorkList]:
    """微实事 proposals waiting for review in this person's scope."""
    from app.projects import reading as project_reading
    from app.projects.models import Project

    try:
        query = project_reading.staff_projects_query(actor, status="proposed")
    except Forbidden:
        return []
    items = [Item(p.title, f"{p.proposer_name} · {local_time(p.created_at)}",
                  link_for("console.project_detail", project_id=p.id))
             for p in _newest(query, Project.id)]
    return [WorkList("projects_review", "待审核的微实事提议", query.count(), items,
                     link_for("console.project_review_queue"))]


def _comment_list(actor: Actor) -> list[WorkList]:
    """议事 comments hidden by residents' reports, waiting for this person's review."""
    from app.consultations import comments
    from app.consultations.models import ConsultationComment

    try:
        query = comments.moderation_queue(actor, status="pending_review")
    except Forbidden:
        return []
    items = [Item(c.content[:30], f"{c.author_name} · {local_time(c.created_at)}",
                  link_for("console.consultation_detail", consultation_id=c.consultation_id))
             for c in _newest(query, ConsultationComment.id)]
    return [WorkList("consultation_comments", "居民标记待复核的议事评论", query.count(), items,
                     link_for("console.consultation_moderation"))]


def _redemption_list(actor: Actor) -> list[WorkList]:
    """爱心超市 redemptions waiting for their hand-over, where this person may hand over."""
    from app.points import policies as points_policies
    from app.points import store
    from app.points.models import Redemption

    paths = scope_paths(actor, points_policies.STORE_HAND_OVER)
    if not paths:
        return []
    query = (store.staff_redemptions(actor, status="reserved")
             .where(scope_condition(paths, Redemption.region_path)))
    items = [Item(f"兑换 {r.quantity} 件（{r.points} 积分）", local_time(r.created_at),
                  link_for("console.points_redemptions"))
             for r in _newest(query, Redemption.id)]
    return [WorkList("redemptions_waiting", "待交付的爱心超市兑换", query.count(), items,
                     link_for("console.points_redemptions"))]


def _work_lists(actor: Actor) -> list[WorkList]:
    return (_request_lists(actor) + _wish_list(actor) + _disclosure_list(actor)
            + _overdue_disclosure_list(actor) + _objection_list(actor)
            + _disclosure_question_list(actor) + _seal_list(actor)
            + _report_list(actor) + _project_list(actor) + _comment_list(actor)
            + _redemption_list(actor))


@bp.route("/")
@page
def home(actor: Actor):
    return render("console/home.html", lists=_work_lists(actor))
