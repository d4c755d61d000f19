"""Disclosures tests: the supervision town, and helpers that walk a disclosure through review."""

from __future__ import annotations

from app.clock import frozen
from app.disclosures import services as disclosures
from app.disclosures.models import Disclosure
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import MONDAY_9AM, Place, staff_user

place = fixtures.place


def draft(place: Place, *, kind="affairs", category=None, region=None, period="2026-Q4",
          by=None, at=MONDAY_9AM, title="2026年第四季度村务公开", **extra) -> Disclosure:
    category = category or {"affairs": "decisions", "party": "activities",
                            "finance": "income_expense"}[kind]
    with frozen(at):
        return disclosures.create_disclosure(
            place.staff(by or "cadre"), region_id=(region or place.tree.village_a1).id,
            kind=kind, category=category, title=title, body="本季度召开村民代表会议两次……",
            period=period, **extra)


def published(place: Place, *, kind="affairs", at=MONDAY_9AM, by=None, region=None,
              **kwargs) -> Disclosure:
    """A disclosure drafted by ``by`` (the cadre), signed off by a reviewer who may review it
    there (a second town admin outside village A1) and published by its author."""
    region = region or place.tree.village_a1
    item = draft(place, kind=kind, at=at, by=by, region=region, **kwargs)
    if kind == "finance" and region == place.tree.village_a1:
        reviewer = place.staff("finance_panel")
    elif region == place.tree.village_a1:
        reviewer = place.staff("supervision_committee")
    else:
        town = place.tree.town_a if region.path.startswith(place.tree.town_a.path) \
            else place.tree.town_b
        reviewer = place.actor(staff_user("supervision_committee" if kind == "finance"
                                          else "town_admin", region if kind == "finance"
                                          else town, "复核人"), "staff")
    author = place.staff(by or "cadre")
    with frozen(at):
        disclosures.submit_disclosure(author, item.id)
        disclosures.approve_disclosure(reviewer, item.id)
        return disclosures.publish_disclosure(author, item.id)


def fresh(item: Disclosure) -> Disclosure:
    return Disclosure.get_by_id(item.id)
