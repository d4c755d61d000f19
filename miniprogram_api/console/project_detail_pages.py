"""微实事 pages, the project side: one proposal or project with the forms the person may use
on it — review (accept / merge / reject), the result override, and execution (milestones,
spending lines, progress, completion). Reads go through ``app.projects.reading`` and
``describe``, as ``/admin/api/v1/projects/<id>`` does; the forms post to ``project_actions``.

Which forms are offered follows the project's state and the person's grants (``can``); the
services still decide, so a form offered at the wrong phase is refused on the page.
"""

from __future__ import annotations

from flask import request as http
from flask import url_for

from app.policy import Actor, can
from app.projects import describe, policies, reading
from app.projects.models import Project, ProjectMilestone, ProjectSpending
from miniprogram_api.console.blueprint import bp
from miniprogram_api.console.pages import render
from miniprogram_api.console.participation_forms import local_day
from miniprogram_api.console.session import page
from miniprogram_api.pagination import page_of

LINES = 20  # milestones and spending lines per page


def _forms(project: Project, review: bool, manage: bool) -> list[str]:
    """The forms offered for the project's state (the services check phase and rights)."""
    forms = []
    if review and project.status == "proposed":
        forms += ["accept", "merge", "reject"]
    if manage and project.status in ("selected", "not_selected"):
        forms.append("override")
    if manage and project.status in ("selected", "completed"):
        forms += ["milestone", "spending"]
    if manage and project.status == "selected":
        forms.append("complete")
    return forms


@bp.route("/projects/<int:project_id>")
@page
def project_detail(actor: Actor, project_id: int):
    project, round_ = reading.load_for_staff(actor, project_id)
    data = describe.project_detail(actor, project)
    forms = _forms(project, can(actor, policies.REVIEW, round_.region_path),
                   can(actor, policies.MANAGE, round_.region_path))
    milestones = page_of(reading.milestones_query(actor, project.id), ProjectMilestone.id,
                         cursor=http.args.get("m_cursor"), limit=LINES)
    spending = page_of(reading.spending_query(actor, project.id), ProjectSpending.id,
                       cursor=http.args.get("s_cursor"), limit=LINES)
    targets = []
    if "merge" in forms:  # the proposals of this round it may be merged into
        targets = list(reading.staff_projects_query(actor, status=None, round_id=round_.id)
                       .where(Project.status.in_(("proposed", "accepted"))
                              & (Project.id != project.id))
                       .order_by(Project.id).limit(100))
    merged_into = (Project.get_or_none(Project.id == project.merged_into_id)
                   if project.merged_into_id else None)
    return render("console/projects/project.html", p=data, round_=round_, forms=forms,
                  merge_targets=targets, merged_into=merged_into,
                  milestones=describe.milestones(actor, milestones.items),
                  spending=describe.spending(actor, spending.items),
                  m_next=(url_for("console.project_detail", project_id=project.id,
                                  m_cursor=milestones.next_cursor)
                          if milestones.next_cursor else None),
                  s_next=(url_for("console.project_detail", project_id=project.id,
                                  s_cursor=spending.next_cursor)
                          if spending.next_cursor else None),
                  phase=describe.round_summary(actor, round_)["phase_name"],
                  today=local_day())
