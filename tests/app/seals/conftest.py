"""Seal-log tests: a village seal, its power list (one item requiring a notice) and a notice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from app.clock import frozen
from app.notices.models import Notice
from app.powers.models import PowerItem
from app.seals import services as seals
from app.seals.models import Seal
from tests.app.notices.conftest import published_notice
from tests.app.powers.conftest import template
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import MONDAY_9AM, Place

place = fixtures.place
# Tuesday 2026-12-01 10:00 Shanghai: a working day, after the notice's period ended.
TUESDAY_10AM = dt.datetime(2026, 12, 1, 2, 0)


@dataclass
class SealDesk:
    place: Place
    seal: Seal
    lease: PowerItem
    certificate: PowerItem
    notice: Notice

    def use(self, *, at=TUESDAY_10AM, recorded_at=None, **changes):
        values = {"document": "店面租赁合同", "purpose": "临街店面出租签约",
                  "applicant_name": "李会计", "applicant_user_id": self.place.cadre2.id,
                  "approver_user_id": self.place.user("cadre").id,
                  "power_item_id": self.lease.id, "notice_id": self.notice.id,
                  "used_at": at}
        values.update(changes)
        with frozen(recorded_at or at + dt.timedelta(minutes=10)):
            return seals.record_seal_use(self.place.staff("cadre"), self.seal.id, **values)


@pytest.fixture
def desk(place) -> SealDesk:
    from app.powers import services as powers

    template(place)
    powers.import_template(place.staff("town_admin"), village_id=place.tree.village_a1.id)
    lease = PowerItem.get((PowerItem.region == place.tree.village_a1.id)
                          & (PowerItem.code == "ZC-01"))
    certificate = PowerItem.get((PowerItem.region == place.tree.village_a1.id)
                                & (PowerItem.code == "BM-01"))
    with frozen(MONDAY_9AM):
        seal = seals.register_seal(place.staff("town_admin"), village_id=place.tree.village_a1.id,
                                   name="东星社区居民委员会公章", kind="official",
                                   keeper_user_id=place.user("cadre").id)
    return SealDesk(place, seal, lease, certificate, published_notice(place))
