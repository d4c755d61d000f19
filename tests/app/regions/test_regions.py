"""The region tree: levels, containment by path, and subtree queries in SQL."""

from __future__ import annotations

import itertools

import pytest

from app.audit.models import AuditEntry
from app.audit.services import record
from app.db import database
from app.errors import InvalidInput, NotFound
from app.regions import services as regions
from app.regions.models import Region
from tests.factories import build_tree


@pytest.fixture
def tree():
    return build_tree()


def test_a_household_lies_inside_its_village_town_and_district(tree):
    for outer in (tree.building_a1, tree.grid_a1, tree.village_a1, tree.town_a, tree.district):
        assert regions.is_inside(tree.household_a1.id, outer.id)


def test_a_household_is_not_inside_a_sibling_village(tree):
    assert not regions.is_inside(tree.household_a1.id, tree.village_a2.id)
    assert not regions.is_inside(tree.household_a1.id, tree.town_b.id)
    assert not regions.is_inside(tree.village_a1.id, tree.household_a1.id)


def test_paths_are_made_of_ancestor_ids(tree):
    assert tree.household_a1.path == (
        f"/{tree.district.id}/{tree.town_a.id}/{tree.village_a1.id}/{tree.grid_a1.id}/"
        f"{tree.building_a1.id}/{tree.household_a1.id}/")
    assert tree.household_a1.depth == 5


def test_in_subtree_matches_python_containment_for_every_pair(tree):
    nodes = list(Region.select())
    for outer in nodes:
        inside = {r.id for r in Region.select().where(regions.in_subtree(Region.path,
                                                                         outer.path))}
        expected = {r.id for r in nodes if r.path.startswith(outer.path)}
        assert inside == expected, outer


def test_in_subtree_does_not_confuse_sibling_ids_sharing_a_prefix():
    with database.atomic():
        for path in ("/1/2/", "/1/2/7/", "/1/23/", "/1/23/7/", "/1/3/", "/1/2"):
            record(actor=None, grant=None, action="test", object_type="t", object_id=path,
                   region_path=path)
    found = {e.object_id for e in AuditEntry.select()
             .where(regions.in_subtree(AuditEntry.region_path, "/1/2/"))}
    assert found == {"/1/2/", "/1/2/7/"}


def test_real_sibling_nodes_with_prefix_ids_stay_apart():
    # Create enough nodes that one id is a textual prefix of another (e.g. 2 and 2x).
    district = regions.create_region(code="d", name="区", level="district")
    towns = [regions.create_region(code=f"t{i}", name=f"镇{i}", level="town", parent=district)
             for i in range(25)]
    by_id = {t.id: t for t in towns}
    pairs = [(a, b) for a, b in itertools.permutations(by_id, 2) if str(b).startswith(str(a))]
    assert pairs, "the tree should contain ids like 2 and 23"
    for short_id, long_id in pairs:
        assert not regions.is_inside(long_id, short_id)
        rows = Region.select().where(regions.in_subtree(Region.path, by_id[short_id].path))
        assert [r.id for r in rows] == [short_id]


@pytest.mark.parametrize("level,parent_key", [
    ("household", "grid_a1"), ("village", "district"), ("town", None), ("grid", "town_a"),
])
def test_a_level_under_the_wrong_parent_is_refused(tree, level, parent_key):
    parent = getattr(tree, parent_key) if parent_key else None
    with pytest.raises(InvalidInput) as err:
        regions.create_region(code="bad", name="错", level=level, parent=parent)
    assert err.value.code == "region.bad_parent"


def test_an_unknown_level_is_refused():
    with pytest.raises(InvalidInput) as err:
        regions.create_region(code="x", name="省", level="province")
    assert err.value.code == "region.bad_level"


def test_a_building_may_hang_under_an_estate_or_a_grid(tree):
    estate = regions.create_region(code="e1", name="小区", level="estate", parent=tree.grid_a1)
    assert regions.create_region(code="b9", name="9号楼", level="building", parent=estate)


def test_ancestors_and_level_lookup(tree):
    chain = regions.ancestors(tree.household_b1)
    assert [r.level for r in chain] == ["district", "town", "village", "grid", "building",
                                       "household"]
    assert regions.ancestor_of_level(tree.household_b1, "village").id == tree.village_b1.id


def test_an_unknown_region_is_not_found():
    with pytest.raises(NotFound):
        regions.path_of(999_999)
    with pytest.raises(NotFound):
        regions.get_region(999_999)
