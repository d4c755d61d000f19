"""事前公示 tests: the supervision town and a notice published on Monday 2026-11-23 09:00."""

from __future__ import annotations

from app.clock import frozen
from app.notices import services as notices
from app.notices.models import Notice
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import MONDAY_9AM, Place

place = fixtures.place


def drafted(place: Place, *, days: int = 5, village=None) -> Notice:
    with frozen(MONDAY_9AM):
        return notices.create_notice(
            place.staff("cadre" if village is None else "town_admin"),
            village_id=(village or place.tree.village_a1).id, matter_type="asset_lease",
            matter="临街店面出租", proposal="拟以每年 3.6 万元公开招租临街店面，租期三年。",
            objection_days=days)


def published_notice(place: Place, **kwargs) -> Notice:
    notice = drafted(place, **kwargs)
    publisher = "town_admin" if kwargs.get("village") is not None else "cadre"
    with frozen(MONDAY_9AM):
        return notices.publish_notice(place.staff(publisher), notice.id)


def fresh(notice: Notice) -> Notice:
    return Notice.get_by_id(notice.id)
