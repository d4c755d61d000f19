"""Power-list tests: the supervision town and a town template of two items."""

from __future__ import annotations

from app.powers import services as powers
from app.powers.models import PowerItem
from tests.app.supervision import fixtures
from tests.app.supervision.fixtures import Place

place = fixtures.place

LEASE_STEPS = [
    {"name": "村党组织提议", "requires_evidence": True, "evidence_hint": "提议记录"},
    {"name": "村民代表会议决议", "requires_evidence": True, "evidence_hint": "会议记录与表决票"},
    {"name": "事前公示", "description": "公示不少于 5 天", "requires_evidence": True,
     "evidence_hint": "公示照片"},
    {"name": "签订合同"},
]


def template(place: Place) -> list[PowerItem]:
    admin = place.staff("town_admin")
    return [
        powers.save_item(admin, region_id=place.tree.town_a.id, code="ZC-01",
                         name="集体资产出租", category="assets_resources",
                         legal_basis="《村民委员会组织法》第二十四条", steps=LEASE_STEPS,
                         requires_notice=True),
        powers.save_item(admin, region_id=place.tree.town_a.id, code="BM-01",
                         name="开具居住证明", category="services",
                         legal_basis="村务管理制度", steps=[{"name": "核实"}, {"name": "盖章"}]),
    ]
