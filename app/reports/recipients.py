"""Keeping a report's recipients current, by whoever holds the report key at the moment.

The report key can be sealed to an officer only by someone who holds it: the reporter (through
the receipt) or an officer who opened the report. Each of them calls :func:`sync` inside their
transaction: officers newly posted at the handling or supervising level get a recipient row
(and a notice), recipients who set up a key since get their sealed copy, and accounts that are
excluded now (say, a cadre appointed to the village since) get an exclusion and lose their row.
"""

from __future__ import annotations

from app.reports import keys, notify, routing, sealing
from app.reports.models import Report, ReportExclusion, ReportRecipient


def add_exclusions(report: Report, user_ids) -> None:
    rows = [{"report": report.id, "user_tag": routing.exclusion_tag(u)} for u in sorted(user_ids)]
    if rows:
        ReportExclusion.insert_many(rows).on_conflict_ignore().execute()


def add_recipients(report: Report, report_key: bytes, handlers, supervisors, now) -> list[int]:
    """Rows for officers not yet recipients (sealed where they have a key); returns new ids."""
    existing = {row[0] for row in ReportRecipient.select(ReportRecipient.user)
                .where(ReportRecipient.report == report.id).tuples()}
    wanted = [(u, "handler") for u in handlers] + [(u, "supervisor") for u in supervisors]
    wanted = [(u, level) for u, level in wanted if u not in existing]
    publics = keys.public_keys(u for u, _ in wanted)
    for user_id, level in wanted:
        sealed = sealing.seal_to(publics[user_id], report_key) if user_id in publics else None
        ReportRecipient.create(report=report.id, user=user_id, level=level, sealed_key=sealed,
                               added_at=now)
    return [u for u, _ in wanted]


def sync(report: Report, report_key: bytes, accused_user_id: int | None, now) -> None:
    """Bring recipients and exclusions up to date (inside the caller's transaction)."""
    if report.destroyed_at is not None:
        return
    excluded = routing.excluded_users(report.village, accused_user_id)
    add_exclusions(report, excluded)
    if excluded:
        (ReportRecipient.delete()
         .where((ReportRecipient.report == report.id)
                & ReportRecipient.user.in_(sorted(excluded))).execute())
    handlers = [u for u in routing.officers_at(report.handling_region_id) if u not in excluded]
    supervisors = ([u for u in routing.officers_at(report.supervising_region_id)
                    if u not in excluded and u not in handlers]
                   if report.supervising_region_id else [])
    added = add_recipients(report, report_key, handlers, supervisors, now)
    pending = list(ReportRecipient.select()
                   .where((ReportRecipient.report == report.id)
                          & ReportRecipient.sealed_key.is_null()
                          & ReportRecipient.recused_at.is_null()))
    publics = keys.public_keys(r.user_id for r in pending)
    for row in pending:
        if row.user_id in publics:
            (ReportRecipient.update(sealed_key=sealing.seal_to(publics[row.user_id], report_key))
             .where((ReportRecipient.id == row.id) & ReportRecipient.sealed_key.is_null())
             .execute())
    if added:
        notify.notify_officers(report.id, added, "assigned", now)
