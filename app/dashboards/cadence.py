"""Disclosure cadence compliance by village: how many obligations are met on time, met late,
still open, overdue or waived, and the on-time rate (met / (met + met_late + overdue)).

Built on ``app.disclosures.cadence.dues_query`` (its scope and its readers), grouped in SQL.
"""

from __future__ import annotations

from peewee import fn

from app.disclosures import cadence
from app.disclosures.cadence_rules import DUE_STATES
from app.disclosures.models import DisclosureDue
from app.policy import Actor
from app.regions.models import Region


def compliance_by_village(actor: Actor | None, *, kind: str | None = None) -> list[dict]:
    """One row per village in the caller's scope that has obligations, by village name.

    Town admins, discipline officers, the supervision committee and cadres (the readers of
    ``dues_query``). Raises Forbidden. Changes nothing.
    """
    query = cadence.dues_query(actor)
    if kind is not None:
        query = query.where(DisclosureDue.kind == kind)
    rows = (query.select(Region.id, Region.name, DisclosureDue.status,
                         fn.COUNT(DisclosureDue.id).alias("n"))
            .group_by(Region.id, Region.name, DisclosureDue.status).tuples())
    villages: dict[int, dict] = {}
    for village_id, name, status, count in rows:
        row = villages.setdefault(village_id, {"village_id": village_id, "label": name,
                                               **dict.fromkeys(DUE_STATES, 0)})
        row[status] = int(count)
    out = []
    for row in villages.values():
        judged = row["met"] + row["met_late"] + row["overdue"]
        row["on_time_rate"] = round(row["met"] / judged, 4) if judged else None
        out.append(row)
    return sorted(out, key=lambda r: r["label"])
