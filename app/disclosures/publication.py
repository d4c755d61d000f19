"""What publishing a disclosure does besides changing its status, inside the caller's
transaction: the transparency-log leaf, the cadence obligations it meets, staff notices.

The log body is exactly what residents see (:func:`published_body`): place, kind, category,
period, title, body, the correction it makes, the attachments' SHA-256 and the ``extra`` facts
of the feature that drafted it — never the author, reviewer or any resident.
"""

from __future__ import annotations

import datetime as dt
import json

from app.clock import iso
from app.disclosures import cadence_rules, rules
from app.disclosures.models import Disclosure, DisclosureDue
from app.notifications.services import enqueue
from app.regions.models import Region
from app.supervision.places import staff_with_roles

RECORD_TYPE = "disclosure"
ANSWER_RECORD_TYPE = "disclosure_answer"


def published_body(disclosure: Disclosure) -> dict:
    """The record of a published disclosure as it goes on the transparency log."""
    from app.media.services import attached_media

    region = Region.get_by_id(disclosure.region_id)
    return {
        "place": {"code": region.code, "name": region.name, "level": region.level},
        "kind": disclosure.kind,
        "category": disclosure.category,
        "period": disclosure.period,
        "matter_key": disclosure.matter_key,
        "title": disclosure.title,
        "body": disclosure.body,
        "corrects": disclosure.corrects_id,
        "correction_reason": disclosure.correction_reason or None,
        "attachments": [m.sha256 for m in attached_media(f"disclosure:{disclosure.id}")],
        "extra": json.loads(disclosure.extra or "{}"),
        "published_at": iso(disclosure.published_at),
    }


def append_to_log(disclosure: Disclosure):
    """Append the published disclosure to its town's log; returns the leaf."""
    from app.transparency.services import append_record

    return append_record(disclosure.town_id, RECORD_TYPE, disclosure.id,
                         published_body(disclosure), now=disclosure.published_at)


def settle_obligations(disclosure: Disclosure, now: dt.datetime) -> int:
    """Mark the village's obligations this publication meets: its period, and its matter.

    Open ones become ``met``, overdue ones ``met_late``. Returns how many changed.
    """
    if disclosure.village_id is None:
        return 0
    keys = [disclosure.period]
    if disclosure.matter_key:
        keys.append(cadence_rules.matter_key(disclosure.matter_key))
    mine = ((DisclosureDue.village == disclosure.village_id)
            & (DisclosureDue.kind == disclosure.kind) & DisclosureDue.period.in_(keys))
    changed = 0
    for before, after in (("open", "met"), ("overdue", "met_late")):
        changed += (DisclosureDue.update(status=after, disclosure_id=disclosure.id, met_at=now)
                    .where(mine & (DisclosureDue.status == before)).execute())
    return changed


def notify_reviewers(disclosure: Disclosure) -> None:
    roles = {"finance_panel", "supervision_committee"} if disclosure.kind == "finance" else {
        "supervision_committee", "town_admin"}
    for user_id in staff_with_roles(disclosure.region_path, roles):
        if user_id == disclosure.author_id:
            continue
        enqueue(channel="staff", recipient_user_id=user_id, kind="disclosure.to_review",
                title=f"{rules.KIND_NAMES[disclosure.kind]}待审核", body=disclosure.title,
                page=f"/console/disclosures/{disclosure.id}",
                dedupe_key=f"disclosure:{disclosure.id}:submit:{disclosure.version}"
                           f":user:{user_id}")


def notify_author(disclosure: Disclosure, kind: str, title: str) -> None:
    enqueue(channel="staff", recipient_user_id=disclosure.author_id, kind=kind, title=title,
            body=disclosure.review_note or disclosure.title,
            page=f"/console/disclosures/{disclosure.id}",
            dedupe_key=f"disclosure:{disclosure.id}:{kind}:{disclosure.version}")
