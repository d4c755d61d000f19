"""微实事 pages, the round side: the rounds in scope, opening a round, one round with its
proposals, the counted result, and the queue of proposals waiting for review. Reads and the
new round go through ``app.projects`` (``reading``, ``rounds``, ``voting``, ``describe``), the
calls behind ``/admin/api/v1/projects``; a project's own page is ``project_detail_pages`` and
the POST forms are ``project_actions``. A round with a published result links its public
page (``public_pages.project_round``)."""

from __future__ import annotations

from flask import redirect, url_for
from flask import request as http

from app.errors import DomainError, Forbidden, NotFound, Unauthorized
from app.policy import Actor, can
from app.projects import describe, policies, reading, rounds, rules, voting
from app.projects.models import Project, ProjectRound
from app.regions.models import Region
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import form_int, form_text, keyset_page, render, tab_arg
from miniprogram_api.console.participation_forms import (
    LEVEL_NAMES,
    form_local_date,
    form_yuan,
    local_day,
    places_for,
)
from miniprogram_api.console.session import page

PAGE_SIZE = 20
# The phases' opening dates on the form: (field, label, default days from today).
DATE_FIELDS = (("proposal_opens_at", "征集提议开始", 0), ("review_opens_at", "审核提议开始", 14),
               ("voting_opens_at", "居民投票开始", 21), ("voting_closes_at", "投票截止", 28),
               ("execution_opens_at", "项目实施开始", 35),
               ("acceptance_opens_at", "验收评价开始", 120), ("closes_at", "本轮结束", 150))
PROJECT_TABS = {"all": "全部"} | rules.STATE_NAMES


@bp.app_template_filter("project_status")
def _status_name(status: str) -> str:
    return rules.STATE_NAMES.get(status, status)


@bp.app_template_filter("project_kind")
def _kind_name(kind: str) -> str:
    return rules.KIND_NAMES.get(kind, kind)


def _region_names(ids) -> dict[int, str]:
    return dict(Region.select(Region.id, Region.name)
                .where(Region.id.in_(sorted(set(ids)) or [0])).tuples())


@bp.route("/project-rounds")
@page
def project_round_list(actor: Actor):
    rounds_, next_url = keyset_page(reading.staff_rounds_query(actor), ProjectRound.id,
                                    "console.project_round_list", limit=PAGE_SIZE)
    rows = [describe.round_summary(actor, r) for r in rounds_]
    return render("console/projects/rounds.html", rows=rows, next_url=next_url,
                  places=_region_names(r["region_id"] for r in rows),
                  may_open=bool(places_for(actor, policies.MANAGE)))


@bp.route("/project-rounds/new", methods=["GET", "POST"])
@page
def project_round_new(actor: Actor):
    places = places_for(actor, policies.MANAGE)
    if not places:
        raise Forbidden()
    names = ("region_id", "title", "description", "ballot_type", "vote_unit", "budget_yuan")
    values = {name: form_text(name, 2000) for name in names}
    values.update({field: form_text(field, 10) or local_day(days)
                   for field, _, days in DATE_FIELDS})
    error = None
    if http.method == "POST":
        try:
            created = rounds.create_round(
                actor, region_id=form_int("region_id") or 0, title=values["title"],
                ballot_type=values["ballot_type"],
                vote_unit=values["vote_unit"], budget_fen=form_yuan("budget_yuan", "本轮预算"),
                dates={field: form_local_date(field) for field, _, _ in DATE_FIELDS},
                description=values["description"])
        except (Unauthorized, Forbidden, NotFound):
            raise
        except DomainError as exc:
            error = exc.message
        else:
            return redirect(url_for("console.project_round_detail", round_id=created.id),
                            code=303)
    return render("console/projects/new_round.html", places=places, values=values,
                  error=error, levels=LEVEL_NAMES, date_fields=DATE_FIELDS,
                  ballot_types=rules.BALLOT_TYPE_NAMES,
                  vote_units=rules.VOTE_UNIT_NAMES), (422 if error else 200)


def _next_phase(phase: str) -> str | None:
    at = rules.PHASES.index(phase)
    return rules.PHASES[at + 1] if at + 1 < len(rules.PHASES) else None


@bp.route("/project-rounds/<int:round_id>")
@page
def project_round_detail(actor: Actor, round_id: int):
    round_ = reading.load_round_for_staff(actor, round_id)
    tab = tab_arg(PROJECT_TABS, "all", name="status")
    query = reading.staff_projects_query(actor, status=None if tab == "all" else tab,
                                         round_id=round_.id)
    rows, next_url = keyset_page(query, Project.id, "console.project_round_detail",
                                 limit=PAGE_SIZE, round_id=round_.id, status=tab)
    info = describe.round_summary(actor, round_)
    return render("console/projects/round.html", r=info, tab=tab, tabs=PROJECT_TABS,
                  rows=rows, next_url=next_url,
                  region=Region.get_by_id(round_.region_id),
                  manage=can(actor, policies.MANAGE, round_.region_path),
                  next_phase=_next_phase(info["phase"]), phase_names=rules.PHASE_NAMES,
                  date_fields=DATE_FIELDS)


@bp.route("/project-rounds/<int:round_id>/result")
@page
def project_round_result(actor: Actor, round_id: int):
    """The counted tally as published, with every override and its reason. Before the
    result is published the service's refusal is the page ("本轮投票结果尚未公布")."""
    round_ = reading.load_round_for_staff(actor, round_id)
    result = voting.result_of(actor, round_.id)
    return render("console/projects/result.html", round_=round_, res=result,
                  names=dict(Project.select(Project.id, Project.title)
                             .where(Project.id.in_([o["project_id"]
                                                    for o in result["overrides"]] or [0]))
                             .tuples()),
                  ballot_type=rules.BALLOT_TYPE_NAMES[round_.ballot_type],
                  vote_unit=rules.VOTE_UNIT_NAMES[round_.vote_unit])


@bp.route("/projects")
@page
def project_review_queue(actor: Actor):
    """Proposals waiting for review across the person's scope, oldest last (newest first)."""
    rows, next_url = keyset_page(reading.staff_projects_query(actor, status="proposed"),
                                 Project.id, "console.project_review_queue", limit=PAGE_SIZE)
    titles = dict(ProjectRound.select(ProjectRound.id, ProjectRound.title)
                  .where(ProjectRound.id.in_({p.round_id for p in rows} or {0}))
                  .tuples())
    return render("console/projects/queue.html", rows=rows, rounds=titles,
                  next_url=next_url)
