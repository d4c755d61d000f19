"""Configuration services: scoped lists of units, rules and a town's categories; denials."""

from __future__ import annotations

import pytest

from app.errors import Forbidden, InvalidInput, NotFound
from app.requests import routing, setup
from app.requests.models import HandlingUnit, RoutingRule, UnitMember

DENIED = ["grid_worker", "cadre", "discipline", "resident", "handler"]


def unit_names(query):
    return sorted(u.name for u in query)


def test_a_town_admin_lists_the_units_of_their_town(town):
    names = unit_names(setup.units_query(town.actor(town.town_admin)))
    assert names == sorted([town.grid_unit.name, town.dept_unit.name])


def test_a_sysadmin_lists_every_unit_of_the_district(town):
    assert len(unit_names(setup.units_query(town.actor(town.sysadmin)))) == 3


def test_units_can_be_narrowed_to_a_region_inside_the_scope(town):
    query = setup.units_query(town.actor(town.town_admin), region_id=town.tree.grid_a1.id)
    [unit] = list(query)
    assert unit.id == town.grid_unit.id
    assert unit.region.name == "第一网格"  # joined, no extra query
    assert routing.responsibilities(unit) == ["网格内环境巡查", "邻里矛盾初步调解"]


def test_a_region_outside_the_scope_is_refused(town):
    with pytest.raises(Forbidden):
        setup.units_query(town.actor(town.town_admin), region_id=town.tree.town_b.id)
    with pytest.raises(Forbidden):
        setup.routing_rules_query(town.actor(town.town_admin), region_id=town.tree.town_b.id)


def test_routing_rules_are_listed_in_scope_with_their_unit(town):
    admin = town.actor(town.sysadmin)
    setup.add_routing_rule(admin, region_id=town.tree.town_b.id, unit_id=town.other_unit.id)
    rules = list(setup.routing_rules_query(town.actor(town.town_admin)))
    assert sorted((r.category_code, r.unit.name) for r in rules) == [
        ("", town.grid_unit.name), ("roads", town.dept_unit.name)]
    assert len(list(setup.routing_rules_query(admin))) == 3


def test_a_towns_categories_lay_its_own_rows_over_the_defaults(town):
    admin = town.actor(town.town_admin)
    setup.save_category(admin, town_id=town.tree.town_a.id, code="roads", name="道路与停车",
                        resolve_days=5)
    setup.save_category(admin, town_id=town.tree.town_a.id, code="elderly", name="养老助残",
                        active=False)
    page, more = setup.town_categories(admin, town.tree.town_a.id)
    assert not more
    by_code = {c.code: c for c in page}
    assert [c.code for c in page] == sorted(by_code)
    assert len(page) == len(setup.DEFAULT_CATEGORIES)
    assert by_code["roads"] == setup.TownCategory("roads", "道路与停车", 5, True, True)
    assert by_code["elderly"].active is False
    assert by_code["environment"] == setup.TownCategory("environment", "环境卫生", None, True,
                                                        False)


def test_another_towns_rows_do_not_show(town):
    setup.save_category(town.actor(town.sysadmin), town_id=town.tree.town_b.id, code="roads",
                        name="城东道路")
    page, _ = setup.town_categories(town.actor(town.town_admin), town.tree.town_a.id)
    assert {c.name for c in page if c.code == "roads"} == {"道路交通"}


def test_categories_page_by_code(town):
    admin = town.actor(town.town_admin)
    setup.save_category(admin, town_id=town.tree.town_a.id, code="aaa_new", name="新类别")
    seen, after, pages = [], None, 0
    while True:
        page, more = setup.town_categories(admin, town.tree.town_a.id, after_code=after, limit=3)
        seen += [c.code for c in page]
        pages += 1
        if not more:
            break
        after = page[-1].code
    expected = sorted({code for code, _ in setup.DEFAULT_CATEGORIES} | {"aaa_new"})
    assert seen == expected
    assert pages == -(-len(expected) // 3)  # every page full but the last


def test_categories_are_configured_per_town_only(town):
    with pytest.raises(InvalidInput) as info:
        setup.town_categories(town.actor(town.sysadmin), town.tree.village_a1.id)
    assert info.value.code == "request.category_needs_town"


def test_a_town_admin_may_not_read_another_towns_categories(town):
    with pytest.raises(Forbidden):
        setup.town_categories(town.actor(town.town_admin), town.tree.town_b.id)


@pytest.mark.parametrize("who", DENIED)
def test_other_roles_may_not_read_the_configuration(town, who):
    actor = town.actor(getattr(town, who))
    with pytest.raises(Forbidden):
        setup.units_query(actor)
    with pytest.raises(Forbidden):
        setup.routing_rules_query(actor)
    with pytest.raises(Forbidden):
        setup.town_categories(actor, town.tree.town_a.id)


@pytest.mark.parametrize("who", DENIED)
def test_other_roles_may_not_change_the_configuration(town, who):
    actor, tree = town.actor(getattr(town, who)), town.tree
    units, rules = HandlingUnit.select().count(), RoutingRule.select().count()
    members = UnitMember.select().count()
    with pytest.raises(Forbidden):
        setup.create_unit(actor, name="新单位", kind="grid", region_id=tree.grid_a1.id,
                          responsibilities=["巡查"])
    with pytest.raises(Forbidden):
        setup.add_unit_member(actor, town.grid_unit.id, town.neighbour.id)
    with pytest.raises(Forbidden):
        setup.add_routing_rule(actor, region_id=tree.grid_a1.id, unit_id=town.grid_unit.id,
                               category_code="safety")
    with pytest.raises(Forbidden):
        setup.save_category(actor, town_id=tree.town_a.id, code="roads", name="改名")
    assert (HandlingUnit.select().count(), RoutingRule.select().count(),
            UnitMember.select().count()) == (units, rules, members)


def test_a_town_admin_may_not_configure_another_town(town):
    admin = town.actor(town.town_admin)
    with pytest.raises(Forbidden):
        setup.create_unit(admin, name="越界单位", kind="department",
                          region_id=town.tree.town_b.id, responsibilities=[])
    # another town's unit is denied as if it did not exist (ids cannot be probed)
    with pytest.raises(NotFound):
        setup.add_unit_member(admin, town.other_unit.id, town.neighbour.id)


def test_unit_ids_cannot_be_probed_from_outside_the_scope(town):
    from app.requests import setup as request_setup
    from tests.factories import grant, make_user

    outsider_admin = make_user()
    grant(outsider_admin, "town_admin", town.tree.town_b)
    actor = town.actor(outsider_admin)
    for unit_id in (town.grid_unit.id, 99999):
        with pytest.raises(NotFound) as info:
            request_setup.add_unit_member(actor, unit_id, town.resident.id)
        assert info.value.code == "request.unit_not_found"
    with pytest.raises(Forbidden):
        request_setup.add_unit_member(town.actor(town.grid_worker), 99999, town.resident.id)
