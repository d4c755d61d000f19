"""Who may do what with reports, and who may see which report at all.

Only discipline officers handle reports, and only those a report was routed to (its live
recipients) who are not excluded from it (``routing.py``). Everyone else, the accused first,
gets exactly what they would get for a report that does not exist: ``report.not_found``.
Town admins and sysadmins configure retention and mark village heads; they never see reports.
Report entries of the audit log are shown only to a report's live recipients (registered with
:func:`app.audit.services.register_visibility`), so ``audit_query`` never hands a town admin
or sysadmin the existence of a report.
"""

from __future__ import annotations

import peewee

from app.audit.services import register_visibility
from app.errors import NotFound
from app.policy import Actor, can, register, scope_paths
from app.regions.services import in_subtree
from app.reports import routing
from app.reports.models import Report, ReportExclusion, ReportRecipient

HANDLE = register("report.handle", {"discipline_officer"})
CONFIGURE = register("report.configure", {"town_admin", "sysadmin"})
AUDIT_OBJECT = "report"


def not_found() -> NotFound:
    return NotFound("report.not_found", "找不到该举报")


def load_for_officer(actor: Actor, report_id: int, *,
                     levels: tuple[str, ...] = ("handler", "supervisor"),
                     ) -> tuple[Report, ReportRecipient]:
    """The report and the actor's recipient row, or ``report.not_found`` for anyone who is not
    a live, non-excluded recipient at one of ``levels`` who still holds the officer grant."""
    report = Report.get_or_none(Report.id == report_id)
    recipient = None
    if report is not None and report.destroyed_at is None:
        recipient = ReportRecipient.get_or_none(
            (ReportRecipient.report == report.id) & (ReportRecipient.user == actor.user_id)
            & ReportRecipient.recused_at.is_null())
    if (recipient is None or recipient.level not in levels
            or not can(actor, HANDLE, report.handling_path)
            or routing.is_excluded(actor, report)):
        raise not_found()
    return report, recipient


def visible_condition(actor: Actor) -> peewee.Expression:
    """SQL: the report is open to the actor — a live recipient, still holding the officer grant
    over its handling level, and not excluded from it (stored or live exclusion)."""
    recipient = (ReportRecipient.select(ReportRecipient.report)
                 .where((ReportRecipient.user == actor.user_id)
                        & ReportRecipient.recused_at.is_null()))
    excluded = (ReportExclusion.select(ReportExclusion.report)
                .where(ReportExclusion.user_tag == routing.exclusion_tag(actor.user_id)))
    scope = None
    for path in scope_paths(actor, HANDLE):
        part = in_subtree(Report.handling_path, path)
        scope = part if scope is None else (scope | part)
    if scope is None:
        return Report.id.is_null()  # matches nothing
    cond = scope & Report.id.in_(recipient) & Report.id.not_in(excluded)
    villages = routing.actor_village_paths(actor)
    if villages:
        cond &= Report.village_path.not_in(villages)
    return cond


def visible_report_ids(actor: Actor):
    """Report ids (as text, like ``AuditEntry.object_id``) whose audit entries the actor sees."""
    return (Report.select(Report.id.cast("varchar"))
            .where(visible_condition(actor)))


register_visibility(AUDIT_OBJECT, visible_report_ids)
