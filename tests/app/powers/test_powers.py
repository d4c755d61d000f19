"""The power list: items with legal basis and steps (some requiring evidence), a town template
copied into villages, scoped reading, and who may keep it."""

from __future__ import annotations

import pytest

from app.errors import Forbidden, InvalidInput, NotFound
from app.powers import services as powers
from app.powers.models import PowerItem
from tests.app.powers.conftest import LEASE_STEPS, template


def test_an_item_keeps_its_steps_in_order_with_their_evidence(place):
    lease, _ = template(place)
    steps = powers.steps_of(lease)
    assert [(s.seq, s.name, s.requires_evidence) for s in steps] == [
        (1, "村党组织提议", True), (2, "村民代表会议决议", True), (3, "事前公示", True),
        (4, "签订合同", False)]
    assert steps[1].evidence_hint == "会议记录与表决票"
    assert (lease.is_template, lease.requires_notice) == (True, True)


def test_a_step_requiring_evidence_must_say_which(place):
    with pytest.raises(InvalidInput) as info:
        powers.save_item(place.staff("town_admin"), region_id=place.tree.town_a.id, code="X-1",
                         name="事项", category="other", legal_basis="依据",
                         steps=[{"name": "审批", "requires_evidence": True}])
    assert (info.value.code, info.value.details) == ("power_item.bad_steps", {"step": 1})


def test_the_town_template_is_copied_into_a_village_keeping_its_own_items(place):
    template(place)
    admin = place.staff("town_admin")
    powers.save_item(admin, region_id=place.tree.village_a1.id, code="BM-01",
                     name="开具居住证明（本村流程）", category="services", legal_basis="本村制度",
                     steps=[{"name": "网格员核实"}, {"name": "盖章"}])
    result = powers.import_template(admin, village_id=place.tree.village_a1.id)
    assert (result.added, result.skipped) == (["ZC-01"], ["BM-01"])
    copied = PowerItem.get((PowerItem.region == place.tree.village_a1.id)
                           & (PowerItem.code == "ZC-01"))
    assert len(powers.steps_of(copied)) == len(LEASE_STEPS)
    assert copied.source_template_id is not None and not copied.is_template
    again = powers.import_template(admin, village_id=place.tree.village_a1.id)
    assert again.added == []


def test_a_village_without_a_town_template_is_told_so(place):
    with pytest.raises(InvalidInput) as info:
        powers.import_template(place.staff("town_admin"), village_id=place.tree.village_a1.id)
    assert info.value.code == "power_item.no_template"


@pytest.mark.parametrize("role", ["cadre", "supervision_committee", "discipline_officer",
                                  "grid_worker", "finance_panel"])
def test_only_town_admins_keep_the_list(place, role):
    with pytest.raises(Forbidden):
        powers.save_item(place.staff(role), region_id=place.tree.village_a1.id, code="X-1",
                         name="事项", category="other", legal_basis="依据",
                         steps=[{"name": "办理"}])
    with pytest.raises(Forbidden):
        powers.save_item(place.staff(place.town_admin_b), region_id=place.tree.village_a1.id,
                         code="X-1", name="事项", category="other", legal_basis="依据",
                         steps=[{"name": "办理"}])


def test_staff_read_in_scope_and_residents_read_their_villages_active_list(place):
    template(place)
    powers.import_template(place.staff("town_admin"), village_id=place.tree.village_a1.id)
    village_items = list(powers.village_list_query(place.actor(place.resident)))
    assert sorted(i.code for i in village_items) == ["BM-01", "ZC-01"]
    assert list(powers.village_list_query(place.actor(place.resident_a2))) == []
    with pytest.raises(NotFound):
        powers.load_item(place.actor(place.resident_a2), village_items[0].id)
    assert len(list(powers.items_query(place.staff("grid_worker")))) == 4  # village + town
    assert list(powers.items_query(place.staff(place.cadre_b))) == []
    with pytest.raises(Forbidden):
        powers.items_query(place.actor(place.resident))
