"""Scheduled work of consultations: open scheduled topics and close open ones on time.

Each topic moves by a conditional update on (id, status, time <= now): two scheduler runs at
once, or a crash and a rerun, move it exactly once, and a topic staff changed meanwhile (closed
early, withdrawn) is left alone.
"""

from __future__ import annotations

import logging

from app.audit.services import record
from app.clock import utcnow
from app.consultations import notify
from app.consultations.models import Consultation
from app.db import database

log = logging.getLogger("linli.jobs.consultations")


def advance(now=None, *, batch: int = 500) -> dict:
    """One pass: open due scheduled topics, close open topics past their closing time.
    Idempotent; one failing topic never stops the pass (it is retried next run)."""
    now = now or utcnow()
    counts = {"opened": 0, "closed": 0}
    steps = (("opened", "scheduled", "open", Consultation.opens_at, "opened_at"),
             ("closed", "open", "closed", Consultation.closes_at, "closed_at"))
    for key, source, target, due_field, stamp in steps:
        due = (Consultation.select(Consultation.id)
               .where((Consultation.status == source) & (due_field <= now))
               .order_by(due_field, Consultation.id).limit(batch).tuples())
        for (consultation_id,) in list(due):
            try:
                if _move(consultation_id, source, target, due_field, stamp, now):
                    counts[key] += 1
            except Exception:
                log.exception("consultation %s failed for id=%s", target, consultation_id)
    return counts


def _move(consultation_id: int, source: str, target: str, due_field, stamp: str, now) -> bool:
    with database.atomic():
        won = (Consultation.update({Consultation.status: target,
                                    getattr(Consultation, stamp): now,
                                    Consultation.updated_at: now,
                                    Consultation.version: Consultation.version + 1})
               .where((Consultation.id == consultation_id) & (Consultation.status == source)
                      & (due_field <= now))
               .execute())
        if won != 1:
            return False
        consultation = Consultation.get_by_id(consultation_id)
        record(actor=None, grant=None, action=f"consultation.auto_{target}",
               object_type="consultation", object_id=consultation.id,
               region_path=consultation.region_path, region_id=consultation.region_id)
        if target == "open":
            notify.opened(consultation)
    return True
